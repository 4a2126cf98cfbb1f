/**
 * Everything the monitor knows about one broker's topics, updated in O(1) per message:
 * last value, retained flag, QoS, count, rate, a history ring per topic (last N messages,
 * capped in bytes per topic and globally, evicting the least recently updated topics'
 * rings), and "dirty" lists the socket stream and the catalogue drain in batches.
 */
import type { SubtreeCount, TopicRow } from "./events";
import { decodePayload, keepPayload, parseNumeric, PREVIEW_CHARS } from "./payload";

export interface RingEntry {
  seq: number;
  time: number;
  /** latin1 string of the kept bytes */
  data: string;
  size: number;
  qos: 0 | 1 | 2;
  retain: boolean;
}

export interface TopicStoreLimits {
  /** Messages kept per topic. */
  ringMessages: number;
  /** Bytes kept per topic's ring. */
  ringBytes: number;
  /** Bytes kept in all rings together. */
  totalBytes: number;
  /** Topics tracked; further new topics are counted in `droppedTopics`. */
  maxTopics: number;
}

// Sized for a small machine (the app's RSS target is 200 MB): with 20,000 busy topics a
// 64 MB budget measured ~300 MB of heap; 16 MB keeps the last 50 messages of the busiest
// topics and stays well under 100 MB.
export const DEFAULT_LIMITS: TopicStoreLimits = {
  ringMessages: 50,
  ringBytes: 256 * 1024,
  totalBytes: 16 * 1024 * 1024,
  maxTopics: 200_000,
};

const RATE_SLOT_MS = 5000;
/** Per-entry bookkeeping counted on top of the payload bytes (entry object, string header,
 * ring slot: measured ~4× the payload budget with 64 here). */
const ENTRY_OVERHEAD = 160;

export class TopicState {
  data = "";
  size = 0;
  qos: 0 | 1 | 2 = 0;
  retained = false;
  messages = 0;
  /** Sequence of the last message (messages ever, including those before a ring eviction). */
  seq = 0;
  lastTime = 0;
  rateSlot = 0;
  rateCur = 0;
  ratePrev = 0;
  /** Ring buffer (allocated on the first message, dropped on global eviction). */
  ring: (RingEntry | undefined)[] | null = null;
  ringHead = 0;
  ringCount = 0;
  ringBytes = 0;
  /** Queued for the socket stream's next batch. */
  streamDirty = false;
  /** Queued for the catalogue's next write; messages since the last write. */
  catalogueDirty = false;
  catalogueDelta = 0;
  /** History recorder's cached decision (see HistoryRecorder). */
  historyGen = -1;
  historyRaw = false;
  historyPaths: string[] | null = null;

  constructor(readonly topic: string) {}

  rate(now: number): number {
    const slot = Math.floor(now / RATE_SLOT_MS);
    const f = (now % RATE_SLOT_MS) / RATE_SLOT_MS;
    let count: number;
    if (slot === this.rateSlot) count = this.ratePrev * (1 - f) + this.rateCur;
    else if (slot === this.rateSlot + 1) count = this.rateCur * (1 - f);
    else count = 0;
    return Math.round((count / (RATE_SLOT_MS / 1000)) * 100) / 100;
  }

  /** Ring entries oldest first, optionally only those with seq > afterSeq. */
  entries(afterSeq = 0): RingEntry[] {
    const out: RingEntry[] = [];
    if (!this.ring) return out;
    const cap = this.ring.length;
    for (let i = 0; i < this.ringCount; i++) {
      const e = this.ring[(this.ringHead + i) % cap];
      if (e && e.seq > afterSeq) out.push(e);
    }
    return out;
  }

  row(now: number): TopicRow {
    const preview = decodePayload(this.data.length > PREVIEW_CHARS * 4 ? this.data.slice(0, PREVIEW_CHARS * 4) : this.data, this.size, PREVIEW_CHARS);
    return {
      topic: this.topic,
      value: preview.text,
      encoding: preview.encoding,
      truncated: preview.truncated,
      size: this.size,
      retained: this.retained,
      qos: this.qos,
      messages: this.messages,
      rate: this.rate(now),
      lastTime: this.lastTime,
      numeric: parseNumeric(this.data) !== undefined,
    };
  }
}

export interface IngestHooks {
  /** Called for every message after the state was updated (history recording). */
  onMessage?(state: TopicState, now: number): void;
}

export class TopicStore {
  readonly topics = new Map<string, TopicState>();
  /** Topics with a ring, least recently updated first. */
  private readonly lru = new Map<string, TopicState>();
  private historyBytes = 0;
  private streamQueue: TopicState[] = [];
  private catalogueQueue: TopicState[] = [];
  droppedTopics = 0;
  /** Whether anyone reads the stream queue (else nothing is queued). */
  streamEnabled = false;
  catalogueEnabled = false;
  totalMessages = 0;

  constructor(
    private readonly limits: TopicStoreLimits = DEFAULT_LIMITS,
    private readonly hooks: IngestHooks = {},
  ) {}

  get bytes(): number {
    return this.historyBytes;
  }

  ingest(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, now: number): TopicState | undefined {
    let s = this.topics.get(topic);
    if (!s) {
      if (this.topics.size >= this.limits.maxTopics) {
        this.droppedTopics++;
        return undefined;
      }
      s = new TopicState(topic);
      this.topics.set(topic, s);
    }
    const data = keepPayload(payload);
    s.data = data;
    s.size = payload.length;
    s.qos = qos;
    s.retained = retain;
    s.messages++;
    s.seq++;
    s.lastTime = now;
    this.totalMessages++;
    const slot = Math.floor(now / RATE_SLOT_MS);
    if (slot !== s.rateSlot) {
      s.ratePrev = slot === s.rateSlot + 1 ? s.rateCur : 0;
      s.rateCur = 0;
      s.rateSlot = slot;
    }
    s.rateCur++;
    this.pushRing(s, { seq: s.seq, time: now, data, size: payload.length, qos, retain });
    if (this.streamEnabled && !s.streamDirty) {
      s.streamDirty = true;
      this.streamQueue.push(s);
    }
    if (this.catalogueEnabled) {
      s.catalogueDelta++;
      if (!s.catalogueDirty) {
        s.catalogueDirty = true;
        this.catalogueQueue.push(s);
      }
    }
    this.hooks.onMessage?.(s, now);
    return s;
  }

  /** Topics changed since the last call (each once). */
  takeStreamQueue(): TopicState[] {
    const q = this.streamQueue;
    this.streamQueue = [];
    for (const s of q) s.streamDirty = false;
    return q;
  }

  /** Topics with messages since the last call; their deltas are reset by the caller. */
  takeCatalogueQueue(): TopicState[] {
    const q = this.catalogueQueue;
    this.catalogueQueue = [];
    for (const s of q) s.catalogueDirty = false;
    return q;
  }

  /** Topics matching a prefix (level-wise) and a case-insensitive search, sorted by topic. */
  match(opts: { prefix?: string; q?: string; sys?: boolean }): TopicState[] {
    const out: TopicState[] = [];
    const prefix = normalizePrefix(opts.prefix ?? "");
    const q = (opts.q ?? "").toLowerCase();
    for (const s of this.topics.values()) {
      if (!matchesPrefix(s.topic, prefix)) continue;
      if (opts.sys === false && s.topic.startsWith("$")) continue;
      if (q && !matchesQuery(s, q)) continue;
      out.push(s);
    }
    out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
    return out;
  }

  /** Mark topics as no longer retained (after clear-retained). */
  markNotRetained(topics: Iterable<string>): void {
    for (const t of topics) {
      const s = this.topics.get(t);
      if (s) s.retained = false;
    }
  }

  private pushRing(s: TopicState, entry: RingEntry): void {
    const limits = this.limits;
    if (!s.ring) s.ring = new Array<RingEntry | undefined>(limits.ringMessages);
    const cap = s.ring.length;
    const cost = entry.data.length + ENTRY_OVERHEAD;
    if (s.ringCount === cap) this.dropOldest(s);
    s.ring[(s.ringHead + s.ringCount) % cap] = entry;
    s.ringCount++;
    s.ringBytes += cost;
    this.historyBytes += cost;
    while (s.ringBytes > limits.ringBytes && s.ringCount > 1) this.dropOldest(s);
    // Least recently updated first: move this topic to the end.
    this.lru.delete(s.topic);
    this.lru.set(s.topic, s);
    if (this.historyBytes > limits.totalBytes) this.evict(s);
  }

  private dropOldest(s: TopicState): void {
    const ring = s.ring;
    if (!ring || s.ringCount === 0) return;
    const e = ring[s.ringHead];
    ring[s.ringHead] = undefined;
    s.ringHead = (s.ringHead + 1) % ring.length;
    s.ringCount--;
    if (e) {
      const cost = e.data.length + ENTRY_OVERHEAD;
      s.ringBytes -= cost;
      this.historyBytes -= cost;
    }
  }

  /** Drop whole rings of the least recently updated topics until under the global cap. */
  private evict(keep: TopicState): void {
    for (const [topic, s] of this.lru) {
      if (this.historyBytes <= this.limits.totalBytes) break;
      if (s === keep) continue;
      this.lru.delete(topic);
      this.historyBytes -= s.ringBytes;
      s.ring = null;
      s.ringHead = 0;
      s.ringCount = 0;
      s.ringBytes = 0;
    }
    // One topic alone over the cap: trim its own ring.
    while (this.historyBytes > this.limits.totalBytes && keep.ringCount > 1) this.dropOldest(keep);
  }
}

/** "house/#", "house/", "house" → "house"; "#" → "". */
export function normalizePrefix(prefix: string): string {
  let p = prefix;
  if (p === "#") return "";
  if (p.endsWith("/#")) p = p.slice(0, -2);
  else if (p.endsWith("/") && p.length > 1) p = p.slice(0, -1);
  return p;
}

/** Level-wise: "house" matches "house" and "house/…", not "household". */
export function matchesPrefix(topic: string, prefix: string): boolean {
  if (prefix === "") return true;
  if (!topic.startsWith(prefix)) return false;
  return topic.length === prefix.length || topic.charCodeAt(prefix.length) === 47; /* '/' */
}

function matchesQuery(s: TopicState, q: string): boolean {
  if (s.topic.toLowerCase().includes(q)) return true;
  // The value: decoded only for topics whose name did not match.
  const preview = s.data.length > 4096 ? s.data.slice(0, 4096) : s.data;
  return Buffer.from(preview, "latin1").toString("utf8").toLowerCase().includes(q);
}

/** Children of `prefix` with the number of topics and messages at or below each. */
export function subtreeCounts(states: Iterable<{ topic: string; messages: number }>, prefix: string): { children: SubtreeCount[]; topics: number; messages: number } {
  const p = normalizePrefix(prefix);
  const children = new Map<string, SubtreeCount>();
  let topics = 0;
  let messages = 0;
  for (const s of states) {
    if (!matchesPrefix(s.topic, p)) continue;
    topics++;
    messages += s.messages;
    if (s.topic.length === p.length && p !== "") continue;
    const rest = p === "" ? s.topic : s.topic.slice(p.length + 1);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const path = p === "" ? name : `${p}/${name}`;
    let c = children.get(path);
    if (!c) {
      c = { path, name, topics: 0, messages: 0, hasValue: false };
      children.set(path, c);
    }
    c.topics++;
    c.messages += s.messages;
    if (slash < 0) c.hasValue = true;
  }
  return {
    children: [...children.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    topics,
    messages,
  };
}
