/** Geometry of the gauge widget's SVG arc (a 240° sweep, open at the bottom). Pure. */

export const GAUGE_START_DEG = 150;
export const GAUGE_SWEEP_DEG = 240;

/** Where the value sits between min and max, clamped to 0..1; null if it is not a number. */
export function gaugeFraction(value: number | null, min: number, max: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (max === min) return value >= max ? 1 : 0;
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const f = (value - lo) / (hi - lo);
  const oriented = max < min ? 1 - f : f;
  return Math.min(1, Math.max(0, oriented));
}

function point(cx: number, cy: number, r: number, deg: number): [number, number] {
  const rad = (deg * Math.PI) / 180;
  return [cx + r * Math.cos(rad), cy + r * Math.sin(rad)];
}

/** SVG path of an arc from the gauge start over `fraction` of the sweep. Empty for 0. */
export function arcPath(cx: number, cy: number, r: number, fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  if (f <= 0) return "";
  const end = GAUGE_START_DEG + GAUGE_SWEEP_DEG * f;
  const [x1, y1] = point(cx, cy, r, GAUGE_START_DEG);
  const [x2, y2] = point(cx, cy, r, end);
  const large = GAUGE_SWEEP_DEG * f > 180 ? 1 : 0;
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return `M ${r2(x1)} ${r2(y1)} A ${r} ${r} 0 ${large} 1 ${r2(x2)} ${r2(y2)}`;
}
