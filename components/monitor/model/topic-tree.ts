/**
 * The monitor's topic tree in the browser: every topic row the server sent, arranged by
 * level ("house/garage/light" → house › garage › light), with per-subtree counts kept up to
 * date incrementally (an update walks only its ancestors), so 20,000 topics and ten batches
 * a second stay cheap. `$`-topics ($SYS/…) live in their own root. Pure (no React, no DOM).
 */
import type { TopicRow } from "../../../lib/monitor/events";

export interface TreeNode {
  /** The last level ("light"); "" is a valid level name in MQTT ("a//b"). */
  name: string;
  /** The full topic of this level ("house/garage/light"). */
  path: string;
  /** 0 for a top-level name. */
  depth: number;
  parent: TreeNode | null;
  /** The topic's current state when `path` itself carries messages. */
  row: TopicRow | null;
  children: Map<string, TreeNode>;
  /** Children sorted by name; rebuilt lazily after a child is added or removed. */
  sorted: TreeNode[] | null;
  /** Topics with a value at or below this node. */
  topics: number;
  /** Messages at or below this node. */
  messages: number;
}

function newNode(name: string, path: string, depth: number, parent: TreeNode | null): TreeNode {
  return { name, path, depth, parent, row: null, children: new Map(), sorted: null, topics: 0, messages: 0 };
}

/** `$SYS/broker/load` and other topics starting with `$` (not matched by `#`, MQTT-4.7.2-1). */
export function isSysTopic(topic: string): boolean {
  return topic.startsWith("$");
}

// One collator for every comparison: localeCompare with options builds a new one per call,
// which made the first search over 20,000 topics freeze the page for ~400 ms.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

export function compareNames(a: string, b: string): number {
  // Natural order: "sensor2" before "sensor10"; case-insensitive, then exact for stability.
  const c = collator.compare(a, b);
  return c !== 0 ? c : a < b ? -1 : a > b ? 1 : 0;
}

export function sortedChildren(node: TreeNode): TreeNode[] {
  if (!node.sorted) node.sorted = [...node.children.values()].sort((a, b) => compareNames(a.name, b.name));
  return node.sorted;
}

export class TopicTree {
  /** Normal topics. */
  readonly root: TreeNode = newNode("", "", -1, null);
  /** `$`-topics. */
  readonly sysRoot: TreeNode = newNode("", "", -1, null);
  private readonly nodes = new Map<string, TreeNode>();
  /** Increases on every change: a cheap "did anything change" for renders. */
  version = 0;

  get size(): number {
    return this.root.topics + this.sysRoot.topics;
  }

  /** The node of a full topic path (a topic or an intermediate level). */
  get(path: string): TreeNode | undefined {
    return this.nodes.get(path);
  }

  row(topic: string): TopicRow | null {
    return this.nodes.get(topic)?.row ?? null;
  }

  clear(): void {
    for (const r of [this.root, this.sysRoot]) {
      r.children.clear();
      r.sorted = null;
      r.topics = 0;
      r.messages = 0;
    }
    this.nodes.clear();
    this.version++;
  }

  /** Replaces everything with a snapshot. */
  reset(rows: readonly TopicRow[]): void {
    this.clear();
    for (const r of rows) this.upsert(r);
  }

  /** Sets a topic's current state (adding the topic and its levels when new). */
  upsert(row: TopicRow): void {
    let node = this.nodes.get(row.topic);
    if (!node) node = this.createPath(row.topic);
    const old = node.row;
    node.row = row;
    const dTopics = old ? 0 : 1;
    const dMessages = row.messages - (old?.messages ?? 0);
    for (let n: TreeNode | null = node; n; n = n.parent) {
      n.topics += dTopics;
      n.messages += dMessages;
    }
    this.version++;
  }

  /** Forgets a topic; levels left without topics disappear. */
  remove(topic: string): void {
    const node = this.nodes.get(topic);
    if (!node || !node.row) return;
    const old = node.row;
    node.row = null;
    for (let n: TreeNode | null = node; n; n = n.parent) {
      n.topics -= 1;
      n.messages -= old.messages;
    }
    // Prune empty levels upwards.
    let n: TreeNode | null = node;
    while (n && n.parent && n.row === null && n.children.size === 0) {
      const parent: TreeNode = n.parent;
      parent.children.delete(n.name);
      parent.sorted = null;
      this.nodes.delete(n.path);
      n = parent;
    }
    this.version++;
  }

  apply(rows: readonly TopicRow[], removed: readonly string[] = []): void {
    for (const t of removed) this.remove(t);
    for (const r of rows) this.upsert(r);
  }

  /** Every topic row (in no particular order). */
  *rows(): IterableIterator<TopicRow> {
    for (const n of this.nodes.values()) if (n.row) yield n.row;
  }

  private createPath(topic: string): TreeNode {
    const levels = topic.split("/");
    let parent = isSysTopic(topic) ? this.sysRoot : this.root;
    let path = "";
    for (let i = 0; i < levels.length; i++) {
      path = i === 0 ? levels[0] : `${path}/${levels[i]}`;
      let child = parent.children.get(levels[i]);
      if (!child) {
        child = newNode(levels[i], path, i, parent);
        parent.children.set(levels[i], child);
        parent.sorted = null;
        this.nodes.set(path, child);
      }
      parent = child;
    }
    return parent;
  }
}
