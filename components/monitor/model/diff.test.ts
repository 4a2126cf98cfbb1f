import { describe, expect, it } from "vitest";
import { diffJson, diffPayloads, joinPath, summarizeDiff } from "./diff";

describe("diff between consecutive JSON values", () => {
  it("lists added, removed and changed paths", () => {
    const d = diffJson({ temp: 21, state: { on: true, mode: "auto" }, old: 1 }, { temp: 21.5, state: { on: true, mode: "eco", boost: false }, fresh: "x" });
    expect(d).toEqual([
      { path: "temp", kind: "changed", before: 21, after: 21.5 },
      { path: "state.mode", kind: "changed", before: "auto", after: "eco" },
      { path: "state.boost", kind: "added", after: false },
      { path: "fresh", kind: "added", after: "x" },
      { path: "old", kind: "removed", before: 1 },
    ]);
  });

  it("compares arrays by index", () => {
    expect(diffJson({ l: [1, 2, 3] }, { l: [1, 5] })).toEqual([
      { path: "l[1]", kind: "changed", before: 2, after: 5 },
      { path: "l[2]", kind: "removed", before: 3 },
    ]);
    expect(diffJson([{ v: 1 }], [{ v: 1 }, { v: 2 }])).toEqual([{ path: "[1]", kind: "added", after: { v: 2 } }]);
  });

  it("a type change is one change at that path", () => {
    expect(diffJson({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: "a", kind: "changed", before: { b: 1 }, after: [1] }]);
    expect(diffJson(1, "1")).toEqual([{ path: "", kind: "changed", before: 1, after: "1" }]);
  });

  it("equal values have no differences", () => {
    expect(diffJson({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
  });

  it("quotes keys that are not identifiers", () => {
    expect(joinPath("a", "b c")).toBe('a["b c"]');
    expect(diffJson({ "x-y": 1 }, { "x-y": 2 })[0].path).toBe('["x-y"]');
  });

  it("plain text payloads compare as a whole", () => {
    expect(diffPayloads("on", "off")).toEqual([{ path: "", kind: "changed", before: "on", after: "off" }]);
    expect(diffPayloads("on", "on")).toEqual([]);
    expect(diffPayloads('{"a":1}', '{"a":2}')).toEqual([{ path: "a", kind: "changed", before: 1, after: 2 }]);
  });

  it("stops at the limit and summarizes", () => {
    const a = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i + 1]));
    expect(diffJson(a, b, 10)).toHaveLength(10);
    expect(summarizeDiff(diffJson({ a: 1, b: 1 }, { a: 2, c: 1 }))).toBe("1 changed, 1 added, 1 removed");
    expect(summarizeDiff([])).toBe("no change");
  });
});
