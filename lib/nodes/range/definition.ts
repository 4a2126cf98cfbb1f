/**
 * range: maps a number from one range to another (scale, clamp, wrap, drop), as Node-RED's
 * 16-range.js. The bounds stay the strings Node-RED stores ("0", "1023"), so flows.json
 * round-trips exactly; they are checked to be numbers. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";

export const RANGE_ACTIONS = ["scale", "clamp", "roll", "drop"] as const;

/** Kept as text; numbers from hand-written JSON are accepted. */
const boundText = z.preprocess((v) => (typeof v === "number" ? String(v) : v === undefined || v === null ? "" : v), z.string().default(""));

function isNumberText(text: string): boolean {
  return text.trim() !== "" && Number.isFinite(Number(text));
}

const BOUND_TITLES = { minin: "input from", maxin: "input to", minout: "output from", maxout: "output to" } as const;

export const rangeConfigSchema = z
  .object({
    minin: boundText.meta({ title: "Input range from", description: "The lowest expected input value." }),
    maxin: boundText.meta({ title: "Input range to", description: "The highest expected input value." }),
    minout: boundText.meta({ title: "Target range from", description: "What the lowest input maps to." }),
    maxout: boundText.meta({ title: "Target range to", description: "What the highest input maps to." }),
    action: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "scale" : v),
        z.enum(RANGE_ACTIONS, {
          error: (iss) => `action must be scale, clamp, roll or drop, got ${JSON.stringify(iss.input)}`,
        }).default("scale"),
      )
      .meta({
        title: "Action",
        description:
          "scale: map linearly (values outside the range map outside the target). clamp: limit to the input range first. roll: wrap around within the input range. drop: drop values outside the input range.",
      }),
    round: z
      .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(false))
      .meta({ title: "Round to the nearest integer", description: "" }),
    property: z
      .preprocess((v) => (v === undefined || v === null || v === "" ? "payload" : v), z.string().default("payload"))
      .meta({ title: "Property", description: "The message property holding the number, e.g. payload or payload.raw." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    for (const key of ["minin", "maxin", "minout", "maxout"] as const) {
      if (!isNumberText(config[key])) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `${BOUND_TITLES[key]} (${key}) must be a number, got '${config[key]}'`,
        });
      }
    }
    if (isNumberText(config.minin) && isNumberText(config.maxin) && Number(config.minin) === Number(config.maxin)) {
      ctx.addIssue({
        code: "custom",
        path: ["maxin"],
        message: `the input range is empty: 'input from' and 'input to' are both ${config.minin}; give two different numbers`,
      });
    }
    try {
      parsePropertyPath(config.property);
    } catch (e) {
      if (e instanceof PropertyPathError) ctx.addIssue({ code: "custom", path: ["property"], message: `property: ${e.message}` });
    }
  });

export type RangeConfig = z.output<typeof rangeConfigSchema>;

export const rangeDefinition = defineNode({
  type: "range",
  category: "function",
  paletteLabel: "range",
  color: "#E2D96E",
  inputs: 1,
  outputs: () => 1,
  config: rangeConfigSchema,
  fields: {
    action: {},
    minin: {},
    maxin: {},
    minout: {},
    maxout: {},
    round: {},
    property: {},
  },
  label: () => "range",
  help: [
    "Maps a number (msg.payload by default) from an input range to a target range, e.g. a sensor's 0–1023 to 0–100 %.",
    "scale maps linearly, also beyond the ends. clamp first limits the value to the input range. roll wraps it around inside the input range (e.g. angles). drop drops messages whose value is outside the input range.",
    "Numeric text such as \"42\" is accepted; anything else (text, booleans, objects) is an error and the message is dropped. A message without the property passes through.",
  ].join("\n\n"),
});
