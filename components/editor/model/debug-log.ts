/** The debug sidebar's message list: newest last, bounded. Pure. */
import type { DebugMessageEvent } from "../../../lib/server/events";

export const MAX_DEBUG_ENTRIES = 1000;

export function appendDebug(
  list: readonly DebugMessageEvent[],
  batch: readonly DebugMessageEvent[],
  max: number = MAX_DEBUG_ENTRIES,
): DebugMessageEvent[] {
  const merged = list.concat(batch);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

export interface FormattedValue {
  /** Short one-line form. */
  summary: string;
  /** Pretty-printed form (several lines for objects). */
  full: string;
  /** True when the full form is long enough to start collapsed. */
  long: boolean;
  kind: string;
}

const LONG_CHARS = 200;
const LONG_LINES = 8;

export function formatDebugValue(value: unknown): FormattedValue {
  let full: string;
  let kind: string;
  if (value === undefined) {
    full = "undefined";
    kind = "undefined";
  } else if (typeof value === "string") {
    full = JSON.stringify(value);
    kind = `string[${value.length}]`;
  } else if (Array.isArray(value)) {
    full = safeStringify(value, 2);
    kind = `array[${value.length}]`;
  } else if (value === null) {
    full = "null";
    kind = "null";
  } else if (typeof value === "object") {
    full = safeStringify(value, 2);
    kind = "object";
  } else {
    full = String(value);
    kind = typeof value;
  }
  const oneLine = typeof value === "object" && value !== null ? safeStringify(value, 0) : full;
  const summary = oneLine.length > LONG_CHARS ? `${oneLine.slice(0, LONG_CHARS)}…` : oneLine;
  return { summary, full, long: full.length > LONG_CHARS || full.split("\n").length > LONG_LINES, kind };
}

function safeStringify(value: unknown, indent: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    return String(value);
  }
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
