import { describe, expect, it } from "vitest";
import type { FlowDocument } from "../../../lib/flow/schema";
import { countChanges, describeDiff, shortValue, summarize } from "./deploy-preview";

function doc(over: { trigger?: Record<string, unknown>; extra?: boolean; debugName?: string; moveTrigger?: boolean } = {}): FlowDocument {
  const trigger = {
    id: "t1",
    type: "trigger",
    name: "2 min after motion",
    x: 10,
    y: 10,
    wires: [["d1"]],
    disabled: false,
    config: { op1: "on", op2: "off", duration: "2", units: "min", ...over.trigger },
  };
  const debug = { id: "d1", type: "debug", name: over.debugName ?? "", x: 0, y: 0, wires: [], disabled: false, config: { active: true } };
  return {
    schemaVersion: 1,
    configNodes: [{ id: "b1", type: "mqtt-broker", name: "", config: { broker: "127.0.0.1" } }],
    flows: [
      { id: "f1", name: "Garage", disabled: false, info: "", nodes: over.moveTrigger ? [debug] : [trigger, debug] },
      { id: "f2", name: "Other", disabled: false, info: "", nodes: over.moveTrigger ? [trigger] : [] },
      ...(over.extra
        ? [{ id: "f3", name: "Lights", disabled: false, info: "", nodes: [{ id: "i1", type: "inject", name: "", x: 0, y: 0, wires: [[]], disabled: false, config: { payload: "", payloadType: "date" } }] }]
        : []),
    ],
  };
}

describe("deploy preview and deployment diff", () => {
  it("names added, changed and removed nodes with their tab", () => {
    const before = doc({ extra: true });
    const after = doc({ trigger: { duration: "5" } });
    const changes = describeDiff(before, after);
    expect(changes.map((c) => [c.kind, c.label, c.flowName])).toEqual([
      ["changed", "2 min after motion", "Garage"],
      ["removed", "timestamp", "Lights"],
    ]);
    expect(summarize(countChanges(changes))).toBe("1 changed, 1 removed");
    expect(describeDiff(after, before).map((c) => c.kind)).toEqual(["added", "changed"]);
  });

  it("lists which config fields of a changed node changed, with their form titles", () => {
    const changes = describeDiff(doc(), doc({ trigger: { duration: "5", units: "s" } }));
    expect(changes).toHaveLength(1);
    const fields = changes[0].fields.map((f) => [f.field, f.before, f.after]);
    expect(fields).toEqual([
      ["duration", "2", "5"],
      ["units", "min", "s"],
    ]);
    expect(changes[0].fields[0].title).not.toBe("");
  });

  it("reports a rename, a moved node and a rewired node; moving on the canvas is not a change", () => {
    expect(describeDiff(doc(), doc({ debugName: "Light log" }))[0].fields.map((f) => f.field)).toEqual(["name"]);
    const moved = describeDiff(doc(), doc({ moveTrigger: true }));
    expect(moved[0].fields.map((f) => [f.field, f.before, f.after])).toEqual([["flow", "Garage", "Other"]]);
    const shifted = doc();
    shifted.flows[0].nodes[0] = { ...shifted.flows[0].nodes[0], x: 500, y: 500, wires: [[]] };
    expect(describeDiff(doc(), shifted)[0].fields.map((f) => f.field)).toEqual(["wires"]);
  });

  it("a first deploy adds everything, config nodes included", () => {
    const changes = describeDiff(null, doc());
    expect(changes.map((c) => c.id).sort()).toEqual(["b1", "d1", "t1"]);
    expect(changes.find((c) => c.id === "b1")).toMatchObject({ flowName: "", flowId: null, label: "mqtt-broker 127.0.0.1" });
  });

  it("identical documents have no changes", () => {
    expect(describeDiff(doc(), doc())).toEqual([]);
    expect(summarize(countChanges([]))).toBe("no node changes");
  });

  it("short values for the field table", () => {
    expect(shortValue("on")).toBe('"on"');
    expect(shortValue(undefined)).toBe("(not set)");
    expect(shortValue({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(shortValue("x".repeat(100)).length).toBe(60);
  });
});
