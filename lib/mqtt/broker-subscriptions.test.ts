import { describe, expect, it } from "vitest";
import { planBrokerSubscriptions } from "./broker-subscriptions";
import type { QoS } from "./service";
import { filtersOverlap, topicMatchesFilter } from "./topic";

function plan(entries: [string, QoS][]): [string, QoS][] {
  return [...planBrokerSubscriptions(new Map(entries)).entries()].sort();
}

describe("planBrokerSubscriptions", () => {
  it("subscribes disjoint filters as they are", () => {
    expect(plan([["a/b", 0], ["a/c", 1], ["x/+", 2]])).toEqual([["a/b", 0], ["a/c", 1], ["x/+", 2]]);
  });

  it("folds a filter into a broader one that covers it, at the higher QoS", () => {
    expect(plan([["a/b", 2], ["a/#", 0]])).toEqual([["a/#", 2]]);
  });

  it("merges partially overlapping filters into one covering both", () => {
    expect(plan([["a/+", 1], ["+/b", 0]])).toEqual([["+/+", 1]]);
  });

  it("keeps merging until no two broker filters overlap", () => {
    const requested: [string, QoS][] = [["a/+", 0], ["+/b", 0], ["c/d/e", 1], ["c/+/e", 0], ["c", 0], ["$SYS/#", 0], ["#", 0]];
    const result = plan(requested);
    for (let i = 0; i < result.length; i++) {
      for (let j = i + 1; j < result.length; j++) {
        expect(filtersOverlap(result[i][0], result[j][0]), `${result[i][0]} vs ${result[j][0]}`).toBe(false);
      }
    }
    // '$SYS/#' is not covered by '#', so both stay.
    expect(result).toEqual([["#", 1], ["$SYS/#", 0]]);
  });

  it("covers every requested filter with some broker filter", () => {
    const requested: [string, QoS][] = [["a/+", 0], ["+/b/c", 0], ["a/b/#", 0], ["x", 0], ["y//z", 0]];
    const brokerFilters = plan(requested).map(([f]) => f);
    const topics = ["a/x", "a/b", "q/b/c", "a/b/c/d", "a/b", "x", "y//z"];
    for (const topic of topics) {
      const wanted = requested.some(([f]) => topicMatchesFilter(f, topic));
      const copies = brokerFilters.filter((f) => topicMatchesFilter(f, topic)).length;
      expect(copies, topic).toBe(wanted ? 1 : 0);
    }
  });

  it("keeps shared subscriptions separate", () => {
    expect(plan([["$share/g/a/#", 1], ["a/b", 0]])).toEqual([["$share/g/a/#", 1], ["a/b", 0]]);
  });
});

describe("planBrokerSubscriptions agrees with pairwise overlap checks", () => {
  it("gives pairwise disjoint broker filters that cover every request, on random filter sets", () => {
    const levels = ["a", "b", "+", "$SYS", "c"];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const requested: [string, QoS][] = [];
      for (let k = 0; k < 1 + rnd(6); k++) {
        const depth = 1 + rnd(3);
        const parts: string[] = [];
        for (let d = 0; d < depth; d++) parts.push(d > 0 && levels[rnd(5)] === "$SYS" ? "x" : levels[rnd(5)]);
        if (rnd(4) === 0) parts.push("#");
        requested.push([parts.join("/"), rnd(3) as QoS]);
      }
      const result = plan(requested).map(([f]) => f);
      for (let i = 0; i < result.length; i++) {
        for (let j = i + 1; j < result.length; j++) expect(filtersOverlap(result[i], result[j]), `${result} from ${requested}`).toBe(false);
      }
      for (const topic of ["a", "a/b", "b/a/c", "$SYS/a", "$SYS/x/c", "c/c/c", "a/x/y/z"]) {
        const wanted = requested.some(([f]) => topicMatchesFilter(f, topic));
        const copies = result.filter((f) => topicMatchesFilter(f, topic)).length;
        // Never twice; always once when a handler wants it (merged filters may be broader).
        expect(copies, `${topic}: ${result} from ${requested}`).toBeLessThanOrEqual(1);
        if (wanted) expect(copies, `${topic}: ${result} from ${requested}`).toBe(1);
      }
    }
  });

  it("plans 10,000 disjoint filters quickly (no pairwise comparison)", () => {
    const requested = new Map<string, QoS>();
    for (let i = 0; i < 10_000; i++) requested.set(`t/${i}`, 1);
    const result = planBrokerSubscriptions(requested);
    expect(result.size).toBe(10_000);
  });
});
