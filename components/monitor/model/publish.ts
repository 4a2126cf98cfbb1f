/**
 * The publish form's checks (so a typo is caught before it reaches the broker) and the
 * browser-kept history of what was published (localStorage, newest first). Pure.
 */
import { z } from "zod";
import { publishFormatSchema, type PublishFormat } from "../../../lib/monitor/events";

export type Check = { ok: true } | { ok: false; error: string };

/** MQTT publish topic rules (MQTT-4.7.1, 4.7.3): not empty, no wildcards, no NUL, ≤ 65535 bytes. */
export function checkTopic(topic: string): Check {
  if (topic === "") return { ok: false, error: "Enter a topic such as 'house/garage/light'" };
  if (/[+#]/.test(topic)) return { ok: false, error: `'${topic}' contains a wildcard (+ or #): publish to one concrete topic` };
  if (topic.includes("\u0000")) return { ok: false, error: "The topic contains a NUL character: remove it" };
  if (new TextEncoder().encode(topic).length > 65535) return { ok: false, error: "The topic is longer than MQTT's 65,535 bytes" };
  return { ok: true };
}

function jsonErrorAt(text: string, message: string): string {
  // V8: "Unexpected token } in JSON at position 12" / "... (line 2 column 5)"
  const m = /position (\d+)/.exec(message);
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    const col = pos - before.lastIndexOf("\n");
    return `line ${line}, column ${col}`;
  }
  const lc = /line (\d+) column (\d+)/.exec(message);
  return lc ? `line ${lc[1]}, column ${lc[2]}` : "";
}

export function checkPayload(payload: string, format: PublishFormat): Check {
  switch (format) {
    case "text":
      return { ok: true };
    case "json": {
      if (payload.trim() === "") return { ok: false, error: "The payload is empty: JSON needs a value such as {\"on\": true} or 21.5" };
      try {
        JSON.parse(payload);
        return { ok: true };
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const at = jsonErrorAt(payload, msg);
        return { ok: false, error: `Not valid JSON${at ? ` at ${at}` : ""}: ${msg}. Fix it or choose the 'text' format` };
      }
    }
    case "hex": {
      const clean = payload.replace(/\s+/g, "").replace(/^0x/i, "");
      if (!/^[0-9a-fA-F]*$/.test(clean)) {
        const bad = clean.match(/[^0-9a-fA-F]/)?.[0] ?? "?";
        return { ok: false, error: `Hex payloads use the digits 0-9 and a-f only, got '${bad}'` };
      }
      if (clean.length % 2 !== 0) return { ok: false, error: `Hex needs two digits per byte: ${clean.length} digits given` };
      return { ok: true };
    }
    case "base64": {
      const clean = payload.replace(/\s+/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return { ok: false, error: "Not valid base64: use A-Z, a-z, 0-9, + and / with = padding" };
      return { ok: true };
    }
  }
}

/** Bytes the payload will have on the wire (for the form's hint). */
export function payloadSize(payload: string, format: PublishFormat): number {
  if (format === "hex") return Math.floor(payload.replace(/\s+/g, "").replace(/^0x/i, "").length / 2);
  if (format === "base64") {
    const clean = payload.replace(/\s+/g, "");
    const pad = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
    return Math.max(0, Math.floor((clean.length * 3) / 4) - pad);
  }
  return new TextEncoder().encode(payload).length;
}

/** A format guess for a payload pasted or reused: JSON when it parses as an object or array. */
export function guessFormat(payload: string): PublishFormat {
  const t = payload.trim();
  if ((t.startsWith("{") || t.startsWith("[")) && checkPayload(t, "json").ok) return "json";
  return "text";
}

export const publishedItemSchema = z.object({
  topic: z.string(),
  payload: z.string(),
  format: publishFormatSchema,
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  retain: z.boolean(),
  broker: z.string().default(""),
  time: z.number(),
});
export type PublishedItem = z.infer<typeof publishedItemSchema>;

export const PUBLISH_HISTORY_KEY = "flowhouse.monitor.published";
export const PUBLISH_HISTORY_MAX = 30;
/** Payloads longer than this are not kept in the history (localStorage is small). */
export const PUBLISH_HISTORY_MAX_PAYLOAD = 8 * 1024;

function sameMessage(a: PublishedItem, b: PublishedItem): boolean {
  return a.topic === b.topic && a.payload === b.payload && a.format === b.format && a.qos === b.qos && a.retain === b.retain && a.broker === b.broker;
}

/** Adds a publish at the top; the same message published again moves up instead of repeating. */
export function addPublished(list: readonly PublishedItem[], item: PublishedItem, max = PUBLISH_HISTORY_MAX): PublishedItem[] {
  if (item.payload.length > PUBLISH_HISTORY_MAX_PAYLOAD) return [...list];
  return [item, ...list.filter((x) => !sameMessage(x, item))].slice(0, max);
}

/** Reads the stored history, dropping entries that do not parse (older or foreign data). */
export function parsePublished(raw: string | null): PublishedItem[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: PublishedItem[] = [];
  for (const d of data) {
    const p = publishedItemSchema.safeParse(d);
    if (p.success) out.push(p.data);
  }
  return out.slice(0, PUBLISH_HISTORY_MAX);
}
