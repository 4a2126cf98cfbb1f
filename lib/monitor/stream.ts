/**
 * Per-browser batching of the monitor's live data. One timer (every MONITOR_FLUSH_MS while
 * anyone is connected) drains each broker's queue of changed topics once and sends each
 * client the rows matching its subscription: a topic that received 1,000 messages since the
 * last batch is ONE row with its current state. The selected topic's new messages come from
 * its history ring (nothing is queued per message), dashboard values are compared by the
 * topic's sequence number. Paused clients get nothing until they resume (then a snapshot).
 */
import type { Clock, TimerHandle } from "../runtime/node-api";
import {
  MONITOR_FLUSH_MS,
  type LiveValue,
  type MonitorMessage,
  type MonitorServerToClientEvents,
  type TopicDetail,
  type TopicRow,
  type TreeSnapshot,
} from "./events";
import { decodePayload, parseJsonPayload, valueAtPath } from "./payload";
import { matchesPrefix, normalizePrefix, type RingEntry, type TopicState, type TopicStore } from "./topic-store";

export type Emit = <E extends keyof MonitorServerToClientEvents>(event: E, ...args: Parameters<MonitorServerToClientEvents[E]>) => void;

export interface StreamSource {
  /** The broker's store (subscribing to it on first use); throws a readable Error for an unknown broker. */
  store(brokerId: string): TopicStore;
  connected(brokerId: string): boolean;
  detail(brokerId: string, topic: string): Promise<TopicDetail | null>;
  /** The stores that exist (so a store nobody watches stops queueing). */
  stores?(): Iterable<[string, TopicStore]>;
}

interface TreeSub {
  broker: string;
  prefix: string;
  q: string;
  sys: boolean;
  limit: number;
}

interface Binding {
  broker: string;
  topic: string;
  path: string;
  /** seq sent last (0 = nothing yet) */
  sentSeq: number;
}

interface Client {
  id: string;
  emit: Emit;
  paused: boolean;
  tree: TreeSub | null;
  treeConnected: boolean;
  selected: { broker: string; topic: string; sentSeq: number } | null;
  bindings: Binding[];
}

/** Most messages of the selected topic sent per batch. */
const MAX_MESSAGES_PER_BATCH = 200;

export function messageOf(e: RingEntry): MonitorMessage {
  const d = decodePayload(e.data, e.size);
  return { seq: e.seq, time: e.time, payload: d.text, encoding: d.encoding, truncated: d.truncated, size: e.size, qos: e.qos, retain: e.retain };
}

export function liveValueOf(broker: string, topic: string, path: string, s: TopicState | undefined): LiveValue {
  if (!s || s.seq === 0) return { broker, topic, path, value: null, raw: "", at: 0, retained: false };
  const d = decodePayload(s.data, s.size);
  const json = d.encoding === "utf8" ? parseJsonPayload(s.data) : undefined;
  let value: unknown;
  if (path === "") value = json !== undefined ? json : d.text;
  else value = json === undefined ? null : (valueAtPath(json, path) ?? null);
  return { broker, topic, path, value, raw: d.text, at: s.lastTime, retained: s.retained };
}

export class MonitorStream {
  private readonly clients = new Map<string, Client>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly source: StreamSource,
    private readonly clock: Clock,
  ) {}

  get clientCount(): number {
    return this.clients.size;
  }

  add(id: string, emit: Emit): void {
    this.clients.set(id, { id, emit, paused: false, tree: null, treeConnected: false, selected: null, bindings: [] });
    if (!this.timer) this.timer = this.clock.setInterval(() => this.flush(), MONITOR_FLUSH_MS);
  }

  remove(id: string): void {
    this.clients.delete(id);
    this.updateEnabled();
    if (this.clients.size === 0 && this.timer) {
      this.clock.clearInterval(this.timer);
      this.timer = null;
    }
  }

  close(): void {
    for (const id of [...this.clients.keys()]) this.remove(id);
  }

  subscribeTree(id: string, sub: TreeSub): void {
    const c = this.client(id);
    const store = this.source.store(sub.broker);
    c.tree = { ...sub, prefix: normalizePrefix(sub.prefix), q: sub.q.toLowerCase() };
    this.updateEnabled();
    if (!c.paused) this.sendTreeSnapshot(c, store);
  }

  unsubscribeTree(id: string): void {
    this.client(id).tree = null;
    this.updateEnabled();
  }

  async select(id: string, broker: string, topic: string | null): Promise<void> {
    const c = this.client(id);
    if (topic === null) {
      c.selected = null;
      return;
    }
    const store = this.source.store(broker);
    c.selected = { broker, topic, sentSeq: store.topics.get(topic)?.seq ?? 0 };
    if (!c.paused) await this.sendTopicSnapshot(c);
  }

  async pause(id: string, paused: boolean): Promise<void> {
    const c = this.client(id);
    if (c.paused === paused) return;
    c.paused = paused;
    if (paused) return;
    if (c.tree) this.sendTreeSnapshot(c, this.source.store(c.tree.broker));
    if (c.selected) {
      c.selected.sentSeq = this.source.store(c.selected.broker).topics.get(c.selected.topic)?.seq ?? 0;
      await this.sendTopicSnapshot(c);
    }
  }

  subscribeValues(id: string, bindings: { broker: string; topic: string; path: string }[]): void {
    const c = this.client(id);
    const stores = new Map<string, TopicStore>();
    for (const b of bindings) if (!stores.has(b.broker)) stores.set(b.broker, this.source.store(b.broker));
    c.bindings = bindings.map((b) => ({ ...b, sentSeq: stores.get(b.broker)?.topics.get(b.topic)?.seq ?? 0 }));
    const values = c.bindings.map((b) => liveValueOf(b.broker, b.topic, b.path, stores.get(b.broker)?.topics.get(b.topic)));
    c.emit("values:snapshot", values);
  }

  /** One batch for every client (called by the timer; public for tests). */
  flush(): void {
    const now = this.clock.now();
    // Drain each watched broker's queue once.
    const changed = new Map<string, TopicState[]>();
    for (const c of this.clients.values()) {
      if (c.tree && !changed.has(c.tree.broker)) {
        let store: TopicStore | undefined;
        try {
          store = this.source.store(c.tree.broker);
        } catch {
          store = undefined;
        }
        changed.set(c.tree.broker, store ? store.takeStreamQueue() : []);
      }
    }
    for (const c of this.clients.values()) {
      if (c.tree && !c.paused) this.flushTree(c, changed.get(c.tree.broker) ?? [], now);
      if (c.selected && !c.paused) this.flushSelected(c, now);
      if (c.bindings.length > 0) this.flushValues(c);
    }
  }

  // ---- internals --------------------------------------------------------------------

  private client(id: string): Client {
    const c = this.clients.get(id);
    if (!c) throw new Error(`monitor client ${id} is not connected`);
    return c;
  }

  private updateEnabled(): void {
    const watched = new Set<string>();
    for (const c of this.clients.values()) if (c.tree) watched.add(c.tree.broker);
    for (const broker of watched) {
      try {
        this.source.store(broker).streamEnabled = true;
      } catch {
        // unknown broker: nothing to enable
      }
    }
    for (const [broker, store] of this.source.stores?.() ?? []) {
      if (watched.has(broker) || !store.streamEnabled) continue;
      store.streamEnabled = false;
      store.takeStreamQueue();
    }
  }

  private sendTreeSnapshot(c: Client, store: TopicStore): void {
    const sub = c.tree;
    if (!sub) return;
    // Rows queued before this snapshot are in it.
    const now = this.clock.now();
    const matched = store.match({ prefix: sub.prefix, q: sub.q, sys: sub.sys });
    const rows: TopicRow[] = [];
    for (let i = 0; i < matched.length && i < sub.limit; i++) rows.push(matched[i].row(now));
    c.treeConnected = this.source.connected(sub.broker);
    const snapshot: TreeSnapshot = {
      broker: sub.broker,
      prefix: sub.prefix,
      q: sub.q,
      topics: rows,
      total: matched.length,
      truncated: matched.length > rows.length,
      connected: c.treeConnected,
    };
    c.emit("tree:snapshot", snapshot);
  }

  private flushTree(c: Client, changed: TopicState[], now: number): void {
    const sub = c.tree;
    if (!sub) return;
    const connected = this.source.connected(sub.broker);
    const rows: TopicRow[] = [];
    for (const s of changed) {
      if (!matchesPrefix(s.topic, sub.prefix)) continue;
      if (!sub.sys && s.topic.startsWith("$")) continue;
      if (sub.q) {
        const row = s.row(now);
        if (!s.topic.toLowerCase().includes(sub.q) && !row.value.toLowerCase().includes(sub.q)) continue;
        rows.push(row);
      } else {
        rows.push(s.row(now));
      }
    }
    if (rows.length === 0 && connected === c.treeConnected) return;
    c.treeConnected = connected;
    c.emit("tree:updates", { broker: sub.broker, topics: rows, removed: [], connected });
  }

  private async sendTopicSnapshot(c: Client): Promise<void> {
    const sel = c.selected;
    if (!sel) return;
    const detail = await this.source.detail(sel.broker, sel.topic);
    if (c.selected !== sel) return; // changed meanwhile
    const now = this.clock.now();
    const s = this.source.store(sel.broker).topics.get(sel.topic);
    if (detail) {
      const last = detail.history.length > 0 ? detail.history[detail.history.length - 1].seq : 0;
      sel.sentSeq = Math.max(last, s?.seq ?? 0);
      c.emit("topic:snapshot", detail);
    } else {
      sel.sentSeq = s?.seq ?? 0;
      c.emit("topic:snapshot", {
        broker: sel.broker,
        topic: sel.topic,
        row: emptyRow(sel.topic, now),
        history: [],
        description: "",
        unit: "",
      });
    }
  }

  private flushSelected(c: Client, now: number): void {
    const sel = c.selected;
    if (!sel) return;
    let s: TopicState | undefined;
    try {
      s = this.source.store(sel.broker).topics.get(sel.topic);
    } catch {
      return;
    }
    if (!s || s.seq <= sel.sentSeq) return;
    let entries = s.entries(sel.sentSeq);
    const arrived = s.seq - sel.sentSeq;
    if (entries.length > MAX_MESSAGES_PER_BATCH) entries = entries.slice(entries.length - MAX_MESSAGES_PER_BATCH);
    sel.sentSeq = s.seq;
    c.emit("topic:messages", {
      broker: sel.broker,
      topic: sel.topic,
      row: s.row(now),
      messages: entries.map(messageOf),
      skipped: arrived - entries.length,
    });
  }

  private flushValues(c: Client): void {
    const out: LiveValue[] = [];
    const cache = new Map<string, TopicStore | null>();
    for (const b of c.bindings) {
      let store = cache.get(b.broker);
      if (store === undefined) {
        try {
          store = this.source.store(b.broker);
        } catch {
          store = null;
        }
        cache.set(b.broker, store);
      }
      const s = store?.topics.get(b.topic);
      if (!s || s.seq === b.sentSeq) continue;
      b.sentSeq = s.seq;
      out.push(liveValueOf(b.broker, b.topic, b.path, s));
    }
    if (out.length > 0) c.emit("values:updates", out);
  }
}

export function emptyRow(topic: string, now: number): TopicRow {
  void now;
  return { topic, value: "", encoding: "utf8", truncated: false, size: 0, retained: false, qos: 0, messages: 0, rate: 0, lastTime: 0, numeric: false };
}
