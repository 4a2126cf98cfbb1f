import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import { jsonDefinition, type JsonConfig } from "./definition";
import { createJsonNode } from "./runtime";

const cfg = (fields: Record<string, unknown> = {}): JsonConfig => jsonDefinition.config.parse(fields);
const json = (fields: Record<string, unknown> = {}) => runNode(createJsonNode, cfg(fields));

describe("json definition", () => {
  it("fills Node-RED's defaults", () => {
    expect(cfg()).toEqual({ property: "payload", action: "", pretty: false });
    expect(jsonDefinition.outputs(cfg())).toBe(1);
    expect(jsonDefinition.label(cfg())).toBe("json");
  });

  it("refuses an unknown action and a broken property path, saying what is allowed", () => {
    const bad = jsonDefinition.config.safeParse({ action: "xml" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/action must be "" .*"str".*"obj".*got "xml"/);
    const path = jsonDefinition.config.safeParse({ property: "payload..x" });
    expect(path.success).toBe(false);
    expect(path.error?.issues[0].message).toMatch(/^property: .*empty part/);
  });

  it("refuses to start with an unknown action given without the schema", () => {
    expect(() => runNode(createJsonNode, { property: "payload", action: "xml", pretty: false } as unknown as JsonConfig)).toThrow(
      /action must be/,
    );
  });
});

describe("json: convert between string and object", () => {
  it("parses a JSON string into an object", async () => {
    const h = json();
    await h.input({ payload: '{"temp":21.5,"on":true}', topic: "t" });
    expect(h.port(0)).toHaveLength(1);
    expect(h.port(0)[0]).toMatchObject({ payload: { temp: 21.5, on: true }, topic: "t" });
  });

  it("turns an object, an array, a number and a boolean into JSON text", async () => {
    const h = json();
    for (const payload of [{ a: 1 }, [1, 2], 5, false, null]) await h.input({ payload });
    expect(h.port(0).map((m) => m.payload)).toEqual(['{"a":1}', "[1,2]", "5", "false", "null"]);
  });

  it("indents the text with 4 spaces when pretty is on", async () => {
    const h = json({ pretty: true });
    await h.input({ payload: { a: 1 } });
    expect(h.port(0)[0].payload).toBe('{\n    "a": 1\n}');
  });

  it("works on another property", async () => {
    const h = json({ property: "data.raw" });
    await h.input({ payload: "keep", data: { raw: "[1,2,3]" } });
    expect(h.port(0)[0]).toMatchObject({ payload: "keep", data: { raw: [1, 2, 3] } });
  });

  it("passes a message without the property through unchanged", async () => {
    const h = json();
    await h.input({ topic: "no payload" });
    expect(h.port(0)).toHaveLength(1);
    expect(h.port(0)[0].payload).toBeUndefined();
  });
});

describe("json: always string / always object", () => {
  it("str leaves strings as they are and stringifies objects", async () => {
    const h = json({ action: "str" });
    await h.input({ payload: "not json at all" });
    await h.input({ payload: { a: 1 } });
    expect(h.port(0).map((m) => m.payload)).toEqual(["not json at all", '{"a":1}']);
    expect(h.errors).toEqual([]);
  });

  it("obj leaves objects as they are and parses strings", async () => {
    const h = json({ action: "obj" });
    const obj = { a: 1 };
    await h.input({ payload: obj });
    await h.input({ payload: '{"b":2}' });
    expect(h.port(0)[0].payload).toBe(obj);
    expect(h.port(0)[1].payload).toEqual({ b: 2 });
  });
});

describe("json: wrong input", () => {
  it("invalid JSON is an error with the reason, and nothing is sent", async () => {
    const h = json();
    await h.input({ payload: "{temp: 21}" });
    expect(h.sent).toEqual([]);
    expect(h.errors).toHaveLength(1);
    const text = String(h.errors[0].error);
    expect(text).toMatch(/^msg\.payload is not valid JSON \(.+\): '\{temp: 21\}'$/);
    expect(h.errors[0].msg?.payload).toBe("{temp: 21}");
  });

  it("a Buffer is ignored with a warning", async () => {
    const h = json();
    await h.input({ payload: Buffer.from("{}") });
    expect(h.sent).toEqual([]);
    expect(h.warnings[0]).toMatch(/Ignored non-object payload: msg\.payload is a Buffer/);
  });

  it("a value JSON cannot hold (a cycle) is an error", async () => {
    const h = json();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await h.input({ payload: cyclic });
    expect(h.sent).toEqual([]);
    expect(String(h.errors[0].error)).toMatch(/^Failed to convert msg\.payload to JSON: /);
  });

  it("a function or bigint payload is ignored with a warning", async () => {
    const h = json();
    await h.input({ payload: () => 1 });
    await h.input({ payload: 10n });
    expect(h.sent).toEqual([]);
    expect(h.warnings).toEqual([
      expect.stringMatching(/unsupported payload type: msg\.payload is a function/),
      expect.stringMatching(/unsupported payload type: msg\.payload is a bigint/),
    ]);
  });

  it("msg.schema is not supported: the message passes and a warning is given once", async () => {
    const h = json();
    await h.input({ payload: '{"a":1}', schema: { type: "object" } });
    await h.input({ payload: '{"a":2}', schema: { type: "object" } });
    expect(h.port(0).map((m) => m.payload)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/msg\.schema.*not supported/);
  });
});

describe("json: Node-RED import/export", () => {
  it("a Node-RED json node round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      { id: "j1", type: "json", z: "t1", name: "parse", property: "payload", action: "obj", pretty: true, x: 300, y: 120, wires: [[]] },
    ];
    const lookup = (type: string) => (type === "json" ? jsonDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "j1")).toEqual(flows[1]);
  });
});
