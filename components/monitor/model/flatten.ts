/**
 * Flattens the expanded part of the topic tree into the rows the virtualized list draws
 * (only what is visible, in order), applying the search filter. Pure.
 */
import { sortedChildren, type TopicTree, type TreeNode } from "./topic-tree";

export interface ExpandState {
  /** Levels the user opened (true) or closed (false). */
  overrides: ReadonlyMap<string, boolean>;
  /** What levels without an override do: "auto" opens the top level only (or everything when `small`). */
  mode: "auto" | "expanded" | "collapsed";
  /** The tree was small when first shown: open every level by default. */
  small: boolean;
  /** The `$SYS` section is open. */
  sysOpen: boolean;
}

export const INITIAL_EXPAND: ExpandState = { overrides: new Map(), mode: "auto", small: false, sysOpen: false };

/** Trees with at most this many topics when first shown open completely. */
export const SMALL_TREE_TOPICS = 100;

export type FlatRow =
  | { kind: "section"; key: string; label: string; topics: number; messages: number; open: boolean }
  | { kind: "node"; key: string; node: TreeNode; expanded: boolean; hasChildren: boolean; sys: boolean; match: boolean };

export const SYS_SECTION_KEY = "section:$";

export function isExpanded(node: TreeNode, state: ExpandState): boolean {
  const o = state.overrides.get(node.path);
  if (o !== undefined) return o;
  if (state.mode === "expanded") return true;
  if (state.mode === "collapsed") return false;
  return state.small || node.depth === 0;
}

/** Lower-cased search words; a topic matches when every word is in its topic or its value. */
export function searchWords(q: string): string[] {
  return q.toLowerCase().split(/\s+/).filter(Boolean);
}

export function rowMatches(node: TreeNode, words: readonly string[]): boolean {
  if (!node.row) return false;
  const topic = node.path.toLowerCase();
  const value = node.row.value.toLowerCase();
  return words.every((w) => topic.includes(w) || value.includes(w));
}

/** Nodes to show while searching: the matching topics and their ancestors. */
export function matchingNodes(tree: TopicTree, words: readonly string[]): { show: Set<TreeNode>; matches: Set<TreeNode> } {
  const show = new Set<TreeNode>();
  const matches = new Set<TreeNode>();
  const visit = (start: TreeNode) => {
    const stack: TreeNode[] = [...start.children.values()];
    while (stack.length) {
      const n = stack.pop()!;
      if (rowMatches(n, words)) {
        matches.add(n);
        for (let a: TreeNode | null = n; a && a.depth >= 0 && !show.has(a); a = a.parent) show.add(a);
      }
      for (const c of n.children.values()) stack.push(c);
    }
  };
  visit(tree.root);
  visit(tree.sysRoot);
  return { show, matches };
}

export interface FlattenResult {
  rows: FlatRow[];
  /** Topics matching the search (all topics without one). */
  matchCount: number;
}

export function flattenTree(tree: TopicTree, state: ExpandState, q = ""): FlattenResult {
  const words = searchWords(q);
  const filter = words.length ? matchingNodes(tree, words) : null;
  const rows: FlatRow[] = [];

  const walk = (root: TreeNode, sys: boolean) => {
    // Depth-first, children in name order: push in reverse so the first pops first.
    const stack: TreeNode[] = [];
    const pushChildren = (n: TreeNode) => {
      const kids = sortedChildren(n);
      for (let i = kids.length - 1; i >= 0; i--) if (!filter || filter.show.has(kids[i])) stack.push(kids[i]);
    };
    pushChildren(root);
    while (stack.length) {
      const n = stack.pop()!;
      const hasChildren = n.children.size > 0;
      // While searching every level on the way to a match is open unless the user closed it.
      const expanded = hasChildren && (filter ? state.overrides.get(n.path) !== false : isExpanded(n, state));
      rows.push({ kind: "node", key: n.path, node: n, expanded, hasChildren, sys, match: filter ? filter.matches.has(n) : false });
      if (expanded) pushChildren(n);
    }
  };

  const sysVisible = filter ? [...tree.sysRoot.children.values()].some((c) => filter.show.has(c)) : tree.sysRoot.topics > 0;
  if (sysVisible) {
    const open = filter ? true : state.sysOpen;
    rows.push({ kind: "section", key: SYS_SECTION_KEY, label: "$SYS and other $ topics", topics: tree.sysRoot.topics, messages: tree.sysRoot.messages, open });
    if (open) walk(tree.sysRoot, true);
  }
  walk(tree.root, false);
  return { rows, matchCount: filter ? filter.matches.size : tree.size };
}

/** Opens every level above `topic` (so the topic's row is visible). */
export function revealTopic(state: ExpandState, topic: string): ExpandState {
  const levels = topic.split("/");
  const overrides = new Map(state.overrides);
  let path = "";
  for (let i = 0; i < levels.length - 1; i++) {
    path = i === 0 ? levels[0] : `${path}/${levels[i]}`;
    overrides.set(path, true);
  }
  return { ...state, overrides, sysOpen: state.sysOpen || topic.startsWith("$") };
}

export function toggleExpanded(state: ExpandState, node: TreeNode): ExpandState {
  const overrides = new Map(state.overrides);
  overrides.set(node.path, !isExpanded(node, state));
  return { ...state, overrides };
}

export function setExpanded(state: ExpandState, path: string, open: boolean): ExpandState {
  const overrides = new Map(state.overrides);
  overrides.set(path, open);
  return { ...state, overrides };
}

export function expandAll(state: ExpandState): ExpandState {
  return { ...state, overrides: new Map(), mode: "expanded" };
}

export function collapseAll(state: ExpandState): ExpandState {
  return { ...state, overrides: new Map(), mode: "collapsed" };
}
