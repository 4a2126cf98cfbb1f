import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
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

  it("refuses flow/global/JSONata and sequence rules at start with a clear message", () => {
    expect(() => runNode(createSwitchNode, configOf([{ t: "eq", v: "x", vt: "flow" }]))).toThrow(
      /rule 1 \(==\): value type 'flow' \(flow context\) is not supported yet/,
    );
    expect(() => runNode(createSwitchNode, configOf([{ t: "true" }], { propertyType: "jsonata", property: "$x" }))).toThrow(
      /property type 'jsonata' \(JSONata expressions\) is not supported yet/,
    );
    expect(() => runNode(createSwitchNode, configOf([{ t: "head", v: "2", vt: "num" }]))).toThrow(/rule 1 \(head\): this rule type is not supported yet/);
  });
});
