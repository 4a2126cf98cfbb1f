import { describe, expect, it } from "vitest";
import fs from "node:fs";
import type { FlowDocument } from "../../../lib/flow/schema";
import { exportFileName, exportText, importIntoDraft, parseImportText } from "./import-export";

let counter = 0;
const random = () => `id${String(++counter).padStart(14, "0")}`;

const draft: FlowDocument = {
  schemaVersion: 1,
  configNodes: [{ id: "broker1", type: "mqtt-broker", name: "Home", config: { broker: "127.0.0.1", port: "1883" } }],
  flows: [
    {
      id: "tab1",
      name: "Garage",
      disabled: false,
      info: "",
      nodes: [
        { id: "n1", type: "mqtt in", name: "Motion", x: 100, y: 100, wires: [["n2"]], disabled: false, config: { topic: "house/+/motion", broker: "broker1" } },
        { id: "n2", type: "debug", name: "", x: 300, y: 100, wires: [], disabled: false, config: { active: true } },
      ],
    },
  ],
};

const nodeRedFlows = JSON.stringify([
  { id: "t9", type: "tab", label: "Lights", disabled: false, info: "" },
  { id: "a", type: "inject", z: "t9", name: "Every minute", repeat: "60", payload: "", payloadType: "date", x: 120, y: 80, wires: [["b"]] },
  { id: "b", type: "mqtt out", z: "t9", name: "", topic: "house/hall/light", broker: "broker1", x: 320, y: 80, wires: [] },
  { id: "broker1", type: "mqtt-broker", name: "Home", broker: "127.0.0.1", port: "1883" },
]);

describe("import", () => {
  it("adds a Node-RED flows.json as a new tab with fresh ids, wires remapped, the existing broker reused", () => {
    const parsed = parseImportText(nodeRedFlows);
    expect(parsed.ok && parsed.format).toBe("node-red");
    if (!parsed.ok) return;
    const r = importIntoDraft(draft, parsed, { mode: "add", currentFlowId: "tab1", random });
    expect(r.doc.flows.map((f) => f.name)).toEqual(["Garage", "Lights"]);
    const lights = r.doc.flows[1];
    expect(lights.id).not.toBe("t9");
    expect(r.focusFlowId).toBe(lights.id);
    const [inject, out] = lights.nodes;
    expect([inject.id, out.id]).toEqual(r.nodeIds);
    expect(inject.id).not.toBe("a");
    expect(inject.wires).toEqual([[out.id]]);
    expect(out.config.broker).toBe("broker1");
    expect(r.doc.configNodes).toHaveLength(1);
    // the draft's own nodes are untouched
    expect(r.doc.flows[0]).toBe(draft.flows[0]);
  });

  it("importing the same file twice gives two independent copies", () => {
    const parsed = parseImportText(nodeRedFlows);
    if (!parsed.ok) throw new Error(parsed.message);
    const once = importIntoDraft(draft, parsed, { mode: "add", currentFlowId: "tab1", random });
    const twice = importIntoDraft(once.doc, parsed, { mode: "add", currentFlowId: "tab1", random });
    const ids = twice.doc.flows.flatMap((f) => [f.id, ...f.nodes.map((n) => n.id)]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("puts nodes without a tab (a clipboard export) onto the open tab", () => {
    const parsed = parseImportText(JSON.stringify([{ id: "x", type: "debug", z: "elsewhere", name: "Log", x: 0, y: 0, wires: [] }]));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.hasTabs).toBe(false);
    const r = importIntoDraft(draft, parsed, { mode: "add", currentFlowId: "tab1", random });
    expect(r.doc.flows).toHaveLength(1);
    expect(r.doc.flows[0].nodes.map((n) => n.name)).toEqual(["Motion", "", "Log"]);
    expect(r.nodeIds).toHaveLength(1);
  });

  it("replaces the whole draft when asked", () => {
    const parsed = parseImportText(nodeRedFlows);
    if (!parsed.ok) throw new Error(parsed.message);
    const r = importIntoDraft(draft, parsed, { mode: "replace", currentFlowId: "tab1" });
    expect(r.doc.flows.map((f) => [f.id, f.name])).toEqual([["t9", "Lights"]]);
  });

  it("reads a Flowhouse export and reports problems in it", () => {
    const parsed = parseImportText(JSON.stringify(draft));
    expect(parsed.ok && parsed.format).toBe("flowhouse");
    const bad = parseImportText(JSON.stringify([{ id: "q", type: "trigger", z: "t", duration: "abc", x: 0, y: 0, wires: [] }, { id: "t", type: "tab", label: "T" }]));
    expect(bad.ok).toBe(true);
    if (bad.ok) expect(bad.issues.some((i) => i.severity === "error" && i.nodeId === "q")).toBe(true);
  });

  it("explains text that is not a flow", () => {
    expect(parseImportText("")).toMatchObject({ ok: false, message: expect.stringMatching(/Nothing to import/) });
    expect(parseImportText("{nope")).toMatchObject({ ok: false, message: expect.stringMatching(/not valid JSON/) });
    expect(parseImportText('{"a":1}')).toMatchObject({ ok: false, message: expect.stringMatching(/flows\.json array/) });
    expect(parseImportText("[]")).toMatchObject({ ok: false, message: expect.stringMatching(/No nodes/) });
  });

  it("imports every shipped example", () => {
    for (const file of fs.readdirSync("flows").filter((f) => f.endsWith(".json"))) {
      const parsed = parseImportText(fs.readFileSync(`flows/${file}`, "utf8"));
      expect(parsed.ok, file).toBe(true);
    }
  });
});

describe("export", () => {
  it("exports a selection as Node-RED entries without the tab, keeping only inner wires and the broker used", () => {
    const entries = JSON.parse(exportText(draft, { kind: "selection", flowId: "tab1", nodeIds: ["n1"] }, "node-red")) as { id: string; type: string; wires?: string[][] }[];
    expect(entries.map((e) => e.id)).toEqual(["n1", "broker1"]);
    expect(entries[0].wires).toEqual([[]]);
  });

  it("exports a tab and everything, in both formats, and they import back", () => {
    const tab = JSON.parse(exportText(draft, { kind: "flow", flowId: "tab1" }, "node-red")) as { type: string }[];
    expect(tab.map((e) => e.type)).toEqual(["tab", "mqtt in", "debug", "mqtt-broker"]);
    const all = exportText(draft, { kind: "all" }, "flowhouse");
    const back = parseImportText(all);
    expect(back.ok && back.document).toEqual(draft);
    expect(exportFileName(draft, { kind: "flow", flowId: "tab1" }, "node-red")).toBe("flows-garage.json");
    expect(exportFileName(draft, { kind: "all" }, "flowhouse")).toBe("flowhouse-all.json");
  });
});
