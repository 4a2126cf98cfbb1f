import { describe, expect, it } from "vitest";
import type { FlowDocument } from "../../../lib/flow/schema";
import { searchDocument, searchTerms } from "./search";

const doc: FlowDocument = {
  schemaVersion: 1,
  configNodes: [],
  flows: [
    {
      id: "f1",
      name: "Garage",
      disabled: false,
      info: "",
      nodes: [
        { id: "aa01", type: "mqtt in", name: "Motion sensors", x: 0, y: 0, wires: [["aa02"]], disabled: false, config: { topic: "house/+/motion", qos: "1" } },
        { id: "aa02", type: "trigger", name: "", x: 0, y: 0, wires: [[]], disabled: false, config: { op1: "on", op2: "off", duration: "2", units: "min" } },
      ],
    },
    {
      id: "f2",
      name: "Heating",
      disabled: false,
      info: "",
      nodes: [
        {
          id: "bb01",
          type: "switch",
          name: "Too cold?",
          x: 0,
          y: 0,
          wires: [[]],
          disabled: false,
          config: { property: "payload", rules: [{ t: "lt", v: "18.5", vt: "num" }] },
        },
        { id: "bb02", type: "mqtt out", name: "Boiler", x: 0, y: 0, wires: [], disabled: false, config: { topic: "house/boiler/set" } },
      ],
    },
  ],
};

describe("search across flows", () => {
  it("finds a node by its name on another tab, with the tab it is on", () => {
    const [hit] = searchDocument(doc, "boiler");
    expect(hit).toMatchObject({ nodeId: "bb02", flowId: "f2", flowName: "Heating", label: "Boiler" });
    expect(hit.matches[0]).toEqual({ field: "name", text: "Boiler" });
  });

  it("finds nodes by type", () => {
    expect(searchDocument(doc, "trigger").map((r) => r.nodeId)).toEqual(["aa02"]);
    expect(searchDocument(doc, "mqtt").map((r) => r.nodeId).sort()).toEqual(["aa01", "bb02"]);
  });

  it("finds nodes by topic and by a nested property value", () => {
    expect(searchDocument(doc, "house/+/motion")[0]).toMatchObject({ nodeId: "aa01", matches: [{ field: "topic", text: "house/+/motion" }] });
    const [rule] = searchDocument(doc, "18.5");
    expect(rule).toMatchObject({ nodeId: "bb01", matches: [{ field: "rules.0.v", text: "18.5" }] });
  });

  it("needs every word somewhere in the node, in any field", () => {
    expect(searchDocument(doc, "mqtt boiler").map((r) => r.nodeId)).toEqual(["bb02"]);
    expect(searchDocument(doc, "mqtt kitchen")).toEqual([]);
  });

  it("ranks a name hit above a property hit and is case-insensitive", () => {
    // "motion" is the mqtt in's name and its topic; no other node mentions it
    const results = searchDocument(doc, "HOUSE");
    expect(results.map((r) => r.nodeId)).toEqual(["aa01", "bb02"]);
    expect(searchDocument(doc, "motion")[0].matches[0].field).toBe("name");
  });

  it("an empty query finds nothing; quoted phrases stay together", () => {
    expect(searchDocument(doc, "   ")).toEqual([]);
    expect(searchTerms('"too cold" mqtt')).toEqual(["too cold", "mqtt"]);
    expect(searchDocument(doc, '"too cold"').map((r) => r.nodeId)).toEqual(["bb01"]);
  });

  it("matches ids only from their start", () => {
    expect(searchDocument(doc, "bb0").map((r) => r.nodeId)).toEqual(["bb01", "bb02"]);
    expect(searchDocument(doc, "b01")).toEqual([]);
  });
});
