/**
 * Turns a node definition's zod config schema (via JSON Schema) plus its FieldHints into a
 * list of form fields, and converts what the user types back into the type the schema
 * expects. Pure and browser-safe; the React form is a thin renderer over this.
 */
import { z } from "zod";
import type { FieldHint } from "../../../lib/nodes/types";

/** The part of JSON Schema that zod emits and the form understands. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
}

export type FieldKind = "text" | "number" | "checkbox" | "select" | "typed" | "configNode" | "list" | "json";
/** What a text-like input stores: a string, a number, or whichever the old value was. */
export type ValueKind = "string" | "number" | "either" | "unknown";

export interface SelectOption {
  label: string;
  value: unknown;
}

export interface FormField {
  key: string;
  title: string;
  description?: string;
  kind: FieldKind;
  valueKind: ValueKind;
  hint: FieldHint;
  options?: SelectOption[];
  /** For typed inputs: the field holding the value type, and the types offered. */
  typeKey?: string;
  typeOptions?: SelectOption[];
  /** For lists of objects: the fields of one row and a fresh row's values. */
  itemFields?: FormField[];
  newItem?: Record<string, unknown>;
  default?: unknown;
  integer?: boolean;
  minimum?: number;
  maximum?: number;
}

export function configJsonSchema(schema: z.ZodType): JsonSchema {
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  } catch {
    return {};
  }
}

/** Config with every default filled in: the schema parsed from `{}`. */
export function defaultsFromSchema(schema: z.ZodType): Record<string, unknown> {
  const parsed = schema.safeParse({});
  if (parsed.success && parsed.data && typeof parsed.data === "object") {
    return parsed.data as Record<string, unknown>;
  }
  // Some field has no default: take what defaults JSON Schema lists.
  const json = configJsonSchema(schema);
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(json.properties ?? {})) {
    if (prop.default !== undefined) out[key] = structuredClone(prop.default);
  }
  return out;
}

function types(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.flatMap(types))];
  return [];
}

/** Fixed choices if the schema is an enum or a union of constants. */
function choices(s: JsonSchema): unknown[] | undefined {
  if (s.enum) return s.enum;
  if (s.const !== undefined) return [s.const];
  const alts = s.anyOf ?? s.oneOf;
  if (alts && alts.length > 0) {
    const all: unknown[] = [];
    for (const a of alts) {
      const c = choices(a);
      if (!c) return undefined;
      all.push(...c);
    }
    return all;
  }
  return undefined;
}

/** "op1type" → "Op1type", "bytopic" → "Bytopic", "maxBytes" → "Max bytes". */
export function humanize(key: string): string {
  const spaced = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

function valueKindOf(t: string[]): ValueKind {
  const num = t.includes("number") || t.includes("integer");
  const str = t.includes("string");
  if (num && str) return "either";
  if (num) return "number";
  if (str) return "string";
  return "unknown";
}

function hintFor(hints: Readonly<Record<string, FieldHint>>, key: string, parent?: string): FieldHint {
  if (parent) return hints[`${parent}[].${key}`] ?? hints[`${parent}.${key}`] ?? {};
  return hints[key] ?? {};
}

function buildField(
  key: string,
  prop: JsonSchema,
  hints: Readonly<Record<string, FieldHint>>,
  parent?: string,
): FormField {
  const hint = hintFor(hints, key, parent);
  const t = types(prop);
  const base = {
    key,
    title: prop.title ?? humanize(key),
    description: prop.description,
    hint,
    default: prop.default,
    valueKind: valueKindOf(t),
    integer: t.includes("integer") && !t.includes("number"),
    minimum: prop.minimum,
    maximum: prop.maximum !== undefined && Math.abs(prop.maximum) < Number.MAX_SAFE_INTEGER ? prop.maximum : undefined,
  };
  if (hint.configNodeType) return { ...base, kind: "configNode" };
  const fixed = choices(prop);
  if (fixed && fixed.length > 0 && !hint.typeField) {
    return { ...base, kind: "select", options: fixed.map((v) => ({ label: v === "" ? "(not set)" : String(v), value: v })) };
  }
  if (t.length === 1 && t[0] === "boolean") return { ...base, kind: "checkbox" };
  if (t.includes("array")) {
    const items = prop.items;
    if (items && types(items).includes("object") && items.properties) {
      const itemFields = buildFields(items, hints, key);
      const newItem: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(items.properties)) {
        if (p.default !== undefined) newItem[k] = structuredClone(p.default);
        else {
          const c = choices(p);
          if (c && c.length > 0) newItem[k] = c[0];
          else if (types(p).includes("string")) newItem[k] = "";
        }
      }
      // A new row's value types start at the first type offered, not blank.
      for (const f of itemFields) {
        if (f.kind === "typed" && f.typeKey && (newItem[f.typeKey] === undefined || newItem[f.typeKey] === "")) {
          const first = f.typeOptions?.[0]?.value;
          if (first !== undefined) newItem[f.typeKey] = first;
        }
      }
      return { ...base, kind: "list", itemFields, newItem };
    }
    return { ...base, kind: "json" };
  }
  if (t.includes("object")) return { ...base, kind: "json" };
  if (hint.typeField) return { ...base, kind: "typed", typeKey: hint.typeField };
  if (base.valueKind === "number") return { ...base, kind: "number" };
  return { ...base, kind: "text" };
}

/**
 * Form fields for an object schema: hinted fields first in hint order, then the rest in
 * schema order. Type fields of typed inputs and hidden fields are not listed on their own.
 * Inside list rows (`parent` set), a field `X` with a sibling `Xt`/`Xtype` becomes a typed
 * input unless hints say otherwise (Node-RED's change and switch rules: p/pt, to/tot, v/vt).
 */
export function buildFields(
  schema: JsonSchema,
  hints: Readonly<Record<string, FieldHint>> = {},
  parent?: string,
): FormField[] {
  const props = schema.properties ?? {};
  const keys = Object.keys(props);
  const hintedOrder = parent
    ? Object.keys(hints)
        .filter((k) => k.startsWith(`${parent}[].`) || k.startsWith(`${parent}.`))
        .map((k) => k.slice(k.indexOf(".") + 1))
    : Object.keys(hints);
  const ordered = [...hintedOrder.filter((k) => k in props), ...keys.filter((k) => !hintedOrder.includes(k))];
  const typeKeys = new Set<string>();
  const fields: FormField[] = [];
  for (const key of ordered) {
    const field = buildField(key, props[key], hints, parent);
    if (parent && !field.hint.typeField && (field.kind === "text" || field.kind === "number")) {
      const sibling = [`${key}t`, `${key}type`].find((k) => k in props);
      if (sibling) {
        field.kind = "typed";
        field.typeKey = sibling;
        field.hint = { ...field.hint, typeField: sibling };
      }
    }
    if (field.kind === "typed" && field.typeKey) {
      typeKeys.add(field.typeKey);
      const typeProp = props[field.typeKey];
      const offered = field.hint.types ?? (typeProp ? (choices(typeProp) as string[] | undefined) : undefined);
      field.typeOptions = (offered ?? ["str", "num", "bool", "json", "msg", "env"]).map((v) => ({
        label: TYPE_LABELS[String(v)] ?? String(v),
        value: v,
      }));
    }
    fields.push(field);
  }
  return fields.filter((f) => !typeKeys.has(f.key) && !f.hint.hidden);
}

/** Node-RED's typed-input names shown as words. */
export const TYPE_LABELS: Readonly<Record<string, string>> = {
  "": "(auto)",
  str: "string",
  num: "number",
  bool: "boolean",
  json: "JSON",
  bin: "buffer",
  msg: "msg.",
  flow: "flow.",
  global: "global.",
  date: "timestamp",
  env: "env variable",
  pay: "the original msg",
  payl: "the latest msg",
  nul: "nothing",
  re: "regex",
  jsonata: "expression",
  prev: "previous value",
};

/** Value types whose typed input needs no value text. */
export const VALUELESS_TYPES: ReadonlySet<string> = new Set(["date", "pay", "payl", "nul", "prev"]);

export function isFieldVisible(field: FormField, values: Readonly<Record<string, unknown>>): boolean {
  const when = field.hint.showWhen;
  if (!when) return true;
  const current = values[when.field];
  return when.equals.some((v) => v === current || String(v) === String(current));
}

/**
 * What to store for text typed into a field. A number field stores a number when the text
 * is one (else the raw text, so validation can say what is wrong); a field that accepts
 * both keeps the kind of value it had before.
 */
export function coerceInput(field: Pick<FormField, "valueKind">, raw: string, previous: unknown): unknown {
  const asNumber = raw.trim() === "" ? NaN : Number(raw);
  switch (field.valueKind) {
    case "number":
      return Number.isFinite(asNumber) ? asNumber : raw;
    case "either":
      return typeof previous === "number" && Number.isFinite(asNumber) ? asNumber : raw;
    default:
      return raw;
  }
}

/** Text to show in an input for a stored value. */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * Validation problems of a config, keyed by field path ("duration", "rules.0.v"); "" holds
 * problems not tied to one field.
 */
export function configErrors(schema: z.ZodType, config: unknown): Record<string, string[]> {
  const result = schema.safeParse(config);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
