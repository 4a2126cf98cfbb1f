/**
 * Payloads as the monitor keeps them: a latin1 ("binary") string holds the exact bytes in a
 * one-byte V8 string — one small allocation per message, and unlike a Buffer slice it never
 * pins the 64 KB socket chunk the packet was parsed from. Decoding to UTF-8/base64, JSON
 * parsing and number checks happen only when something is sent or recorded.
 */
import { isUtf8 } from "node:buffer";
import type { PayloadEncoding } from "./events";

/** Bytes of a payload kept per message (last value and history). */
export const MAX_KEPT_BYTES = 64 * 1024;
/** Characters of the preview in tree rows. */
export const PREVIEW_CHARS = 200;

export function keepPayload(payload: Buffer): string {
  return payload.length > MAX_KEPT_BYTES ? payload.toString("latin1", 0, MAX_KEPT_BYTES) : payload.toString("latin1");
}

export interface DecodedPayload {
  text: string;
  encoding: PayloadEncoding;
  truncated: boolean;
}

/** UTF-8 text when the bytes are UTF-8 (allowing a character cut at the cap), else base64. */
export function decodePayload(data: string, size: number, maxChars = Infinity): DecodedPayload {
  const bytes = Buffer.from(data, "latin1");
  let cut = data.length < size;
  let view = bytes;
  if (!isUtf8(view) && cut) {
    // A multi-byte character cut at the cap: drop its first bytes.
    for (let drop = 1; drop <= 3 && drop < view.length; drop++) {
      const shorter = bytes.subarray(0, bytes.length - drop);
      if (isUtf8(shorter)) {
        view = shorter;
        break;
      }
    }
  }
  if (isUtf8(view)) {
    let text = view.toString("utf8");
    if (text.length > maxChars) {
      text = text.slice(0, maxChars);
      cut = true;
    }
    return { text, encoding: "utf8", truncated: cut };
  }
  let b64 = bytes.toString("base64");
  if (b64.length > maxChars) {
    b64 = b64.slice(0, maxChars - (maxChars % 4));
    cut = true;
  }
  return { text: b64, encoding: "base64", truncated: cut };
}

const NUMBER_RE = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** The number a payload text spells ("21.5", " -3 ", "1e3"), or undefined. Cheap for non-numbers. */
export function parseNumeric(data: string): number | undefined {
  const n = data.length;
  if (n === 0 || n > 40) return undefined;
  const c = data.charCodeAt(0);
  // digit, '-', '+', '.', space
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 32)) return undefined;
  if (!NUMBER_RE.test(data)) return undefined;
  const value = Number(data);
  return Number.isFinite(value) ? value : undefined;
}

/** The payload parsed as JSON, or undefined when it is not JSON. */
export function parseJsonPayload(data: string): unknown {
  if (data.length === 0) return undefined;
  const text = Buffer.from(data, "latin1").toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Splits "a.b[0].c" / "a['x y']" into ["a","b",0,"c"]. */
export function parseJsonPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[(["'])(.*?)\2\]|([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[3] !== undefined) out.push(m[3]);
    else if (m[4] !== undefined) out.push(m[4]);
  }
  return out;
}

/** The value at `path` ("" = the value itself), or undefined. */
export function valueAtPath(value: unknown, path: string | (string | number)[]): unknown {
  const parts = typeof path === "string" ? parseJsonPath(path) : path;
  let current: unknown = value;
  for (const part of parts) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A finite number from a JSON value (numbers, numeric strings, booleans as 1/0), else undefined. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return parseNumeric(value);
  return undefined;
}
