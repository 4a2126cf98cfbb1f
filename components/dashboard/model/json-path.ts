/**
 * Reading a value out of an MQTT payload by an optional JSON path ("temperature",
 * "state.on", "sensors[0].value"), as dashboards bind widgets to `topic + path`.
 * Pure and browser-safe.
 */

/** Splits "a.b[0].c" into ["a", "b", 0, "c"]. Returns null for a malformed path. */
export function parsePath(path: string): (string | number)[] | null {
  const trimmed = path.trim();
  if (trimmed === "") return [];
  const parts: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/gy;
  let pos = 0;
  while (pos < trimmed.length) {
    if (trimmed[pos] === "." && pos > 0) {
      pos++;
      continue;
    }
    re.lastIndex = pos;
    const m = re.exec(trimmed);
    if (!m) return null;
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push(m[3] ?? m[4] ?? "");
    pos = re.lastIndex;
  }
  return parts;
}

/** A payload as text: parsed as JSON when it is JSON, else kept as the string. */
export function parsePayload(text: string): unknown {
  const t = text.trim();
  if (t === "") return text;
  const first = t[0];
  if (first === "{" || first === "[" || first === '"' || first === "-" || (first >= "0" && first <= "9") || t === "true" || t === "false" || t === "null") {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The value at `path` inside `payload` (a string payload is parsed as JSON first).
 * Undefined when the path does not exist; the whole payload when the path is empty.
 */
export function valueAtPath(payload: unknown, path: string): unknown {
  const parts = parsePath(path);
  if (parts === null) return undefined;
  let current: unknown = typeof payload === "string" && parts.length > 0 ? parsePayload(payload) : payload;
  for (const part of parts) {
    if (current === null || current === undefined) return undefined;
    if (typeof current === "string") current = parsePayload(current);
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}
