import { describe, expect, it } from "vitest";
import { topicMatchesFilter } from "./topic";
import { TopicTrie } from "./trie";

function matchingFilters(filters: string[], topic: string): string[] {
  const trie = new TopicTrie<string>();
  for (const filter of filters) trie.add(filter, filter);
  return trie.match(topic).sort();
}

describe("TopicTrie matching", () => {
  it("matches the classic 15 filters against a/b/c/d", () => {
    const filters = [
      "#", "+/+/+", "+/+/+/+", "+/b/c/#", "+/b/c/d", "a/#", "a/+/+/d", "a/+/c/d",
      "a/b/#", "a/b/c", "a/b/c/#", "a/b/c/d/#", "a/b/c/d", "b/+/c/d", "a/b/c/d/+",
    ];
    const notMatching = new Set(["+/+/+", "a/b/c", "b/+/c/d", "a/b/c/d/+"]);
    expect(matchingFilters(filters, "a/b/c/d")).toEqual(filters.filter((f) => !notMatching.has(f)).sort());
  });

  it("lets 'a/#' match the parent level 'a'", () => {
    expect(matchingFilters(["a/#", "a/+", "#"], "a")).toEqual(["#", "a/#"]);
  });

  it("does not match '$' topics with a leading wildcard", () => {
    expect(matchingFilters(["#", "+/x", "+/#", "$SYS/#", "$SYS/+", "$SYS/x"], "$SYS/x")).toEqual(["$SYS/#", "$SYS/+", "$SYS/x"]);
    expect(matchingFilters(["#", "$SYS/#"], "$SYS")).toEqual(["$SYS/#"]);
    // '$' only matters in the first level.
    expect(matchingFilters(["a/+", "a/#"], "a/$x")).toEqual(["a/#", "a/+"]);
  });

  it("treats empty levels as levels", () => {
    expect(matchingFilters(["sport/+", "sport/#"], "sport/")).toEqual(["sport/#", "sport/+"]);
    expect(matchingFilters(["sport/+"], "sport")).toEqual([]);
    expect(matchingFilters(["+/+", "/+", "+", "#"], "/finance")).toEqual(["#", "+/+", "/+"]);
    expect(matchingFilters(["a/+/b", "a//b", "a/b"], "a//b")).toEqual(["a/+/b", "a//b"]);
    expect(matchingFilters(["+", "/", "+/+"], "/")).toEqual(["+/+", "/"]);
  });

  it("agrees with the single-filter matcher on a grid of topics and filters", () => {
    const filters = ["#", "+", "+/+", "a/#", "a/+", "/+", "+/#", "a//#", "$SYS/#", "a/b", "a/+/#", "+/b/+", "a/b/c"];
    const topics = ["a", "a/b", "a/b/c", "/", "/a", "a/", "a//b", "$SYS/x", "$SYS", "b/b/b", "x"];
    const trie = new TopicTrie<string>();
    for (const f of filters) trie.add(f, f);
    for (const topic of topics) {
      const expected = filters.filter((f) => topicMatchesFilter(f, topic)).sort();
      expect(trie.match(topic).sort(), topic).toEqual(expected);
    }
  });
});

describe("TopicTrie bookkeeping", () => {
  it("returns each (filter, value) pair once, even when added twice", () => {
    const trie = new TopicTrie<string>();
    trie.add("a/b", "h1");
    trie.add("a/b", "h1");
    trie.add("a/b", "h2");
    trie.add("a/#", "h1");
    expect(trie.size).toBe(3);
    expect(trie.match("a/b").sort()).toEqual(["h1", "h1", "h2"]); // h1 once per filter
    expect(trie.match("a/c")).toEqual(["h1"]);
  });

  it("keeps a value until it was removed as often as it was added", () => {
    const trie = new TopicTrie<string>();
    trie.add("a/+", "h");
    trie.add("a/+", "h");
    expect(trie.remove("a/+", "h")).toBe(true);
    expect(trie.match("a/x")).toEqual(["h"]);
    expect(trie.has("a/+", "h")).toBe(true);
    expect(trie.remove("a/+", "h")).toBe(true);
    expect(trie.match("a/x")).toEqual([]);
    expect(trie.has("a/+")).toBe(false);
    expect(trie.remove("a/+", "h")).toBe(false);
    expect(trie.size).toBe(0);
  });

  it("reports false when removing something never added", () => {
    const trie = new TopicTrie<number>();
    trie.add("a/b", 1);
    expect(trie.remove("a/b", 2)).toBe(false);
    expect(trie.remove("a/c", 1)).toBe(false);
    expect(trie.remove("a/#", 1)).toBe(false);
    expect(trie.remove("+", 1)).toBe(false);
    expect(trie.match("a/b")).toEqual([1]);
  });

  it("lists distinct filters and answers has()", () => {
    const trie = new TopicTrie<string>();
    trie.add("a/#", "x");
    trie.add("a/#", "y");
    trie.add("b", "x");
    expect(trie.filters().sort()).toEqual(["a/#", "b"]);
    expect(trie.has("a/#", "y")).toBe(true);
    expect(trie.has("a/#", "z")).toBe(false);
    expect(trie.has("a")).toBe(false);
    trie.remove("a/#", "x");
    expect(trie.filters().sort()).toEqual(["a/#", "b"]);
    trie.remove("a/#", "y");
    expect(trie.filters()).toEqual(["b"]);
  });

  it("prunes empty branches so nothing is left after removing everything", () => {
    const trie = new TopicTrie<string>();
    const filters = ["a/b/c", "a/+/c", "a/#", "+/+", "#", "x//y"];
    for (const f of filters) trie.add(f, "v");
    for (const f of filters) expect(trie.remove(f, "v")).toBe(true);
    expect(trie.size).toBe(0);
    expect(trie.filters()).toEqual([]);
    // Internal: the root has no children left.
    const root = (trie as unknown as { root: { isEmpty(): boolean } }).root;
    expect(root.isEmpty()).toBe(true);
  });
});
