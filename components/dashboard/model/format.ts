/** How widgets show values and their age. Pure. */

/** A number if the value is one (or a numeric string), else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** The value as a person reads it: numbers with the chosen decimals, objects as JSON. */
export function formatValue(value: unknown, decimals?: number): string {
  if (value === undefined) return "–";
  if (value === null) return "null";
  const n = typeof value === "string" ? null : toNumber(value);
  if (typeof value === "number" && n !== null) {
    return decimals === undefined ? String(Number(n.toFixed(6))) : n.toFixed(decimals);
  }
  if (typeof value === "string") {
    if (decimals !== undefined) {
      const parsed = toNumber(value);
      if (parsed !== null) return parsed.toFixed(decimals);
    }
    return value;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** "just now", "12 s ago", "2 min ago", "3 h ago", "2 d ago". */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** How often the age label must be refreshed to stay right. */
export function ageRefreshMs(ageMs: number): number {
  if (ageMs < 60_000) return 1000;
  if (ageMs < 3_600_000) return 15_000;
  return 60_000;
}
