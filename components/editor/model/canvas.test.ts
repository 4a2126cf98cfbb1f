import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineNode, type AnyNodeDefinition } from "../../../lib/nodes/types";
import type { FlowNode } from "../../../lib/flow/schema";
import { edgeId, nodeLabel, outputCount, parseEdgeId, portFromHandle, typeSlug, wiresOf } from "./canvas";

const switchLike = defineNode({
  type: "switch",
  category: "function",
  paletteLabel: "switch",
  color: "#e2d96e",
  inputs: 1,
  outputs: (c) => c.rules.length,
  config: z.object({ property: z.string().default("payload"), rules: z.array(z.object({ t: z.string() })).default([]) }).loose(),
  label: (c) => `switch ${c.property}`,
  help: "",
}) as unknown as AnyNodeDefinition;

function node(partial: Partial<FlowNode>): FlowNode {
  return { id: "n", type: "switch", name: "", x: 0, y: 0, wires: [], disabled: false, config: {}, ...partial };
}

describe("canvas mapping", () => {
  it("each wire becomes one edge whose id round-trips", () => {
    const wires = wiresOf([node({ id: "a", wires: [["b"], ["b", "gone"]] }), node({ id: "b" })]);
    expect(wires).toEqual([
      { source: "a", port: 0, target: "b" },
      { source: "a", port: 1, target: "b" },
    ]);
    expect(parseEdgeId(edgeId(wires[1]))).toEqual(wires[1]);
    expect(portFromHandle("out-3")).toBe(3);
  });

  it("a node shows its name, else the definition's label, else 'unknown: <type>'", () => {
    expect(nodeLabel(node({ name: "Garage" }), switchLike)).toBe("Garage");
    expect(nodeLabel(node({ config: { property: "temp" } }), switchLike)).toBe("switch temp");
    expect(nodeLabel(node({ type: "fancy" }), undefined)).toBe("unknown: fancy");
  });

  it("output ports follow the config (one per switch rule)", () => {
    expect(outputCount(node({ config: { rules: [{ t: "eq" }, { t: "gt" }] } }), switchLike)).toBe(2);
    expect(outputCount(node({ wires: [[], [], []] }), undefined)).toBe(3);
    expect(typeSlug("mqtt in")).toBe("mqtt-in");
  });
});
