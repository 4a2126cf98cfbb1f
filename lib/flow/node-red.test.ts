import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromNodeRed, importNodeRed, NODE_RED_OMIT_KEY, toNodeRed, type NodeRedNode } from "./node-red";
import { validateDocument } from "./validate";
import { nodeRedExport } from "./node-red-fixture";

const byId = (nodes: readonly NodeRedNode[]) => [...nodes].sort((a, b) => a.id.localeCompare(b.id));
const flowsDir = new URL("../../flows/", import.meta.url);
const readFlow = (file: string): unknown => JSON.parse(readFileSync(new URL(file, flowsDir), "utf8"));

describe("Node-RED import", () => {
  it("imports a tab as a flow and its nodes with Node-RED fields kept in config", () => {
    const { document, issues } = fromNodeRed(nodeRedExport());
    expect(issues).toEqual([]);
    expect(document.flows).toHaveLength(1);
    const flow = document.flows[0];
    expect(flow).toMatchObject({ id: "c1a2b3c4d5e6f701", name: "Garage", disabled: false, info: "Garage automations" });
    const trigger = flow.nodes.find((n) => n.id === "tr1")!;
    expect(trigger).toMatchObject({ type: "trigger", name: "Garage light", x: 380, y: 80, wires: [["ch1"]], disabled: false });
    expect(trigger.config).toMatchObject({ duration: "2", units: "min", extend: true, g: "g1" });
    expect(trigger.config).not.toHaveProperty("z");
    expect(trigger.config).not.toHaveProperty("wires");
  });

  it("puts the mqtt-broker among config nodes, credentials included", () => {
    const { document } = fromNodeRed(nodeRedExport());
    expect(document.configNodes.map((n) => n.id)).toEqual(["br1"]);
    expect(document.configNodes[0]).toMatchObject({ type: "mqtt-broker", name: "Home broker" });
    expect(document.configNodes[0].config.credentials).toEqual({ user: "home", password: "s3cret" });
  });

  it("keeps nodes of types it does not run (group, junction) instead of dropping them", () => {
    const { document } = fromNodeRed(nodeRedExport());
    const types = document.flows[0].nodes.map((n) => n.type);
    expect(types).toEqual(expect.arrayContaining(["function", "group", "junction"]));
    const group = document.flows[0].nodes.find((n) => n.type === "group")!;
    expect(group.config).toMatchObject({ nodes: ["mi1", "tr1"], w: 452, h: 122, [NODE_RED_OMIT_KEY]: ["wires"] });
  });

  it("warns about each node type it does not run, but reports no errors for a realistic export", () => {
    const { issues } = importNodeRed(nodeRedExport());
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(issues.map((i) => i.message).sort()).toEqual([
      "Node 'Motion' has unknown type 'group': kept as is but not run (install support or remove it)",
      "Node 'j1' has unknown type 'junction': kept as is but not run (install support or remove it)",
    ]);
  });

  it("accepts the {flows: [...]} form of Node-RED's admin API", () => {
    const { document, issues } = fromNodeRed({ rev: "abc", flows: nodeRedExport() });
    expect(issues).toEqual([]);
    expect(document.flows[0].nodes).toHaveLength(10);
  });

  it("reports a file that is not a flows.json array instead of throwing", () => {
    const { document, issues } = fromNodeRed({ hello: "world" });
    expect(document.flows).toEqual([]);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: "error",
        message:
          "Expected a Node-RED flows.json array (export it in Node-RED with Menu → Export → All flows → JSON), got an object",
      }),
    ]);
    expect(fromNodeRed("nonsense").issues[0].message).toContain('got "nonsense"');
  });

  it("reports entries without id or type by their index and imports the rest", () => {
    const { document, issues } = fromNodeRed([
      { id: "t", type: "tab", label: "A" },
      { type: "debug", z: "t" },
      { id: "x", z: "t" },
      42,
      { id: "d", type: "debug", z: "t", name: "", x: 1, y: 2, wires: [] },
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      `Entry 1 of the flows.json array has no id (type 'debug'): skipped (every entry needs an "id" and a "type")`,
      `Entry 2 of the flows.json array (id 'x') has no type: skipped (every entry needs an "id" and a "type")`,
      "Entry 3 of the flows.json array is 42, not an object: skipped",
    ]);
    expect(document.flows[0].nodes.map((n) => n.id)).toEqual(["d"]);
  });

  it("places nodes whose tab is missing on a new 'Imported' flow that keeps the tab id", () => {
    const { document, issues } = fromNodeRed([
      { id: "a", type: "debug", z: "gone", name: "", x: 10, y: 20, wires: [] },
      { id: "b", type: "inject", z: "gone", name: "", x: 10, y: 60, wires: [["a"]] },
    ]);
    expect(document.flows).toEqual([
      expect.objectContaining({ id: "gone", name: "Imported", nodes: [expect.objectContaining({ id: "a" }), expect.objectContaining({ id: "b" })] }),
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: "warning",
        flowId: "gone",
        message: "2 nodes belonged to flow 'gone', which is not in the file: placed on a new flow 'Imported' (rename it or move the nodes)",
      }),
    ]);
  });

  it("keeps a disabled node (d: true) and a disabled tab disabled", () => {
    const { document } = fromNodeRed([
      { id: "t", type: "tab", label: "Off", disabled: true, info: "" },
      { id: "d", type: "debug", z: "t", d: true, name: "", x: 1, y: 2, wires: [] },
    ]);
    expect(document.flows[0].disabled).toBe(true);
    expect(document.flows[0].nodes[0].disabled).toBe(true);
    expect(toNodeRed(document)[1]).toMatchObject({ id: "d", d: true });
  });

  it("keeps subflows and their inner nodes for export without placing them on a flow", () => {
    const input: NodeRedNode[] = [
      { id: "t", type: "tab", label: "Main", disabled: false, info: "", env: [] },
      { id: "sf", type: "subflow", name: "Debounce", info: "", category: "", in: [{ x: 50, y: 30, wires: [{ id: "sf-t" }] }], out: [], env: [], color: "#DDAA99" },
      { id: "sf-t", type: "trigger", z: "sf", name: "", op1: "1", op2: "0", duration: "250", units: "ms", x: 200, y: 30, wires: [[]] },
      { id: "inst", type: "subflow:sf", z: "t", name: "", x: 300, y: 100, wires: [] },
    ];
    const { document, issues } = fromNodeRed(input);
    expect(issues).toEqual([]);
    expect(document.flows[0].nodes.map((n) => n.id)).toEqual(["inst"]);
    expect(document.configNodes.map((n) => n.id)).toEqual(["sf", "sf-t"]);
    expect(byId(toNodeRed(document))).toEqual(byId(input));
    const warnings = validateDocument(document).issues;
    expect(warnings.every((i) => i.severity === "warning")).toBe(true);
    expect(warnings.map((i) => i.nodeId).sort()).toEqual(["inst", "sf", "sf-t"]);
  });

  it("repairs a malformed position of a known node with a warning", () => {
    const { document, issues } = fromNodeRed([
      { id: "t", type: "tab", label: "A" },
      { id: "d", type: "debug", z: "t", name: "Show", x: "abc", y: 5, wires: [["ok", 7]] },
      { id: "ok", type: "debug", z: "t", name: "", x: 1, y: 1, wires: [] },
    ]);
    expect(document.flows[0].nodes[0]).toMatchObject({ x: 0, y: 5, wires: [["ok"]] });
    expect(issues.map((i) => i.message)).toEqual([
      `Node 'Show' (debug): x is not a number (got "abc"): set to 0`,
      "Node 'Show' (debug): wires is not a list of lists of node ids (got a list of 1): kept only the valid wires",
    ]);
  });

  it("exports a node of unknown type exactly as imported, odd fields included", () => {
    const input: NodeRedNode[] = [
      { id: "t", type: "tab", label: "A", disabled: false, info: "", env: [] },
      { id: "u", type: "ui_button", z: "t", name: 3, x: "12", y: 4, wires: [["v"]], d: "no", group: "g" } as unknown as NodeRedNode,
      { id: "v", type: "ui_gauge", z: "t", mode: "link", links: [], x: 5, y: 6 } as unknown as NodeRedNode,
    ];
    const { document, issues } = fromNodeRed(input);
    expect(issues).toEqual([]);
    expect(byId(toNodeRed(document))).toEqual(byId(input));
  });

  it("reports tab settings it cannot keep", () => {
    const { issues } = fromNodeRed([{ id: "t", type: "tab", label: "Vars", env: [{ name: "ROOM", value: "x", type: "str" }] }]);
    expect(issues).toEqual([
      expect.objectContaining({ severity: "warning", message: "Flow 'Vars': tab setting(s) 'env' are not supported and were not imported" }),
    ]);
  });
});

describe("Node-RED export", () => {
  it("gives back the imported flows.json (same entries and fields)", () => {
    const original = nodeRedExport();
    expect(byId(toNodeRed(fromNodeRed(original).document))).toEqual(byId(original));
  });

  it("writes tabs first, then each tab's nodes, then config nodes", () => {
    const out = toNodeRed(fromNodeRed(nodeRedExport()).document);
    expect(out[0].type).toBe("tab");
    expect(out[out.length - 1].type).toBe("mqtt-broker");
    expect(out.slice(1, -1).every((n) => n.z === "c1a2b3c4d5e6f701")).toBe(true);
  });

  it("moves an edited position into x and y and keeps the config untouched", () => {
    const { document } = fromNodeRed(nodeRedExport());
    const trigger = document.flows[0].nodes.find((n) => n.id === "tr1")!;
    trigger.x = 999;
    const exported = toNodeRed(document).find((n) => n.id === "tr1")!;
    expect(exported).toMatchObject({ x: 999, y: 80, duration: "2", z: "c1a2b3c4d5e6f701" });
  });
});

describe("shipped example flows", () => {
  const files = readdirSync(flowsDir).filter((f) => f.endsWith(".json"));

  it("include motion-light.json", () => {
    expect(files).toContain("motion-light.json");
  });

  it.each(files)("%s imports and validates with no errors", (file) => {
    const { document, issues } = importNodeRed(readFlow(file));
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(document.flows.length).toBeGreaterThan(0);
  });

  it("motion-light imports without a single warning", () => {
    expect(importNodeRed(readFlow("motion-light.json")).issues).toEqual([]);
  });

  it.each(files)("%s exports back to the same flows.json", (file) => {
    const original = readFlow(file) as NodeRedNode[];
    expect(byId(toNodeRed(fromNodeRed(original).document))).toEqual(byId(original));
  });

  it("motion-light turns motion on house/<room>/motion into an on/off timer per room", () => {
    const { document } = fromNodeRed(readFlow("motion-light.json"));
    expect(document.flows).toHaveLength(1);
    expect(document.flows[0].name).toBe("Motion → light");
    const nodes = Object.fromEntries(document.flows[0].nodes.map((n) => [n.type, n]));
    expect(Object.keys(nodes).sort()).toEqual(["change", "debug", "mqtt in", "mqtt out", "trigger"]);
    expect(nodes["mqtt in"].config).toMatchObject({ topic: "house/+/motion", broker: "" });
    expect(nodes.trigger.config).toMatchObject({ op1: "on", op2: "off", duration: "2", units: "min", extend: true, bytopic: "topic" });
    expect(nodes["mqtt out"].config).toMatchObject({ topic: "", broker: "" });
    expect(nodes.change.wires).toEqual([[nodes["mqtt out"].id, nodes.debug.id]]);
    expect(document.configNodes).toEqual([]);
  });
});
