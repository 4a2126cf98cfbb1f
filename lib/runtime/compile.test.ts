/**
 * compile() with the real node registry:
 *
 *   [mqtt in house/+/motion] → [trigger] → [change topic] → [mqtt out]
 *                                                       └──→ [unknown: ui_button]  (skipped)
 */
import { describe, expect, it } from "vitest";
import { compile } from "./compile";
import type { FlowDocument } from "../flow/schema";

function doc(overrides: Partial<FlowDocument["flows"][number]> = {}): FlowDocument {
  return {
    schemaVersion: 1,
    configNodes: [],
    flows: [
      {
        id: "tab1",
        name: "Motion",
        disabled: false,
        info: "",
        nodes: [
          { id: "in", type: "mqtt in", name: "", x: 0, y: 0, wires: [["trig"]], disabled: false, config: { topic: "house/+/motion", qos: "1", datatype: "auto-detect", broker: "" } },
          { id: "trig", type: "trigger", name: "Light timer", x: 0, y: 0, wires: [["chg"]], disabled: false, config: { op1: "on", op1type: "str", op2: "off", op2type: "str", duration: "2", units: "min", extend: true, bytopic: "topic", topic: "topic" } },
          { id: "chg", type: "change", name: "", x: 0, y: 0, wires: [["out", "fn"]], disabled: false, config: { rules: [{ t: "change", p: "topic", pt: "msg", from: "^house/([^/]+)/motion$", fromt: "re", to: "house/$1/light", tot: "str" }] } },
          { id: "out", type: "mqtt out", name: "", x: 0, y: 0, wires: [], disabled: false, config: { topic: "", qos: "1", retain: "false", broker: "" } },
          { id: "fn", type: "ui_button", name: "legacy", x: 0, y: 0, wires: [], disabled: false, config: { label: "press" } },
        ],
        ...overrides,
      },
    ],
  };
}

describe("compile", () => {
  it("plans every runnable node with defaults applied and wires intact", () => {
    const { plan, issues } = compile(doc());
    expect(plan).not.toBeNull();
    expect([...plan!.nodes.keys()].sort()).toEqual(["chg", "in", "out", "trig"]);
    expect(plan!.nodes.get("trig")!.wires).toEqual([["chg"]]);
    // defaults from the trigger's schema are filled in
    expect(plan!.nodes.get("trig")!.config).toHaveProperty("reset");
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("keeps an unknown node type out of the plan, with a warning, and prunes wires to it", () => {
    const { plan, issues } = compile(doc());
    expect(plan!.skipped).toContainEqual({ nodeId: "fn", reason: "unknown node type 'ui_button'" });
    expect(plan!.nodes.get("chg")!.wires).toEqual([["out"]]);
    expect(issues).toContainEqual(expect.objectContaining({ nodeId: "fn", severity: "warning" }));
  });

  it("builds the per-broker subscription trie from mqtt in nodes", () => {
    const { plan } = compile(doc());
    const trie = plan!.subscriptions.get("")!;
    expect(trie.match("house/garage/motion")).toEqual(["in"]);
    expect(trie.match("house/garage/light")).toEqual([]);
  });

  it("runs nothing of a disabled flow", () => {
    const { plan } = compile(doc({ disabled: true }));
    expect(plan!.nodes.size).toBe(0);
    expect(plan!.skipped).toHaveLength(5);
  });

  it("refuses a document with errors and says which node and field", () => {
    const d = doc();
    d.flows[0].nodes[1].config.duration = "soon";
    const { plan, issues } = compile(d);
    expect(plan).toBeNull();
    expect(issues).toContainEqual(expect.objectContaining({ nodeId: "trig", field: "duration", severity: "error" }));
    expect(issues.find((i) => i.nodeId === "trig")!.message).toContain("Light timer");
  });
});
