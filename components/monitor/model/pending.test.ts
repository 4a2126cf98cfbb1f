import { describe, expect, it } from "vitest";
import type { MonitorMessage } from "../../../lib/monitor/events";
import { appendMessages, previousOf } from "./messages";
import { PendingUpdates } from "./pending";
import { row } from "./test-rows";

const msg = (seq: number): MonitorMessage => ({ seq, time: seq, payload: String(seq), encoding: "utf8", truncated: false, size: 1, qos: 0, retain: false });

describe("updates waiting while paused", () => {
  it("keeps one row per topic, the newest, and counts waiting messages", () => {
    const p = new PendingUpdates();
    p.addTree([row("a", { messages: 3 }), row("b", { messages: 1 })], []);
    p.addTree([row("a", { messages: 10, value: "new" })], []);
    expect(p.topicCount).toBe(2);
    expect(p.messageCount((t) => ({ a: 2, b: 0 })[t])).toBe(8 + 1);
    const out = p.drain();
    expect(out.rows.find((r) => r.topic === "a")?.value).toBe("new");
    expect(p.empty).toBe(true);
  });

  it("a topic removed and then seen again is an update, not a removal", () => {
    const p = new PendingUpdates();
    p.addTree([], ["x"]);
    expect(p.drain().removed).toEqual(["x"]);
    p.addTree([], ["x"]);
    p.addTree([row("x")], []);
    const out = p.drain();
    expect(out.removed).toEqual([]);
    expect(out.rows).toHaveLength(1);
  });

  it("keeps only the newest messages of the selected topic", () => {
    const p = new PendingUpdates(3);
    p.addMessages([msg(1), msg(2)]);
    p.addMessages([msg(3), msg(4)]);
    expect(p.drain().messages.map((m) => m.seq)).toEqual([2, 3, 4]);
  });
});

describe("selected topic's messages", () => {
  it("appends in order, skips ones already held, stays bounded", () => {
    let held = appendMessages([], [msg(1), msg(2)]);
    held = appendMessages(held, [msg(2), msg(3)]);
    expect(held.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(appendMessages(held, [msg(4), msg(5)], 2).map((m) => m.seq)).toEqual([4, 5]);
    expect(previousOf(held, 3)?.seq).toBe(2);
    expect(previousOf(held, 1)).toBeNull();
  });
});
