/**
 * Topic-filter trie: which values were added under filters that match a topic.
 * Like qlobber, matching walks the trie level by level instead of testing every filter,
 * so the cost grows with the topic depth, not with the number of subscriptions.
 * Pure: no Node APIs.
 *
 * Semantics (MQTT 3.1.1 / 5.0 section 4.7):
 * - '+' matches exactly one level, including an empty one ('sport/+' matches 'sport/').
 * - '#' matches any number of levels including none: 'a/#' matches 'a', 'a/b', 'a/b/c'.
 * - Empty levels are levels: '/a' has the levels '' and 'a'.
 * - [MQTT-4.7.2-1] a leading '+' or '#' does not match a topic starting with '$'.
 * Filters are stored as given; validate them first (lib/mqtt/topic.ts).
 */

class TrieNode<T> {
  /** Literal children, by level text. Created lazily: most leaves have none. */
  children: Map<string, TrieNode<T>> | null = null;
  plus: TrieNode<T> | null = null;
  /** Values added under a filter ending in '#' at this position. */
  hashValues: Map<T, number> | null = null;
  /** Values added under a filter ending exactly here; value → how many times added. */
  values: Map<T, number> | null = null;

  isEmpty(): boolean {
    return (
      (this.children === null || this.children.size === 0) &&
      this.plus === null &&
      (this.hashValues === null || this.hashValues.size === 0) &&
      (this.values === null || this.values.size === 0)
    );
  }
}

export class TopicTrie<T> {
  private readonly root = new TrieNode<T>();
  /** Distinct (filter, value) pairs. */
  private pairs = 0;
  /** filter → number of distinct values under it, for filters(). */
  private readonly filterCounts = new Map<string, number>();

  /**
   * Add `value` under `filter`. Adding the same pair again increments its reference count;
   * it is still matched once, and stays until removed as often as it was added.
   */
  add(filter: string, value: T): void {
    const levels = filter.split("/");
    let node = this.root;
    let target: "values" | "hashValues" = "values";
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i];
      if (level === "#" && i === levels.length - 1) {
        target = "hashValues";
        break;
      }
      if (level === "+") {
        node.plus ??= new TrieNode<T>();
        node = node.plus;
      } else {
        node.children ??= new Map();
        let child = node.children.get(level);
        if (!child) {
          child = new TrieNode<T>();
          node.children.set(level, child);
        }
        node = child;
      }
    }
    const map = (node[target] ??= new Map<T, number>());
    const count = map.get(value) ?? 0;
    map.set(value, count + 1);
    if (count === 0) {
      this.pairs++;
      this.filterCounts.set(filter, (this.filterCounts.get(filter) ?? 0) + 1);
    }
  }

  /**
   * Remove one reference of `value` under `filter`. Returns false when the pair was not
   * there. Empty branches are pruned so a long-running process does not grow.
   */
  remove(filter: string, value: T): boolean {
    const levels = filter.split("/");
    const path: { parent: TrieNode<T>; key: string | null }[] = [];
    let node: TrieNode<T> | null = this.root;
    let target: "values" | "hashValues" = "values";
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i];
      if (level === "#" && i === levels.length - 1) {
        target = "hashValues";
        break;
      }
      const parent: TrieNode<T> = node;
      if (level === "+") {
        node = parent.plus;
        path.push({ parent, key: null });
      } else {
        node = parent.children?.get(level) ?? null;
        path.push({ parent, key: level });
      }
      if (!node) return false;
    }
    const map = node[target];
    const count = map?.get(value);
    if (!map || count === undefined) return false;
    if (count > 1) {
      map.set(value, count - 1);
      return true;
    }
    map.delete(value);
    this.pairs--;
    const left = (this.filterCounts.get(filter) ?? 1) - 1;
    if (left === 0) this.filterCounts.delete(filter);
    else this.filterCounts.set(filter, left);
    // Prune empty nodes bottom-up.
    for (let i = path.length - 1; i >= 0; i--) {
      const { parent, key } = path[i];
      const child = key === null ? parent.plus : parent.children?.get(key);
      if (!child || !child.isEmpty()) break;
      if (key === null) parent.plus = null;
      else parent.children?.delete(key);
    }
    return true;
  }

  /** Whether `value` (or, without a value, anything) is stored under exactly `filter`. */
  has(filter: string, value?: T): boolean {
    if (value === undefined) return this.filterCounts.has(filter);
    const levels = filter.split("/");
    let node: TrieNode<T> | null | undefined = this.root;
    for (let i = 0; i < levels.length && node; i++) {
      const level = levels[i];
      if (level === "#" && i === levels.length - 1) return node.hashValues?.has(value) ?? false;
      node = level === "+" ? node.plus : node.children?.get(level);
    }
    return node?.values?.has(value) ?? false;
  }

  /** Number of distinct (filter, value) pairs. */
  get size(): number {
    return this.pairs;
  }

  /** The distinct filters that hold at least one value. */
  filters(): string[] {
    return [...this.filterCounts.keys()];
  }

  /**
   * Every value whose filter matches `topic`, each (filter, value) pair once. A value
   * added under two matching filters appears twice (once per filter): callers that want
   * one delivery per value store distinct values per filter (as the ConnectionManager does).
   */
  match(topic: string): T[] {
    const result: T[] = [];
    // Walk levels by index instead of split() so matching allocates only the result.
    this.walk(this.root, topic, 0, true, result);
    return result;
  }

  private walk(node: TrieNode<T>, topic: string, start: number, first: boolean, result: T[]): void {
    const dollar = first && topic.charCodeAt(start) === 36; /* '$' */
    // '#' here matches this level and everything below, and also the parent ('a/#' ~ 'a').
    if (node.hashValues && !dollar) pushKeys(node.hashValues, result);
    let end = topic.indexOf("/", start);
    if (end < 0) end = topic.length;
    const last = end === topic.length;
    if (node.children) {
      const child = node.children.get(topic.slice(start, end));
      if (child) this.descend(child, topic, end, last, result);
    }
    if (node.plus && !dollar) this.descend(node.plus, topic, end, last, result);
  }

  private descend(node: TrieNode<T>, topic: string, end: number, last: boolean, result: T[]): void {
    if (last) {
      if (node.values) pushKeys(node.values, result);
      // 'a/#' matches 'a': the '#' below the last level matches zero levels.
      if (node.hashValues) pushKeys(node.hashValues, result);
    } else {
      this.walk(node, topic, end + 1, false, result);
    }
  }
}

function pushKeys<T>(map: Map<T, number>, result: T[]): void {
  for (const key of map.keys()) result.push(key);
}
