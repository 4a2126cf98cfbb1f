/**
 * The dashboard's live values, keyed by broker + topic + JSON path. Each widget subscribes
 * to its own key, so an update re-renders only the widgets that show it. Pure (no React).
 */
export interface LiveValue {
  value: unknown;
  /** ms since epoch when the message arrived at the server */
  at: number;
  retained?: boolean;
}

export interface Binding {
  broker: string;
  topic: string;
  path: string;
}

export function bindingKey(b: Binding): string {
  return JSON.stringify([b.broker, b.topic, b.path]);
}

/** The distinct topic bindings of some widgets (empty topics skipped), in a stable order. */
export function bindingsOf(widgets: readonly Binding[]): Binding[] {
  const seen = new Map<string, Binding>();
  for (const w of widgets) {
    if (!w.topic) continue;
    const b = { broker: w.broker, topic: w.topic, path: w.path };
    seen.set(bindingKey(b), b);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b);
}

type Listener = (v: LiveValue) => void;

export class LiveValueStore {
  private values = new Map<string, LiveValue>();
  private listeners = new Map<string, Set<Listener>>();

  get(key: string): LiveValue | undefined {
    return this.values.get(key);
  }

  set(key: string, v: LiveValue): void {
    this.values.set(key, v);
    const ls = this.listeners.get(key);
    if (ls) for (const l of [...ls]) l(v);
  }

  subscribe(key: string, listener: Listener): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Values of bindings no longer shown are forgotten. */
  retain(keys: Iterable<string>): void {
    const keep = new Set(keys);
    for (const k of [...this.values.keys()]) if (!keep.has(k)) this.values.delete(k);
  }
}
