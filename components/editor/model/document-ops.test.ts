import { describe, expect, it } from "vitest";
import type { FlowDocument } from "../../../lib/flow/schema";
import {
  addFlow,
  addNode,
  connect,
  disconnect,
  ensureFlow,
  findNode,
  moveNode,
  removeNodes,
  renameFlow,
  updateConfig,
  removeFlow,
  moveFlow,
  setFlowDisabled,
  setFlowInfo,
  moveNodes,
  alignToGrid,
} from "./document-ops";
import { newId } from "./ids";

function counter(): (chars: number) => string {
  let n = 0;
  return (chars) => String(++n).padStart(chars, "0");
}

function docWithFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    configNodes: [],
    flows: [
      {
        id: "f1",
        name: "Flow 1",
        disabled: false,
        info: "",
        nodes: [
          { id: "a", type: "inject", name: "", x: 0, y: 0, wires: [["b"]], disabled: false, config: {} },
          { id: "b", type: "trigger", name: "", x: 100, y: 0, wires: [["c"]], disabled: false, config: {} },
          { id: "c", type: "debug", name: "", x: 200, y: 0, wires: [], disabled: false, config: {} },
        ],
      },
    ],
  };
}

describe("document operations", () => {
  it("a node dropped on the canvas appears at the drop position with unwired output ports", () => {
    const { doc, nodeId } = addNode(docWithFlow(), "f1", { type: "switch", x: 10.6, y: 20.2, config: { rules: [] }, outputs: 2 }, counter());
    const found = findNode(doc, nodeId);
    expect(found?.node).toMatchObject({ type: "switch", x: 11, y: 20, wires: [[], []], config: { rules: [] } });
  });

  it("new ids never collide with existing node ids", () => {
    const taken = new Set(["0000000000000001"]);
    expect(newId(taken, counter())).toBe("0000000000000002");
  });

  it("deleting a node also removes the wires leading to it", () => {
    const doc = removeNodes(docWithFlow(), "f1", ["b"]);
    expect(doc.flows[0].nodes.map((n) => n.id)).toEqual(["a", "c"]);
    expect(findNode(doc, "a")?.node.wires).toEqual([[]]);
  });

  it("wiring an output to an input adds the target to that port once", () => {
    let doc = connect(docWithFlow(), "f1", "a", 0, "c");
    doc = connect(doc, "f1", "a", 0, "c");
    expect(findNode(doc, "a")?.node.wires).toEqual([["b", "c"]]);
  });

  it("wiring a second output port creates the missing port slots", () => {
    const doc = connect(docWithFlow(), "f1", "c", 1, "a");
    expect(findNode(doc, "c")?.node.wires).toEqual([[], ["a"]]);
  });

  it("a wire to a node that is not on the tab is refused", () => {
    const before = docWithFlow();
    expect(connect(before, "f1", "a", 0, "zzz")).toBe(before);
  });

  it("removing a wire keeps the other wires of that port", () => {
    let doc = connect(docWithFlow(), "f1", "a", 0, "c");
    doc = disconnect(doc, "f1", "a", 0, "b");
    expect(findNode(doc, "a")?.node.wires).toEqual([["c"]]);
  });

  it("moving a node stores whole-pixel positions and leaves the input untouched", () => {
    const before = docWithFlow();
    const doc = moveNode(before, "f1", "b", 150.4, 60.5);
    expect(findNode(doc, "b")?.node).toMatchObject({ x: 150, y: 61 });
    expect(findNode(before, "b")?.node).toMatchObject({ x: 100, y: 0 });
  });

  it("removing a switch rule drops the wires of the output that disappeared", () => {
    let doc = connect(docWithFlow(), "f1", "b", 1, "a");
    doc = updateConfig(doc, "f1", "b", { rules: [1] }, 1);
    expect(findNode(doc, "b")?.node).toMatchObject({ wires: [["c"]], config: { rules: [1] } });
  });

  it("a new tab gets the first free 'Flow N' name and can be renamed", () => {
    const { doc, flowId } = addFlow(docWithFlow(), undefined, counter());
    expect(doc.flows[1]).toMatchObject({ id: flowId, name: "Flow 2", nodes: [] });
    expect(renameFlow(doc, flowId, "  Garage  ").flows[1].name).toBe("Garage");
    expect(renameFlow(doc, flowId, "   ")).toBe(doc);
  });

  it("an empty document gets one tab to draw on", () => {
    const doc = ensureFlow({ schemaVersion: 1, flows: [], configNodes: [] }, counter());
    expect(doc.flows).toHaveLength(1);
    expect(doc.flows[0].name).toBe("Flow 1");
  });

  it("tabs can be reordered, disabled, described and deleted; the last tab is replaced by an empty one", () => {
    let doc = addFlow(docWithFlow(), "Garage", counter()).doc;
    doc = addFlow(doc, "Porch", counter()).doc;
    const ids = doc.flows.map((f) => f.id);
    expect(moveFlow(doc, ids[2], 0).flows.map((f) => f.name)).toEqual(["Porch", "Flow 1", "Garage"]);
    expect(moveFlow(doc, ids[0], 99).flows.map((f) => f.name)).toEqual(["Garage", "Porch", "Flow 1"]);
    expect(moveFlow(doc, ids[1], 1)).toBe(doc);
    expect(setFlowDisabled(doc, "f1", true).flows[0].disabled).toBe(true);
    expect(setFlowInfo(doc, "f1", "Motion lights").flows[0].info).toBe("Motion lights");
    expect(removeFlow(doc, "f1").flows.map((f) => f.name)).toEqual(["Garage", "Porch"]);
    const only = removeFlow(docWithFlow(), "f1", counter());
    expect(only.flows).toHaveLength(1);
    expect(only.flows[0]).toMatchObject({ name: "Flow 1", nodes: [] });
  });

  it("moving several nodes at once and aligning them to the grid", () => {
    let doc = moveNodes(docWithFlow(), "f1", [
      { id: "a", x: 13, y: 27 },
      { id: "b", x: 109.6, y: 31 },
    ]);
    expect(doc.flows[0].nodes.map((n) => [n.x, n.y])).toEqual([
      [13, 27],
      [110, 31],
      [200, 0],
    ]);
    doc = alignToGrid(doc, "f1", 20, ["a"]);
    expect(findNode(doc, "a")?.node).toMatchObject({ x: 20, y: 20 });
    expect(findNode(doc, "b")?.node).toMatchObject({ x: 110, y: 31 });
    doc = alignToGrid(doc, "f1", 20);
    expect(findNode(doc, "b")?.node).toMatchObject({ x: 120, y: 40 });
  });
});
