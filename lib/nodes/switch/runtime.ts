/**
 * switch at run time, with Node-RED's comparison semantics (10-switch.js): JavaScript's loose
 * == and relational operators on the raw property, so '5' == 5 and '10' > 9. Rules are compiled
 * once (values parsed, regular expressions built) when the node starts.
 */
import type { NodeFactory, NodeServices } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath } from "../shared/msg-property";
import {
  describeSwitchRule,
  effectiveValueType,
  ruleValueProblem,
  UNSUPPORTED_OPERATORS,
  UNSUPPORTED_VALUE_TYPES,
  type SwitchConfig,
  type SwitchOperator,
  type SwitchRule,
} from "./definition";

/** Reads a rule operand for one message; `previous` is the property value of the last message. */
type Operand = (msg: Msg, previous: unknown) => unknown;

interface CompiledRule {
  t: SwitchOperator;
  v: Operand;
  v2: Operand;
  ignoreCase: boolean;
  /** Pre-built when the pattern is a fixed string. */
  regex?: RegExp;
}

// The operators below mirror Node-RED's on purpose: loose equality and JS relational
// comparison of whatever the property holds.
type Loose = string | number;
const OPERATORS: Record<Exclude<SwitchOperator, "head" | "tail" | "index" | "jsonata_exp" | "else" | "regex">, (a: unknown, b: unknown, c: unknown) => boolean> = {
  eq: (a, b) => a == b,
  neq: (a, b) => a != b,
  lt: (a, b) => (a as Loose) < (b as Loose),
  lte: (a, b) => (a as Loose) <= (b as Loose),
  gt: (a, b) => (a as Loose) > (b as Loose),
  gte: (a, b) => (a as Loose) >= (b as Loose),
  btwn: (a, b, c) => {
    const x = a as Loose, lo = b as Loose, hi = c as Loose;
    return (x >= lo && x <= hi) || (x <= lo && x >= hi);
  },
  cont: (a, b) => String(a).indexOf(String(b)) !== -1,
  true: (a) => a === true,
  false: (a) => a === false,
  null: (a) => a === undefined || a === null,
  nnull: (a) => a !== undefined && a !== null,
  empty: (a) => {
    if (typeof a === "string" || Array.isArray(a) || Buffer.isBuffer(a)) return a.length === 0;
    if (typeof a === "object" && a !== null) return Object.keys(a).length === 0;
    return false;
  },
  nempty: (a) => {
    if (typeof a === "string" || Array.isArray(a) || Buffer.isBuffer(a)) return a.length !== 0;
    if (typeof a === "object" && a !== null) return Object.keys(a).length !== 0;
    return false;
  },
  istype: (a, b) => {
    if (b === "array") return Array.isArray(a);
    if (b === "buffer") return Buffer.isBuffer(a);
    if (b === "json") {
      try {
        JSON.parse(a as string);
        return true;
      } catch {
        return false;
      }
    }
    if (b === "null") return a === null;
    return typeof a === b && !Array.isArray(a) && !Buffer.isBuffer(a) && a !== null;
  },
  hask: (a, b) =>
    a !== undefined && a !== null && typeof b !== "object" && Object.prototype.hasOwnProperty.call(a, String(b)),
};

function compileOperand(where: string, value: string | undefined, rawType: string | undefined, services: NodeServices): Operand {
  const type = effectiveValueType(value, rawType);
  const text = value ?? "";
  if ((UNSUPPORTED_VALUE_TYPES as readonly string[]).includes(type)) {
    const what = type === "jsonata" ? "JSONata expressions" : `${type} context`;
    throw new Error(`${where}: value type '${type}' (${what}) is not supported yet; use str, num, bool, msg, env or prev`);
  }
  switch (type) {
    case "num": {
      // Node-RED keeps text that is not a number as text.
      const n = Number(text);
      const v = Number.isNaN(n) ? text : n;
      return () => v;
    }
    case "str":
    case "re":
      return () => text;
    case "bool": {
      const b = /^true$/.test(text);
      return () => b;
    }
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new Error(`${where}: value is not valid JSON (${(e as Error).message})`);
      }
      return () => parsed;
    }
    case "msg": {
      const path = parsePropertyPath(text);
      return (msg) => getProperty(msg, path);
    }
    case "env": {
      const v = services.env(text);
      return () => v;
    }
    case "prev":
      return (_msg, previous) => previous;
    case "date":
      return () => services.clock.now();
    default:
      throw new Error(`${where}: value type '${type}' is not known; use str, num, bool, msg, env or prev`);
  }
}

function compileRule(rule: SwitchRule, index: number, services: NodeServices): CompiledRule {
  const where = describeSwitchRule(rule, index);
  if (UNSUPPORTED_OPERATORS.includes(rule.t)) {
    throw new Error(`${where}: this rule type is not supported yet; use a comparison, regex, type or 'otherwise' rule`);
  }
  const ignoreCase = rule.case === true;
  if (rule.t === "istype") {
    // The type name lives in v (Node-RED also writes it into vt).
    const type = rule.v ?? rule.vt ?? "";
    return { t: "istype", v: () => type, v2: () => undefined, ignoreCase };
  }
  const vType = effectiveValueType(rule.v, rule.vt);
  const problem = ruleValueProblem(vType, rule.v, rule.t);
  if (problem) throw new Error(`${where}: ${problem}`);
  const compiled: CompiledRule = {
    t: rule.t,
    v: compileOperand(where, rule.v, rule.vt, services),
    v2: rule.v2 === undefined ? () => undefined : compileOperand(`${where}, second value`, rule.v2, rule.v2t, services),
    ignoreCase,
  };
  if (rule.t === "regex" && (vType === "str" || vType === "re")) {
    compiled.regex = new RegExp(rule.v ?? "", ignoreCase ? "i" : "");
  }
  return compiled;
}

export const createSwitchNode: NodeFactory<SwitchConfig> = (config, services) => {
  const propertyType = config.propertyType || "msg";
  let readProperty: (msg: Msg) => unknown;
  if (propertyType === "msg") {
    const path = parsePropertyPath(config.property || "payload");
    readProperty = (msg) => getProperty(msg, path);
  } else if (propertyType === "env") {
    const value = services.env(config.property);
    readProperty = () => value;
  } else if ((UNSUPPORTED_VALUE_TYPES as readonly string[]).includes(propertyType)) {
    const what = propertyType === "jsonata" ? "JSONata expressions" : `${propertyType} context`;
    throw new Error(`property type '${propertyType}' (${what}) is not supported yet; use msg or env`);
  } else {
    throw new Error(`property type '${propertyType}' is not known; use msg or env`);
  }
  const rules = (config.rules ?? []).map((rule, i) => compileRule(rule, i, services));
  const stopAtFirst = String(config.checkall) === "false";
  // Node-RED's "previous value" starts as null.
  let previous: unknown = null;

  return {
    input(msg: Msg) {
      const property = readProperty(msg);
      const onward: (Msg | null)[] = [];
      let noneMatched = true;
      let sentOnce = false;
      for (const rule of rules) {
        let matched: boolean;
        try {
          if (rule.t === "else") {
            matched = noneMatched;
          } else if (rule.t === "regex") {
            const a = property === undefined ? "undefined" : String(property);
            const regex = rule.regex ?? new RegExp(String(rule.v(msg, previous)), rule.ignoreCase ? "i" : "");
            matched = regex.test(a);
          } else {
            const op = OPERATORS[rule.t as keyof typeof OPERATORS];
            matched = op(property, rule.v(msg, previous), rule.v2(msg, previous));
          }
        } catch (err) {
          // e.g. a regular expression read from the message that does not compile
          services.error(err, msg);
          previous = property;
          return;
        }
        if (matched) {
          // One message object per output: the runtime only clones between wires of one port.
          onward.push(sentOnce ? cloneMsg(msg) : msg);
          sentOnce = true;
          noneMatched = false;
          if (stopAtFirst) break;
        } else {
          onward.push(null);
        }
      }
      previous = property;
      if (sentOnce) services.send(onward);
    },
  };
};
