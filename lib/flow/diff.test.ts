import { describe, expect, it } from "vitest";
import { canonicalJson, countNodes, diffDocuments, hasChanges } from "./diff";
import type { FlowDocument } from "./schema";

function sample(): FlowDocument {
  return {
    schemaVersion: 1,
    flows: [
      {
        id: "f1",
        name: "Garage",
        disabled: false,
        info: "",
        nodes: [
          { id: "in", type: "mqtt in", name: "Motion", x: 100, y: 100, wires: [["tr"]], disabled: false, config: { topic: "a/+", qos: "1" } },
          { id: "tr", type: "trigger", name: "Timer", x: 300, y: 100, wires: [["out"]], disabled: false, config: { duration: "2", units: "min" } },
          { id: "out", type: "mqtt out", name: "", x: 500, y: 100, wires: [], disabled: false, config: { topic: "" } },
        ],
      },
    ],
    configNodes: [{ id: "br", type: "mqtt-broker", name: "Home", config: { broker: "localhost" } }],
  };
}
const node = (d: FlowDocument, id: string) => d.flows[0].nodes.find((n) => n.id === id)!;

describe("diffDocuments", () => {
  it("lists every node as added on the first deploy", () => {
    expect(diffDocuments(null, sample())).toEqual({ added: ["in", "tr", "out", "br"], changed: [], removed: [] });
  });

  it("ignores nodes that were only moved on the canvas", () => {
    const after = sample();
    node(after, "tr").x = 900;
    node(after, "tr").y = -40;
    const diff = diffDocuments(sample(), after);
    expect(diff).toEqual({ added: [], changed: [], removed: [] });
    expect(hasChanges(diff)).toBe(false);
  });

  it("ignores a different key order in a node's config", () => {
    const after = sample();
    node(after, "tr").config = { units: "min", duration: "2" };
    expect(diffDocuments(sample(), after).changed).toEqual([]);
  });

  it("counts a new name, config, wires or disabled flag as a change", () => {
    const after = sample();
    node(after, "in").name = "Motion sensors";
    node(after, "tr").config = { duration: "5", units: "min" };
    node(after, "out").disabled = true;
    expect(diffDocuments(sample(), after).changed).toEqual(["in", "tr", "out"]);
    const rewired = sample();
    node(rewired, "tr").wires = [[]];
    expect(diffDocuments(sample(), rewired).changed).toEqual(["tr"]);
  });

  it("counts disabling a flow as a change of each of its nodes, renaming it as none", () => {
    const disabled = sample();
    disabled.flows[0].disabled = true;
    expect(diffDocuments(sample(), disabled).changed).toEqual(["in", "tr", "out"]);
    const renamed = sample();
    renamed.flows[0].name = "Garage 2";
    expect(hasChanges(diffDocuments(sample(), renamed))).toBe(false);
  });

  it("reports added, removed and changed config nodes", () => {
    const after = sample();
    after.configNodes[0].config = { broker: "192.168.1.10" };
    after.flows[0].nodes = after.flows[0].nodes.filter((n) => n.id !== "out");
    after.flows[0].nodes.push({ id: "dbg", type: "debug", name: "", x: 0, y: 0, wires: [], disabled: false, config: {} });
    expect(diffDocuments(sample(), after)).toEqual({ added: ["dbg"], changed: ["br"], removed: ["out"] });
  });

  it("counts a node moved to another flow as changed", () => {
    const after = sample();
    const moved = after.flows[0].nodes.pop()!;
    after.flows.push({ id: "f2", name: "Other", disabled: false, info: "", nodes: [moved] });
    expect(diffDocuments(sample(), after).changed).toEqual(["out"]);
  });
});

describe("countNodes", () => {
  it("counts flow nodes and config nodes but not flows", () => {
    expect(countNodes(sample())).toBe(4);
    expect(countNodes({ schemaVersion: 1, flows: [], configNodes: [] })).toBe(0);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"e":2,"f":1}]},"b":1}');
  });
});
