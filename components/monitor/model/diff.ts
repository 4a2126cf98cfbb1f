/**
 * What changed between two consecutive JSON values of a topic: added, removed and changed
 * paths ("state.on", "sensors[2].t"). Non-JSON payloads compare as whole values. Pure.
 */
export type DiffKind = "added" | "removed" | "changed";

export interface DiffEntry {
  /** "" for the whole value. */
  path: string;
  kind: DiffKind;
  before?: unknown;
  after?: unknown;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (IDENT.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Differences from `before` to `after`, depth first, in key order of `after` then removed keys. Bounded by `limit` entries. */
export function diffJson(before: unknown, after: unknown, limit = 500): DiffEntry[] {
  const out: DiffEntry[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n && out.length < limit; i++) {
        const p = joinPath(path, i);
        if (i >= a.length) out.push({ path: p, kind: "added", after: b[i] });
        else if (i >= b.length) out.push({ path: p, kind: "removed", before: a[i] });
        else walk(a[i], b[i], p);
      }
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const k of Object.keys(b)) {
        if (out.length >= limit) return;
        const p = joinPath(path, k);
        if (!Object.prototype.hasOwnProperty.call(a, k)) out.push({ path: p, kind: "added", after: b[k] });
        else walk(a[k], b[k], p);
      }
      for (const k of Object.keys(a)) {
        if (out.length >= limit) return;
        if (!Object.prototype.hasOwnProperty.call(b, k)) out.push({ path: joinPath(path, k), kind: "removed", before: a[k] });
      }
      return;
    }
    if (!Object.is(a, b)) out.push({ path, kind: "changed", before: a, after: b });
  };
  walk(before, after, "");
  return out;
}

/** Parses a payload text as JSON, or returns the text itself. */
export function parseMaybeJson(text: string): { json: boolean; value: unknown } {
  const t = text.trim();
  if (t === "") return { json: false, value: text };
  try {
    return { json: true, value: JSON.parse(t) };
  } catch {
    return { json: false, value: text };
  }
}

/** Diff of two payload texts: path-wise for JSON, one "changed" entry otherwise. */
export function diffPayloads(before: string, after: string, limit = 500): DiffEntry[] {
  const a = parseMaybeJson(before);
  const b = parseMaybeJson(after);
  if (a.json && b.json) return diffJson(a.value, b.value, limit);
  return before === after ? [] : [{ path: "", kind: "changed", before, after }];
}

export function summarizeDiff(entries: readonly DiffEntry[]): string {
  if (entries.length === 0) return "no change";
  const c = { added: 0, removed: 0, changed: 0 };
  for (const e of entries) c[e.kind]++;
  return (["changed", "added", "removed"] as const)
    .filter((k) => c[k] > 0)
    .map((k) => `${c[k]} ${k}`)
    .join(", ");
}
