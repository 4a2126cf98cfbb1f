/**
 * The selected topic's chart: numbers read from payloads (the whole payload or a JSON path),
 * stored history from GET /api/history joined with the messages seen live. Pure.
 */
import type { HistoryResponse, MonitorMessage } from "../../../lib/monitor/events";
import { joinPath } from "./diff";

export interface Point {
  /** ms epoch */
  t: number;
  v: number;
}

/** Splits "a.b[0]['x y']" into keys; null when malformed. */
export function parsePath(path: string): (string | number)[] | null {
  const parts: (string | number)[] = [];
  const re = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    const m = re.exec(path);
    if (!m) return null;
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push(JSON.parse(m[3]) as string);
    pos = re.lastIndex;
  }
  return parts;
}

export function valueAt(value: unknown, path: string): unknown {
  const parts = parsePath(path);
  if (!parts) return undefined;
  let cur = value;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function asNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "") return null;
    const n = Number(t);
    if (Number.isFinite(n)) return n;
    const u = t.toUpperCase();
    if (u === "ON" || u === "TRUE") return 1;
    if (u === "OFF" || u === "FALSE") return 0;
  }
  return null;
}

/** The number a payload carries at `path` ("" = the payload itself), or null. */
export function numberFromPayload(payload: string, path: string): number | null {
  if (path === "") {
    const direct = asNumber(payload);
    if (direct !== null) return direct;
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  return asNumber(path === "" ? json : valueAt(json, path));
}

/** Paths of the numeric (and boolean) leaves of a JSON value, for the chart's path picker. */
export function numericPaths(value: unknown, limit = 200): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= limit || depth > 8) return;
    if (typeof v === "number" || typeof v === "boolean") {
      if (path) out.push(path);
      return;
    }
    if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => walk(x, joinPath(path, i), depth + 1));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, joinPath(path, k), depth + 1);
  };
  walk(value, "", 0);
  return out;
}

/** The path the chart starts with: "" for a plain number, else the first numeric JSON leaf. */
export function defaultChartPath(payload: string): string | null {
  if (asNumber(payload) !== null) return "";
  try {
    const json: unknown = JSON.parse(payload);
    if (asNumber(json) !== null) return "";
    return numericPaths(json)[0] ?? null;
  } catch {
    return null;
  }
}

export function livePoints(messages: readonly MonitorMessage[], path: string): Point[] {
  const out: Point[] = [];
  for (const m of messages) {
    if (m.encoding !== "utf8" || m.truncated) continue;
    const v = numberFromPayload(m.payload, path);
    if (v !== null) out.push({ t: m.time, v });
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * Stored buckets (their averages) up to where live values begin, then every live value; the
 * bucket the first live value falls in is left out so it is not counted twice. Points older
 * than `fromMs` are dropped, at most `maxPoints` (the newest) kept.
 */
export function combineSeries(history: HistoryResponse | null, live: readonly Point[], fromMs: number, maxPoints = 5000): Point[] {
  const firstLive = live.length ? live[0].t : Infinity;
  const bucketMs = (history?.bucketSeconds ?? 0) * 1000;
  const stored: Point[] = [];
  for (const p of history?.points ?? []) {
    if (!Number.isFinite(p.avg)) continue;
    if (p.t + bucketMs > firstLive) continue;
    stored.push({ t: p.t, v: p.avg });
  }
  const all = [...stored, ...live].filter((p) => p.t >= fromMs).sort((a, b) => a.t - b.t);
  return all.length > maxPoints ? all.slice(all.length - maxPoints) : all;
}

/** uPlot's columnar data (x in seconds). */
export function toUplot(points: readonly Point[]): [number[], number[]] {
  return [points.map((p) => p.t / 1000), points.map((p) => p.v)];
}
