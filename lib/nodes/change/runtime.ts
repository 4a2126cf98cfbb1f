/**
 * change at run time. Every rule is compiled once when the node starts (paths parsed, values
 * pre-parsed, search patterns turned into RegExps, JSONata expressions compiled); a message
 * only runs the compiled steps. Semantics follow Node-RED's 15-change.js.
 *
 * Rules act on message properties or on flow/global context (synchronous reads and writes
 * through services.context). JSONata values are asynchronous (jsonata 2): a node with such a
 * rule handles its messages one after the other, in arrival order, queueing the ones that
 * arrive while an expression is being evaluated. A node without JSONata stays synchronous.
 */
import type { ContextScope, NodeFactory, NodeServices } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, type PropertyPath } from "../shared/msg-property";
import { compileTypedValue, parseContextKey, type TypedValueEnv, type TypedValueFn } from "../shared/typed-value";
import { compileJsonata, describeJsonataError, orderedInput, type CompiledJsonata, type JsonataServices } from "../shared/jsonata";
import { describeRule, effectiveToType, effectiveToValue, valueProblem, type ChangeConfig, type ChangeRule } from "./definition";
import { setMessageProperty } from "./set-message-property";

/** What a rule searches for: fixed at start, or read at run time (fromt msg/flow/global). */
interface SearchPattern {
  type: "str" | "num" | "bool" | "re";
  /** The search value as Node-RED compares it with a string property. */
  value: string | number | boolean;
  regex: RegExp;
}

/** A message property, or a key of flow/global context. */
type Place =
  | { kind: "msg"; path: PropertyPath; label: string }
  | { kind: "context"; scope: ContextScope; key: string; label: string };

/** A rule's value: computed at once, or by a JSONata expression (a promise). */
type Value = { kind: "sync"; get: TypedValueFn } | { kind: "jsonata"; expr: CompiledJsonata; deepCopy: boolean };

type Step =
  | { kind: "set"; where: string; target: Place; value: Value }
  | { kind: "delete"; where: string; target: Place }
  | { kind: "change"; where: string; target: Place; value: Value; search: (msg: Msg) => SearchPattern | string }
  | { kind: "move"; where: string; from: Place; to: Place; viaTemp: boolean };

function escapeRegExp(text: string): string {
  // The characters Node-RED escapes before building a literal search.
  return text.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
}

/** Clock, env and flow/global context, for typed values and JSONata expressions. */
function typedEnv(services: NodeServices): TypedValueEnv & JsonataServices {
  return {
    now: () => services.clock.now(),
    env: (n) => services.env(n),
    context: { flow: services.context.flow, global: services.context.global },
  };
}

function compileValue(where: string, type: string, text: string, services: NodeServices, deepCopy: boolean): Value {
  const problem = valueProblem(type, text, "to");
  if (problem) throw new Error(`${where}: ${problem}`);
  const sync = (get: TypedValueFn): Value => ({ kind: "sync", get });
  switch (type) {
    case "bool": {
      // Node-RED: anything but "true" (any case) is false.
      const b = /^true$/i.test(text);
      return sync(() => b);
    }
    case "date": {
      if (text === "iso") return sync(() => new Date(services.clock.now()).toISOString());
      if (text === "object") return sync(() => new Date(services.clock.now()));
      return sync(() => services.clock.now());
    }
    case "env": {
      // Resolved once, as Node-RED does.
      const value = services.env(text);
      return sync(() => value);
    }
    case "bin": {
      const parsed: unknown = JSON.parse(text);
      return sync(() => Buffer.from(parsed as never));
    }
    case "msg": {
      const fn = compileTypedValue("msg", text, typedEnv(services));
      return sync(deepCopy ? (msg) => cloneMsg(fn(msg)) : fn);
    }
    case "jsonata":
      return { kind: "jsonata", expr: compileJsonata(text, typedEnv(services)), deepCopy };
    case "str":
    case "num":
    case "json":
    case "flow":
    case "global":
      // Context reads are copies already.
      return sync(compileTypedValue(type, text, typedEnv(services)));
    default:
      throw new Error(`${where}: value type '${type}' is not known; use msg, flow, global, str, num, bool, json, bin, date, jsonata or env`);
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
  const problem = valueProblem(type, rule.from, "from");
  if (problem) throw new Error(`${where}: ${problem}`);
  switch (type) {
    case "msg": {
      const path = parsePropertyPath(rule.from);
      return (msg) => dynamicPattern(getProperty(msg, path), where);
    }
    case "flow":
    case "global": {
      const scope = services.context[type];
      const { key } = parseContextKey(rule.from);
      return () => dynamicPattern(scope.get(key), where);
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
      throw new Error(`${where}: search type '${type}' is not known; use str, re, num, bool, msg, flow, global or env`);
  }
}

function parsePath(text: string, where: string): PropertyPath {
  try {
    return parsePropertyPath(text);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** A place of type `type` (msg, flow, global) named by `text`. */
function compilePlace(type: string, text: string, where: string, services: NodeServices): Place {
  if (type === "msg") return { kind: "msg", path: parsePath(text, where), label: `msg.${text}` };
  if (type === "flow" || type === "global") {
    const { key } = parseContextKey(text);
    if (key.trim() === "") throw new Error(`${where}: ${type} context key is empty`);
    parsePath(key, where);
    return { kind: "context", scope: services.context[type], key, label: `${type}.${key}` };
  }
  throw new Error(`${where}: property type '${type}' is not known; use msg, flow or global`);
}

function read(place: Place, msg: Msg): unknown {
  return place.kind === "msg" ? getProperty(msg, place.path) : place.scope.get(place.key);
}

/** false when the message refused the value (a non-object on the path). */
function write(place: Place, msg: Msg, value: unknown): boolean {
  if (place.kind === "msg") return setMessageProperty(msg, place.path, value);
  // undefined deletes, as in Node-RED.
  place.scope.set(place.key, value);
  return true;
}

function remove(place: Place, msg: Msg): void {
  write(place, msg, undefined);
}

function compileRule(rule: ChangeRule, index: number, services: NodeServices): Step {
  const where = describeRule(rule, index);
  const target = compilePlace(rule.pt || "msg", rule.p, where, services);
  const toType = effectiveToType(rule);
  const toText = effectiveToValue(rule);
  switch (rule.t) {
    case "set":
      return { kind: "set", where, target, value: compileValue(where, toType, toText, services, rule.dc === true) };
    case "delete":
      return { kind: "delete", where, target };
    case "change":
      return { kind: "change", where, target, value: compileValue(where, toType, toText, services, rule.dc === true), search: compileSearch(rule, where, services) };
    case "move": {
      if (toType !== "msg" && toType !== "flow" && toType !== "global") {
        throw new Error(`${where}: can only move to a msg, flow or global property, not '${toType}'`);
      }
      const to = compilePlace(toType, toText, `${where} destination`, services);
      // Node-RED moves in one step (set, then delete) between different kinds of place and
      // from a child onto its ancestor; every other move goes through a temporary value so
      // moving onto a sub-property of itself (payload → payload.value) keeps the value.
      const sameKind = (rule.pt || "msg") === toType;
      const viaTemp = sameKind && !(rule.p.includes(toText) && rule.p !== toText);
      return { kind: "move", where, from: target, to, viaTemp };
    }
    default:
      throw new Error(`${where}: unknown action`);
  }
}

/** false when the message must be dropped (Node-RED reports the error and sends nothing). */
function applyChange(msg: Msg, step: Extract<Step, { kind: "change" }>, value: unknown, services: NodeServices): boolean {
  const pattern = step.search(msg);
  if (typeof pattern === "string") {
    services.error(new Error(pattern), msg);
    return false;
  }
  const current = read(step.target, msg);
  if (typeof current === "string") {
    if (pattern.type !== "re" && current === pattern.value) {
      // The whole string equals the search value: replace the whole value (keeps its type).
      write(step.target, msg, value);
    } else {
      write(step.target, msg, current.replace(pattern.regex, String(value)));
    }
  } else if (typeof current === "number" && pattern.type === "num") {
    if (current === Number(pattern.value)) write(step.target, msg, value);
  } else if (typeof current === "boolean" && pattern.type === "bool") {
    if (String(current) === String(pattern.value)) write(step.target, msg, value);
  }
  return true;
}

/** Applies one step whose value (if any) is known. */
function applyStep(msg: Msg, step: Step, value: unknown, services: NodeServices): boolean {
  switch (step.kind) {
    case "set":
      if (!write(step.target, msg, value)) {
        services.warn(`cannot set ${step.target.label}: a part of that path is not an object`);
      }
      return true;
    case "delete":
      remove(step.target, msg);
      return true;
    case "change":
      return applyChange(msg, step, value, services);
    case "move": {
      const moved = read(step.from, msg);
      if (step.viaTemp) {
        remove(step.from, msg);
        write(step.to, msg, moved);
      } else {
        write(step.to, msg, moved);
        remove(step.from, msg);
      }
      return true;
    }
  }
}

export const createChangeNode: NodeFactory<ChangeConfig> = (config, services) => {
  const steps = (config.rules ?? []).map((rule, i) => compileRule(rule, i, services));
  let closed = false;

  /** Runs the steps from `start`; a boolean when all were synchronous, else a promise of it. */
  function run(msg: Msg, start: number): boolean | Promise<boolean> {
    for (let i = start; i < steps.length; i++) {
      const step = steps[i];
      const value = step.kind === "set" || step.kind === "change" ? step.value : undefined;
      if (value?.kind === "jsonata") {
        return value.expr.evaluate(msg).then(
          (result) => applyStep(msg, step, value.deepCopy ? cloneMsg(result) : result, services) && run(msg, i + 1),
          (err: unknown) => {
            services.error(new Error(`${step.where}: ${describeJsonataError(value.expr.source, err)}`), msg);
            return false;
          },
        );
      }
      if (!applyStep(msg, step, value?.get(msg), services)) return false;
    }
    return true;
  }

  const handle = (msg: Msg): void | Promise<void> => {
    const result = run(msg, 0);
    if (result === true) {
      services.send(msg);
    } else if (result !== false) {
      return result.then((ok) => {
        if (ok && !closed) services.send(msg);
      });
    }
  };

  return {
    input: orderedInput(handle),
    close() {
      closed = true;
    },
  };
};
