import { describe, expect, it } from "vitest";
import type { DebugMessageEvent } from "../../../lib/server/events";
import { appendDebug, formatDebugValue } from "./debug-log";

function entry(i: number): DebugMessageEvent {
  return { id: String(i), nodeId: "n", nodeName: "dbg", flowId: "f", time: i, property: "payload", value: i, level: "debug" };
}

describe("debug sidebar list", () => {
  it("keeps the newest messages at the bottom and drops the oldest past the limit", () => {
    let list: DebugMessageEvent[] = [];
    list = appendDebug(list, [entry(1), entry(2)], 3);
    list = appendDebug(list, [entry(3), entry(4)], 3);
    expect(list.map((e) => e.id)).toEqual(["2", "3", "4"]);
  });

  it("objects are pretty-printed and long values start collapsed", () => {
    const small = formatDebugValue({ a: 1 });
    expect(small.full).toBe('{\n  "a": 1\n}');
    expect(small.summary).toBe('{"a":1}');
    expect(small.long).toBe(false);
    const big = formatDebugValue({ list: Array.from({ length: 50 }, (_, i) => i) });
    expect(big.long).toBe(true);
    expect(formatDebugValue("on")).toMatchObject({ full: '"on"', kind: "string[2]" });
  });
});
