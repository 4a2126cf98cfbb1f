/** The delay node's control properties: msg.reset, msg.flush, msg.toFront, msg.rate. */
import type { Msg } from "../../runtime/message";

export function has(msg: Msg, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, key);
}

/** A message that only carries control properties (e.g. `{flush: true}`) is never held or sent. */
export function isControlOnly(msg: Msg, ignore: readonly string[] = []): boolean {
  for (const key of Object.keys(msg)) {
    if (key !== "_msgid" && key !== "flush" && key !== "reset" && !ignore.includes(key)) return false;
  }
  return true;
}

/** How many held messages msg.flush releases: a number → that many (rounded down), anything else → all. */
export function flushCount(msg: Msg): number {
  const flush = msg.flush;
  if (typeof flush !== "number") return Number.POSITIVE_INFINITY;
  if (Number.isNaN(flush)) return 0;
  return Math.max(0, Math.floor(flush));
}

/** The message without its control properties, so they do not act again on a node downstream. */
export function withoutControl(msg: Msg): Msg {
  if (!has(msg, "flush") && !has(msg, "reset")) return msg;
  const { flush: _flush, reset: _reset, ...rest } = msg;
  return rest as Msg;
}

/** Node-RED reads numbers leniently: 500, "500", "500ms" → 500; anything else → NaN. */
export function lenientNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return Number.parseFloat(value);
  return Number.NaN;
}
