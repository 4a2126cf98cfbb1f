/**
 * Messages and context values cross into the sandbox as JSON, with Buffers in Node-RED's JSON
 * form {type: "Buffer", data: [bytes]} both ways (Buffer#toJSON already writes that form).
 * Dates become ISO strings, functions and undefined properties are dropped.
 */

function isBufferShape(v: unknown): v is { type: "Buffer"; data: number[] } {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return o.type === "Buffer" && Array.isArray(o.data) && Object.keys(o).length === 2;
}

/** JSON text of a value; throws a readable error for circular structures and BigInts. */
export function toSandboxJson(value: unknown): string {
  const text = JSON.stringify(value === undefined ? null : value);
  return text === undefined ? "null" : text;
}

/** Parses sandbox JSON back, turning {type:"Buffer", data:[…]} into Buffers. */
export function fromSandboxJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => (isBufferShape(v) ? Buffer.from(v.data) : v));
}
