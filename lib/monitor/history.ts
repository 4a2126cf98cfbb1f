/**
 * Numeric history for charts: values of numeric topics (all of them, or the selected ones)
 * and of the JSON paths chart widgets registered are aggregated in memory into buckets of
 * `bucketSeconds` (count/min/max/sum/last) and written when a bucket closes — one row per
 * topic+path+bucket, never one per message. Reads combine stored rows with the open buckets
 * and downsample to a number of points.
 */
import type { HistoryPoint, HistorySettings } from "./events";
import { numericValue, parseJsonPayload, parseNumeric, valueAtPath } from "./payload";
import { topicMatchesFilter } from "../mqtt/topic";
import type { TopicState } from "./topic-store";

export interface Bucket {
  brokerId: string;
  topic: string;
  path: string;
  /** ms epoch of the bucket start */
  start: number;
  count: number;
  min: number;
  max: number;
  sum: number;
  last: number;
}

export interface HistoryWriter {
  /** Closed buckets to store (merged with a stored row of the same key). */
  write(buckets: Bucket[]): void;
}

function key(brokerId: string, topic: string, path: string): string {
  return `${brokerId}\u0000${topic}\u0000${path}`;
}

export class HistoryRecorder {
  private settings: HistorySettings;
  private generation = 0;
  /** brokerId → topic → paths registered by chart widgets */
  private pairs = new Map<string, Map<string, Set<string>>>();
  /** Open buckets by key. */
  private readonly open = new Map<string, Bucket>();

  constructor(
    settings: HistorySettings,
    private readonly writer: HistoryWriter,
  ) {
    this.settings = settings;
  }

  get current(): HistorySettings {
    return this.settings;
  }

  setSettings(settings: HistorySettings, now: number): void {
    if (settings.bucketSeconds !== this.settings.bucketSeconds) this.closeAll(now, true);
    this.settings = settings;
    this.generation++;
  }

  /** The chart widgets' topic+path pairs (replaces the previous set). */
  setPairs(pairs: { broker: string; topic: string; path: string }[]): void {
    const next = new Map<string, Map<string, Set<string>>>();
    for (const p of pairs) {
      let topics = next.get(p.broker);
      if (!topics) next.set(p.broker, (topics = new Map()));
      let paths = topics.get(p.topic);
      if (!paths) topics.set(p.topic, (paths = new Set()));
      paths.add(p.path);
    }
    this.pairs = next;
    this.generation++;
  }

  /** Called per message (hot path): cached decision per topic, JSON parsed only for registered paths. */
  onMessage(brokerId: string, s: TopicState, now: number): void {
    if (s.historyGen !== this.generation) this.decide(brokerId, s);
    if (s.historyRaw) {
      const value = parseNumeric(s.data);
      if (value !== undefined) this.add(brokerId, s.topic, "", value, now);
    }
    if (s.historyPaths) {
      const json = parseJsonPayload(s.data);
      if (json === undefined) return;
      for (const path of s.historyPaths) {
        const value = numericValue(valueAtPath(json, path));
        if (value !== undefined) this.add(brokerId, s.topic, path, value, now);
      }
    }
  }

  private decide(brokerId: string, s: TopicState): void {
    s.historyGen = this.generation;
    const paths = this.pairs.get(brokerId)?.get(s.topic);
    const recordRaw =
      !s.topic.startsWith("$") &&
      (this.settings.mode === "all-numeric" || this.settings.topics.some((f) => f === s.topic || topicMatchesFilter(f, s.topic)));
    s.historyRaw = recordRaw || (paths?.has("") ?? false);
    const jsonPaths = paths ? [...paths].filter((p) => p !== "") : [];
    s.historyPaths = jsonPaths.length > 0 ? jsonPaths : null;
  }

  add(brokerId: string, topic: string, path: string, value: number, now: number): void {
    const width = this.settings.bucketSeconds * 1000;
    const start = now - (now % width);
    const k = key(brokerId, topic, path);
    let b = this.open.get(k);
    if (b && b.start !== start) {
      this.writer.write([b]);
      b = undefined;
    }
    if (!b) {
      b = { brokerId, topic, path, start, count: 0, min: value, max: value, sum: 0, last: value };
      this.open.set(k, b);
    }
    b.count++;
    if (value < b.min) b.min = value;
    if (value > b.max) b.max = value;
    b.sum += value;
    b.last = value;
  }

  /** Write buckets that have ended (or all, at shutdown). */
  closeAll(now: number, everything = false): void {
    const width = this.settings.bucketSeconds * 1000;
    const closed: Bucket[] = [];
    for (const [k, b] of this.open) {
      if (everything || b.start + width <= now) {
        closed.push(b);
        this.open.delete(k);
      }
    }
    if (closed.length > 0) this.writer.write(closed);
  }

  /** The open bucket of a topic+path, if any (for reads). */
  openBucket(brokerId: string, topic: string, path: string): Bucket | undefined {
    return this.open.get(key(brokerId, topic, path));
  }
}

/**
 * Merges buckets (stored rows and open ones, any order) into points of `stepMs` width
 * aligned to multiples of stepMs, oldest first.
 */
export function downsample(buckets: Iterable<Pick<Bucket, "start" | "count" | "min" | "max" | "sum" | "last">>, stepMs: number): HistoryPoint[] {
  const groups = new Map<number, { t: number; count: number; min: number; max: number; sum: number; last: number; lastStart: number }>();
  for (const b of buckets) {
    if (b.count <= 0) continue;
    const t = b.start - (((b.start % stepMs) + stepMs) % stepMs);
    const g = groups.get(t);
    if (!g) {
      groups.set(t, { t, count: b.count, min: b.min, max: b.max, sum: b.sum, last: b.last, lastStart: b.start });
    } else {
      g.count += b.count;
      g.min = Math.min(g.min, b.min);
      g.max = Math.max(g.max, b.max);
      g.sum += b.sum;
      if (b.start >= g.lastStart) {
        g.last = b.last;
        g.lastStart = b.start;
      }
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.t - b.t)
    .map((g) => ({ t: g.t, avg: g.sum / g.count, min: g.min, max: g.max, last: g.last, count: g.count }));
}

/** Point width for a range: a multiple of the bucket size giving at most `points` points. */
export function stepFor(fromMs: number, toMs: number, bucketSeconds: number, points: number): number {
  const width = bucketSeconds * 1000;
  const range = Math.max(width, toMs - fromMs);
  const k = Math.max(1, Math.ceil(range / (width * Math.max(1, points))));
  return k * width;
}
