import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { changeDefinition, type ChangeConfig } from "./definition";
import { createChangeNode } from "./runtime";

type RuleInput = Record<string, unknown>;
const configOf = (rules: RuleInput[]): ChangeConfig => changeDefinition.config.parse({ rules });
const run = (rules: RuleInput[], opts: Parameters<typeof runNode>[2] = {}) => runNode(createChangeNode, configOf(rules), opts);
/** Starts the node on a config the editor did not validate (an imported or hand-written flow). */
const startUnchecked = (rules: RuleInput[]) => runNode(createChangeNode, { rules } as unknown as ChangeConfig);

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

  it("refuses an unknown property type or an empty context key at start", () => {
    expect(() => startUnchecked([{ t: "set", p: "x", pt: "file", to: "1", tot: "num" }])).toThrow(
      "rule 1 (set file.x): property type 'file' is not known; use msg, flow or global",
    );
    expect(() => startUnchecked([{ t: "set", p: "payload", to: "", tot: "flow" }])).toThrow("rule 1 (set msg.payload): flow context key is empty");
  });
});

describe("change: flow and global context", () => {
  it("sets flow and global context values from the message", async () => {
    const h = run([
      { t: "set", p: "lastMotion", pt: "flow", to: "topic", tot: "msg" },
      { t: "set", p: "rooms.garage", pt: "global", to: "payload", tot: "msg" },
    ]);
    await h.input({ topic: "house/garage/motion", payload: { on: true } });
    expect(h.context.scope("flow", "f1").get("lastMotion")).toBe("house/garage/motion");
    expect(h.context.scope("global", "").get("rooms")).toEqual({ garage: { on: true } });
    // the message itself goes on unchanged
    expect(h.port(0)[0]).toMatchObject({ topic: "house/garage/motion", payload: { on: true } });
  });

  it("sets the message from flow and global context, deep keys and store prefixes included", async () => {
    const h = run([
      { t: "set", p: "mode", to: "mode", tot: "flow" },
      { t: "set", p: "kitchen", to: "#:(file)::rooms.kitchen", tot: "global" },
      { t: "set", p: "missing", to: "nothing", tot: "flow" },
    ]);
    h.context.scope("flow", "f1").set("mode", "away");
    h.context.scope("global", "").set("rooms", { kitchen: 21.5 });
    await h.input({ missing: "was here" });
    const out = h.port(0)[0];
    expect(out.mode).toBe("away");
    expect(out.kitchen).toBe(21.5);
    // a missing context value deletes the target, as a missing msg property does
    expect("missing" in out).toBe(false);
  });

  it("reads context at every message, not once at start", async () => {
    const h = run([{ t: "set", p: "payload", to: "mode", tot: "flow" }]);
    const flow = h.context.scope("flow", "f1");
    flow.set("mode", "home");
    await h.input({});
    flow.set("mode", "away");
    await h.input({});
    expect(h.port(0).map((m) => m.payload)).toEqual(["home", "away"]);
  });

  it("gives the message a copy: changing it does not change the context value", async () => {
    const h = run([{ t: "set", p: "payload", to: "settings", tot: "global" }]);
    h.context.scope("global", "").set("settings", { level: 1 });
    await h.input({});
    (h.port(0)[0].payload as { level: number }).level = 99;
    expect(h.context.scope("global", "").get("settings")).toEqual({ level: 1 });
  });

  it("changes (search and replace) and deletes context values", async () => {
    const h = run([
      { t: "change", p: "state", pt: "flow", from: "on", fromt: "str", to: "ON", tot: "str" },
      { t: "change", p: "count", pt: "flow", from: "1", fromt: "num", to: "one", tot: "str" },
      { t: "delete", p: "#:(memory)::old", pt: "global" },
    ]);
    const flow = h.context.scope("flow", "f1");
    flow.set("state", "light on, fan on");
    flow.set("count", 1);
    h.context.scope("global", "").set("old", 5);
    await h.input({});
    expect(flow.get("state")).toBe("light ON, fan ON");
    expect(flow.get("count")).toBe("one");
    expect(h.context.scope("global", "").keys()).not.toContain("old");
    expect(h.sent).toHaveLength(1);
  });

  it("searches for a value kept in context", async () => {
    const h = run([{ t: "change", p: "payload", from: "secret", fromt: "global", to: "***", tot: "str" }]);
    h.context.scope("global", "").set("secret", "hunter2");
    await h.input({ payload: "password is hunter2" });
    expect(h.port(0)[0].payload).toBe("password is ***");
  });

  it("moves between the message and context, and within context", async () => {
    const h = run([
      { t: "move", p: "payload", pt: "msg", to: "saved", tot: "flow" },
      { t: "move", p: "a", pt: "flow", to: "b", tot: "flow" },
      { t: "move", p: "fromGlobal", pt: "global", to: "restored", tot: "msg" },
    ]);
    const flow = h.context.scope("flow", "f1");
    flow.set("a", "A");
    h.context.scope("global", "").set("fromGlobal", [1, 2]);
    await h.input({ payload: 42 });
    const out = h.port(0)[0];
    expect("payload" in out).toBe(false);
    expect(flow.get("saved")).toBe(42);
    expect(flow.get("b")).toBe("A");
    expect(flow.keys()).not.toContain("a");
    expect(out.restored).toEqual([1, 2]);
    expect(h.context.scope("global", "").keys()).not.toContain("fromGlobal");
  });

  it("explains bad context keys before deploy", () => {
    const result = changeDefinition.config.safeParse({
      rules: [
        { t: "set", p: "a..b", pt: "flow", to: "1", tot: "num" },
        { t: "set", p: "payload", to: "x[", tot: "global" },
        { t: "move", p: "payload", to: "x", tot: "num" },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      'rules.0.p: rule 1 (set flow.a..b): flow context key: property path "a..b" has an empty part at position 3',
      'rules.1.to: rule 2 (set msg.payload): global context key: property path "x[" has "[" without a closing "]"',
      "rules.2.tot: rule 3 (move msg.payload): can only move to a msg, flow or global property, not 'num'",
    ]);
  });
});

describe("change: JSONata", () => {
  it("sets a value from an expression evaluated against the message", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "payload.celsius * 9 / 5 + 32", tot: "jsonata" }], {
      payload: { celsius: 20 },
    });
    expect(out.payload).toBe(68);
  });

  it("builds objects and arrays and sums readings", async () => {
    const { out } = await through(
      [
        { t: "set", p: "total", to: "$sum(payload.readings)", tot: "jsonata" },
        { t: "set", p: "summary", to: '{"room": topic, "max": $max(payload.readings)}', tot: "jsonata" },
        { t: "set", p: "nothing", to: "payload.missing", tot: "jsonata" },
      ],
      { topic: "kitchen", payload: { readings: [1, 5, 3] }, nothing: "x" },
    );
    expect(out.total).toBe(9);
    expect(out.summary).toEqual({ room: "kitchen", max: 5 });
    // no match: undefined, which deletes the target (Node-RED does the same)
    expect("nothing" in out).toBe(false);
  });

  it("accepts Node-RED's legacy expressions that name msg", async () => {
    const { out } = await through([{ t: "set", p: "payload", to: "msg.payload & ' in ' & msg.topic", tot: "jsonata" }], {
      payload: "motion",
      topic: "garage",
    });
    expect(out.payload).toBe("motion in garage");
  });

  it("reads flow and global context and environment variables with $flowContext, $globalContext and $env", async () => {
    const h = run(
      [{ t: "set", p: "payload", to: "[$flowContext('mode'), $globalContext('#:(file)::house.name'), $env('ZONE'), $env('NOPE')]", tot: "jsonata" }],
      { env: { ZONE: "north" } },
    );
    h.context.scope("flow", "f1").set("mode", "away");
    h.context.scope("global", "").set("house", { name: "villa" });
    await h.input({});
    expect(h.port(0)[0].payload).toEqual(["away", "villa", "north", ""]);
  });

  it("$now() and $millis() use the node's clock", async () => {
    const h = run([{ t: "set", p: "payload", to: "[$millis(), $now()]", tot: "jsonata" }]);
    await h.input({});
    const now = h.clock.now();
    expect(h.port(0)[0].payload).toEqual([now, new Date(now).toISOString()]);
  });

  it("counts messages in flow context: every message sees the previous one's write, in order", async () => {
    const h = run([
      { t: "set", p: "count", pt: "flow", to: "$flowContext('count') ? $flowContext('count') + 1 : 1", tot: "jsonata" },
      { t: "set", p: "payload", to: "count", tot: "flow" },
    ]);
    // Fed without waiting, as the runtime does: the node must queue them.
    const pending = [1, 2, 3, 4, 5].map((n) => h.node.input!({ _msgid: `m${n}`, n }));
    await Promise.all(pending);
    expect(h.port(0).map((m) => [m.n, m.payload])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(h.context.scope("flow", "f1").get("count")).toBe(5);
  });

  it("keeps the order of messages when only some rules need an expression", async () => {
    const h = run([
      { t: "set", p: "payload", to: "payload * 2", tot: "jsonata" },
      { t: "set", p: "seen", to: "true", tot: "bool" },
    ]);
    const pending = [1, 2, 3].map((payload, i) => h.node.input!({ _msgid: `m${i}`, payload }));
    await Promise.all(pending);
    expect(h.port(0).map((m) => m.payload)).toEqual([2, 4, 6]);
  });

  it("stays synchronous when no rule uses JSONata", () => {
    const h = run([{ t: "set", p: "payload", to: "on", tot: "str" }]);
    const result = h.node.input!({ _msgid: "m1", payload: 1 });
    expect(result).toBeUndefined();
    expect(h.port(0)[0].payload).toBe("on");
  });

  it("refuses an expression with a syntax error at start, naming the expression and the position", () => {
    expect(() => startUnchecked([{ t: "set", p: "payload", to: "$sum(payload", tot: "jsonata" }])).toThrow(
      `rule 1 (set msg.payload): JSONata expression '$sum(payload' : line 1, position 12: expected ")" before end of expression`,
    );
  });

  it("shows an expression's syntax error before deploy", () => {
    const result = changeDefinition.config.safeParse({ rules: [{ t: "set", p: "payload", to: "payload +\n  )", tot: "jsonata" }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toBe(
      `rule 1 (set msg.payload): JSONata expression 'payload +\n  )' : line 2, position 3: the symbol ")" cannot be used as a unary operator`,
    );
  });

  it("reports an expression that fails on a message, drops that message and goes on with the next", async () => {
    const h = run([{ t: "set", p: "payload", to: "$number(payload)", tot: "jsonata" }]);
    await h.input({ payload: "abc" });
    await h.input({ payload: "12" });
    expect(h.port(0).map((m) => m.payload)).toEqual([12]);
    expect(h.errors).toHaveLength(1);
    expect(String(h.errors[0].error)).toMatch(/^Error: rule 1 \(set msg\.payload\): JSONata expression '\$number\(payload\)' : line 1, position \d+: /);
    expect(h.errors[0].msg).toMatchObject({ payload: "abc" });
  });

  it("deep-copies an expression's result when asked", async () => {
    const shared = { v: 1 };
    const { out } = await through([{ t: "set", p: "copy", to: "data", tot: "jsonata", dc: true }], { data: shared });
    expect(out.copy).toEqual(shared);
    expect(out.copy).not.toBe(shared);
  });

  it("sends nothing after close, even for a message whose expression was still running", async () => {
    const h = run([{ t: "set", p: "payload", to: "payload + 1", tot: "jsonata" }]);
    const pending = h.node.input!({ _msgid: "m1", payload: 1 });
    await h.close();
    await pending;
    expect(h.sent).toHaveLength(0);
  });
});

describe("change: Node-RED import and export", () => {
  const exported = [
    { id: "t1", type: "tab", label: "Climate", disabled: false, info: "", env: [] },
    {
      id: "c1",
      type: "change",
      z: "t1",
      name: "Fahrenheit + remember",
      rules: [
        { t: "set", p: "payload", pt: "msg", to: "payload * 9 / 5 + 32", tot: "jsonata" },
        { t: "set", p: "#:(file)::lastTemp", pt: "flow", to: "payload", tot: "msg", dc: true },
        { t: "change", p: "topic", pt: "msg", from: "celsius", fromt: "str", to: "fahrenheit", tot: "str" },
        { t: "move", p: "unit", pt: "msg", to: "unit", tot: "global" },
      ],
      action: "",
      property: "",
      from: "",
      to: "",
      reg: false,
      x: 320,
      y: 140,
      wires: [["d1"]],
    },
  ];

  it("imports a realistic export, runs it, and exports it unchanged", async () => {
    const { document, issues } = fromNodeRed(exported);
    expect(issues).toEqual([]);
    const node = document.flows[0].nodes[0];
    const config = changeDefinition.config.parse(node.config);
    const h = runNode(createChangeNode, config);
    await h.input({ topic: "kitchen/celsius", payload: 20, unit: "F" });
    expect(h.port(0)[0]).toMatchObject({ topic: "kitchen/fahrenheit", payload: 68 });
    expect(h.context.scope("flow", "f1").get("lastTemp")).toBe(68);
    expect(h.context.scope("global", "").get("unit")).toBe("F");
    const back = toNodeRed(document).find((n) => n.id === "c1");
    expect(back).toEqual(exported[1]);
  });
});
