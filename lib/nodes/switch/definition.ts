/**
 * switch: routes each message to the outputs whose rule matches a property. Node-RED's field
 * names and rule layout ({t, v, vt, v2, v2t, case}), so imported flows keep their wiring.
 * Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";
import { contextKeyProblem } from "../shared/typed-value";
import { jsonataProblem } from "../shared/jsonata";

export const SWITCH_OPERATORS = [
  "eq", "neq", "lt", "lte", "gt", "gte", "btwn", "cont", "regex", "true", "false", "null", "nnull",
  "istype", "empty", "nempty", "hask", "else", "head", "tail", "index", "jsonata_exp",
] as const;
export type SwitchOperator = (typeof SWITCH_OPERATORS)[number];
/** Message-sequence rules: accepted on import, refused when the node starts (a later issue adds them). */
export const UNSUPPORTED_OPERATORS: readonly SwitchOperator[] = ["head", "tail", "index"];
/** What the tested property can be, and the types of rule values, in Node-RED's order. */
export const SWITCH_PROPERTY_TYPES = ["msg", "flow", "global", "jsonata", "env"] as const;
export const SWITCH_VALUE_TYPES = ["msg", "flow", "global", "str", "num", "bool", "jsonata", "env", "prev"] as const;
export const SWITCH_VALUE2_TYPES = ["msg", "flow", "global", "num", "str", "jsonata", "env", "prev"] as const;
export const ISTYPE_TYPES = ["string", "number", "boolean", "array", "buffer", "object", "json", "undefined", "null"] as const;

/** Readable operator names (Node-RED's output labels). */
export const OPERATOR_LABELS: Record<SwitchOperator, string> = {
  eq: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=", btwn: "is between", cont: "contains",
  regex: "matches regex", true: "is true", false: "is false", null: "is null", nnull: "is not null",
  istype: "is of type", empty: "is empty", nempty: "is not empty", hask: "has key", else: "otherwise",
  head: "head", tail: "tail", index: "index between", jsonata_exp: "JSONata exp",
};

const textValue = z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string().optional());

export const switchRuleSchema = z
  .object({
    t: z
      .enum(SWITCH_OPERATORS, {
        error: (iss) => `rule type ${JSON.stringify(iss.input)} is not known; use one of ${SWITCH_OPERATORS.join(", ")}`,
      })
      .meta({ title: "Operator", description: "How the property is compared." }),
    v: textValue.meta({ title: "Value", description: "The value compared with (the lower bound for 'is between', the type for 'is of type')." }),
    vt: z.string().optional().meta({ title: "Value type", description: "str, num, bool, msg, flow, global, jsonata (an expression), env or prev (the previous value)." }),
    v2: textValue.meta({ title: "Second value", description: "'is between' only: the other bound (inclusive)." }),
    v2t: z.string().optional().meta({ title: "Second value type", description: "num, str, msg, flow, global, jsonata, env or prev." }),
    case: z.boolean().optional().meta({ title: "Ignore case", description: "'matches regex' only." }),
  })
  .loose();
export type SwitchRule = z.output<typeof switchRuleSchema>;

/** Node-RED's type for a rule value saved without one: num when it reads as a number. */
export function effectiveValueType(value: string | undefined, type: string | undefined): string {
  if (type) return type;
  return !Number.isNaN(Number(value)) ? "num" : "str";
}

export function describeSwitchRule(rule: Pick<SwitchRule, "t">, index: number): string {
  return `rule ${index + 1} (${OPERATOR_LABELS[rule.t] ?? rule.t})`;
}

function pathProblem(path: string): string | null {
  try {
    parsePropertyPath(path);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? e.message : String(e);
  }
}

/** A problem with a rule value the editor can show before deploy; null when fine. */
export function ruleValueProblem(type: string, value: string | undefined, operator: SwitchOperator): string | null {
  const text = value ?? "";
  if (type === "num" && (text.trim() === "" || Number.isNaN(Number(text)))) {
    // An empty num value is 0 in Node-RED; only text that is not a number is refused.
    return text.trim() === "" ? null : `"${text}" is not a number`;
  }
  if (type === "msg") return pathProblem(text);
  if (type === "flow" || type === "global") {
    const p = contextKeyProblem(text);
    return p ? `${type} ${p}` : null;
  }
  if (type === "jsonata") return jsonataProblem(text);
  if (type === "env" && text.trim() === "") return "the environment variable name is empty";
  if (operator === "regex" && (type === "str" || type === "re")) {
    try {
      new RegExp(text);
    } catch (e) {
      return `'${text}' is not a valid regular expression: ${(e as Error).message}`;
    }
  }
  return null;
}

/** A problem with the tested property for its type; null when fine. */
export function switchPropertyProblem(type: string, property: string): string | null {
  switch (type) {
    case "msg":
      return pathProblem(property);
    case "flow":
    case "global": {
      const p = contextKeyProblem(property);
      return p ? `${type} ${p}` : null;
    }
    case "jsonata":
      return jsonataProblem(property);
    case "env":
      return property.trim() === "" ? "the environment variable name is empty" : null;
    default:
      return `property type '${type}' is not known; use ${SWITCH_PROPERTY_TYPES.join(", ")}`;
  }
}

export const switchConfigSchema = z
  .object({
    property: z
      .string()
      .default("payload")
      .meta({ title: "Property", description: "The message property the rules test, e.g. payload or payload.temperature." }),
    propertyType: z
      .string()
      .default("msg")
      .meta({
        title: "Property type",
        description: "msg (a message property), flow or global (a context value), jsonata (an expression on the message) or env (an environment variable).",
      }),
    rules: z
      .array(switchRuleSchema)
      .default([{ t: "eq", v: "", vt: "str" }])
      .meta({ title: "Rules", description: "One output per rule, in order." }),
    checkall: z
      .preprocess(
        (v) => (v === true ? "true" : v === false ? "false" : v === undefined || v === null || v === "" ? "true" : v),
        z.enum(["true", "false"], { error: (iss) => `checkall must be "true" or "false", got ${JSON.stringify(iss.input)}` }),
      )
      .meta({
        title: "Checking",
        description: "true: send to every output whose rule matches; false: stop after the first match.",
      }),
    repair: z.boolean().default(false).meta({ title: "Recreate message sequences", description: "Not supported yet." }),
    outputs: z
      .preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), z.number().int().min(0))
      .default(1)
      .meta({ title: "Outputs", description: "Kept equal to the number of rules." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    const propertyProblem = switchPropertyProblem(config.propertyType || "msg", config.property);
    if (propertyProblem) ctx.addIssue({ code: "custom", path: ["property"], message: `property: ${propertyProblem}` });
    config.rules.forEach((rule, i) => {
      if (rule.t === "istype") {
        const type = rule.v ?? rule.vt ?? "";
        if (!(ISTYPE_TYPES as readonly string[]).includes(type)) {
          ctx.addIssue({
            code: "custom",
            path: ["rules", i, "v"],
            message: `${describeSwitchRule(rule, i)}: type '${type}' is not known; use one of ${ISTYPE_TYPES.join(", ")}`,
          });
        }
        return;
      }
      const checks: [field: "v" | "v2", value: string | undefined, type: string][] = [
        ["v", rule.v, effectiveValueType(rule.v, rule.vt)],
      ];
      if (rule.v2 !== undefined) checks.push(["v2", rule.v2, effectiveValueType(rule.v2, rule.v2t)]);
      for (const [field, value, type] of checks) {
        const problem = ruleValueProblem(type, value, rule.t);
        if (problem) ctx.addIssue({ code: "custom", path: ["rules", i, field], message: `${describeSwitchRule(rule, i)}: ${problem}` });
      }
    });
  });

export type SwitchConfig = z.output<typeof switchConfigSchema>;

export const switchDefinition = defineNode({
  type: "switch",
  category: "function",
  paletteLabel: "switch",
  color: "#E2D96E",
  inputs: 1,
  outputs: (config) => (config.rules && config.rules.length > 0 ? config.rules.length : (config.outputs ?? 1)),
  config: switchConfigSchema,
  fields: {
    property: { typeField: "propertyType", types: SWITCH_PROPERTY_TYPES },
    propertyType: { hidden: true },
    rules: {},
    // Typed inputs inside each rule (override the editor's conventional hints).
    "rules[].t": {},
    "rules[].v": {
      typeField: "vt",
      types: SWITCH_VALUE_TYPES,
      showWhen: { field: "t", equals: ["eq", "neq", "lt", "lte", "gt", "gte", "btwn", "cont", "regex", "istype", "hask", "head", "tail", "index", "jsonata_exp"] },
    },
    "rules[].v2": { typeField: "v2t", types: SWITCH_VALUE2_TYPES, showWhen: { field: "t", equals: ["btwn", "index"] } },
    "rules[].case": { showWhen: { field: "t", equals: ["regex"] } },
    checkall: {},
    repair: { hidden: true },
    outputs: { hidden: true },
  },
  label: () => "switch",
  help: [
    "Routes each message by a property (msg.payload by default), a flow/global context value, a JSONata expression on the message or an environment variable: one output per rule, in order.",
    "Operators: == and != (loose, like Node-RED: '5' equals 5), <, <=, >, >= (numbers compare as numbers), is between (inclusive, bounds in either order), contains, matches regex (optionally ignoring case), is true / is false (only the booleans), is null / is not null (null or missing), is of type (string, number, boolean, array, buffer, object, json, undefined, null), is empty / is not empty (strings, arrays, buffers, objects), has key, JSONata expression (matches when the rule's expression gives true, e.g. payload.temperature > $flowContext('threshold')), and otherwise (when no earlier rule matched).",
    "Values are typed: a string, a number, a boolean, another msg property, a flow or global context value (read at every message; Node-RED's #:(store):: prefix is accepted), a JSONata expression, an environment variable, or the previous value of the property.",
    "Checking all rules sends a message to every matching output; 'stop after first match' sends it to the first only.",
  ].join("\n\n"),
});
