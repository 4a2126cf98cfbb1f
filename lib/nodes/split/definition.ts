/**
 * split: turns one message into a sequence — one per array element, per object key, or per
 * piece of a string/Buffer — each with `msg.parts` exactly as Node-RED's 17-split.js writes
 * it, so join's automatic mode rebuilds the original. Field names and defaults are
 * Node-RED's. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";

export const SPLIT_TYPES = ["str", "bin", "len"] as const;

function pathProblem(path: string): string | null {
  try {
    parsePropertyPath(path);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? e.message : String(e);
  }
}

/** Node-RED's escapes in a separator typed in the editor ("\\n" means a newline). */
export function unescapeSeparator(text: string): string {
  return text
    .replace(/\\n/g, "\n")
    .replace(/\\r/g, "\r")
    .replace(/\\t/g, "\t")
    .replace(/\\e/g, "\x1b")
    .replace(/\\f/g, "\f")
    .replace(/\\0/g, "\0");
}

/** A JSON array of bytes ("[13,10]") as a list of numbers, or a reason it is not one. */
export function parseByteList(text: string): number[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `'${text}' is not a JSON array of bytes such as [13,10]`;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return `'${text}' is not a JSON array of bytes (0–255) such as [13,10]`;
  }
  return parsed as number[];
}

/** A whole number ≥ 1 from Node-RED's number-or-text, or null. */
export function positiveInt(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : null;
}

const numberOrText = z.union([z.number(), z.string()]);

export const splitConfigSchema = z
  .object({
    splt: z
      .preprocess((v) => (typeof v === "number" ? String(v) : v === undefined || v === null ? "\\n" : v), z.string())
      .meta({ title: "Split strings/Buffers", description: "The separator (\\n is a newline), a JSON array of bytes, or a length." }),
    spltType: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "str" : v),
        z.enum(SPLIT_TYPES, { error: (iss) => `spltType must be str, bin or len, got ${JSON.stringify(iss.input)}` }),
      )
      .meta({ title: "Split using", description: "str: a text separator. bin: a separator given as bytes. len: fixed-length pieces." }),
    arraySplt: numberOrText.default(1).meta({ title: "Split arrays into pieces of", description: "Elements per message (1: one element each)." }),
    arraySpltType: z.string().default("len").meta({ title: "Array split type", description: "Always len." }),
    stream: z
      .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(false))
      .meta({ title: "Handle as a stream of messages", description: "Not supported yet." }),
    addname: z.string().default("").meta({ title: "Copy key to", description: "Objects: the message property that receives each key (e.g. topic); empty for none." }),
    property: z
      .preprocess((v) => (v === undefined || v === null || v === "" ? "payload" : v), z.string())
      .meta({ title: "Split", description: "The message property to split, usually payload." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    if (config.spltType === "bin") {
      const bytes = parseByteList(config.splt);
      if (typeof bytes === "string") ctx.addIssue({ code: "custom", path: ["splt"], message: `split using bytes: ${bytes}` });
    } else if (config.spltType === "len" && positiveInt(config.splt) === null) {
      ctx.addIssue({ code: "custom", path: ["splt"], message: `split length must be a whole number of at least 1, got '${config.splt}'` });
    }
    if (positiveInt(config.arraySplt) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["arraySplt"],
        message: `array split length must be a whole number of at least 1, got '${String(config.arraySplt)}'`,
      });
    }
    if (config.stream) {
      ctx.addIssue({
        code: "custom",
        path: ["stream"],
        message: "stream mode (carrying an unfinished piece over to the next message) is not supported yet; turn it off",
      });
    }
    const p = pathProblem(config.property);
    if (p) ctx.addIssue({ code: "custom", path: ["property"], message: `property: ${p}` });
    if (config.addname !== "") {
      const a = pathProblem(config.addname);
      if (a) ctx.addIssue({ code: "custom", path: ["addname"], message: `copy key to: ${a}` });
    }
  });

export type SplitConfig = z.output<typeof splitConfigSchema>;

export const splitDefinition = defineNode({
  type: "split",
  category: "function",
  paletteLabel: "split",
  color: "#E2D96E",
  inputs: 1,
  outputs: () => 1,
  config: splitConfigSchema,
  fields: {
    property: {},
    splt: { typeField: "spltType", types: SPLIT_TYPES },
    spltType: { hidden: true },
    arraySplt: {},
    arraySpltType: { hidden: true },
    addname: {},
    stream: {},
  },
  label: () => "split",
  help: [
    "Splits a message into a sequence of messages:",
    "an array gives one message per element (or per group of elements); an object gives one message per key (the key in msg.parts.key, and optionally copied to another property such as msg.topic); a string or Buffer is split at a separator (\\n by default), at a sequence of bytes, or into pieces of a fixed length.",
    "Every message carries msg.parts (id, index, count, type, and ch / key / len), so a join node in automatic mode puts the original back together.",
    "Other payload types (numbers, booleans, null) cannot be split: they are dropped with a warning. Stream mode is not supported yet.",
  ].join("\n\n"),
});
