"use client";
/** What every widget needs from the page: live values, publishing, and whether it may act. */
import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { bindingKey, type Binding, type LiveValue, type LiveValueStore } from "./model/live-values";
import { ageRefreshMs, formatAge } from "./model/format";

export interface DashboardServices {
  store: LiveValueStore;
  /** Publishes a string payload; rejects with a message a person can act on. */
  publish: (req: { topic: string; payload: string; retain: boolean; broker: string }) => Promise<void>;
  /** Controls are disabled (viewer, or the server refused changes). */
  readOnly: boolean;
  /** Layout edit mode: controls do not act while widgets are being arranged. */
  editing: boolean;
}

export const DashboardContext = createContext<DashboardServices | null>(null);

export function useDashboard(): DashboardServices {
  const ctx = useContext(DashboardContext);
  if (!ctx) throw new Error("Dashboard widgets must be rendered inside DashboardContext");
  return ctx;
}

/** The latest value of a widget's topic (+ JSON path); undefined until one arrives. */
export function useLiveValue(binding: Binding): LiveValue | undefined {
  const { store } = useDashboard();
  const key = binding.topic ? bindingKey(binding) : "";
  const subscribe = useCallback((cb: () => void) => (key ? store.subscribe(key, cb) : () => undefined), [store, key]);
  const get = useCallback(() => (key ? store.get(key) : undefined), [store, key]);
  return useSyncExternalStore(subscribe, get, () => undefined);
}

/** "2 min ago", kept current. */
export function Age({ at }: { at: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setTimeout(() => setNow(Date.now()), ageRefreshMs(now - at));
    return () => clearTimeout(timer);
  }, [now, at]);
  return (
    <time className="fh-dash-age" dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>
      {formatAge(now - at)}
    </time>
  );
}
