/**
 * The line chart's points: stored history (from /api/history) followed by live values, kept
 * sorted, inside the time window and bounded in count. Pure.
 */
export interface Point {
  /** ms since epoch */
  t: number;
  v: number;
}

export interface SeriesLimits {
  /** points older than now - windowMs are dropped */
  windowMs: number;
  /** at most this many points are kept (the newest) */
  maxPoints: number;
}

export const DEFAULT_MAX_POINTS = 5000;

function trim(points: Point[], now: number, limits: SeriesLimits): Point[] {
  const from = now - limits.windowMs;
  let start = 0;
  while (start < points.length && points[start].t < from) start++;
  start = Math.max(start, points.length - limits.maxPoints);
  return start > 0 ? points.slice(start) : points;
}

/** Appends a live point (in order; an out-of-order point is inserted where it belongs). */
export function appendPoint(points: Point[], p: Point, now: number, limits: SeriesLimits): Point[] {
  if (!Number.isFinite(p.v) || !Number.isFinite(p.t)) return points;
  let next: Point[];
  const last = points[points.length - 1];
  if (!last || p.t > last.t) next = [...points, p];
  else if (p.t === last.t) next = [...points.slice(0, -1), p];
  else {
    let i = points.length;
    while (i > 0 && points[i - 1].t > p.t) i--;
    if (i > 0 && points[i - 1].t === p.t) next = [...points.slice(0, i - 1), p, ...points.slice(i)];
    else next = [...points.slice(0, i), p, ...points.slice(i)];
  }
  return trim(next, now, limits);
}

/** History first, then the live points newer than the last stored one. */
export function mergeHistory(history: Point[], live: Point[], now: number, limits: SeriesLimits): Point[] {
  const sorted = [...history].filter((p) => Number.isFinite(p.v) && Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const lastT = sorted.length ? sorted[sorted.length - 1].t : -Infinity;
  return trim([...sorted, ...live.filter((p) => p.t > lastT)], now, limits);
}

/** uPlot's columnar data: x in seconds. */
export function toUplotData(points: Point[]): [number[], number[]] {
  return [points.map((p) => p.t / 1000), points.map((p) => p.v)];
}
