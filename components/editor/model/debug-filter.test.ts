import { describe, expect, it } from "vitest";
import type { DebugMessageEvent } from "../../../lib/server/events";
import { copyText, debugSources, filterDebug, NO_FILTER, pausedView } from "./debug-filter";

let seq = 0;
function msg(over: Partial<DebugMessageEvent>): DebugMessageEvent {
  seq++;
  return { id: `m${seq}`, nodeId: "d1", nodeName: "Light log", flowId: "f1", time: seq, property: "payload", value: "on", level: "debug", ...over };
}

const list = [
  msg({ topic: "house/garage/light", value: "on" }),
  msg({ nodeId: "d2", nodeName: "Temps", flowId: "f2", topic: "house/kitchen/temp", value: { temp: 21.5 } }),
  msg({ topic: "house/garage/light", value: "off" }),
];

describe("debug sidebar filters", () => {
  it("shows everything without a filter", () => {
    expect(filterDebug(list, NO_FILTER)).toBe(list);
  });

  it("filters by node, by flow and by text in the topic or value", () => {
    expect(filterDebug(list, { ...NO_FILTER, nodeId: "d2" }).map((e) => e.id)).toEqual([list[1].id]);
    expect(filterDebug(list, { ...NO_FILTER, flowId: "f1" })).toHaveLength(2);
    expect(filterDebug(list, { ...NO_FILTER, text: "OFF" }).map((e) => e.value)).toEqual(["off"]);
    expect(filterDebug(list, { ...NO_FILTER, text: "21.5 kitchen" })).toHaveLength(1);
    expect(filterDebug(list, { ...NO_FILTER, text: "garage log" })).toHaveLength(2);
  });

  it("uses the editor's current node name for text search", () => {
    expect(filterDebug(list, { ...NO_FILTER, text: "renamed" }, (id) => (id === "d2" ? "Renamed" : "x"))).toHaveLength(1);
  });

  it("lists the nodes and flows that sent messages", () => {
    expect(debugSources(list)).toEqual({ nodes: [{ id: "d1", name: "Light log" }, { id: "d2", name: "Temps" }], flows: ["f1", "f2"] });
  });
});

describe("pause", () => {
  it("keeps showing the frozen list and counts what arrived since", () => {
    const frozen = list.slice(0, 2);
    expect(pausedView(frozen, list)).toEqual({ shown: frozen, waiting: 1 });
    const more = [...list, msg({}), msg({})];
    expect(pausedView(frozen, more).waiting).toBe(3);
  });

  it("counts everything when the frozen messages were pushed out of the bounded list", () => {
    expect(pausedView(list, [msg({}), msg({})]).waiting).toBe(2);
  });

  it("clear while paused empties the view", () => {
    expect(pausedView(list, [])).toEqual({ shown: [], waiting: 0 });
  });
});

it("copy value: strings as they are, objects as pretty JSON", () => {
  expect(copyText("on")).toBe("on");
  expect(copyText({ a: 1 })).toBe('{\n  "a": 1\n}');
  expect(copyText(3)).toBe("3");
});
