import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import { splitDefinition, type SplitConfig } from "./definition";
import { createSplitNode } from "./runtime";

const cfg = (fields: Record<string, unknown> = {}): SplitConfig => splitDefinition.config.parse(fields);
const split = (fields: Record<string, unknown> = {}) => runNode(createSplitNode, cfg(fields));
const issues = (fields: Record<string, unknown>) => splitDefinition.config.safeParse(fields).error?.issues.map((i) => i.message) ?? [];

describe("split definition", () => {
  it("fills Node-RED's defaults", () => {
    expect(cfg()).toEqual({ splt: "\\n", spltType: "str", arraySplt: 1, arraySpltType: "len", stream: false, addname: "", property: "payload" });
    expect(splitDefinition.label(cfg())).toBe("split");
  });

  it("refuses bad separators and lengths, saying what is expected", () => {
    expect(issues({ spltType: "bin", splt: "13,10" })).toEqual(["split using bytes: '13,10' is not a JSON array of bytes such as [13,10]"]);
    expect(issues({ spltType: "bin", splt: "[300]" })[0]).toMatch(/bytes \(0–255\)/);
    expect(issues({ spltType: "len", splt: "0" })).toEqual(["split length must be a whole number of at least 1, got '0'"]);
    expect(issues({ arraySplt: "two" })).toEqual(["array split length must be a whole number of at least 1, got 'two'"]);
    expect(issues({ spltType: "words" })[0]).toMatch(/spltType must be str, bin or len, got "words"/);
  });

  it("refuses stream mode, which is not supported yet", () => {
    expect(issues({ stream: true })[0]).toMatch(/stream mode .* not supported yet/);
    expect(() => runNode(createSplitNode, { ...cfg(), stream: true })).toThrow(/stream mode/);
  });

  it("refuses to start with a bad length given without the schema", () => {
    expect(() => runNode(createSplitNode, { ...cfg(), spltType: "len", splt: "abc" })).toThrow(/split length must be a whole number/);
  });
});

describe("split: arrays", () => {
  it("sends one message per element with msg.parts like Node-RED", async () => {
    const h = split();
    await h.input({ payload: ["a", "b", "c"], topic: "list" });
    const out = h.port(0);
    expect(out.map((m) => m.payload)).toEqual(["a", "b", "c"]);
    const id = (out[0].parts as { id: string }).id;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    out.forEach((m, index) => {
      expect(m.parts).toEqual({ id, type: "array", index, count: 3, len: 1 });
      expect(m.topic).toBe("list");
    });
    expect(new Set(out.map((m) => m._msgid)).size).toBe(3);
  });

  it("groups elements when the array split length is more than 1", async () => {
    const h = split({ arraySplt: 2 });
    await h.input({ payload: [1, 2, 3, 4, 5] });
    expect(h.port(0).map((m) => m.payload)).toEqual([[1, 2], [3, 4], [5]]);
    expect(h.port(0)[2].parts).toMatchObject({ index: 2, count: 3, len: 2 });
  });

  it("each message gets its own copy of an element", async () => {
    const h = split();
    const element = { v: 1 };
    await h.input({ payload: [element] });
    expect(h.port(0)[0].payload).toEqual({ v: 1 });
    expect(h.port(0)[0].payload).not.toBe(element);
  });

  it("an empty array sends nothing", async () => {
    const h = split();
    await h.input({ payload: [] });
    expect(h.sent).toEqual([]);
  });
});

describe("split: strings", () => {
  it("splits at newlines by default and passes the separator on in parts.ch", async () => {
    const h = split();
    await h.input({ payload: "one\ntwo\nthree" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["one", "two", "three"]);
    expect(h.port(0)[1].parts).toMatchObject({ type: "string", ch: "\n", index: 1, count: 3 });
  });

  it("splits at any text separator, keeping empty pieces", async () => {
    const h = split({ splt: "," });
    await h.input({ payload: "a,,b," });
    expect(h.port(0).map((m) => m.payload)).toEqual(["a", "", "b", ""]);
  });

  it("splits at a separator given as bytes", async () => {
    const h = split({ spltType: "bin", splt: "[59]" });
    await h.input({ payload: "x;y" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["x", "y"]);
    expect(h.port(0)[0].parts).toMatchObject({ ch: [59] });
  });

  it("splits into fixed-length pieces", async () => {
    const h = split({ spltType: "len", splt: "3" });
    await h.input({ payload: "abcdefgh" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["abc", "def", "gh"]);
    expect(h.port(0)[2].parts).toMatchObject({ type: "string", ch: "", len: 3, index: 2, count: 3 });
  });
});

describe("split: objects and Buffers", () => {
  it("sends one message per key with parts.key, and copies the key to msg.topic when asked", async () => {
    const h = split({ addname: "topic" });
    await h.input({ payload: { kitchen: 21, hall: 19 } });
    const out = h.port(0);
    expect(out.map((m) => [m.topic, m.payload])).toEqual([["kitchen", 21], ["hall", 19]]);
    expect(out[1].parts).toMatchObject({ type: "object", key: "hall", index: 1, count: 2 });
  });

  it("splits a Buffer at a separator or into fixed lengths", async () => {
    const h = split({ splt: "\\r\\n" });
    await h.input({ payload: Buffer.from("ab\r\ncd") });
    expect(h.port(0).map((m) => (m.payload as Buffer).toString())).toEqual(["ab", "cd"]);
    expect(h.port(0)[0].parts).toMatchObject({ type: "buffer", ch: "\r\n", count: 2 });
    const l = split({ spltType: "len", splt: "2" });
    await l.input({ payload: Buffer.from([1, 2, 3]) });
    expect(l.port(0).map((m) => [...(m.payload as Buffer)])).toEqual([[1, 2], [3]]);
    expect(Buffer.isBuffer(l.port(0)[0].payload)).toBe(true);
  });

  it("splits another property and records it in parts.property", async () => {
    const h = split({ property: "data.items" });
    await h.input({ payload: "keep", data: { items: [1, 2] } });
    expect(h.port(0).map((m) => (m.data as { items: unknown }).items)).toEqual([1, 2]);
    expect(h.port(0)[0]).toMatchObject({ payload: "keep", parts: { property: "data.items", count: 2 } });
  });

  it("keeps an incoming msg.parts underneath, so nested splits can be joined back", async () => {
    const h = split();
    await h.input({ payload: ["x", "y"], parts: { id: "outer", index: 4, count: 5, type: "array" } });
    expect(h.port(0)[1].parts).toMatchObject({ index: 1, count: 2, parts: { id: "outer", index: 4 } });
  });
});

describe("split: wrong payload types", () => {
  it("numbers, booleans, null and a missing payload are dropped with a warning", async () => {
    const h = split();
    for (const payload of [42, true, null]) await h.input({ payload });
    await h.input({ topic: "nothing" });
    expect(h.sent).toEqual([]);
    expect(h.warnings).toEqual([
      "cannot split msg.payload: it is a number; only strings, Buffers, arrays and objects can be split",
      "cannot split msg.payload: it is a boolean; only strings, Buffers, arrays and objects can be split",
      "cannot split msg.payload: it is null; only strings, Buffers, arrays and objects can be split",
      "nothing to split: the message has no msg.payload",
    ]);
  });
});

describe("split: Node-RED import/export", () => {
  it("a Node-RED split node round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      {
        id: "s1", type: "split", z: "t1", name: "", splt: "\\n", spltType: "str", arraySplt: 1, arraySpltType: "len",
        stream: false, addname: "topic", property: "payload", x: 290, y: 80, wires: [[]],
      },
    ];
    const lookup = (type: string) => (type === "split" ? splitDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "s1")).toEqual(flows[1]);
  });
});
