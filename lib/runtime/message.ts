/** A message as Node-RED defines it: a plain object with at least `_msgid`. */
export interface Msg {
  _msgid: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

let counter = 0;
const prefix = Math.random().toString(16).slice(2, 10);
/** Unique per process; cheap (no crypto per message). */
export function newMsgId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}.${counter.toString(16)}`;
}

/**
 * Deep copy of a message for fan-out. Buffers stay Buffers (structuredClone would turn them
 * into Uint8Array), Dates stay Dates; functions and class instances are copied by reference.
 */
export function cloneMsg<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map(cloneValue);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneValue((value as Record<string, unknown>)[key]);
  return out;
}
