/**
 * change: set, change (search and replace), delete or move message properties, with Node-RED's
 * `rules` layout so imported flows keep working. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";
import { contextKeyProblem } from "../shared/typed-value";
import { jsonataProblem } from "../shared/jsonata";

/** Where a rule acts (`pt`), and the value types offered per field, in Node-RED's order. */
export const CHANGE_PROPERTY_TYPES = ["msg", "flow", "global"] as const;
export const CHANGE_TO_TYPES = ["msg", "flow", "global", "str", "num", "bool", "json", "bin", "date", "jsonata", "env"] as const;
export const CHANGE_FROM_TYPES = ["str", "re", "num", "bool", "msg", "flow", "global", "env"] as const;
/** A move goes to another property: of the message or of flow/global context. */
export const CHANGE_MOVE_TYPES = ["msg", "flow", "global"] as const;

const textValue = z.preprocess(
  (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v === null || v === undefined ? "" : v),
  z.string(),
);

export const changeRuleSchema = z
  .object({
    t: z
      .enum(["set", "change", "delete", "move"], {
        error: (iss) => `action must be set, change, delete or move, got ${JSON.stringify(iss.input)}`,
      })
      .meta({ title: "Action", description: "set a value, change (search and replace), delete, or move a property." }),
    p: z.string().default("payload").meta({ title: "Property", description: "The property to act on, e.g. payload, topic, payload.level." }),
    pt: z.string().default("msg").meta({ title: "Property type", description: "msg, flow or global: a message property or a flow/global context value." }),
    to: textValue.meta({ title: "Value", description: "The new value (set), the replacement (change) or the destination property (move)." }),
    tot: z.string().optional().meta({ title: "Value type", description: "msg, flow, global, str, num, bool, json, bin, date, jsonata (an expression) or env." }),
    from: textValue.meta({ title: "Search for", description: "change only: the text, number, boolean or regular expression to replace." }),
    fromt: z.string().optional().meta({ title: "Search type", description: "str, re (regular expression), num, bool, msg, flow, global or env." }),
    dc: z.boolean().optional().meta({ title: "Deep copy", description: "set from msg: copy the value instead of sharing it." }),
  })
  .loose();
export type ChangeRule = z.output<typeof changeRuleSchema>;

/** The `tot` Node-RED assumes for a rule saved without one. */
export function effectiveToType(rule: Pick<ChangeRule, "t" | "to" | "tot">): string {
  if (rule.tot) return rule.tot;
  if (rule.t === "set" && rule.to.startsWith("msg.")) return "msg";
  return rule.t === "move" ? "msg" : "str";
}

export function effectiveToValue(rule: Pick<ChangeRule, "t" | "to" | "tot">): string {
  return !rule.tot && rule.t === "set" && rule.to.startsWith("msg.") ? rule.to.slice(4) : rule.to;
}

export function describeRule(rule: Pick<ChangeRule, "t" | "p" | "pt">, index: number): string {
  return `rule ${index + 1} (${rule.t} ${rule.pt || "msg"}.${rule.p})`;
}

function pathProblem(path: string): string | null {
  try {
    parsePropertyPath(path);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? e.message : String(e);
  }
}

/** Problems Node-RED would also refuse at start, found while editing. null when fine. */
export function valueProblem(type: string, value: string, role: "to" | "from"): string | null {
  switch (type) {
    case "num":
      return value.trim() === "" || !Number.isFinite(Number(value)) ? `"${value}" is not a number` : null;
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch (e) {
        return `value is not valid JSON (${(e as Error).message}): '${value}'`;
      }
    case "bin":
      try {
        const parsed: unknown = JSON.parse(value);
        return Array.isArray(parsed) || typeof parsed === "string" ? null : "a buffer value must be a JSON array of bytes such as [1,2,3]";
      } catch {
        return "a buffer value must be a JSON array of bytes such as [1,2,3]";
      }
    case "re":
      try {
        new RegExp(value, "g");
        return null;
      } catch (e) {
        return `'${value}' is not a valid regular expression: ${(e as Error).message}`;
      }
    case "msg": {
      const p = pathProblem(value);
      return p ? (role === "to" ? `value ${p}` : `search ${p}`) : null;
    }
    case "flow":
    case "global": {
      const p = contextKeyProblem(value);
      return p ? `${role === "to" ? "" : "search: "}${type} ${p}` : null;
    }
    case "jsonata":
      return jsonataProblem(value);
    case "env":
      return value.trim() === "" ? "the environment variable name is empty" : null;
    case "date":
      return value === "" || value === "timestamp" || value === "iso" || value === "object"
        ? null
        : `date format '${value}' is not supported: use empty (milliseconds since 1970), 'iso' or 'object'`;
    default:
      return null;
  }
}

export const changeConfigSchema = z
  .object({
    rules: z
      .array(changeRuleSchema)
      .default([{ t: "set", p: "payload", pt: "msg", to: "", tot: "str", from: "" }])
      .meta({ title: "Rules", description: "Applied in order to every message." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    config.rules.forEach((rule, i) => {
      const where = describeRule(rule, i);
      const add = (field: string, message: string) =>
        ctx.addIssue({ code: "custom", path: ["rules", i, field], message: `${where}: ${message}` });
      const pt = rule.pt || "msg";
      if (pt === "msg") {
        const p = pathProblem(rule.p);
        if (p) add("p", p);
      } else if (pt === "flow" || pt === "global") {
        const p = contextKeyProblem(rule.p);
        if (p) add("p", `${pt} ${p}`);
      } else {
        add("pt", `property type '${pt}' is not known; use msg, flow or global`);
      }
      if (rule.t === "set" || rule.t === "change") {
        const type = effectiveToType(rule);
        const problem = valueProblem(type, effectiveToValue(rule), "to");
        if (problem) add("to", problem);
      }
      if (rule.t === "change") {
        const problem = valueProblem(rule.fromt || "str", rule.from, "from");
        if (problem) add("from", problem);
      }
      if (rule.t === "move") {
        const type = effectiveToType(rule);
        if (type === "msg") {
          const p = pathProblem(rule.to);
          if (p) add("to", `destination ${p}`);
        } else if (type === "flow" || type === "global") {
          const p = contextKeyProblem(rule.to);
          if (p) add("to", `destination ${type} ${p}`);
        } else {
          add("tot", `can only move to a msg, flow or global property, not '${type}'`);
        }
      }
    });
  });

export type ChangeConfig = z.output<typeof changeConfigSchema>;

export const changeDefinition = defineNode({
  type: "change",
  category: "function",
  paletteLabel: "change",
  color: "#E2D96E",
  inputs: 1,
  outputs: () => 1,
  config: changeConfigSchema,
  fields: {
    rules: {},
    // Typed inputs inside each rule (override the editor's conventional hints).
    "rules[].t": {},
    "rules[].p": { typeField: "pt", types: CHANGE_PROPERTY_TYPES },
    "rules[].from": { typeField: "fromt", types: CHANGE_FROM_TYPES, showWhen: { field: "t", equals: ["change"] } },
    "rules[].to": { typeField: "tot", types: CHANGE_TO_TYPES, showWhen: { field: "t", equals: ["set", "change", "move"] } },
    "rules[].dc": { showWhen: { field: "t", equals: ["set"] } },
  },
  label: (config) => {
    const rules = config.rules ?? [];
    if (rules.length === 1) return `${rules[0].t} ${rules[0].pt || "msg"}.${rules[0].p}`;
    return `change: ${rules.length} rules`;
  },
  help: [
    "Sets, changes, deletes or moves message properties or flow/global context values; the rules run in order on each message.",
    "Set: msg.payload to a string, number, boolean, JSON, timestamp, another msg property or an environment variable. Deep paths create the objects on the way (payload.light.level).",
    "Change: search and replace inside a string property (every occurrence). With a regular expression, the replacement can use groups: search '^house/([^/]+)/motion$' in msg.topic, replace with 'house/$1/light' turns house/garage/motion into house/garage/light. A number or boolean search replaces the whole value when it matches exactly.",
    "Delete removes a property; Move renames one (payload → payload.value works too).",
    "Flow and global context: a rule can set, change, delete or move flow.x / global.x (shared by the nodes of this flow, or by all flows; kept across restarts), and a value can be read from them. Node-RED's store prefix #:(store):: is accepted; Flowhouse has one persistent store.",
    "JSONata: set a value from an expression evaluated against the message, e.g. payload.temperature * 9/5 + 32, $sum(payload.readings), $flowContext('mode'), $globalContext('away'), $env('HOUSE'). A syntax error is shown before deploy; an evaluation error drops that message and is reported.",
  ].join("\n\n"),
});
