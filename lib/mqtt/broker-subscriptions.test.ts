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
