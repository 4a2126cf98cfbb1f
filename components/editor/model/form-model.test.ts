import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  buildFields,
  coerceInput,
  configErrors,
  configJsonSchema,
  defaultsFromSchema,
  isFieldVisible,
} from "./form-model";

const triggerLike = z
  .object({
    op1: z.string().default("1").meta({ title: "Send", description: "Sent when a message arrives" }),
    op1type: z.enum(["str", "num", "pay"]).default("str"),
    duration: z.union([z.number(), z.string()]).default(250),
    units: z.enum(["ms", "s", "min", "hr"]).default("ms"),
    extend: z.boolean().default(false),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
    broker: z.string().default(""),
    timeout: z.number().min(0).default(5),
    reset: z.string().default(""),
    outputs: z.number().default(1),
    rules: z
      .array(z.object({ t: z.enum(["eq", "neq"]), v: z.string().default(""), vt: z.enum(["str", "num"]).default("str") }))
      .default([]),
  })
  .loose();

const hints = {
  units: {},
  op1: { typeField: "op1type", types: ["str", "num", "pay"] },
  broker: { configNodeType: "mqtt-broker" },
  reset: { showWhen: { field: "extend", equals: [true] } },
  outputs: { hidden: true },
} as const;

describe("property form generated from a node's config schema", () => {
  const fields = buildFields(configJsonSchema(triggerLike), hints);
  const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));

  it("lists hinted fields first, then the rest in schema order, without type or hidden fields", () => {
    expect(fields.map((f) => f.key)).toEqual(["units", "op1", "broker", "reset", "duration", "extend", "qos", "timeout", "rules"]);
  });

  it("picks a control per field: select, typed input, checkbox, config-node select, number, list", () => {
    expect(byKey.units.kind).toBe("select");
    expect(byKey.op1).toMatchObject({ kind: "typed", typeKey: "op1type", title: "Send", description: "Sent when a message arrives" });
    expect(byKey.op1.typeOptions?.map((o) => o.value)).toEqual(["str", "num", "pay"]);
    expect(byKey.extend.kind).toBe("checkbox");
    expect(byKey.broker.kind).toBe("configNode");
    expect(byKey.timeout).toMatchObject({ kind: "number", minimum: 0 });
    expect(byKey.qos.options?.map((o) => o.value)).toEqual([0, 1, 2]);
    expect(byKey.duration).toMatchObject({ kind: "text", valueKind: "either" });
  });

  it("rule rows pair a value with its type field as a typed input", () => {
    const rules = byKey.rules;
    expect(rules.kind).toBe("list");
    expect(rules.itemFields?.map((f) => [f.key, f.kind])).toEqual([
      ["t", "select"],
      ["v", "typed"],
    ]);
    expect(rules.newItem).toEqual({ t: "eq", v: "", vt: "str" });
    expect(rules.itemFields?.[1].typeOptions?.[0].value).toBe("str");
  });

  it("a conditional field shows only when its condition holds", () => {
    expect(isFieldVisible(byKey.reset, { extend: false })).toBe(false);
    expect(isFieldVisible(byKey.reset, { extend: true })).toBe(true);
  });

  it("defaults for a dropped node come from parsing an empty config", () => {
    expect(defaultsFromSchema(triggerLike)).toMatchObject({ op1: "1", op1type: "str", duration: 250, units: "ms", rules: [] });
  });

  it("typed numbers stay numbers, a field that accepts both keeps the kind it had", () => {
    expect(coerceInput({ valueKind: "number" }, "12", 5)).toBe(12);
    expect(coerceInput({ valueKind: "number" }, "abc", 5)).toBe("abc");
    expect(coerceInput({ valueKind: "either" }, "300", 250)).toBe(300);
    expect(coerceInput({ valueKind: "either" }, "300", "250")).toBe("300");
    expect(coerceInput({ valueKind: "string" }, "7", "1")).toBe("7");
  });

  it("validation errors are keyed by field path so the form shows them inline", () => {
    const errors = configErrors(triggerLike, { timeout: -1, rules: [{ t: "bogus" }] });
    expect(Object.keys(errors).sort()).toEqual(["rules.0.t", "timeout"]);
    expect(configErrors(triggerLike, {})).toEqual({});
  });
});

describe("rule rows of Node-RED's change and switch nodes", () => {
  it("a change rule shows 'search for' only for change, and no value for delete", async () => {
    const { changeDefinition } = await import("../../../lib/nodes/change/definition");
    const { hintsFor } = await import("./conventional-hints");
    const fields = buildFields(configJsonSchema(changeDefinition.config), hintsFor("change", changeDefinition.fields));
    const row = fields.find((f) => f.key === "rules")?.itemFields ?? [];
    const visible = (t: string) => row.filter((f) => isFieldVisible(f, { t })).map((f) => f.key);
    expect(visible("set")).toEqual(["t", "p", "to", "dc"]);
    expect(visible("change")).toEqual(["t", "p", "from", "to"]);
    expect(visible("delete")).toEqual(["t", "p"]);
    expect(row.find((f) => f.key === "to")?.typeOptions?.map((o) => o.value)).toContain("date");
  });
});
