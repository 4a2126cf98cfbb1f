/**
 * change at run time. Every rule is compiled once when the node starts (paths parsed, values
 * pre-parsed, search patterns turned into RegExps); a message only runs the compiled steps.
 * Semantics follow Node-RED's 15-change.js.
 */
import type { NodeFactory, NodeServices } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, type PropertyPath } from "../shared/msg-property";
import { compileTypedValue, type TypedValueFn } from "../shared/typed-value";
import {
  describeRule,
  effectiveToType,
  effectiveToValue,
  UNSUPPORTED_TYPES,
  valueProblem,
  type ChangeConfig,
  type ChangeRule,
} from "./definition";
import { setMessageProperty } from "./set-message-property";

/** What a rule searches for: fixed at start, or read from the message (fromt "msg"). */
interface SearchPattern {
  type: "str" | "num" | "bool" | "re";
  /** The search value as Node-RED compares it with a string property. */
  value: string | number | boolean;
  regex: RegExp;
}

type Step =
  | { kind: "set"; path: PropertyPath; value: TypedValueFn; label: string }
  | { kind: "delete"; path: PropertyPath }
  | { kind: "change"; path: PropertyPath; value: TypedValueFn; search: (msg: Msg) => SearchPattern | string }
  | { kind: "move"; from: PropertyPath; to: PropertyPath; viaTemp: boolean };

const TEMP_MOVE: PropertyPath = ["_temp_move"];

function escapeRegExp(text: string): string {
  // The characters Node-RED escapes before building a literal search.
  return text.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
}

function unsupported(where: string, type: string): Error {
  const what = type === "jsonata" ? "JSONata expressions" : `${type} context`;
  return new Error(`${where}: value type '${type}' (${what}) is not supported yet; use msg, str, num, bool, json, date or env`);
}

function compileValue(where: string, type: string, text: string, services: NodeServices, deepCopy: boolean): TypedValueFn {
  if ((UNSUPPORTED_TYPES as readonly string[]).includes(type)) throw unsupported(where, type);
  const problem = valueProblem(type, text, "to");
  if (problem) throw new Error(`${where}: ${problem}`);
  switch (type) {
    case "bool": {
      // Node-RED: anything but "true" (any case) is false.
      const b = /^true$/i.test(text);
      return () => b;
    }
    case "date": {
      if (text === "iso") return () => new Date(services.clock.now()).toISOString();
      if (text === "object") return () => new Date(services.clock.now());
      return () => services.clock.now();
    }
    case "env": {
      // Resolved once, as Node-RED does.
      const value = services.env(text);
      return () => value;
    }
    case "bin": {
      const parsed: unknown = JSON.parse(text);
      return () => Buffer.from(parsed as never);
    }
    case "msg": {
      const fn = compileTypedValue("msg", text, { now: () => services.clock.now(), env: (n) => services.env(n) });
      return deepCopy ? (msg) => cloneMsg(fn(msg)) : fn;
    }
    default:
      return compileTypedValue(type, text, { now: () => services.clock.now(), env: (n) => services.env(n) });
  }
}

function staticPattern(type: SearchPattern["type"], text: string): SearchPattern {
  return {
    type,
    value: text,
    regex: new RegExp(type === "re" ? text : escapeRegExp(text), "g"),
  };
}

/** Node-RED's getFromValueType: the search pattern for a value read at run time. */
function dynamicPattern(value: unknown, where: string): SearchPattern | string {
  if (typeof value === "number") return { type: "num", value, regex: new RegExp(escapeRegExp(String(value)), "g") };
  if (typeof value === "boolean") return { type: "bool", value, regex: new RegExp(escapeRegExp(String(value)), "g") };
  if (value instanceof RegExp) return { type: "re", value: value.source, regex: new RegExp(value.source, value.flags.includes("g") ? value.flags : value.flags + "g") };
  if (typeof value === "string") return { type: "str", value, regex: new RegExp(escapeRegExp(value), "g") };
  return `${where}: the search value must be a string, number, boolean or RegExp, got ${value === null ? "null" : typeof value}`;
}

function compileSearch(rule: ChangeRule, where: string, services: NodeServices): (msg: Msg) => SearchPattern | string {
  const type = rule.fromt || "str";
  if ((UNSUPPORTED_TYPES as readonly string[]).includes(type)) throw unsupported(where, type);
  const problem = valueProblem(type, rule.from, "from");
  if (problem) throw new Error(`${where}: ${problem}`);
  switch (type) {
    case "msg": {
      const path = parsePropertyPath(rule.from);
      return (msg) => dynamicPattern(getProperty(msg, path), where);
    }
    case "env": {
      // Node-RED escapes the variable's name here (a bug); Flowhouse searches for its value.
      const pattern = staticPattern("str", services.env(rule.from) ?? "");
      return () => pattern;
    }
    case "str":
    case "re":
    case "num":
    case "bool": {
      const pattern = staticPattern(type, rule.from);
      return () => pattern;
    }
    default:
      throw new Error(`${where}: search type '${type}' is not known; use str, re, num, bool, msg or env`);
  }
}

function compileRule(rule: ChangeRule, index: number, services: NodeServices): Step {
  const where = describeRule(rule, index);
  const pt = rule.pt || "msg";
  if (pt !== "msg") {
    if ((UNSUPPORTED_TYPES as readonly string[]).includes(pt)) throw unsupported(where, pt);
    throw new Error(`${where}: property type '${pt}' is not known; use msg`);
  }
  const path = parsePath(rule.p, where);
  const toType = effectiveToType(rule);
  const toText = effectiveToValue(rule);
  switch (rule.t) {
    case "set":
      return { kind: "set", path, value: compileValue(where, toType, toText, services, rule.dc === true), label: rule.p };
    case "delete":
      return { kind: "delete", path };
    case "change":
      return { kind: "change", path, value: compileValue(where, toType, toText, services, rule.dc === true), search: compileSearch(rule, where, services) };
    case "move": {
      if (toType !== "msg") {
        if ((UNSUPPORTED_TYPES as readonly string[]).includes(toType)) throw unsupported(where, toType);
        throw new Error(`${where}: can only move to a msg property`);
      }
      const to = parsePath(toText, `${where} destination`);
      // Node-RED moves a child onto its ancestor in one step (set, then delete); every other
      // move goes through a temporary property so moving onto a sub-property of itself
      // (payload → payload.value) keeps the value.
      const viaTemp = !(rule.p.includes(toText) && rule.p !== toText);
      return { kind: "move", from: path, to, viaTemp };
    }
    default:
      throw new Error(`${where}: unknown action`);
  }
}

function parsePath(text: string, where: string): PropertyPath {
  try {
    return parsePropertyPath(text);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** false when the message must be dropped (Node-RED reports the error and sends nothing). */
function applyChange(msg: Msg, step: Extract<Step, { kind: "change" }>, services: NodeServices): boolean {
  const pattern = step.search(msg);
  if (typeof pattern === "string") {
    services.error(new Error(pattern), msg);
    return false;
  }
  const current = getProperty(msg, step.path);
  if (typeof current === "string") {
    if (pattern.type !== "re" && current === pattern.value) {
      // The whole string equals the search value: replace the whole value (keeps its type).
      setMessageProperty(msg, step.path, step.value(msg));
    } else {
      setMessageProperty(msg, step.path, current.replace(pattern.regex, String(step.value(msg))));
    }
  } else if (typeof current === "number" && pattern.type === "num") {
    if (current === Number(pattern.value)) setMessageProperty(msg, step.path, step.value(msg));
  } else if (typeof current === "boolean" && pattern.type === "bool") {
    if (String(current) === String(pattern.value)) setMessageProperty(msg, step.path, step.value(msg));
  }
  return true;
}

function applyStep(msg: Msg, step: Step, services: NodeServices): boolean {
  switch (step.kind) {
    case "set":
      if (!setMessageProperty(msg, step.path, step.value(msg))) {
        services.warn(`cannot set msg.${step.label}: a part of that path is not an object`);
      }
      return true;
    case "delete":
      setMessageProperty(msg, step.path, undefined);
      return true;
    case "change":
      return applyChange(msg, step, services);
    case "move":
      if (step.viaTemp) {
        setMessageProperty(msg, TEMP_MOVE, getProperty(msg, step.from));
        setMessageProperty(msg, step.from, undefined);
        setMessageProperty(msg, step.to, getProperty(msg, TEMP_MOVE));
        setMessageProperty(msg, TEMP_MOVE, undefined);
      } else {
        setMessageProperty(msg, step.to, getProperty(msg, step.from));
        setMessageProperty(msg, step.from, undefined);
      }
      return true;
  }
}

export const createChangeNode: NodeFactory<ChangeConfig> = (config, services) => {
  const steps = (config.rules ?? []).map((rule, i) => compileRule(rule, i, services));
  return {
    input(msg: Msg) {
      for (const step of steps) {
        if (!applyStep(msg, step, services)) return;
      }
      services.send(msg);
    },
  };
};
