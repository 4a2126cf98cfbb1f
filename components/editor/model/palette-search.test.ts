import { describe, expect, it } from "vitest";
import { nodeDefinitions } from "../../../lib/nodes/registry";
import { placeableDefinitions, searchDefinitions } from "./palette-search";

const defs = placeableDefinitions(nodeDefinitions);

describe("palette search", () => {
  it("config-only types such as the broker are not offered on the canvas", () => {
    expect(defs.some((d) => d.type === "mqtt-broker")).toBe(false);
    expect(defs.some((d) => d.type === "trigger")).toBe(true);
  });

  it("'mqtt' finds both mqtt nodes and nothing else", () => {
    expect(searchDefinitions(defs, "mqtt").map((d) => d.type).sort()).toEqual(["mqtt in", "mqtt out"]);
  });

  it("an exact or prefix match comes first", () => {
    expect(searchDefinitions(defs, "trig")[0].type).toBe("trigger");
    expect(searchDefinitions(defs, "change")[0].type).toBe("change");
  });

  it("every word must match; an empty query lists everything", () => {
    expect(searchDefinitions(defs, "mqtt out").map((d) => d.type)).toEqual(["mqtt out"]);
    expect(searchDefinitions(defs, "  ")).toHaveLength(defs.length);
    expect(searchDefinitions(defs, "zzzz")).toEqual([]);
  });
});
