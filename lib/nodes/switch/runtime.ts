/**
 * switch at run time, with Node-RED's comparison semantics (10-switch.js): JavaScript's loose
 * == and relational operators on the raw property, so '5' == 5 and '10' > 9. Rules are compiled
 * once (values parsed, regular expressions built, JSONata expressions compiled) when the node
 * starts.
 *
 * The property and rule values may be flow/global context values (read synchronously at every
 * message) or JSONata expressions, which are asynchronous (jsonata 2): a node that uses one
 * handles its messages one after the other, in arrival order, queueing the ones that arrive
 * while an expression is evaluated. A node without JSONata routes synchronously.
 */
import type { NodeFactory, NodeServices } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath } from "../shared/msg-property";
import { parseContextKey } from "../shared/typed-value";
import { compileJsonata, describeJsonataError, orderedInput, type CompiledJsonata, type JsonataServices } from "../shared/jsonata";
import {
  describeSwitchRule,
  effectiveValueType,
  ruleValueProblem,
  switchPropertyProblem,
  UNSUPPORTED_OPERATORS,
  type SwitchConfig,
  type SwitchOperator,
  type SwitchRule,
} from "./definition";

/**
 * Reads a rule operand for one message; `previous` is the property value of the last message.
 * Only JSONata operands return a promise (their `async` flag is set).
 */
type Operand = ((msg: Msg, previous: unknown) => unknown) & { async?: true };

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
const OPERATORS: Record<Exclude<SwitchOperator, "head" | "tail" | "index" | "else" | "regex">, (a: unknown, b: unknown, c: unknown) => boolean> = {
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
  // The rule's own value (an expression) decides; only a real `true` matches.
  jsonata_exp: (_a, b) => b === true,
};

function jsonataServices(services: NodeServices): JsonataServices {
  return {
    now: () => services.clock.now(),
    env: (n) => services.env(n),
    context: { flow: services.context.flow, global: services.context.global },
  };
}

/** An operand evaluating `expr`; a failure becomes an error naming `where` and the expression. */
function jsonataOperand(where: string, expr: CompiledJsonata): Operand {
  const operand: Operand = (msg) => {
    // Node-RED gives sequence members $I (index) and $N (count).
    const parts = msg.parts as { index?: unknown; count?: unknown } | undefined;
    const bindings = parts && typeof parts === "object" ? { I: parts.index, N: parts.count } : undefined;
    return expr.evaluate(msg, bindings).catch((err: unknown) => {
      throw new Error(`${where}: ${describeJsonataError(expr.source, err)}`);
    });
  };
  operand.async = true;
  return operand;
}

function compileOperand(where: string, value: string | undefined, rawType: string | undefined, services: NodeServices): Operand {
  const type = effectiveValueType(value, rawType);
  const text = value ?? "";
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
    case "flow":
    case "global": {
      const scope = services.context[type];
      const { key } = parseContextKey(text);
      return () => scope.get(key);
    }
    case "jsonata":
      return jsonataOperand(where, compileJsonata(text, jsonataServices(services)));
    case "prev":
      return (_msg, previous) => previous;
    case "date":
      return () => services.clock.now();
    default:
      throw new Error(`${where}: value type '${type}' is not known; use str, num, bool, msg, flow, global, jsonata, env or prev`);
  }
}

function compileRule(rule: SwitchRule, index: number, services: NodeServices): CompiledRule {
  const where = describeSwitchRule(rule, index);
  if (UNSUPPORTED_OPERATORS.includes(rule.t)) {
    throw new Error(`${where}: this rule type (message sequences) is not supported yet; use a comparison, regex, type, JSONata or 'otherwise' rule`);
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
  if (rule.v2 !== undefined) {
    const problem2 = ruleValueProblem(effectiveValueType(rule.v2, rule.v2t), rule.v2, rule.t);
    if (problem2) throw new Error(`${where}, second value: ${problem2}`);
  }
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

/** Routing state of one message while its rules are checked. */
interface Routing {
  onward: (Msg | null)[];
  noneMatched: boolean;
  sentOnce: boolean;
}

/** Checks one rule with its operands known; false when routing stops here (first match). */
function checkRule(rule: CompiledRule, property: unknown, v1: unknown, v2: unknown, msg: Msg, state: Routing, stopAtFirst: boolean): boolean {
  let matched: boolean;
  if (rule.t === "else") {
    matched = state.noneMatched;
  } else if (rule.t === "regex") {
    const a = property === undefined ? "undefined" : String(property);
    const regex = rule.regex ?? new RegExp(String(v1), rule.ignoreCase ? "i" : "");
    matched = regex.test(a);
  } else {
    const op = OPERATORS[rule.t as keyof typeof OPERATORS];
    matched = op(property, v1, v2);
  }
  if (!matched) {
    state.onward.push(null);
    return true;
  }
  // One message object per output: the runtime only clones between wires of one port.
  state.onward.push(state.sentOnce ? cloneMsg(msg) : msg);
  state.sentOnce = true;
  state.noneMatched = false;
  return !stopAtFirst;
}

export const createSwitchNode: NodeFactory<SwitchConfig> = (config, services) => {
  const propertyType = config.propertyType || "msg";
  const propertyProblem = switchPropertyProblem(propertyType, config.property ?? "");
  if (propertyProblem) throw new Error(`property: ${propertyProblem}`);
  let readProperty: Operand;
  if (propertyType === "msg") {
    const path = parsePropertyPath(config.property || "payload");
    readProperty = (msg) => getProperty(msg, path);
  } else if (propertyType === "env") {
    const value = services.env(config.property);
    readProperty = () => value;
  } else if (propertyType === "flow" || propertyType === "global") {
    const scope = services.context[propertyType];
    const { key } = parseContextKey(config.property);
    readProperty = () => scope.get(key);
  } else {
    readProperty = jsonataOperand("property", compileJsonata(config.property, jsonataServices(services)));
  }
  const rules = (config.rules ?? []).map((rule, i) => compileRule(rule, i, services));
  const stopAtFirst = String(config.checkall) === "false";
  const usesJsonata = readProperty.async === true || rules.some((r) => r.v.async === true || r.v2.async === true);
  // Node-RED's "previous value" starts as null.
  let previous: unknown = null;
  let closed = false;

  const finish = (property: unknown, state: Routing) => {
    previous = property;
    if (state.sentOnce && !closed) services.send(state.onward);
  };
  // A regular expression read from the message that does not compile, or an expression that
  // failed: reported with the message, which goes nowhere; the previous value stays as it was
  // (as in Node-RED).
  const fail = (err: unknown, msg: Msg) => services.error(err, msg);

  function routeSync(msg: Msg): void {
    const property = readProperty(msg, previous);
    const state: Routing = { onward: [], noneMatched: true, sentOnce: false };
    for (const rule of rules) {
      let goOn: boolean;
      try {
        goOn = checkRule(rule, property, rule.v(msg, previous), rule.v2(msg, previous), msg, state, stopAtFirst);
      } catch (err) {
        fail(err, msg);
        return;
      }
      if (!goOn) break;
    }
    finish(property, state);
  }

  async function routeAsync(msg: Msg): Promise<void> {
    let property: unknown;
    const state: Routing = { onward: [], noneMatched: true, sentOnce: false };
    try {
      property = await readProperty(msg, previous);
      for (const rule of rules) {
        // Operands of later rules are evaluated only when routing gets there, as in Node-RED.
        const v1 = await rule.v(msg, previous);
        const v2 = await rule.v2(msg, previous);
        if (!checkRule(rule, property, v1, v2, msg, state, stopAtFirst)) break;
      }
    } catch (err) {
      fail(err, msg);
      return;
    }
    finish(property, state);
  }

  return {
    input: usesJsonata ? orderedInput(routeAsync) : routeSync,
    close() {
      closed = true;
    },
  };
};
