import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { switchDefinition, type SwitchConfig } from "./definition";
import { createSwitchNode } from "./runtime";

type RuleInput = Record<string, unknown>;
const configOf = (rules: RuleInput[], extra: Record<string, unknown> = {}): SwitchConfig =>
  switchDefinition.config.parse({ property: "payload", propertyType: "msg", rules, checkall: "true", outputs: rules.length, ...extra });

/** Feeds each payload and returns, per payload, the list of ports it came out of. */
async function route(rules: RuleInput[], payloads: unknown[], extra: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const h = runNode(createSwitchNode, configOf(rules, extra), { env });
  const result: number[][] = [];
  for (const payload of payloads) {
    const before = h.sent.length;
    await h.input({ payload });
    result.push(h.sent.slice(before).map((s) => s.port));
  }
  return result;
}

/** Whether a single rule matches each payload. */
async function matches(rule: RuleInput, payloads: unknown[]) {
  return (await route([rule], payloads)).map((ports) => ports.length === 1);
}

describe("switch operators", () => {
  it("== compares loosely like Node-RED ('5' equals 5)", async () => {
    expect(await matches({ t: "eq", v: "5", vt: "num" }, [5, "5", 6, "five"])).toEqual([true, true, false, false]);
    expect(await matches({ t: "eq", v: "on", vt: "str" }, ["on", "ON", 1])).toEqual([true, false, false]);
  });

  it("!= is the opposite of ==", async () => {
    expect(await matches({ t: "neq", v: "5", vt: "num" }, [5, "5", 6])).toEqual([false, false, true]);
  });

  it("<, <=, >, >= compare numbers as numbers, even when the payload is text", async () => {
    expect(await matches({ t: "lt", v: "10", vt: "num" }, [9, 10, "9", "100"])).toEqual([true, false, true, false]);
    expect(await matches({ t: "lte", v: "10", vt: "num" }, [10, 11])).toEqual([true, false]);
    expect(await matches({ t: "gt", v: "25", vt: "num" }, [25.5, 25, "30"])).toEqual([true, false, true]);
    expect(await matches({ t: "gte", v: "25", vt: "num" }, [25, 24.9])).toEqual([true, false]);
  });

  it("infers a number type for rules saved without one", async () => {
    expect(await matches({ t: "gt", v: "9" }, ["10"])).toEqual([true]);
  });

  it("is between is inclusive and accepts the bounds in either order", async () => {
    const rule = { t: "btwn", v: "18", vt: "num", v2: "22", v2t: "num" };
    expect(await matches(rule, [18, 20, 22, 17.9, 22.1])).toEqual([true, true, true, false, false]);
    expect(await matches({ ...rule, v: "22", v2: "18" }, [18, 20, 23])).toEqual([true, true, false]);
  });

  it("contains looks inside the text of the property", async () => {
    expect(await matches({ t: "cont", v: "motion", vt: "str" }, ["house/motion", "light", 123])).toEqual([true, false, false]);
    expect(await matches({ t: "cont", v: "2", vt: "num" }, [123])).toEqual([true]);
  });

  it("matches regex, optionally ignoring case", async () => {
    expect(await matches({ t: "regex", v: "^on$", vt: "str" }, ["on", "ON", "only"])).toEqual([true, false, false]);
    expect(await matches({ t: "regex", v: "^on$", vt: "str", case: true }, ["on", "ON"])).toEqual([true, true]);
  });

  it("is true / is false only match the booleans", async () => {
    expect(await matches({ t: "true" }, [true, "true", 1])).toEqual([true, false, false]);
    expect(await matches({ t: "false" }, [false, "false", 0])).toEqual([true, false, false]);
  });

  it("is null matches null and missing; is not null the rest", async () => {
    expect(await matches({ t: "null" }, [null, undefined, 0, ""])).toEqual([true, true, false, false]);
    expect(await matches({ t: "nnull" }, [null, undefined, 0, ""])).toEqual([false, false, true, true]);
  });

  it("is of type tells strings, numbers, booleans, arrays, buffers, objects, JSON, undefined and null apart", async () => {
    const samples = ["s", 1, true, [1], Buffer.from("b"), { a: 1 }, null, undefined];
    const table = async (type: string) => matches({ t: "istype", v: type, vt: type }, samples);
    expect(await table("string")).toEqual([true, false, false, false, false, false, false, false]);
    expect(await table("number")).toEqual([false, true, false, false, false, false, false, false]);
    expect(await table("boolean")).toEqual([false, false, true, false, false, false, false, false]);
    expect(await table("array")).toEqual([false, false, false, true, false, false, false, false]);
    expect(await table("buffer")).toEqual([false, false, false, false, true, false, false, false]);
    expect(await table("object")).toEqual([false, false, false, false, false, true, false, false]);
    expect(await table("null")).toEqual([false, false, false, false, false, false, true, false]);
    expect(await table("undefined")).toEqual([false, false, false, false, false, false, false, true]);
    expect(await matches({ t: "istype", v: "json", vt: "json" }, ['{"a":1}', "nope", "12"])).toEqual([true, false, true]);
  });

  it("is empty / is not empty look at strings, arrays, buffers and objects", async () => {
    const samples = ["", "x", [], [1], Buffer.alloc(0), {}, { a: 1 }, 0, null];
    expect(await matches({ t: "empty" }, samples)).toEqual([true, false, true, false, true, true, false, false, false]);
    expect(await matches({ t: "nempty" }, samples)).toEqual([false, true, false, true, false, false, true, false, false]);
  });

  it("has key checks an object's own keys", async () => {
    expect(await matches({ t: "hask", v: "on", vt: "str" }, [{ on: false }, { off: 1 }, null])).toEqual([true, false, false]);
  });

  it("compares with another msg property, an environment variable, a boolean or the previous value", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "gt", v: "threshold", vt: "msg" }]));
    await h.input({ payload: 30, threshold: 25 });
    await h.input({ payload: 20, threshold: 25 });
    expect(h.sent).toHaveLength(1);

    expect(await route([{ t: "eq", v: "MODE", vt: "env" }], ["away", "home"], {}, { MODE: "away" })).toEqual([[0], []]);
    expect(await matches({ t: "eq", v: "true", vt: "bool" }, [true, false])).toEqual([true, false]);
    // report by exception: only when the value differs from the previous one (null at first)
    expect(await route([{ t: "neq", v: "", vt: "prev" }], [1, 1, 2, 2, 1])).toEqual([[0], [], [0], [], [0]]);
  });

  it("can test a deep property", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "gt", v: "25", vt: "num" }], { property: "payload.temperature" }));
    await h.input({ payload: { temperature: 26 } });
    await h.input({ payload: {} });
    expect(h.sent.map((s) => s.port)).toEqual([0]);
  });
});

describe("switch routing", () => {
  const rules = [
    { t: "gt", v: "25", vt: "num" },
    { t: "gt", v: "20", vt: "num" },
    { t: "else" },
  ];

  it("checking all rules sends to every matching output", async () => {
    expect(await route(rules, [30, 22, 10], { checkall: "true" })).toEqual([[0, 1], [1], [2]]);
  });

  it("stopping after the first match sends to one output only", async () => {
    expect(await route(rules, [30, 22, 10], { checkall: "false" })).toEqual([[0], [1], [2]]);
  });

  it("otherwise matches only when no earlier rule matched", async () => {
    const withElseInMiddle = [{ t: "eq", v: "a", vt: "str" }, { t: "else" }, { t: "eq", v: "b", vt: "str" }];
    expect(await route(withElseInMiddle, ["a", "b", "c"])).toEqual([[0], [1, 2], [1]]);
  });

  it("sends separate message objects to separate outputs", async () => {
    const h = runNode(createSwitchNode, configOf(rules));
    await h.input({ payload: 30 });
    const [first, second] = h.sent;
    expect(first.msg).not.toBe(second.msg);
    expect(first.msg).toEqual(second.msg);
  });

  it("sends nothing when no rule matches", async () => {
    expect(await route([{ t: "eq", v: "x", vt: "str" }], ["y"])).toEqual([[]]);
  });

  it("reports a regex read from the message that does not compile", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "regex", v: "pattern", vt: "msg" }]));
    await h.input({ payload: "x", pattern: "([" });
    expect(h.sent).toHaveLength(0);
    expect(String(h.errors[0].error)).toMatch(/Invalid regular expression/);
  });
});

describe("switch configuration", () => {
  it("has one output per rule and Node-RED's label and defaults", () => {
    const config = switchDefinition.config.parse({});
    expect(config).toMatchObject({ property: "payload", propertyType: "msg", checkall: "true", outputs: 1 });
    expect(switchDefinition.outputs(configOf([{ t: "true" }, { t: "false" }, { t: "else" }]))).toBe(3);
    expect(switchDefinition.label(config)).toBe("switch");
  });

  it("accepts checkall as a boolean and keeps unknown fields", () => {
    const config = switchDefinition.config.parse({ checkall: false, rules: [], custom: "kept" });
    expect(config.checkall).toBe("false");
    expect(config.custom).toBe("kept");
  });

  it("explains bad numbers, regexes and types before deploy", () => {
    const result = switchDefinition.config.safeParse({
      rules: [
        { t: "gt", v: "warm", vt: "num" },
        { t: "regex", v: "([", vt: "str" },
        { t: "istype", v: "thing", vt: "thing" },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      'rules.0.v: rule 1 (>): "warm" is not a number',
      expect.stringMatching(/^rules\.1\.v: rule 2 \(matches regex\): '\(\[' is not a valid regular expression/),
      expect.stringMatching(/^rules\.2\.v: rule 3 \(is of type\): type 'thing' is not known/),
    ]);
  });

  it("refuses sequence rules and unknown property types at start with a clear message", () => {
    expect(() => runNode(createSwitchNode, configOf([{ t: "head", v: "2", vt: "num" }]))).toThrow(
      "rule 1 (head): this rule type (message sequences) is not supported yet",
    );
    const unchecked = { property: "x", propertyType: "file", rules: [{ t: "true" }], checkall: "true", outputs: 1 } as unknown as SwitchConfig;
    expect(() => runNode(createSwitchNode, unchecked)).toThrow("property: property type 'file' is not known; use msg, flow, global, jsonata, env");
  });
});

describe("switch: flow and global context", () => {
  it("routes by a flow or global context value", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "eq", v: "away", vt: "str" }, { t: "else" }], { property: "mode", propertyType: "flow" }));
    const flow = h.context.scope("flow", "f1");
    flow.set("mode", "home");
    await h.input({ payload: "motion" });
    flow.set("mode", "away");
    await h.input({ payload: "motion" });
    expect(h.sent.map((s) => s.port)).toEqual([1, 0]);

    const g = runNode(createSwitchNode, configOf([{ t: "true" }], { property: "#:(file)::house.armed", propertyType: "global" }));
    g.context.scope("global", "").set("house", { armed: true });
    await g.input({});
    expect(g.sent).toHaveLength(1);
  });

  it("compares with thresholds kept in context, read at every message", async () => {
    const h = runNode(
      createSwitchNode,
      configOf([
        { t: "gt", v: "threshold", vt: "flow" },
        { t: "btwn", v: "low", vt: "global", v2: "#:(memory)::high", v2t: "global" },
      ]),
    );
    const flow = h.context.scope("flow", "f1");
    const global = h.context.scope("global", "");
    flow.set("threshold", 25);
    global.set("low", 18);
    global.set("high", 22);
    await h.input({ payload: 26 });
    await h.input({ payload: 20 });
    flow.set("threshold", 30);
    await h.input({ payload: 26 });
    expect(h.sent.map((s) => [s.msg.payload, s.port])).toEqual([
      [26, 0],
      [20, 1],
    ]);
  });

  it("explains a bad context key before deploy", () => {
    const result = switchDefinition.config.safeParse({ property: "", propertyType: "flow", rules: [{ t: "eq", v: "a..b", vt: "global" }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "property: property: flow context key is empty",
      'rules.0.v: rule 1 (==): global context key: property path "a..b" has an empty part at position 3',
    ]);
  });
});

describe("switch: JSONata", () => {
  it("routes by an expression on the message", async () => {
    const rules = [{ t: "gt", v: "2", vt: "num" }, { t: "else" }];
    const h = runNode(createSwitchNode, configOf(rules, { property: "payload.temperature - payload.setpoint", propertyType: "jsonata" }));
    await h.input({ payload: { temperature: 24, setpoint: 21 } });
    await h.input({ payload: { temperature: 21, setpoint: 21 } });
    expect(h.sent.map((s) => s.port)).toEqual([0, 1]);
  });

  it("compares with an expression's value, which can read context and env", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "eq", v: "$flowContext('mode') & '-' & $env('ZONE')", vt: "jsonata" }]), {
      env: { ZONE: "north" },
    });
    h.context.scope("flow", "f1").set("mode", "away");
    await h.input({ payload: "away-north" });
    await h.input({ payload: "home-north" });
    expect(h.sent.map((s) => s.msg.payload)).toEqual(["away-north"]);
  });

  it("a JSONata rule matches only when its expression gives true", async () => {
    const rule = { t: "jsonata_exp", v: "payload.temperature > 25 and $globalContext('armed')", vt: "jsonata" };
    const h = runNode(createSwitchNode, configOf([rule, { t: "jsonata_exp", v: "payload.temperature", vt: "jsonata" }]));
    h.context.scope("global", "").set("armed", true);
    await h.input({ payload: { temperature: 26 } });
    h.context.scope("global", "").set("armed", false);
    await h.input({ payload: { temperature: 27 } });
    // the second rule gives a number, not true: never a match
    expect(h.sent.map((s) => [(s.msg.payload as { temperature: number }).temperature, s.port])).toEqual([[26, 0]]);
  });

  it("gives sequence members $I and $N", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "jsonata_exp", v: "$I = $N - 1", vt: "jsonata" }]));
    for (let index = 0; index < 3; index++) await h.input({ payload: index, parts: { id: "p", index, count: 3 } });
    expect(h.sent.map((s) => s.msg.payload)).toEqual([2]);
  });

  it("handles messages in arrival order while expressions are evaluated, previous value included", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "neq", v: "", vt: "prev" }], { property: "payload.v", propertyType: "jsonata" }));
    const values = [1, 1, 2, 2, 1, 3];
    // Fed without waiting, as the runtime does: the node must queue them.
    await Promise.all(values.map((v, i) => h.node.input!({ _msgid: `m${i}`, payload: { v } })));
    expect(h.sent.map((s) => (s.msg.payload as { v: number }).v)).toEqual([1, 2, 1, 3]);
  });

  it("routes synchronously when nothing uses JSONata", () => {
    const h = runNode(createSwitchNode, configOf([{ t: "eq", v: "on", vt: "str" }]));
    expect(h.node.input!({ _msgid: "m1", payload: "on" })).toBeUndefined();
    expect(h.sent).toHaveLength(1);
  });

  it("refuses an expression with a syntax error at start, naming it and the position", () => {
    const unchecked = (extra: Record<string, unknown>) =>
      ({ property: "payload", propertyType: "msg", rules: [{ t: "true" }], checkall: "true", outputs: 1, ...extra }) as unknown as SwitchConfig;
    expect(() => runNode(createSwitchNode, unchecked({ property: "$sum(payload", propertyType: "jsonata" }))).toThrow(
      `property: JSONata expression '$sum(payload' : line 1, position 12: expected ")" before end of expression`,
    );
    expect(() => runNode(createSwitchNode, unchecked({ rules: [{ t: "eq", v: "payload.", vt: "jsonata" }] }))).toThrow(
      /^rule 1 \(==\): JSONata expression 'payload\.' : line 1, position 8: /,
    );
  });

  it("shows a syntax error before deploy", () => {
    const result = switchDefinition.config.safeParse({ property: "payload[", propertyType: "jsonata", rules: [{ t: "jsonata_exp", v: "(", vt: "jsonata" }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      `property: property: JSONata expression 'payload[' : line 1, position 8: expected "]" before end of expression`,
      expect.stringMatching(/^rules\.0\.v: rule 1 \(JSONata exp\): JSONata expression '\(' : line 1, position 1: /),
    ]);
  });

  it("reports an expression that fails on a message and goes on with the next", async () => {
    const h = runNode(createSwitchNode, configOf([{ t: "gt", v: "10", vt: "num" }], { property: "$number(payload)", propertyType: "jsonata" }));
    await h.input({ payload: "warm" });
    await h.input({ payload: "12" });
    expect(h.sent.map((s) => s.msg.payload)).toEqual(["12"]);
    expect(String(h.errors[0].error)).toMatch(/^Error: property: JSONata expression '\$number\(payload\)' : line 1, position \d+: /);
    expect(h.errors[0].msg).toMatchObject({ payload: "warm" });
  });
});

describe("switch: Node-RED import and export", () => {
  const exported = [
    { id: "t1", type: "tab", label: "Climate", disabled: false, info: "", env: [] },
    {
      id: "s1",
      type: "switch",
      z: "t1",
      name: "Too warm?",
      property: "payload.temperature",
      propertyType: "msg",
      rules: [
        { t: "gt", v: "#:(file)::maxTemp", vt: "flow" },
        { t: "jsonata_exp", v: "payload.temperature < $globalContext('minTemp')", vt: "jsonata" },
        { t: "else" },
      ],
      checkall: "false",
      repair: false,
      outputs: 3,
      x: 300,
      y: 200,
      wires: [["a"], ["b"], ["c"]],
    },
  ];

  it("imports a realistic export, routes with it, and exports it unchanged", async () => {
    const { document, issues } = fromNodeRed(exported);
    expect(issues).toEqual([]);
    const h = runNode(createSwitchNode, switchDefinition.config.parse(document.flows[0].nodes[0].config));
    h.context.scope("flow", "f1").set("maxTemp", 25);
    h.context.scope("global", "").set("minTemp", 17);
    for (const temperature of [26, 16, 20]) await h.input({ payload: { temperature } });
    expect(h.sent.map((s) => s.port)).toEqual([0, 1, 2]);
    expect(toNodeRed(document).find((n) => n.id === "s1")).toEqual(exported[1]);
  });
});
