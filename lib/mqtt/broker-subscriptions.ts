/**
 * Which filters to SUBSCRIBE to at the broker, given the filters handlers asked for.
 *
 * Why not simply one broker subscription per requested filter: MQTT brokers may send one
 * copy of a message per matching subscription of a client (mosquitto does; the spec allows
 * it, [MQTT-3.3.5-1]), and in MQTT 3.1.1 a copy does not say which subscription produced
 * it. With `a/b` and `a/#` both subscribed, a handler on `a/#` would get `a/b` twice.
 *
 * So plain (non-shared) filters that overlap are merged into one broader filter covering
 * both (`a/+` + `+/b` → `+/+`, `a/b` + `a/#` → `a/#`), until the broker-level filters are
 * pairwise disjoint: every published message then reaches this client at most once, and the
 * local trie hands it to each matching handler once. The price is extra traffic for
 * topics the merged filter covers but no handler wants (dropped locally).
 *
 * Finding the overlapping filters goes through a level tree of the merged filters, so a
 * deploy with thousands of disjoint filters costs O(n · depth), not O(n²) pairwise checks
 * (10,000-node deploys spent over a second here before).
 *
 * Shared subscriptions (`$share/g/f`) are kept as they are: merging across groups would
 * change which messages this client is given.
 */
import type { QoS } from "./service";
import { isSharedFilter, joinFilters } from "./topic";

interface Entry {
  filter: string;
  qos: QoS;
}

interface LevelNode {
  children: Map<string, LevelNode>;
  /** Filters that end at this node. */
  entries: Set<Entry>;
}

const newNode = (): LevelNode => ({ children: new Map(), entries: new Set() });
const isDollar = (level: string) => level.startsWith("$");

class FilterTree {
  private readonly root = newNode();

  add(entry: Entry): void {
    let node = this.root;
    for (const level of entry.filter.split("/")) {
      let child = node.children.get(level);
      if (!child) node.children.set(level, (child = newNode()));
      node = child;
    }
    node.entries.add(entry);
  }

  remove(entry: Entry): void {
    const levels = entry.filter.split("/");
    const path: LevelNode[] = [this.root];
    for (const level of levels) {
      const child = path[path.length - 1].children.get(level);
      if (!child) return;
      path.push(child);
    }
    path[path.length - 1].entries.delete(entry);
    for (let i = levels.length; i > 0; i--) {
      const node = path[i];
      if (node.entries.size > 0 || node.children.size > 0) break;
      path[i - 1].children.delete(levels[i - 1]);
    }
  }

  /** Every stored filter that overlaps `filter` (some topic matches both). */
  overlapping(filter: string): Entry[] {
    const out: Entry[] = [];
    this.search(filter.split("/"), 0, this.root, out);
    return out;
  }

  private search(levels: string[], i: number, node: LevelNode, out: Entry[]): void {
    // A stored '#' here matches the parent level and everything below it.
    const hash = node.children.get("#");
    if (i === levels.length) {
      for (const e of node.entries) out.push(e);
      if (hash) for (const e of hash.entries) out.push(e);
      return;
    }
    const level = levels[i];
    if (level === "#") {
      // Everything at or below this node overlaps, except '$' topics vs. a leading wildcard.
      for (const e of node.entries) out.push(e);
      for (const [name, child] of node.children) if (!(i === 0 && isDollar(name))) this.collect(child, out);
      return;
    }
    if (hash && !(i === 0 && isDollar(level))) for (const e of hash.entries) out.push(e);
    if (level === "+") {
      for (const [name, child] of node.children) {
        if (name === "#" || (i === 0 && isDollar(name))) continue;
        this.search(levels, i + 1, child, out);
      }
      return;
    }
    const exact = node.children.get(level);
    if (exact) this.search(levels, i + 1, exact, out);
    const plus = node.children.get("+");
    if (plus && !(i === 0 && isDollar(level))) this.search(levels, i + 1, plus, out);
  }

  private collect(node: LevelNode, out: Entry[]): void {
    for (const e of node.entries) out.push(e);
    for (const child of node.children.values()) this.collect(child, out);
  }
}

/** requested filter → highest QoS requested for it; returns broker filter → QoS. */
export function planBrokerSubscriptions(requested: ReadonlyMap<string, QoS>): Map<string, QoS> {
  const plan = new Map<string, QoS>();
  const tree = new FilterTree();
  const merged = new Set<Entry>();
  // Sorted so the same requests always give the same plan (no churn on recompute).
  for (const filter of [...requested.keys()].sort()) {
    const qos = requested.get(filter) ?? 0;
    if (isSharedFilter(filter)) {
      plan.set(filter, qos);
      continue;
    }
    let current: Entry = { filter, qos };
    // Each merge removes an entry, so this ends; the broader filter may overlap more.
    for (let overlaps = tree.overlapping(current.filter); overlaps.length > 0; overlaps = tree.overlapping(current.filter)) {
      for (const other of overlaps) {
        tree.remove(other);
        merged.delete(other);
        current = { filter: joinFilters(other.filter, current.filter), qos: maxQos(other.qos, current.qos) };
      }
    }
    tree.add(current);
    merged.add(current);
  }
  for (const { filter, qos } of merged) plan.set(filter, qos);
  return plan;
}

export function maxQos(a: QoS, b: QoS): QoS {
  return a >= b ? a : b;
}
