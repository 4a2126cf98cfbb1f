/**
 * Compiles inject's property values once per config. Node-RED's inject evaluates
 * `str num bool json bin date env flow global jsonata`. Context values are read at the
 * moment of injection; JSONata sees the message built so far (earlier properties set).
 */
import type { NodeServices } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { parsePropertyPath } from "../shared/msg-property";
import { contextKey, describeJsonataError, prepareJsonata } from "./jsonata";

export interface CompiledInjectValue {
  /**
   * Computes the value at each injection (from the message built so far, for JSONata; a
   * Promise for JSONata); absent when the property cannot be set.
   */
  evaluate?: (msg: Msg) => unknown;
  /** Reported once when the node starts. */
  problem?: string;
  /**
   * The value is broken (bad JSON, ...): like Node-RED, every injection fails with the problem.
   * Without `fatal`, a value without `evaluate` is left out and the message is still sent.
   */
  fatal?: boolean;
}

export function compileInjectValue(
  value: string,
  type: string,
  services: Pick<NodeServices, "clock" | "env" | "context">,
): CompiledInjectValue {
  switch (type) {
    case "str":
    case "string":
      return { evaluate: () => value };
    case "num": {
      const n = Number(value);
      if (!Number.isFinite(n)) return { fatal: true, problem: `"${value}" is not a number` };
      return { evaluate: () => n };
    }
    case "bool": {
      const b = /^true$/i.test(value);
      return { evaluate: () => b };
    }
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (e) {
        return { fatal: true, problem: `invalid JSON (${(e as Error).message})` };
      }
      // A fresh copy per injection: downstream nodes may change it.
      return { evaluate: () => structuredClone(parsed) };
    }
    case "bin": {
      let data: unknown;
      try {
        data = JSON.parse(value);
      } catch {
        data = undefined;
      }
      if (typeof data === "string") {
        const text = data;
        return { evaluate: () => Buffer.from(text) };
      }
      if (Array.isArray(data)) {
        const bytes = data as number[];
        return { evaluate: () => Buffer.from(bytes) };
      }
      return { fatal: true, problem: `a buffer must be a JSON array of bytes like [1,2,3], got "${value}"` };
    }
    case "date":
      switch (value) {
        case "":
          return { evaluate: () => services.clock.now() };
        case "iso":
          return { evaluate: () => new Date(services.clock.now()).toISOString() };
        case "object":
          return { evaluate: () => new Date(services.clock.now()) };
        default:
          return {
            evaluate: () => services.clock.now(),
            problem: `the date format "${value}" is not supported yet (use a timestamp, "iso" or "object"); a millisecond timestamp is sent instead`,
          };
      }
    case "env": {
      if (/\$\{[^}]+\}/.test(value)) {
        return { evaluate: () => value.replace(/\$\{([^}]+)\}/g, (_, name: string) => services.env(name.trim()) ?? "") };
      }
      const name = value.trim();
      return { evaluate: () => services.env(name) };
    }
    case "flow":
    case "global": {
      const key = contextKey(value);
      if (key === "") return { fatal: true, problem: `the ${type} context key is empty; name the context value to send` };
      try {
        parsePropertyPath(key);
      } catch (e) {
        return { fatal: true, problem: `"${value}" is not a valid ${type} context key (${(e as Error).message})` };
      }
      const scope = type === "flow" ? services.context.flow : services.context.global;
      return { evaluate: () => scope.get(key) };
    }
    case "jsonata": {
      // As in Node-RED, an empty expression leaves the property out.
      if (value.trim() === "") return {};
      try {
        const prepared = prepareJsonata(value, services);
        return {
          evaluate: (msg) =>
            prepared.evaluate(msg).catch((e: unknown) => {
              throw new Error(`JSONata expression "${value}" failed: ${describeJsonataError(e)}`);
            }),
        };
      } catch (e) {
        return { fatal: true, problem: `invalid JSONata expression "${value}": ${describeJsonataError(e)}` };
      }
    }
    case "msg":
      return { problem: "msg values are not allowed in an inject node (it has no incoming message)" };
    default:
      return { problem: `the value type "${type}" is not supported (use str, num, bool, json, bin, date, env, flow, global or jsonata)` };
  }
}
