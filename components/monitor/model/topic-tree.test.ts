import { describe, expect, it } from "vitest";
import type { TopicRow } from "../../../lib/monitor/events";
import { row } from "./test-rows";
import { sortedChildren, TopicTree } from "./topic-tree";

describe("topic tree", () => {
  it("arranges topics by level with topic and message counts per subtree", () => {
    const t = new TopicTree();
    t.reset([row("house/garage/light", { messages: 3 }), row("house/garage/motion", { messages: 5 }), row("house/kitchen/temp", { messages: 2 }), row("lab/temp")]);
    expect(t.size).toBe(4);
    expect(t.get("house")).toMatchObject({ topics: 3, messages: 10, depth: 0 });
    expect(t.get("house/garage")).toMatchObject({ topics: 2, messages: 8, row: null });
    expect(t.root).toMatchObject({ topics: 4, messages: 11 });
  });

  it("updates counts when a topic receives more messages, without double counting the topic", () => {
    const t = new TopicTree();
    t.upsert(row("a/b", { messages: 1 }));
    t.upsert(row("a/b", { messages: 7, value: "x" }));
    expect(t.get("a")).toMatchObject({ topics: 1, messages: 7 });
    expect(t.row("a/b")?.value).toBe("x");
  });

  it("a topic can also be a level with children", () => {
    const t = new TopicTree();
    t.apply([row("a", { messages: 2 }), row("a/b", { messages: 3 })]);
    expect(t.get("a")).toMatchObject({ topics: 2, messages: 5 });
    expect(t.get("a")?.row?.topic).toBe("a");
  });

  it("forgets removed topics and prunes levels left empty", () => {
    const t = new TopicTree();
    t.apply([row("a/b/c", { messages: 2 }), row("a/x")]);
    t.remove("a/b/c");
    expect(t.get("a/b")).toBeUndefined();
    expect(t.get("a")).toMatchObject({ topics: 1, messages: 1 });
    t.apply([], ["a/x"]);
    expect(t.get("a")).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it("keeps $SYS topics in their own root", () => {
    const t = new TopicTree();
    t.apply([row("$SYS/broker/uptime"), row("house/x")]);
    expect(t.sysRoot.topics).toBe(1);
    expect(t.root.topics).toBe(1);
    expect(t.size).toBe(2);
  });

  it("sorts levels naturally (sensor2 before sensor10) and handles empty levels", () => {
    const t = new TopicTree();
    t.apply([row("s/sensor10"), row("s/sensor2"), row("s/Alpha"), row("/lead")]);
    expect(sortedChildren(t.get("s")!).map((n) => n.name)).toEqual(["Alpha", "sensor2", "sensor10"]);
    expect(t.get("/lead")?.depth).toBe(1);
    expect(t.get("")?.name).toBe("");
  });

  it("takes 20,000 topics and a batch of updates quickly", () => {
    const rows: TopicRow[] = [];
    for (let i = 0; i < 20_000; i++) rows.push(row(`bench/dev${i % 500}/s${Math.floor(i / 500)}`));
    const t = new TopicTree();
    const t0 = performance.now();
    t.reset(rows);
    for (let i = 0; i < 2000; i++) t.upsert(row(`bench/dev${i % 500}/s${Math.floor(i / 500)}`, { messages: 2 }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(t.get("bench")).toMatchObject({ topics: 20_000, messages: 22_000 });
  });
});
