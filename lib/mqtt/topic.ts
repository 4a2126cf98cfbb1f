/**
 * MQTT topic names and topic filters: validation and the level algebra the connection
 * manager needs (does one filter overlap another, which filter covers both).
 * Pure: no Node APIs, usable in the browser (the editor validates node forms with it).
 *
 * Spec references are to MQTT 3.1.1 section 4.7 (identical in 5.0 section 4.7).
 */

/** [MQTT-4.7.3-3] topic names and filters are UTF-8 strings of at most 65535 bytes. */
export const MAX_TOPIC_BYTES = 65535;

const SHARE_PREFIX = "$share/";

/** Split a topic or filter into levels. Empty levels are levels: "/a" → ["", "a"]. */
export function topicLevels(topic: string): string[] {
  return topic.split("/");
}

/** UTF-8 byte length without Buffer (browser-safe). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function commonProblems(kind: string, text: string): string | null {
  if (text.length === 0) return `${kind} is empty: enter a topic such as 'house/garage/motion'`;
  if (text.includes("\u0000")) return `${kind} '${printable(text)}' contains a NUL character (U+0000): remove it`;
  const bytes = utf8ByteLength(text);
  if (bytes > MAX_TOPIC_BYTES) {
    return `${kind} '${printable(text).slice(0, 40)}…' is ${bytes} bytes long: the limit is ${MAX_TOPIC_BYTES} bytes (UTF-8)`;
  }
  return null;
}

function printable(text: string): string {
  return text.replace(/\u0000/g, "\\0");
}

/** null when `topic` may be published to, otherwise a message a person can act on. */
export function validatePublishTopic(topic: string): string | null {
  const common = commonProblems("topic", topic);
  if (common) return common;
  // [MQTT-4.7.1-1] wildcards are for subscriptions only.
  if (topic.includes("+") || topic.includes("#")) {
    return `topic '${topic}': wildcards '+' and '#' are only allowed in subscriptions, not when publishing: use a concrete topic such as '${suggestConcrete(topic)}'`;
  }
  return null;
}

function suggestConcrete(topic: string): string {
  const concrete = topicLevels(topic)
    .map((level) => (level === "+" || level === "#" ? "x" : level.replace(/[+#]/g, "")))
    .join("/");
  return concrete.length > 0 ? concrete : "house/garage/motion";
}

/** null when `filter` is a valid subscription filter (plain or `$share/<group>/<filter>`). */
export function validateTopicFilter(filter: string): string | null {
  const common = commonProblems("topic filter", filter);
  if (common) return common;
  if (filter.startsWith(SHARE_PREFIX)) {
    const rest = filter.slice(SHARE_PREFIX.length);
    const slash = rest.indexOf("/");
    const group = slash < 0 ? rest : rest.slice(0, slash);
    if (group.length === 0) {
      return `topic filter '${filter}': a shared subscription needs a group name, e.g. '$share/group1/${slash < 0 ? "a/b" : rest.slice(slash + 1) || "a/b"}'`;
    }
    // [MQTT-4.8.2-2] (v5) the ShareName must not contain '/', '+' or '#'.
    if (group.includes("+") || group.includes("#")) {
      return `topic filter '${filter}': the shared subscription group '${group}' must not contain '+' or '#'`;
    }
    if (slash < 0 || slash === rest.length - 1) {
      return `topic filter '${filter}': a shared subscription needs a filter after the group, e.g. '$share/${group}/a/b'`;
    }
    const inner = validateFilterLevels(rest.slice(slash + 1));
    return inner === null ? null : `topic filter '${filter}': ${inner}`;
  }
  const problem = validateFilterLevels(filter);
  return problem === null ? null : `topic filter '${filter}': ${problem}`;
}

function validateFilterLevels(filter: string): string | null {
  const levels = topicLevels(filter);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level === "#") {
      // [MQTT-4.7.1-2] '#' must be the last character and occupy a whole level.
      if (i !== levels.length - 1) {
        return `'#' must be the last level, e.g. '${[...levels.slice(0, i), "#"].join("/")}'`;
      }
    } else if (level.includes("#")) {
      return `'#' must occupy a whole level, e.g. '${[...levels.slice(0, i), "#"].join("/")}' instead of '${level}'`;
    } else if (level !== "+" && level.includes("+")) {
      // [MQTT-4.7.1-3] '+' must occupy an entire level.
      const fixed = [...levels];
      fixed[i] = "+";
      return `'+' must occupy a whole level, e.g. '${fixed.join("/")}' instead of '${level}'`;
    }
  }
  return null;
}

/** Whether `filter` is a shared subscription (`$share/<group>/<filter>`). */
export function isSharedFilter(filter: string): boolean {
  return filter.startsWith(SHARE_PREFIX);
}

/**
 * The filter that decides which topics a subscription receives: `f` for `$share/<group>/f`,
 * the filter itself otherwise. Assumes a valid filter.
 */
export function dispatchFilter(filter: string): string {
  if (!isSharedFilter(filter)) return filter;
  const rest = filter.slice(SHARE_PREFIX.length);
  return rest.slice(rest.indexOf("/") + 1);
}

/** Whether a topic name or filter matches topics starting with '$' only when spelled out. */
function isDollarLevel(level: string): boolean {
  return level.startsWith("$");
}

/**
 * Whether some topic is matched by both (valid, non-shared) filters.
 * [MQTT-4.7.2-1] a leading wildcard does not match topics whose first level starts with '$'.
 * '#' also matches its parent level ('a/#' matches 'a').
 */
export function filtersOverlap(a: string, b: string): boolean {
  const la = topicLevels(a);
  const lb = topicLevels(b);
  for (let i = 0; ; i++) {
    const endA = i >= la.length;
    const endB = i >= lb.length;
    if (endA && endB) return true;
    if (endA) return lb[i] === "#";
    if (endB) return la[i] === "#";
    const x = la[i];
    const y = lb[i];
    const wildX = x === "+" || x === "#";
    const wildY = y === "+" || y === "#";
    if (i === 0 && ((wildX && !wildY && isDollarLevel(y)) || (wildY && !wildX && isDollarLevel(x)))) return false;
    if (x === "#" || y === "#") return true;
    if (wildX || wildY) continue;
    if (x !== y) return false;
  }
}

/**
 * The narrowest filter this function can name that matches every topic either filter
 * matches. Used to merge overlapping broker-level subscriptions into one. Only meaningful
 * for overlapping filters (for them the '$' rule cannot be violated).
 */
export function joinFilters(a: string, b: string): string {
  const la = topicLevels(a);
  const lb = topicLevels(b);
  const out: string[] = [];
  const common = Math.min(la.length, lb.length);
  for (let i = 0; i < common; i++) {
    if (la[i] === "#" || lb[i] === "#") {
      out.push("#");
      return out.join("/");
    }
    out.push(la[i] === lb[i] ? la[i] : "+");
  }
  // The longer one continues below the shorter one; '#' also matches the parent level.
  if (la.length !== lb.length) out.push("#");
  return out.join("/");
}

/** Whether `topic` (a valid topic name) is matched by `filter` (a valid, non-shared filter). */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const lf = topicLevels(filter);
  const lt = topicLevels(topic);
  for (let i = 0; i < lf.length; i++) {
    const f = lf[i];
    if (f === "#") return !(i === 0 && isDollarLevel(lt[0]));
    if (i >= lt.length) return false;
    if (f === "+") {
      if (i === 0 && isDollarLevel(lt[0])) return false;
      continue;
    }
    if (f !== lt[i]) return false;
  }
  return lf.length === lt.length;
}
