import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import { commentDefinition } from "./definition";
import { createCommentNode } from "./runtime";

describe("comment", () => {
  it("has no ports and keeps its text", () => {
    expect(commentDefinition.inputs).toBe(0);
    expect(commentDefinition.outputs(commentDefinition.config.parse({}))).toBe(0);
    expect(commentDefinition.config.parse({})).toEqual({ info: "" });
    expect(commentDefinition.config.parse({ info: "# Garage\nMotion turns the light on." }).info).toBe("# Garage\nMotion turns the light on.");
    expect(commentDefinition.label(commentDefinition.config.parse({}))).toBe("comment");
  });

  it("refuses text that is not text", () => {
    expect(commentDefinition.config.safeParse({ info: 5 }).success).toBe(false);
  });

  it("does nothing when the flow runs", async () => {
    const h = runNode(createCommentNode, commentDefinition.config.parse({ info: "note" }));
    await h.input({ payload: 1 });
    h.node.start?.();
    await h.close();
    expect(h.sent).toEqual([]);
    expect(h.errors).toEqual([]);
    expect(h.statuses).toEqual([]);
  });

  it("a Node-RED comment round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      { id: "c1", type: "comment", z: "t1", name: "Garage light", info: "Motion on → light on for 2 min", x: 140, y: 40, wires: [] },
    ];
    const lookup = (type: string) => (type === "comment" ? commentDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "c1")).toEqual(flows[1]);
  });
});
