"use client";
/** A payload shown as a JSON tree (expand/collapse), as text, or as a hex dump. */
import { useMemo, useState } from "react";
import type { MonitorMessage } from "../../lib/monitor/events";
import { hexDump, payloadBytes } from "./model/bytes";
import { parseMaybeJson } from "./model/diff";

export type ViewMode = "json" | "text" | "hex";

export function PayloadViewer({ message, mode, onMode, testId }: { message: MonitorMessage; mode: ViewMode | null; onMode: (m: ViewMode) => void; testId?: string }) {
  const parsed = useMemo(() => (message.encoding === "utf8" && !message.truncated ? parseMaybeJson(message.payload) : { json: false, value: message.payload }), [message]);
  const isStructured = parsed.json && typeof parsed.value === "object" && parsed.value !== null;
  const effective: ViewMode = mode ?? (isStructured ? "json" : message.encoding === "base64" ? "hex" : "text");
  return (
    <div className="fh-mon-viewer">
      <div className="fh-mon-seg" role="tablist" aria-label="Show the payload as">
        {(["json", "text", "hex"] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={effective === m}
            className={`fh-mon-seg-btn${effective === m ? " is-on" : ""}`}
            disabled={m === "json" && !parsed.json}
            title={m === "json" && !parsed.json ? "The payload is not JSON" : undefined}
            data-testid={`viewer-${m}`}
            onClick={() => onMode(m)}
          >
            {m === "json" ? "JSON" : m === "text" ? "Text" : "Hex"}
          </button>
        ))}
        {message.truncated ? <span className="fh-mon-note">cut: the server keeps the first 64 KB of {message.size.toLocaleString()} bytes</span> : null}
      </div>
      <div className="fh-mon-viewer-body" data-testid={testId}>
        {effective === "json" && parsed.json ? (
          <div className="fh-mon-json">
            <JsonNode value={parsed.value} name={null} depth={0} />
          </div>
        ) : effective === "hex" ? (
          <HexView message={message} />
        ) : (
          <pre className="fh-mon-text">{message.size === 0 ? <em className="fh-muted">(empty payload)</em> : message.encoding === "base64" ? `base64: ${message.payload}` : message.payload}</pre>
        )}
      </div>
    </div>
  );
}

function HexView({ message }: { message: MonitorMessage }) {
  const { lines, cut } = useMemo(() => hexDump(payloadBytes(message.payload, message.encoding)), [message]);
  return (
    <pre className="fh-mon-hex">
      {lines.map((l) => (
        <div key={l.offset}>
          <span className="fh-mon-hex-off">{l.offset}</span> {l.hex} <span className="fh-mon-hex-ascii">|{l.ascii}|</span>
        </div>
      ))}
      {lines.length === 0 ? <em className="fh-muted">(empty payload)</em> : null}
      {cut ? <div className="fh-muted">… the first 4,096 bytes are shown</div> : null}
    </pre>
  );
}

const MAX_CHILDREN = 200;

function JsonNode({ value, name, depth }: { value: unknown; name: string | null; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const [all, setAll] = useState(false);
  const label = name !== null ? <span className="fh-mon-json-key">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    const cls = value === null ? "is-null" : typeof value === "string" ? "is-string" : typeof value === "number" ? "is-number" : "is-bool";
    return (
      <div className="fh-mon-json-leaf">
        {label}
        <span className={`fh-mon-json-val ${cls}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const shown = all ? entries : entries.slice(0, MAX_CHILDREN);
  const [openBr, closeBr] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return (
    <div className="fh-mon-json-node">
      <button type="button" className="fh-mon-json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="fh-mon-chev-s" aria-hidden>
          {open ? "▾" : "▸"}
        </span>
        {label}
        <span className="fh-muted">
          {openBr}
          {open ? "" : ` ${entries.length} ${Array.isArray(value) ? "items" : "keys"} ${closeBr}`}
        </span>
      </button>
      {open ? (
        <div className="fh-mon-json-children">
          {shown.map(([k, v]) => (
            <JsonNode key={k} value={v} name={k} depth={depth + 1} />
          ))}
          {!all && entries.length > MAX_CHILDREN ? (
            <button type="button" className="fh-link" onClick={() => setAll(true)}>
              show all {entries.length}
            </button>
          ) : null}
          <span className="fh-muted">{closeBr}</span>
        </div>
      ) : null}
    </div>
  );
}
