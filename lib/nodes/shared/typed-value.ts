/**
 * Node-RED's "typed input" values (str, num, bool, json, msg, date, env, ...), resolved once
 * per node config where possible: `compileTypedValue` validates and pre-parses, returning a
 * function evaluated per message. Pure apart from the services passed in.
 */
import { getProperty, parsePropertyPath } from "./msg-property";

export const TYPED_VALUE_TYPES = ["str", "num", "bool", "json", "bin", "msg", "date", "env", "flow", "global", "pay", "payl", "nul"] as const;
export type TypedValueType = (typeof TYPED_VALUE_TYPES)[number];

export interface TypedValueEnv {
  now(): number;
  env(name: string): string | undefined;
}

export class TypedValueError extends Error {}

/** Evaluates against the message; `undefined` means "nothing" for types that yield no value. */
export type TypedValueFn = (msg: Record<string, unknown>) => unknown;

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
    case "nul":
      return () => undefined;
    default:
      throw new TypedValueError(`value type "${type}" is not supported here`);
  }
}
