/**
 * join: rebuilds one message from a sequence — automatically from `msg.parts` (after a split
 * node), or manually into a string, array, Buffer, key/value object or merged object after a
 * count, a timeout or `msg.complete`. Field names and defaults are Node-RED's
 * (17-split.html, JoinNode). Reduce mode is not supported yet. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";

export const JOIN_MODES = ["auto", "custom", "reduce"] as const;
export const JOIN_BUILDS = ["string", "array", "buffer", "object", "merged"] as const;
/** A group holding more parts than this is dropped with an error (memory stays bounded). */
export const MAX_PARTS_PER_GROUP = 10_000;
/** At most this many unfinished groups are kept; the oldest is dropped beyond. */
export const MAX_OPEN_GROUPS = 1_000;

function pathProblem(path: string): string | null {
  try {
    parsePropertyPath(path);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? e.message : String(e);
  }
}

/** Node-RED stores count and timeout as text ("" = not set); numbers are accepted too. */
const numberOrBlank = z.preprocess((v) => (v === undefined || v === null ? "" : v), z.union([z.number(), z.string()]));

/** "" (not set) → null; a finite number ≥ 0 → the number; anything else → NaN. */
export function optionalNumber(value: unknown): number | null {
  if (value === "" || value === undefined || value === null) return null;
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : NaN;
}

/** A JSON array of bytes for a binary joiner; "" is an empty joiner. */
export function joinerBytes(text: string): number[] | string {
  if (text.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `'${text}' is not a JSON array of bytes such as [13,10]`;
  }
  if (!Array.isArray(parsed) || !parsed.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return `'${text}' is not a JSON array of bytes (0–255) such as [13,10]`;
  }
  return parsed as number[];
}

export const joinConfigSchema = z
  .object({
    mode: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "auto" : v),
        z.enum(JOIN_MODES, { error: (iss) => `mode must be auto, custom or reduce, got ${JSON.stringify(iss.input)}` }),
      )
      .meta({ title: "Mode", description: "auto: rebuild what a split node split (uses msg.parts). custom: collect messages as set below." }),
    build: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "object" : v),
        z.enum(JOIN_BUILDS, { error: (iss) => `build must be string, array, buffer, object or merged, got ${JSON.stringify(iss.input)}` }),
      )
      .meta({
        title: "Create",
        description: "string (joined with the joiner), array, buffer, object (key from the key property), or merged (all properties of object payloads).",
      }),
    property: z
      .preprocess((v) => (v === undefined || v === null || v === "" ? "payload" : v), z.string())
      .meta({ title: "Combine each", description: "The message property collected from each message (payload)." }),
    propertyType: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "msg" : v),
        z.enum(["msg", "full"], { error: (iss) => `propertyType must be msg or full (the complete message), got ${JSON.stringify(iss.input)}` }),
      )
      .meta({ title: "Combine each: type", description: "msg: a property; full: the complete message." }),
    key: z
      .preprocess((v) => (v === undefined || v === null || v === "" ? "topic" : v), z.string())
      .meta({ title: "Key property", description: "Object: the message property whose value becomes the key (topic)." }),
    joiner: z
      .preprocess((v) => (v === undefined || v === null ? "\\n" : typeof v === "number" ? String(v) : v), z.string())
      .meta({ title: "Joined using", description: "String/Buffer: what goes between the parts (\\n is a newline)." }),
    joinerType: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "str" : v),
        z.enum(["str", "bin"], { error: (iss) => `joinerType must be str or bin, got ${JSON.stringify(iss.input)}` }),
      )
      .meta({ title: "Joiner type", description: "str: text; bin: a JSON array of bytes." }),
    useparts: z
      .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(false))
      .meta({ title: "Use existing msg.parts", description: "custom mode: count and group by msg.parts of incoming messages." }),
    accumulate: z
      .union([z.boolean(), z.enum(["true", "false"])])
      .default("false")
      .meta({ title: "And every subsequent message", description: "Keep the group after sending and send it again with each new message." }),
    timeout: numberOrBlank.meta({ title: "After a timeout following the first message", description: "Seconds; blank for none." }),
    count: numberOrBlank.meta({ title: "After a number of message parts", description: "Blank: take the count from msg.parts." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    if (config.mode === "reduce") {
      ctx.addIssue({
        code: "custom",
        path: ["mode"],
        message: "reduce mode is not supported yet; use automatic or manual (custom) mode, or reduce in a function node after a join",
      });
    }
    if (config.mode !== "custom") return;
    if (Number.isNaN(optionalNumber(config.count))) {
      ctx.addIssue({ code: "custom", path: ["count"], message: `count must be a number of messages (0 or more) or blank, got '${String(config.count)}'` });
    }
    if (Number.isNaN(optionalNumber(config.timeout))) {
      ctx.addIssue({ code: "custom", path: ["timeout"], message: `timeout must be a number of seconds (0 or more) or blank, got '${String(config.timeout)}'` });
    }
    if (config.joinerType === "bin") {
      const bytes = joinerBytes(config.joiner);
      if (typeof bytes === "string") ctx.addIssue({ code: "custom", path: ["joiner"], message: `joined using bytes: ${bytes}` });
    }
    if (config.propertyType === "msg") {
      const p = pathProblem(config.property);
      if (p) ctx.addIssue({ code: "custom", path: ["property"], message: `combine each: ${p}` });
    }
    if (config.build === "object") {
      const k = pathProblem(config.key);
      if (k) ctx.addIssue({ code: "custom", path: ["key"], message: `key property: ${k}` });
    }
  });

export type JoinConfig = z.output<typeof joinConfigSchema>;

export const joinDefinition = defineNode({
  type: "join",
  category: "function",
  paletteLabel: "join",
  color: "#E2D96E",
  inputs: 1,
  outputs: () => 1,
  config: joinConfigSchema,
  fields: {
    mode: {},
    build: { showWhen: { field: "mode", equals: ["custom"] } },
    property: { typeField: "propertyType", types: ["msg", "full"], showWhen: { field: "mode", equals: ["custom"] } },
    propertyType: { hidden: true },
    key: { showWhen: { field: "build", equals: ["object"] } },
    joiner: { typeField: "joinerType", types: ["str", "bin"], showWhen: { field: "build", equals: ["string", "buffer"] } },
    joinerType: { hidden: true },
    count: { showWhen: { field: "mode", equals: ["custom"] } },
    useparts: { showWhen: { field: "mode", equals: ["custom"] } },
    accumulate: { showWhen: { field: "mode", equals: ["custom"] } },
    timeout: { showWhen: { field: "mode", equals: ["custom"] }, unit: "s" },
  },
  label: (config) => (config.mode === "custom" && optionalNumber(config.count) !== null ? `join ${String(config.count)}` : "join"),
  help: [
    "Joins a sequence of messages into one.",
    "Automatic mode rebuilds what a split node split, using msg.parts: an array, a string (joined with the original separator), a Buffer, or an object (by key). The result is sent when all parts have arrived, in index order.",
    "Manual (custom) mode collects a property (payload) or the complete messages into a string, an array, a Buffer, a key/value object (key from msg.topic by default) or a merged object, and sends it after a number of messages, a timeout (seconds after the first message), or when a message with msg.complete arrives. msg.reset drops a group without sending; msg.restartTimeout restarts the timeout.",
    `Memory is bounded: a group holding more than ${MAX_PARTS_PER_GROUP} parts is dropped with an error, and at most ${MAX_OPEN_GROUPS} unfinished groups are kept. Reduce mode is not supported yet.`,
  ].join("\n\n"),
});
