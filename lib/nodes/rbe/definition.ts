/**
 * filter (type "rbe", report by exception): pass a message only when its value changed, or
 * changed by more (deadband) / less (narrowband) than a gap. Field names and defaults are
 * Node-RED's (rbe.html), so a flows.json filter node imports unchanged. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";

export const RBE_MODES = ["rbe", "rbei", "deadbandEq", "deadband", "narrowbandEq", "narrowband"] as const;
export type RbeMode = (typeof RBE_MODES)[number];

/** Blank means "use the default", as Node-RED's `n.func || "rbe"`. */
const blankToDefault = (v: unknown) => (v === "" || v === null ? undefined : v);
/** Numbers from hand-written JSON are kept as the strings Node-RED stores. */
const numberToText = (v: unknown) => (typeof v === "number" ? String(v) : v);

const GAP = /^(\d+(\.\d*)?|\.\d+)?\s*%?$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export const rbeConfigSchema = z
  .object({
    func: z.preprocess(blankToDefault, z.enum(RBE_MODES).default("rbe")).meta({
      title: "Mode",
      description:
        "rbe: block unless the value changes · rbei: same, ignoring the first value · deadband(Eq): block unless the value changes by more than (or at least) the gap · narrowband(Eq): block if the value changes by more than (or at least) the gap.",
    }),
    gap: z
      .preprocess(numberToText, z.string().trim().default(""))
      .refine((g) => GAP.test(g), {
        error: (issue) => `value change must be a number or a percentage such as 10 or 5%, got '${String(issue.input)}'`,
      })
      .meta({ title: "Value change", description: "The band gap: a number (10) or a percentage of the previous value (5%). Blank = 0." }),
    start: z
      .preprocess(numberToText, z.string().trim().default(""))
      .refine((s) => s === "" || NUMBER.test(s), {
        error: (issue) => `start value must be a number or blank (use the first value received), got '${String(issue.input)}'`,
      })
      .meta({ title: "Start value", description: "Narrowband modes: the value compared with before anything arrived. Blank = the first value received." }),
    inout: z.preprocess(blankToDefault, z.enum(["out", "in"]).default("out")).meta({
      title: "Compared to",
      description: "out: the last value sent on (values outside the band are ignored) · in: the last value received (the set point follows the input).",
    }),
    septopics: z
      .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(true))
      .meta({ title: "Apply mode separately for each topic", description: "Keep one last value per value of the topic property." }),
    property: z.preprocess(blankToDefault, z.string().default("payload")).meta({
      title: "Property",
      description: "The message property whose value is compared, e.g. payload or payload.temperature.",
    }),
    topi: z.preprocess(blankToDefault, z.string().default("topic")).meta({
      title: "Topic property",
      description: "The message property that separates topics (msg.topic by default).",
    }),
  })
  .loose();

export type RbeConfig = z.output<typeof rbeConfigSchema>;

/** Node-RED's canvas label: "filter", "deadband", "narrowband". */
export function rbeLabel(config: RbeConfig): string {
  if (config.func === "rbe" || config.func === "rbei") return "filter";
  return config.func.replace("Eq", "");
}

export const rbeDefinition = defineNode({
  type: "rbe",
  category: "function",
  paletteLabel: "filter",
  color: "#E2D96E",
  inputs: 1,
  outputs: () => 1,
  config: rbeConfigSchema,
  fields: {
    func: {},
    gap: { showWhen: { field: "func", equals: ["deadbandEq", "deadband", "narrowbandEq", "narrowband"] } },
    inout: { showWhen: { field: "func", equals: ["deadbandEq", "deadband", "narrowbandEq", "narrowband"] } },
    start: { showWhen: { field: "func", equals: ["narrowbandEq", "narrowband"] } },
    property: {},
    septopics: {},
    topi: { showWhen: { field: "septopics", equals: [true] } },
  },
  label: rbeLabel,
  help: [
    "Report by exception: passes a message on only when its value (msg.payload, or the property you choose) has changed.",
    "Block unless value changes: numbers, strings and objects (compared deeply, so {a:1,b:2} equals {b:2,a:1}). The \"ignore initial value\" variant does not pass the first value of a topic.",
    "Deadband: blocks a numeric value unless it differs from the previous one by more than the gap (or at least the gap, for the \"greater or equal\" mode) — e.g. only report a temperature when it moved by more than 0.5. Narrowband: blocks the value if it differs by more than (or at least) the gap — e.g. ignore outliers of a faulty sensor. The gap may be a percentage of the previous value (5%). These modes need a number (a string starting with one, such as \"21.5 °C\", counts); other values are dropped with a warning.",
    "Compared to: the last value sent on (values outside the band are ignored), or the last value received (the reference follows every input). Narrowband can start from a fixed start value.",
    "Each topic (msg.topic, or the property you choose) keeps its own last value unless you turn that off. msg.reset forgets the last value of the message's topic, or of every topic when the message has none.",
    "The last values are kept in the node's context, so a restart or a redeploy does not make the filter pass a value that did not change.",
  ].join("\n\n"),
});
