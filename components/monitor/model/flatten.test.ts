import { describe, expect, it } from "vitest";
import { collapseAll, expandAll, flattenTree, INITIAL_EXPAND, revealTopic, setExpanded, SYS_SECTION_KEY, type ExpandState, type FlatRow } from "./flatten";
import { TopicTree } from "./topic-tree";
import { row } from "./test-rows";

const keys = (rows: FlatRow[]) => rows.map((r) => r.key);

function tree(...topics: string[]): TopicTree {
  const t = new TopicTree();
  t.reset(topics.map((x) => row(x)));
  return t;
}

describe("flattening the tree for the virtual list", () => {
  it("shows top levels open and deeper levels closed by default", () => {
    const t = tree("house/garage/light", "house/kitchen/temp", "lab/temp");
    expect(keys(flattenTree(t, INITIAL_EXPAND).rows)).toEqual(["house", "house/garage", "house/kitchen", "lab", "lab/temp"]);
  });

  it("opens everything when the tree was small when first shown", () => {
    const t = tree("house/garage/light", "lab/temp");
    const state: ExpandState = { ...INITIAL_EXPAND, small: true };
    expect(keys(flattenTree(t, state).rows)).toEqual(["house", "house/garage", "house/garage/light", "lab", "lab/temp"]);
  });

  it("respects what the user opened and closed", () => {
    const t = tree("house/garage/light", "lab/temp");
    let s = setExpanded(INITIAL_EXPAND, "house/garage", true);
    s = setExpanded(s, "lab", false);
    const rows = flattenTree(t, s).rows;
    expect(keys(rows)).toEqual(["house", "house/garage", "house/garage/light", "lab"]);
    expect(rows[3]).toMatchObject({ expanded: false, hasChildren: true });
  });

  it("expand all and collapse all", () => {
    const t = tree("a/b/c", "x/y");
    expect(keys(flattenTree(t, expandAll(INITIAL_EXPAND)).rows)).toEqual(["a", "a/b", "a/b/c", "x", "x/y"]);
    expect(keys(flattenTree(t, collapseAll(INITIAL_EXPAND)).rows)).toEqual(["a", "x"]);
  });

  it("puts $SYS topics in a closed section above the tree", () => {
    const t = tree("$SYS/broker/uptime", "$SYS/broker/clients", "lab/temp");
    const closed = flattenTree(t, INITIAL_EXPAND).rows;
    expect(keys(closed)).toEqual([SYS_SECTION_KEY, "lab", "lab/temp"]);
    expect(closed[0]).toMatchObject({ kind: "section", topics: 2, open: false });
    const open = flattenTree(t, { ...INITIAL_EXPAND, sysOpen: true }).rows;
    expect(keys(open)).toEqual([SYS_SECTION_KEY, "$SYS", "$SYS/broker", "lab", "lab/temp"]);
  });

  it("search shows matching topics with their levels open, by topic or by value", () => {
    const t = new TopicTree();
    t.reset([row("house/garage/light", { value: "on" }), row("house/kitchen/temp", { value: "21.5" }), row("lab/temp", { value: "19" })]);
    const byTopic = flattenTree(t, collapseAll(INITIAL_EXPAND), "temp");
    expect(keys(byTopic.rows)).toEqual(["house", "house/kitchen", "house/kitchen/temp", "lab", "lab/temp"]);
    expect(byTopic.matchCount).toBe(2);
    expect(byTopic.rows.filter((r) => r.kind === "node" && r.match).map((r) => r.key)).toEqual(["house/kitchen/temp", "lab/temp"]);
    const byValue = flattenTree(t, INITIAL_EXPAND, "ON");
    expect(keys(byValue.rows)).toEqual(["house", "house/garage", "house/garage/light"]);
    const twoWords = flattenTree(t, INITIAL_EXPAND, "house 21");
    expect(keys(twoWords.rows)).toEqual(["house", "house/kitchen", "house/kitchen/temp"]);
    expect(flattenTree(t, INITIAL_EXPAND, "nothing-like-this").rows).toEqual([]);
  });

  it("search reaches into $SYS and opens its section", () => {
    const t = tree("$SYS/broker/uptime", "lab/temp");
    expect(keys(flattenTree(t, INITIAL_EXPAND, "uptime").rows)).toEqual([SYS_SECTION_KEY, "$SYS", "$SYS/broker", "$SYS/broker/uptime"]);
  });

  it("revealing a topic opens the levels above it", () => {
    const t = tree("a/b/c/d", "x");
    const s = revealTopic(collapseAll(INITIAL_EXPAND), "a/b/c/d");
    expect(keys(flattenTree(t, s).rows)).toEqual(["a", "a/b", "a/b/c", "a/b/c/d", "x"]);
  });

  it("flattens 20,000 fully expanded topics fast enough for ten batches a second", () => {
    const t = new TopicTree();
    const rows = [];
    for (let i = 0; i < 20_000; i++) rows.push(row(`bench/dev${i % 500}/s${Math.floor(i / 500)}`, { value: `v${i}` }));
    t.reset(rows);
    const t0 = performance.now();
    const flat = flattenTree(t, expandAll(INITIAL_EXPAND));
    const searched = flattenTree(t, INITIAL_EXPAND, "v1999");
    expect(flat.rows.length).toBe(1 + 500 + 20_000);
    expect(searched.matchCount).toBe(11);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});
