"use client";
/**
 * The broker choice of mqtt in / mqtt out: the default broker, the Brokers page's brokers
 * (GET /api/brokers) and the flows' own mqtt-broker config nodes (Node-RED imports).
 */
import { useEffect, useState } from "react";
import type { ConfigNode } from "../../../lib/flow/schema";
import type { BrokerView } from "../../../lib/brokers/schema";
import { requestJson } from "../../ui/http";

type Common = {
  id: string;
  "data-testid": string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  disabled?: boolean;
};

interface PageBroker {
  id: string;
  name: string;
  url: string;
  connected: boolean;
}

let cache: { at: number; list: Promise<PageBroker[]> } | null = null;

/** The Brokers page's rows, fetched at most every 5 s and shared by every open form. */
function loadBrokers(): Promise<PageBroker[]> {
  if (cache && Date.now() - cache.at < 5000) return cache.list;
  const list = requestJson("GET", "/api/brokers").then(
    (data) =>
      (Array.isArray(data) ? (data as BrokerView[]) : [])
        .filter((b) => b.source === "settings")
        .map((b) => ({ id: b.id, name: b.name, url: b.settings.url, connected: b.health.connected })),
    () => [] as PageBroker[],
  );
  cache = { at: Date.now(), list };
  return list;
}

export function BrokerPicker({
  common,
  value,
  configNodes,
  onChange,
  label,
}: {
  common: Common;
  value: unknown;
  configNodes: readonly ConfigNode[];
  onChange: (v: string) => void;
  label: (c: ConfigNode) => string;
}) {
  const [brokers, setBrokers] = useState<PageBroker[]>([]);
  useEffect(() => {
    let live = true;
    void loadBrokers().then((list) => {
      if (live) setBrokers(list);
    });
    return () => {
      live = false;
    };
  }, []);
  const rowIds = new Set(brokers.map((b) => b.id));
  const flowNodes = configNodes.filter((c) => c.type === "mqtt-broker" && !rowIds.has(c.id));
  const current = typeof value === "string" ? value : "";
  const known = current === "" || rowIds.has(current) || flowNodes.some((c) => c.id === current);
  return (
    <select {...common} value={current} onChange={(e) => onChange(e.target.value)}>
      <option value="">default broker</option>
      {brokers.length > 0 && (
        <optgroup label="Brokers page">
          {brokers.map((b) => (
            <option key={b.id} value={b.id} title={b.url}>
              {b.name}
              {b.connected ? "" : " (not connected)"}
            </option>
          ))}
        </optgroup>
      )}
      {flowNodes.length > 0 && (
        <optgroup label="In the flows">
          {flowNodes.map((c) => (
            <option key={c.id} value={c.id}>
              {label(c)}
            </option>
          ))}
        </optgroup>
      )}
      {!known && <option value={current}>missing: {current}</option>}
    </select>
  );
}
