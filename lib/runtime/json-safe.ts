/**
 * JSON encoding for values that are stored (context, durable timers): Buffers and Dates
 * survive the round trip, which plain JSON.stringify would turn into plain objects/strings.
 */
const BUFFER = "__fhBuffer";
const DATE = "__fhDate";

export function encodeStored(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (Buffer.isBuffer(raw)) return { [BUFFER]: raw.toString("base64") };
    if (raw instanceof Date) return { [DATE]: raw.toISOString() };
    return v;
  });
}

export function decodeStored(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o[BUFFER] === "string" && Object.keys(o).length === 1) return Buffer.from(o[BUFFER] as string, "base64");
      if (typeof o[DATE] === "string" && Object.keys(o).length === 1) return new Date(o[DATE] as string);
    }
    return v;
  });
}
