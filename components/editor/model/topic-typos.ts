/**
 * The topic typo guard of the properties form: a topic (or a subscription filter) that no
 * message on the broker has used, but that is one typo away from a topic that has, is most
 * likely a typo ("house/garge/motion" for "house/garage/motion"). Pure.
 *
 * "One typo" = the same number of levels, exactly one level different, and that level
 * within edit distance 1 (insert, delete, replace, or swap two neighbours). Levels that
 * differ only in digits ("sensor1" vs "sensor2") and levels shorter than 3 characters are
 * distinct names, not typos. A filter's `+` and `#` match as MQTT does; a filter's literal
 * levels are checked the same way, and the suggestion keeps its wildcards.
 */

/** True when the MQTT filter matches the topic ([MQTT-4.7.1], `$` topics need a literal first level). */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (topic.startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Optimal string alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length][b.length];
}

const MIN_LEVEL_LENGTH = 3;

/** Is `typed` one typo away from the real level `known`? */
function isTypoOf(typed: string, known: string): boolean {
  if (typed === known) return false;
  if (typed.length < MIN_LEVEL_LENGTH || known.length < MIN_LEVEL_LENGTH) return false;
  if (editDistance(typed, known, 1) !== 1) return false;
  // Differing only in digits ("sensor1", "sensor12"): another device or room number, not a typo.
  const noDigits = (s: string) => s.replace(/[0-9]/g, "");
  return noDigits(typed) !== noDigits(known);
}

/**
 * A corrected version of `value` (topic or filter) that matches `known`, if `value` is one
 * level-typo away from matching it; undefined otherwise.
 */
export function correctionFor(value: string, known: string, kind: "filter" | "publish"): string | undefined {
  const v = value.split("/");
  const t = known.split("/");
  const hashAt = kind === "filter" ? v.indexOf("#") : -1;
  if (hashAt >= 0 ? t.length < hashAt : v.length !== t.length) return undefined;
  if (kind === "filter" && known.startsWith("$") && (v[0] === "+" || v[0] === "#")) return undefined;
  let typoAt = -1;
  const limit = hashAt >= 0 ? hashAt : v.length;
  for (let i = 0; i < limit; i++) {
    if (kind === "filter" && v[i] === "+") continue;
    if (v[i] === t[i]) continue;
    if (typoAt >= 0 || !isTypoOf(v[i], t[i])) return undefined;
    typoAt = i;
  }
  if (typoAt < 0) return undefined;
  const fixed = [...v];
  fixed[typoAt] = t[typoAt];
  return fixed.join("/");
}

export interface TopicTypoWarning {
  /** What to show under the field. */
  message: string;
  /** The corrected topic or filter (offer it as a one-click fix). */
  suggestion: string;
}

/**
 * A warning when `value` matches no known topic but is one typo away from one. `known` is
 * the broker's topic catalogue, most relevant first (the first close topic wins).
 */
export function topicTypoWarning(value: string, kind: "filter" | "publish", known: readonly string[]): TopicTypoWarning | undefined {
  const trimmed = value.trim();
  if (!trimmed || known.length === 0) return undefined;
  if (kind === "publish" && /[+#]/.test(trimmed)) return undefined; // invalid anyway: the form says so
  const matches = kind === "filter" ? (t: string) => filterMatches(trimmed, t) : (t: string) => t === trimmed;
  if (known.some(matches)) return undefined;
  for (const topic of known) {
    const suggestion = correctionFor(trimmed, topic, kind);
    if (suggestion !== undefined && suggestion !== trimmed) {
      const what = kind === "filter" && /[+#]/.test(trimmed) ? `No topic matching '${trimmed}'` : `No topic '${trimmed}'`;
      return { message: `${what} has been seen; did you mean '${suggestion}'?`, suggestion };
    }
  }
  return undefined;
}
