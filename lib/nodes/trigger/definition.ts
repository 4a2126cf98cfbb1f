/**
 * trigger: send a value at once, then (after a delay, on reset, or repeatedly) another one.
 * The motion→light node. Field names and defaults are Node-RED's (89-trigger.html), so a
 * flows.json trigger node imports unchanged. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { oneOrTwoOutputs } from "../shared/outputs-field";

/** Node-RED writes numbers as strings ("250"); blank means "use the default". */
function numberField(defaultValue: number, what: string) {
  return z.preprocess(
    (v) => {
      if (typeof v !== "string") return v;
      if (v.trim() === "") return undefined;
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    },
    z
      .number({ error: (issue) => `${what} must be a number, got '${String(issue.input)}'` })
      .refine(Number.isFinite, `${what} must be a finite number`)
      .default(defaultValue),
  );
}

/** Node-RED's checkboxes arrive as booleans, its defaults as "true"/"false" strings. */
function booleanField(defaultValue: boolean) {
  return z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(defaultValue));
}

/** Values are kept as the strings Node-RED stores; numbers from hand-written JSON are accepted. */
const valueText = (defaultValue: string) =>
  z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string().default(defaultValue));

export const TRIGGER_OP1_TYPES = ["str", "num", "bool", "json", "bin", "date", "env", "flow", "global", "pay", "nul"] as const;
export const TRIGGER_OP2_TYPES = ["str", "num", "bool", "json", "bin", "date", "env", "flow", "global", "pay", "payl", "nul"] as const;
export const TRIGGER_UNITS = ["ms", "s", "min", "hr"] as const;

export const triggerConfigSchema = z
  .object({
    op1: valueText("1").meta({
      title: "Send",
      description: "What to send as soon as a message arrives (its type is chosen in op1type).",
    }),
    op1type: z.string().default("str").meta({
      title: "Send: type",
      description:
        "str (a mustache template when it contains {{ }}), num, bool, json, bin, date, env, flow, global; pay = the message itself; nul = nothing.",
    }),
    op2: valueText("0").meta({
      title: "Then send",
      description: "What to send when the delay has passed.",
    }),
    op2type: z.string().default("str").meta({
      title: "Then send: type",
      description:
        "As for op1; pay = the payload of the first message, payl = the latest message received, nul = nothing.",
    }),
    duration: numberField(250, "duration").meta({
      title: "Duration",
      description: "Greater than 0: wait this long, then send op2. 0: block until reset. Less than 0: resend op1 every |duration|.",
    }),
    units: z.enum(TRIGGER_UNITS).default("ms").meta({
      title: "Units",
      description: "Unit of the duration: milliseconds, seconds, minutes or hours.",
    }),
    extend: booleanField(false).meta({
      title: "Extend delay if a new message arrives",
      description: "Each new message restarts the delay; op2 then carries the latest message.",
    }),
    overrideDelay: booleanField(false).meta({
      title: "Override delay with msg.delay",
      description: "A numeric msg.delay (milliseconds, whatever the units) replaces the duration for that message.",
    }),
    reset: valueText("").meta({
      title: "Reset if msg.payload equals",
      description: "Optional. A message with msg.reset set, or whose payload equals this text, stops the timer and sends nothing.",
    }),
    bytopic: z.enum(["all", "topic"]).default("all").meta({
      title: "Handling",
      description: "all: one timer for all messages. topic: one independent timer per value of the property below.",
    }),
    topic: z.string().default("topic").meta({
      title: "Stream property",
      description: "The message property (e.g. topic, payload.room) that separates streams when handling each one separately.",
    }),
    outputs: oneOrTwoOutputs("2 sends the second message (op2) to a separate, second output."),
  })
  .loose();

export type TriggerConfig = z.output<typeof triggerConfigSchema>;

const UNIT_LABEL: Record<string, string> = { ms: "ms", s: "s", min: "min", hr: "hr" };

export function triggerLabel(config: TriggerConfig): string {
  const units = UNIT_LABEL[config.units] ?? config.units;
  if (config.duration > 0) return `trigger ${config.duration}${units}`;
  if (config.duration < 0) return `resend every ${-config.duration}${units}`;
  return "trigger & block";
}

export const triggerDefinition = defineNode({
  type: "trigger",
  category: "function",
  paletteLabel: "trigger",
  color: "#E6E0F8",
  inputs: 1,
  outputs: (config) => (config.outputs === 2 ? 2 : 1),
  config: triggerConfigSchema,
  fields: {
    op1: { typeField: "op1type", types: TRIGGER_OP1_TYPES },
    op1type: { hidden: true },
    duration: {},
    units: {},
    extend: {},
    overrideDelay: {},
    op2: { typeField: "op2type", types: TRIGGER_OP2_TYPES },
    op2type: { hidden: true },
    outputs: {},
    reset: {},
    bytopic: {},
    topic: { showWhen: { field: "bytopic", equals: ["topic"] } },
  },
  label: triggerLabel,
  help: [
    "When a message arrives, sends op1 (e.g. \"on\"); then, depending on the duration: after the delay sends op2 (e.g. \"off\"); with duration 0, sends nothing more until reset; with a negative duration, resends op1 every |duration|.",
    "While the delay runs, later messages are ignored — unless \"extend\" is on: then each message restarts the delay and op2 is sent on a copy of the latest message. This is the motion→light pattern: light on at the first motion, off 2 minutes after the last one.",
    "Reset: a message with msg.reset (any value), or whose payload equals the reset text, stops the timer and sends nothing. With \"override delay\", a numeric msg.delay (in milliseconds) replaces the duration.",
    "Handling \"each\" keeps one independent timer per value of msg.topic (or the property you name), e.g. one per room.",
    "Value types: str (a mustache template when it contains {{ }}, e.g. {{payload}}), num, bool, json, bin (a JSON array of bytes), date (timestamp; \"iso\" or \"object\" as value for other forms), env (environment variable), flow / global (a context value, read when the message arrives; Node-RED's #:(store):: prefix is accepted), pay (op1: the message passes unchanged; op2: the first message's payload), payl (op2: the latest message), nul (nothing).",
    "Restarts and redeploys: a pending \"then send\" survives them and is sent once at its original time (at once if it fell due while Flowhouse was down); a stream blocked until reset stays blocked until reset. The resend-every mode (negative duration) stops on restart.",
  ].join("\n\n"),
});
