/**
 * Node-RED's "typed input" values (str, num, bool, json, msg, date, env, flow, global, ...),
 * resolved once per node config where possible: `compileTypedValue` validates and pre-parses,
 * returning a function evaluated per message. Pure apart from the services passed in.
 * JSONata values are asynchronous and live in ./jsonata.
 */
import { getProperty, parsePropertyPath, PropertyPathError } from "./msg-property";

export const TYPED_VALUE_TYPES = ["str", "num", "bool", "json", "bin", "msg", "date", "env", "flow", "global", "pay", "payl", "nul"] as const;
export type TypedValueType = (typeof TYPED_VALUE_TYPES)[number];

/** What flow/global values read: a context scope (services.context.flow / .global). */
export interface ContextReader {
  get(key: string): unknown;
}

export interface TypedValueEnv {
  now(): number;
  env(name: string): string | undefined;
  /** Flow and global context, needed only for the flow/global types. */
  context?: { flow: ContextReader; global: ContextReader };
}

export class TypedValueError extends Error {}

/** Evaluates against the message; `undefined` means "nothing" for types that yield no value. */
export type TypedValueFn = (msg: Record<string, unknown>) => unknown;

/**
 * Node-RED's context property text: `#:(store)::key` names a context store. Flowhouse has one
 * persistent store, so the store name is accepted and ignored.
 */
export function parseContextKey(text: string): { store?: string; key: string } {
  const m = /^#:\((\S+?)\)::(.*)$/s.exec(text);
  return m ? { store: m[1], key: m[2] } : { key: text };
}

/** What is wrong with a flow/global context key, or null when it is fine. */
export function contextKeyProblem(text: string): string | null {
  const { key } = parseContextKey(text);
  if (key.trim() === "") return "context key is empty";
  try {
    parsePropertyPath(key);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? `context key: ${e.message}` : String(e);
  }
}

export function compileTypedValue(type: string, value: unknown, env: TypedValueEnv): TypedValueFn {
  const text = value === undefined || value === null ? "" : String(value);
  switch (type) {
    case "str":
    case "re":
      return () => text;
    case "num": {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n)) throw new TypedValueError(`"${text}" is not a number`);
      return () => n;
    }
    case "bool": {
      if (text !== "true" && text !== "false") throw new TypedValueError(`"${text}" is not true or false`);
      const b = text === "true";
      return () => b;
    }
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new TypedValueError(`invalid JSON: ${(e as Error).message}`);
      }
      // A fresh copy per message: downstream nodes may mutate it.
      return () => structuredClone(parsed);
    }
    case "bin": {
      let bytes: number[];
      try {
        bytes = JSON.parse(text) as number[];
      } catch {
        throw new TypedValueError(`buffer value must be a JSON array of bytes, got "${text}"`);
      }
      if (!Array.isArray(bytes)) throw new TypedValueError(`buffer value must be a JSON array of bytes`);
      return () => Buffer.from(bytes);
    }
    case "msg": {
      const path = parsePropertyPath(text);
      return (msg) => getProperty(msg, path);
    }
    case "date":
      return () => env.now();
    case "env":
      return () => env.env(text);
    case "flow":
    case "global": {
      const problem = contextKeyProblem(text);
      if (problem) throw new TypedValueError(`${type} ${problem}`);
      const scope = env.context?.[type];
      if (!scope) throw new TypedValueError(`${type} context is not available here`);
      const { key } = parseContextKey(text);
      // Read at every message: context changes while the flow runs.
      return () => scope.get(key);
    }
    case "nul":
      return () => undefined;
    default:
      throw new TypedValueError(`value type "${type}" is not supported here`);
  }
}
