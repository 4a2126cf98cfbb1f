import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { changeDefinition, type ChangeConfig } from "./definition";
import { createChangeNode } from "./runtime";

type RuleInput = Record<string, unknown>;
const configOf = (rules: RuleInput[]): ChangeConfig => changeDefinition.config.parse({ rules });
const run = (rules: RuleInput[], opts: Parameters<typeof runNode>[2] = {}) => runNode(createChangeNode, configOf(rules), opts);

async function through(rules: RuleInput[], msg: Record<string, unknown>, opts: Parameters<typeof runNode>[2] = {}) {
  const h = run(rules, opts);
  await h.input(msg);
  return { h, out: h.port(0)[0] };
}

describe("change: set", () => {
  it("sets msg.payload to a string by default", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "on", tot: "str" }], { payload: 1 });
    expect(out.payload).toBe("on");
  });

  it("sets numbers, booleans and JSON with their types", async () => {
    const { out } = await through(
      [
        { t: "set", p: "a", to: "21.5", tot: "num" },
        { t: "set", p: "b", to: "true", tot: "bool" },
        { t: "set", p: "c", to: "false", tot: "bool" },
        { t: "set", p: "d", to: '{"on":true,"level":[1,2]}', tot: "json" },
      ],
      { payload: null },
    );
    expect(out.a).toBe(21.5);
    expect(out.b).toBe(true);
    expect(out.c).toBe(false);
    expect(out.d).toEqual({ on: true, level: [1, 2] });
  });

  it("gives each message its own copy of a JSON value", async () => {
    const h = run([{ t: "set", p: "payload", to: '{"n":1}', tot: "json" }]);
    await h.input({});
    (h.port(0)[0].payload as { n: number }).n = 99;
    await h.input({});
    expect(h.port(0)[1].payload).toEqual({ n: 1 });
  });

  it("creates the objects on a deep path", async () => {
    const { out } = await through([{ t: "set", p: "payload.light.level", to: "80", tot: "num" }], { payload: undefined });
    expect(out.payload).toEqual({ light: { level: 80 } });
  });

  it("creates arrays for numeric path parts", async () => {
    const { out } = await through([{ t: "set", p: "payload.list[0].v", to: "x", tot: "str" }], {});
    expect(out.payload).toEqual({ list: [{ v: "x" }] });
  });

  it("refuses to set below a string and warns, like Node-RED", async () => {
    const { h, out } = await through([{ t: "set", p: "payload.level", to: "5", tot: "num" }], { payload: "on" });
    expect(out.payload).toBe("on");
    expect(h.warnings[0]).toMatch(/cannot set msg\.payload\.level/);
  });

  it("copies another msg property (shared reference unless deep copy is on)", async () => {
    const shared = { v: 1 };
    const { out } = await through([{ t: "set", p: "payload", to: "data", tot: "msg" }], { data: shared });
    expect(out.payload).toBe(shared);
    const deep = await through([{ t: "set", p: "payload", to: "data", tot: "msg", dc: true }], { data: shared });
    expect(deep.out.payload).toEqual(shared);
    expect(deep.out.payload).not.toBe(shared);
  });

  it("migrates old rules whose value is 'msg.x' without a type", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "msg.topic" }], { topic: "a/b" });
    expect(out.payload).toBe("a/b");
  });

  it("setting from a missing msg property deletes the target", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "nothing", tot: "msg" }], { payload: 5 });
    expect("payload" in out).toBe(false);
  });

  it("sets the current time from the clock as a timestamp, ISO string or Date", async () => {
    const { h, out } = await through(
      [
        { t: "set", p: "ts", to: "", tot: "date" },
        { t: "set", p: "iso", to: "iso", tot: "date" },
        { t: "set", p: "obj", to: "object", tot: "date" },
      ],
      {},
    );
    const now = h.clock.now();
    expect(out.ts).toBe(now);
    expect(out.iso).toBe(new Date(now).toISOString());
    expect(out.obj).toEqual(new Date(now));
  });

  it("sets an environment variable's value", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "HOUSE", tot: "env" }], {}, { env: { HOUSE: "villa" } });
    expect(out.payload).toBe("villa");
  });

  it("sets a Buffer from a byte array", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "[104,105]", tot: "bin" }], {});
    expect(Buffer.isBuffer(out.payload)).toBe(true);
    expect((out.payload as Buffer).toString()).toBe("hi");
  });
});

describe("change: change (search and replace)", () => {
  it("turns a motion topic into the matching light topic with a regex group", async () => {
    const rules = [{ t: "change", p: "topic", pt: "msg", from: "^house/([^/]+)/motion$", fromt: "re", to: "house/$1/light", tot: "str" }];
    const h = run(rules);
    await h.input({ topic: "house/garage/motion", payload: "1" });
    await h.input({ topic: "house/hall/motion", payload: "1" });
    await h.input({ topic: "house/garage/door", payload: "1" });
    expect(h.port(0).map((m) => m.topic)).toEqual(["house/garage/light", "house/hall/light", "house/garage/door"]);
  });

  it("replaces every occurrence of a plain string, treating regex characters literally", async () => {
    const { out } = await through([{ t: "change", p: "payload", from: "a.b", fromt: "str", to: "X", tot: "str" }], {
      payload: "a.b a.b axb",
    });
    expect(out.payload).toBe("X X axb");
  });

  it("replaces the whole value, keeping the new type, when the string equals the search", async () => {
    const { out } = await through([{ t: "change", p: "payload", from: "on", fromt: "str", to: "1", tot: "num" }], { payload: "on" });
    expect(out.payload).toBe(1);
  });

  it("changes a number only when it equals a number search", async () => {
    const rules = [{ t: "change", p: "payload", from: "1", fromt: "num", to: "on", tot: "str" }];
    const h = run(rules);
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    await h.input({ payload: "1" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["on", 2, "on"]);
  });

  it("changes a boolean only when it equals a boolean search", async () => {
    const rules = [{ t: "change", p: "payload", from: "true", fromt: "bool", to: "ON", tot: "str" }];
    const h = run(rules);
    await h.input({ payload: true });
    await h.input({ payload: false });
    expect(h.port(0).map((m) => m.payload)).toEqual(["ON", false]);
  });

  it("leaves objects and missing properties alone", async () => {
    const rules = [{ t: "change", p: "payload", from: "a", fromt: "str", to: "b", tot: "str" }];
    const h = run(rules);
    await h.input({ payload: { a: "a" } });
    await h.input({});
    expect(h.port(0)[0].payload).toEqual({ a: "a" });
    expect("payload" in h.port(0)[1]).toBe(false);
  });

  it("searches for a value read from the message", async () => {
    const { out } = await through([{ t: "change", p: "payload", from: "find", fromt: "msg", to: "-", tot: "str" }], {
      payload: "a1b1",
      find: "1",
    });
    expect(out.payload).toBe("a-b-");
  });

  it("reports and drops a message whose search value is not searchable", async () => {
    const { h } = await through([{ t: "change", p: "payload", from: "find", fromt: "msg", to: "-", tot: "str" }], {
      payload: "a",
      find: { x: 1 },
    });
    expect(h.sent).toHaveLength(0);
    expect(String(h.errors[0].error)).toMatch(/search value must be a string/);
  });
});

describe("change: delete and move", () => {
  it("deletes a property, deep ones too", async () => {
    const { out } = await through(
      [
        { t: "delete", p: "topic" },
        { t: "delete", p: "payload.secret" },
      ],
      { topic: "t", payload: { secret: 1, keep: 2 } },
    );
    expect("topic" in out).toBe(false);
    expect(out.payload).toEqual({ keep: 2 });
  });

  it("moves a property to another", async () => {
    const { out } = await through([{ t: "move", p: "payload", pt: "msg", to: "data", tot: "msg" }], { payload: 5 });
    expect(out.data).toBe(5);
    expect("payload" in out).toBe(false);
  });

  it("moves a property to a sub-property of itself", async () => {
    const { out } = await through([{ t: "move", p: "payload", to: "payload.value", tot: "msg" }], { payload: 21.5 });
    expect(out.payload).toEqual({ value: 21.5 });
    expect("_temp_move" in out).toBe(false);
  });

  it("moves a sub-property up onto its parent", async () => {
    const { out } = await through([{ t: "move", p: "payload.value", to: "payload", tot: "msg" }], { payload: { value: { on: true } } });
    expect(out.payload).toEqual({ on: true });
  });

  it("moving a missing property deletes the destination", async () => {
    const { out } = await through([{ t: "move", p: "nothing", to: "payload", tot: "msg" }], { payload: 1 });
    expect("payload" in out).toBe(false);
  });
});

describe("change: configuration", () => {
  it("applies rules in order", async () => {
    const { out } = await through(
      [
        { t: "set", p: "payload", to: "a", tot: "str" },
        { t: "change", p: "payload", from: "a", fromt: "str", to: "b", tot: "str" },
        { t: "move", p: "payload", to: "result", tot: "msg" },
      ],
      {},
    );
    expect(out.result).toBe("b");
  });

  it("keeps unknown Node-RED fields and applies defaults", () => {
    const config = changeDefinition.config.parse({ custom: 1, rules: [{ t: "set", p: "payload", to: "x", tot: "str", extra: true }] });
    expect(config.custom).toBe(1);
    expect((config.rules[0] as Record<string, unknown>).extra).toBe(true);
    expect(changeDefinition.config.parse({}).rules).toEqual([{ t: "set", p: "payload", pt: "msg", to: "", tot: "str", from: "" }]);
  });

  it("labels like Node-RED", () => {
    expect(changeDefinition.label(changeDefinition.config.parse({}))).toBe("set msg.payload");
    expect(changeDefinition.label(configOf([{ t: "change", p: "topic", to: "" }]))).toBe("change msg.topic");
    expect(changeDefinition.label(configOf([{ t: "delete", p: "a" }, { t: "delete", p: "b" }]))).toBe("change: 2 rules");
  });

  it("explains invalid values, regexes and paths before deploy", () => {
    const result = changeDefinition.config.safeParse({
      rules: [
        { t: "set", p: "payload", to: "abc", tot: "num" },
        { t: "set", p: "payload", to: "{bad", tot: "json" },
        { t: "change", p: "topic", from: "([", fromt: "re", to: "x", tot: "str" },
        { t: "set", p: "a..b", to: "x", tot: "str" },
      ],
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^rules\.0\.to: rule 1 \(set msg\.payload\): "abc" is not a number/),
      expect.stringMatching(/^rules\.1\.to: rule 2 \(set msg\.payload\): value is not valid JSON/),
      expect.stringMatching(/^rules\.2\.from: rule 3 \(change msg\.topic\): '\(\[' is not a valid regular expression/),
      expect.stringMatching(/^rules\.3\.p: rule 4 \(set msg\.a\.\.b\): property path "a\.\.b" has an empty part/),
    ]);
  });

  it("refuses flow, global and JSONata values at start with a clear message", () => {
    expect(() => run([{ t: "set", p: "payload", to: "x", tot: "flow" }])).toThrow(
      /rule 1 \(set msg\.payload\): value type 'flow' \(flow context\) is not supported yet/,
    );
    expect(() => run([{ t: "set", p: "x", pt: "global", to: "1", tot: "num" }])).toThrow(/'global' \(global context\) is not supported yet/);
    expect(() => run([{ t: "set", p: "payload", to: "$now()", tot: "jsonata" }])).toThrow(/JSONata expressions\) is not supported yet/);
  });
});
