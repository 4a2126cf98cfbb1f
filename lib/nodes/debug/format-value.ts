/**
 * Turns any message value into something JSON-safe and bounded for the debug sidebar, so a
 * 50 MB buffer, a deep or circular object or a huge array never floods the socket or the
 * browser. Pure: no Node APIs (Buffers are recognised as Uint8Array).
 *
 * What comes out:
 * - strings longer than `maxStringLength` are cut, ending with "… [N more characters]";
 * - byte arrays (Buffer, Uint8Array) become `{ type: "Buffer", length, data: [first maxBytes] }`,
 *   other typed arrays `{ type: "Float32Array", length, data: [...] }`;
 * - arrays keep their first `maxItems` items, then one marker string "[… N more items]";
 *   objects their first `maxItems` keys, then a key "…" with "[N more keys]";
 * - values nested deeper than `maxDepth` levels become "[Object]" / "[Array(n)]";
 * - circular references become "[Circular]"; a value shared twice (not a cycle) is shown twice;
 * - after `maxValues` values in total, the rest becomes "[…]" (a wide *and* deep value stays small);
 * - undefined → "[undefined]", functions → "[Function: name]", NaN/Infinity and bigints →
 *   their text, Dates → ISO text, Map/Set → `{ type: "Map", size, entries }` / `{ type: "Set", size, values }`,
 *   Errors → `{ name, message, stack, ...own fields }`.
 */
export interface FormatLimits {
  maxStringLength: number;
  maxBytes: number;
  maxItems: number;
  maxDepth: number;
  maxValues: number;
}

export const DEFAULT_FORMAT_LIMITS: FormatLimits = {
  maxStringLength: 10_000,
  maxBytes: 1000,
  maxItems: 1000,
  maxDepth: 10,
  maxValues: 20_000,
};

export const CIRCULAR = "[Circular]";
export const UNDEFINED = "[undefined]";
export const OVER_BUDGET = "[…]";

export function formatDebugValue(value: unknown, limits: Partial<FormatLimits> = {}): unknown {
  const l: FormatLimits = { ...DEFAULT_FORMAT_LIMITS, ...limits };
  const ancestors = new Set<object>();
  let budget = l.maxValues;

  function cutString(s: string): string {
    if (s.length <= l.maxStringLength) return s;
    let end = l.maxStringLength;
    // Do not split a surrogate pair.
    const code = s.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    return `${s.slice(0, end)}… [${s.length - end} more characters]`;
  }

  function shallowMarker(v: object): string {
    if (Array.isArray(v)) return `[Array(${v.length})]`;
    if (v instanceof Map) return `[Map(${v.size})]`;
    if (v instanceof Set) return `[Set(${v.size})]`;
    const name = constructorName(v);
    return name && name !== "Object" ? `[${name}]` : "[Object]";
  }

  function visit(v: unknown, depth: number): unknown {
    if (budget <= 0) return OVER_BUDGET;
    budget--;
    switch (typeof v) {
      case "string":
        return cutString(v);
      case "number":
        return Number.isFinite(v) ? v : String(v);
      case "boolean":
        return v;
      case "undefined":
        return UNDEFINED;
      case "bigint":
        return `${v}n`;
      case "symbol":
        return v.toString();
      case "function":
        return v.name ? `[Function: ${v.name}]` : "[Function]";
    }
    if (v === null) return null;
    const obj = v as object;

    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    if (obj instanceof RegExp) return obj.toString();
    if (obj instanceof ArrayBuffer) return bytes(new Uint8Array(obj));
    if (ArrayBuffer.isView(obj)) {
      if (obj instanceof Uint8Array) return bytes(obj);
      const view = obj as unknown as ArrayLike<number | bigint> & { constructor: { name: string } };
      const shown = Array.from({ length: Math.min(view.length, l.maxItems) }, (_, i) => {
        const x = view[i];
        return typeof x === "bigint" ? `${x}n` : x;
      });
      return { type: view.constructor.name, length: view.length, data: shown };
    }

    if (ancestors.has(obj)) return CIRCULAR;
    if (depth >= l.maxDepth) return shallowMarker(obj);
    ancestors.add(obj);
    try {
      if (Array.isArray(obj)) return list(obj, obj.length, depth);
      if (obj instanceof Map) {
        const entries: unknown[] = [];
        let i = 0;
        for (const [k, val] of obj) {
          if (i++ >= l.maxItems) {
            entries.push(`[… ${obj.size - l.maxItems} more entries]`);
            break;
          }
          entries.push([visit(k, depth + 2), visit(val, depth + 2)]);
        }
        return { type: "Map", size: obj.size, entries };
      }
      if (obj instanceof Set) {
        const values = list(obj, obj.size, depth);
        return { type: "Set", size: obj.size, values };
      }
      if (obj instanceof Error) {
        const out: Record<string, unknown> = { name: obj.name, message: cutString(obj.message) };
        if (obj.stack) out.stack = cutString(obj.stack);
        Object.assign(out, fields(obj, depth));
        return out;
      }
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") {
        let json: unknown;
        try {
          json = toJSON.call(obj);
        } catch (e) {
          return `[toJSON failed: ${(e as Error)?.message ?? String(e)}]`;
        }
        if (json !== obj) {
          budget++; // the replacement stands for this value; do not count it twice
          return visit(json, depth);
        }
      }
      return fields(obj, depth);
    } finally {
      ancestors.delete(obj);
    }
  }

  function bytes(b: Uint8Array): { type: "Buffer"; length: number; data: number[] } {
    return { type: "Buffer", length: b.length, data: Array.from(b.subarray(0, l.maxBytes)) };
  }

  function list(items: Iterable<unknown>, size: number, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of items) {
      if (out.length >= l.maxItems) {
        out.push(`[… ${size - l.maxItems} more items]`);
        break;
      }
      out.push(visit(item, depth + 1));
    }
    return out;
  }

  function fields(obj: object, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(obj);
    const shown = Math.min(keys.length, l.maxItems);
    for (let i = 0; i < shown; i++) {
      const key = keys[i];
      let child: unknown;
      try {
        child = (obj as Record<string, unknown>)[key];
      } catch (e) {
        out[key] = `[unreadable: ${(e as Error)?.message ?? String(e)}]`;
        continue;
      }
      out[key] = visit(child, depth + 1);
    }
    if (keys.length > shown) out["…"] = `[${keys.length - shown} more keys]`;
    return out;
  }

  return visit(value, 0);
}

function constructorName(v: object): string | undefined {
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === "string" ? name : undefined;
}
