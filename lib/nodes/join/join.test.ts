import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import type { Msg } from "../../runtime/message";
import { splitDefinition } from "../split/definition";
import { createSplitNode } from "../split/runtime";
import { joinDefinition, MAX_OPEN_GROUPS, MAX_PARTS_PER_GROUP, type JoinConfig } from "./definition";
import { createJoinNode } from "./runtime";

const cfg = (fields: Record<string, unknown> = {}): JoinConfig => joinDefinition.config.parse(fields);
const join = (fields: Record<string, unknown> = {}) => runNode(createJoinNode, cfg(fields));
const manual = (fields: Record<string, unknown> = {}) => join({ mode: "custom", ...fields });
const issues = (fields: Record<string, unknown>) => joinDefinition.config.safeParse(fields).error?.issues.map((i) => i.message) ?? [];

/** split → join in automatic mode; returns what join sends. */
async function roundTrip(msg: Partial<Msg>, splitFields: Record<string, unknown> = {}, order?: (msgs: Msg[]) => Msg[]) {
  const s = runNode(createSplitNode, splitDefinition.config.parse(splitFields));
  const j = join();
  await s.input(msg);
  const parts = order ? order(s.port(0)) : s.port(0);
  for (const m of parts) await j.input(m);
  return j;
}

describe("join definition", () => {
  it("fills Node-RED's defaults", () => {
    expect(cfg()).toEqual({
      mode: "auto", build: "object", property: "payload", propertyType: "msg", key: "topic", joiner: "\\n", joinerType: "str",
      useparts: false, accumulate: "false", timeout: "", count: "",
    });
    expect(joinDefinition.label(cfg())).toBe("join");
    expect(joinDefinition.label(cfg({ mode: "custom", count: "3" }))).toBe("join 3");
  });

  it("refuses reduce mode, which is not supported yet", () => {
    expect(issues({ mode: "reduce", reduceExp: "$A+payload" })[0]).toMatch(/^reduce mode is not supported yet/);
    expect(() => runNode(createJoinNode, { ...cfg(), mode: "reduce" })).toThrow(/reduce mode is not supported yet/);
  });

  it("refuses a count or timeout that is not a number, and a bad byte joiner", () => {
    expect(issues({ mode: "custom", count: "three" })).toEqual(["count must be a number of messages (0 or more) or blank, got 'three'"]);
    expect(issues({ mode: "custom", timeout: "-1" })).toEqual(["timeout must be a number of seconds (0 or more) or blank, got '-1'"]);
    expect(issues({ mode: "custom", build: "buffer", joinerType: "bin", joiner: "nl" })[0]).toMatch(/joined using bytes: 'nl' is not a JSON array/);
    expect(issues({ mode: "custom", build: "list" })[0]).toMatch(/build must be string, array, buffer, object or merged/);
    expect(() => runNode(createJoinNode, { ...cfg(), mode: "custom", count: "x" })).toThrow(/count must be a number/);
  });
});

describe("split → join round trip (automatic mode)", () => {
  it("an array comes back as it was", async () => {
    const j = await roundTrip({ payload: [1, "two", { three: 3 }, [4]], topic: "t" });
    expect(j.port(0)).toHaveLength(1);
    expect(j.port(0)[0]).toMatchObject({ payload: [1, "two", { three: 3 }, [4]], topic: "t" });
    expect(j.port(0)[0].parts).toBeUndefined();
  });

  it("a string comes back with its separator, even when the parts arrive out of order", async () => {
    const j = await roundTrip({ payload: "line 1\nline 2\nline 3" }, {}, (m) => [m[2], m[0], m[1]]);
    expect(j.port(0)[0].payload).toBe("line 1\nline 2\nline 3");
  });

  it("an object comes back with its keys", async () => {
    const j = await roundTrip({ payload: { kitchen: 21, hall: { t: 19 }, on: true } });
    expect(j.port(0)[0].payload).toEqual({ kitchen: 21, hall: { t: 19 }, on: true });
  });

  it("fixed-length strings, byte separators, grouped arrays and Buffers come back too", async () => {
    expect((await roundTrip({ payload: "abcdefgh" }, { spltType: "len", splt: "3" })).port(0)[0].payload).toBe("abcdefgh");
    expect((await roundTrip({ payload: "a;b;c" }, { spltType: "bin", splt: "[59]" })).port(0)[0].payload).toBe("a;b;c");
    expect((await roundTrip({ payload: [1, 2, 3, 4, 5] }, { arraySplt: 2 })).port(0)[0].payload).toEqual([1, 2, 3, 4, 5]);
    const buf = (await roundTrip({ payload: Buffer.from("ab\ncd\nef") })).port(0)[0].payload;
    expect(Buffer.isBuffer(buf) && buf.toString()).toBe("ab\ncd\nef");
    const fixed = (await roundTrip({ payload: Buffer.from([1, 2, 3, 4, 5]) }, { spltType: "len", splt: "2" })).port(0)[0].payload;
    expect([...(fixed as Buffer)]).toEqual([1, 2, 3, 4, 5]);
  });

  it("another property comes back into that property", async () => {
    const j = await roundTrip({ payload: "keep", data: { items: ["x", "y"] } }, { property: "data.items" });
    expect(j.port(0)[0]).toMatchObject({ payload: "keep", data: { items: ["x", "y"] } });
  });

  it("nested split/join pairs restore the outer msg.parts", async () => {
    const outer = { id: "outer", index: 1, count: 2, type: "array" };
    const j = await roundTrip({ payload: ["a", "b"], parts: outer });
    expect(j.port(0)[0]).toMatchObject({ payload: ["a", "b"], parts: outer });
  });

  it("two sequences in flight are kept apart", async () => {
    const s = runNode(createSplitNode, splitDefinition.config.parse({}));
    const j = join();
    await s.input({ payload: [1, 2] });
    await s.input({ payload: [3, 4] });
    const [a1, a2, b1, b2] = s.port(0);
    for (const m of [a1, b1, b2, a2]) await j.input(m);
    expect(j.port(0).map((m) => m.payload)).toEqual([[3, 4], [1, 2]]);
  });

  it("a message without msg.parts is ignored with a warning", async () => {
    const j = join();
    await j.input({ payload: 1 });
    expect(j.sent).toEqual([]);
    expect(j.warnings[0]).toMatch(/^Message missing msg\.parts property - cannot join in 'auto' mode/);
  });
});

describe("join: manual mode", () => {
  it("an array after a count", async () => {
    const h = manual({ build: "array", count: "3" });
    for (const payload of [1, 2, 3, 4]) await h.input({ payload, topic: `t${payload}` });
    expect(h.port(0)).toHaveLength(1);
    expect(h.port(0)[0]).toMatchObject({ payload: [1, 2, 3], topic: "t3" });
  });

  it("a string joined with the joiner", async () => {
    const h = manual({ build: "string", count: 3, joiner: ", " });
    for (const payload of ["a", 2, true]) await h.input({ payload });
    expect(h.port(0)[0].payload).toBe("a, 2, true");
    const nl = manual({ build: "string", count: 2 });
    for (const payload of ["x", "y"]) await nl.input({ payload });
    expect(nl.port(0)[0].payload).toBe("x\ny");
  });

  it("a key/value object by msg.topic, later values replacing earlier ones", async () => {
    const h = manual({ build: "object", count: "2" });
    await h.input({ topic: "temp", payload: 20 });
    await h.input({ topic: "temp", payload: 21 });
    await h.input({ topic: "hum", payload: 40 });
    expect(h.port(0)[0].payload).toEqual({ temp: 21, hum: 40 });
  });

  it("complete messages by key", async () => {
    const h = manual({ build: "object", propertyType: "full", count: "2" });
    await h.input({ topic: "a", payload: 1 });
    await h.input({ topic: "b", payload: 2 });
    expect(h.port(0)[0].payload).toMatchObject({ a: { topic: "a", payload: 1 }, b: { topic: "b", payload: 2 } });
  });

  it("a merged object from object payloads", async () => {
    const h = manual({ build: "merged", count: "3" });
    await h.input({ payload: { a: 1 } });
    await h.input({ payload: { b: 2, a: 3 } });
    await h.input({ payload: { c: 4 } });
    expect(h.port(0)[0].payload).toEqual({ a: 3, b: 2, c: 4 });
    await h.input({ payload: 5 });
    expect(h.warnings[0]).toMatch(/^Cannot merge non-object types/);
  });

  it("a Buffer with a byte joiner; other types are an error", async () => {
    const h = manual({ build: "buffer", count: "2", joinerType: "bin", joiner: "[0]" });
    await h.input({ payload: Buffer.from("ab") });
    await h.input({ payload: "cd" });
    expect([...(h.port(0)[0].payload as Buffer)]).toEqual([97, 98, 0, 99, 100]);
    await h.input({ payload: 42 });
    expect(String(h.errors[0].error)).toMatch(/^Cannot join number to buffer: msg\.payload must be a Buffer, a string or an array of bytes/);
  });

  it("msg.complete sends what has been collected so far", async () => {
    const h = manual({ build: "array" });
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    expect(h.sent).toEqual([]);
    await h.input({ payload: 3, complete: true });
    expect(h.port(0)[0].payload).toEqual([1, 2, 3]);
    expect(h.port(0)[0]).not.toHaveProperty("complete");
    const o = manual({ build: "object" });
    await o.input({ topic: "a", payload: 1 });
    await o.input({ complete: true });
    expect(o.port(0)[0].payload).toEqual({ a: 1 });
  });

  it("a timeout after the first message sends what has arrived", async () => {
    const h = manual({ build: "array", count: "10", timeout: "5" });
    const start = h.clock.now();
    await h.input({ payload: 1 });
    h.clock.advance(3000);
    await h.input({ payload: 2 });
    h.clock.advance(1999);
    expect(h.sent).toEqual([]);
    h.clock.advance(1);
    expect(h.port(0)[0].payload).toEqual([1, 2]);
    expect(h.sent[0].time - start).toBe(5000);
    expect(h.timers.size).toBe(0);
  });

  it("msg.restartTimeout restarts the timeout; msg.reset drops the group without sending", async () => {
    const h = manual({ build: "array", timeout: "5" });
    await h.input({ payload: 1 });
    h.clock.advance(4000);
    await h.input({ payload: 2, restartTimeout: true });
    h.clock.advance(4000);
    expect(h.sent).toEqual([]);
    h.clock.advance(1000);
    expect(h.port(0)[0].payload).toEqual([1, 2]);
    await h.input({ payload: 3 });
    await h.input({ reset: true });
    h.clock.advance(10_000);
    expect(h.sent).toHaveLength(1);
  });

  it("closing the node drops its groups and timers", async () => {
    const h = manual({ build: "array", timeout: "5" });
    await h.input({ payload: 1 });
    await h.close();
    h.clock.advance(10_000);
    expect(h.sent).toEqual([]);
  });

  it("and every subsequent message: the group is sent again with each new message", async () => {
    const h = manual({ build: "object", count: "2", accumulate: true });
    await h.input({ topic: "a", payload: 1 });
    await h.input({ topic: "b", payload: 2 });
    await h.input({ topic: "a", payload: 3 });
    expect(h.port(0).map((m) => m.payload)).toEqual([{ a: 1, b: 2 }, { a: 3, b: 2 }]);
    await h.input({ topic: "c", payload: 4, complete: true });
    await h.input({ topic: "d", payload: 5 });
    expect(h.port(0).map((m) => m.payload)).toEqual([{ a: 1, b: 2 }, { a: 3, b: 2 }, { a: 3, b: 2, c: 4 }]);
  });

  it("a blank count with existing msg.parts takes the count from the parts", async () => {
    const s = runNode(createSplitNode, splitDefinition.config.parse({}));
    await s.input({ payload: { x: 1, y: 2 } });
    const h = manual({ build: "array", useparts: true });
    for (const m of s.port(0)) await h.input(m);
    expect(h.port(0)[0].payload).toEqual([1, 2]);
  });

  it("a message without the key property is ignored with a warning", async () => {
    const h = manual({ build: "object", count: "1" });
    await h.input({ payload: 1 });
    expect(h.sent).toEqual([]);
    expect(h.warnings[0]).toMatch(/Message missing key property 'msg\.topic'/);
  });
});

describe("join: memory stays bounded", () => {
  it(`a group with more than ${MAX_PARTS_PER_GROUP} parts is dropped with an error`, async () => {
    const h = manual({ build: "array" });
    for (let i = 0; i < MAX_PARTS_PER_GROUP; i++) await h.input({ payload: i });
    expect(h.errors).toEqual([]);
    await h.input({ payload: "one too many" });
    expect(String(h.errors[0].error)).toMatch(/more than 10000 parts: it was dropped without sending/);
    await h.input({ payload: "fresh", complete: true });
    expect(h.port(0)[0].payload).toEqual(["fresh"]);
  });

  it("a part index beyond the limit is refused", async () => {
    const h = join();
    await h.input({ payload: 1, parts: { id: "g", type: "array", index: 1e9, count: 1e9 + 1 } });
    expect(String(h.errors[0].error)).toMatch(/msg\.parts\.index 1000000000 is beyond the limit/);
  });

  it(`at most ${MAX_OPEN_GROUPS} unfinished groups are kept; the oldest is dropped`, async () => {
    const h = join();
    for (let g = 0; g <= MAX_OPEN_GROUPS; g++) await h.input({ payload: g, parts: { id: `g${g}`, type: "array", index: 0, count: 2 } });
    expect(h.errors).toHaveLength(1);
    expect(String(h.errors[0].error)).toMatch(/more than 1000 unfinished groups: dropped the oldest \(msg\.parts\.id g0\)/);
    await h.input({ payload: "end", parts: { id: "g1", type: "array", index: 1, count: 2 } });
    expect(h.port(0).map((m) => m.payload)).toEqual([[1, "end"]]);
    // g0's first part is gone: its last part alone does not complete it.
    await h.input({ payload: "end", parts: { id: "g0", type: "array", index: 1, count: 2 } });
    expect(h.sent).toHaveLength(1);
  });
});

describe("join: Node-RED import/export", () => {
  it("a Node-RED join node round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      {
        id: "jn1", type: "join", z: "t1", name: "", mode: "custom", build: "object", property: "payload", propertyType: "msg",
        key: "topic", joiner: "\\n", joinerType: "str", useparts: false, accumulate: true, timeout: "", count: "2",
        reduceRight: false, reduceExp: "", reduceInit: "", reduceInitType: "", reduceFixup: "", x: 470, y: 80, wires: [[]],
      },
    ];
    const lookup = (type: string) => (type === "join" ? joinDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "jn1")).toEqual(flows[1]);
  });
});
