/**
 * delay: hold each message for a while, or limit the rate at which messages pass.
 * Field names and defaults are Node-RED's (89-delay.html), so a flows.json delay node imports
 * unchanged; `maxQueue` is Flowhouse's own (Node-RED queues are unbounded by default).
 * Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { oneOrTwoOutputs } from "../shared/outputs-field";

/** Node-RED writes numbers as strings ("5"); blank means "use the default". */
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
      .refine((n) => n >= 0, { message: `${what} must be 0 or more` })
      .default(defaultValue),
  );
}

/** Node-RED's checkboxes arrive as booleans, sometimes as "true"/"false" strings. */
function booleanField(defaultValue: boolean) {
  return z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(defaultValue));
}

export const DELAY_PAUSE_TYPES = ["delay", "delayv", "random", "rate", "burst", "queue", "timed"] as const;
export const DELAY_TIME_UNITS = ["milliseconds", "seconds", "minutes", "hours", "days"] as const;
export const DELAY_RATE_UNITS = ["second", "minute", "hour", "day"] as const;
export const DEFAULT_MAX_QUEUE = 1000;

export type DelayPauseType = (typeof DELAY_PAUSE_TYPES)[number];
export type DelayTimeUnit = (typeof DELAY_TIME_UNITS)[number];
export type DelayRateUnit = (typeof DELAY_RATE_UNITS)[number];

export const TIME_UNIT_MS: Record<DelayTimeUnit, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};
export const RATE_UNIT_MS: Record<DelayRateUnit, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const RATE_MODES: readonly DelayPauseType[] = ["rate", "burst", "queue", "timed"];

export const delayConfigSchema = z
  .object({
    pauseType: z.enum(DELAY_PAUSE_TYPES).default("delay").meta({
      title: "Action",
      description:
        "delay: fixed delay · delayv: delay from msg.delay (ms) · random: random delay · rate: rate limit all messages · burst: pass up to N at once per period · queue: per topic, one topic per interval · timed: per topic, all topics each interval.",
    }),
    timeout: numberField(5, "delay").meta({
      title: "For",
      description: "How long each message is held (fixed delay), and the default when msg.delay is missing (delayv).",
    }),
    timeoutUnits: z.enum(DELAY_TIME_UNITS).default("seconds").meta({ title: "Delay units" }),
    randomFirst: numberField(1, "first random value").meta({ title: "Between" }),
    randomLast: numberField(5, "last random value").meta({ title: "And" }),
    randomUnits: z.enum(DELAY_TIME_UNITS).default("seconds").meta({ title: "Random units" }),
    rate: numberField(1, "rate").meta({
      title: "Rate",
      description: "Messages per period (rate limit, per topic), or messages allowed at once per period (burst).",
    }),
    nbRateUnits: numberField(1, "rate period").meta({ title: "Per", description: "How many rate units make one period (e.g. 3 msgs per 12 seconds)." }),
    rateUnits: z.enum(DELAY_RATE_UNITS).default("second").meta({ title: "Rate unit" }),
    drop: booleanField(false).meta({
      title: "Drop intermediate messages",
      description: "Rate limit: instead of queueing, drop messages that come too soon (or send them to output 2 when outputs is 2).",
    }),
    allowrate: booleanField(false).meta({
      title: "Allow msg.rate (in ms) to override the rate",
      description: "A numeric msg.rate sets the interval in milliseconds until a reset or a redeploy.",
    }),
    outputs: oneOrTwoOutputs("2 sends dropped (rate limit, burst) or replaced (per topic) messages to a second output."),
    maxQueue: z
      .preprocess(
        (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : typeof v === "string" ? undefined : v),
        z
          .number({ error: (issue) => `max queue must be a whole number, got '${String(issue.input)}'` })
          .int("max queue must be a whole number")
          .min(0, "max queue must be 0 (no limit) or more")
          .default(DEFAULT_MAX_QUEUE),
      )
      .meta({
        title: "Max queue",
        description: `Most messages held at once (default ${DEFAULT_MAX_QUEUE}, 0 = no limit). When full, the oldest is dropped, with a warning and a count in the status.`,
      }),
  })
  .loose()
  .superRefine((config, ctx) => {
    if (RATE_MODES.includes(config.pauseType) && config.rate <= 0) {
      ctx.addIssue({ code: "custom", path: ["rate"], message: `rate must be more than 0 messages per period, got ${config.rate}` });
    }
    if (config.pauseType === "random" && config.randomLast < config.randomFirst) {
      ctx.addIssue({
        code: "custom",
        path: ["randomLast"],
        message: `the last random value (${config.randomLast}) must not be smaller than the first (${config.randomFirst})`,
      });
    }
  });

export type DelayConfig = z.output<typeof delayConfigSchema>;

/** Milliseconds between two released messages in the rate-limit and per-topic modes. */
export function rateIntervalMs(config: DelayConfig): number {
  const periods = config.nbRateUnits > 0 ? config.nbRateUnits : 1;
  return (RATE_UNIT_MS[config.rateUnits] * periods) / config.rate;
}

/** The period of burst mode: `rate` messages may pass per period. */
export function burstPeriodMs(config: DelayConfig): number {
  return RATE_UNIT_MS[config.rateUnits] * (config.nbRateUnits > 0 ? config.nbRateUnits : 1);
}

/** Node-RED's canvas label: "delay 5s", "limit 1 msg/s", "limit topic 2 msg/3m", "burst 3 msg/s". */
export function delayLabel(config: DelayConfig): string {
  switch (config.pauseType) {
    case "delayv":
      return "variable";
    case "random":
      return "random";
    case "delay": {
      const units = config.timeoutUnits === "milliseconds" ? "ms" : config.timeoutUnits.charAt(0);
      return `delay ${config.timeout}${units}`;
    }
    default: {
      const rate = `${config.rate} msg/${config.nbRateUnits > 1 ? config.nbRateUnits : ""}${config.rateUnits.charAt(0)}`;
      if (config.pauseType === "rate") return `limit ${rate}`;
      if (config.pauseType === "burst") return `burst ${rate}`;
      return `limit topic ${rate}`;
    }
  }
}

const DELAY_MODES = ["delay", "delayv", "random"] as const;

export const delayDefinition = defineNode({
  type: "delay",
  category: "function",
  paletteLabel: "delay",
  color: "#E6E0F8",
  inputs: 1,
  outputs: (config) => (config.outputs === 2 && RATE_MODES.includes(config.pauseType) ? 2 : 1),
  config: delayConfigSchema,
  fields: {
    pauseType: {},
    timeout: { showWhen: { field: "pauseType", equals: ["delay", "delayv"] } },
    timeoutUnits: { showWhen: { field: "pauseType", equals: ["delay", "delayv"] } },
    randomFirst: { showWhen: { field: "pauseType", equals: ["random"] } },
    randomLast: { showWhen: { field: "pauseType", equals: ["random"] } },
    randomUnits: { showWhen: { field: "pauseType", equals: ["random"] } },
    rate: { showWhen: { field: "pauseType", equals: RATE_MODES } },
    nbRateUnits: { showWhen: { field: "pauseType", equals: RATE_MODES } },
    rateUnits: { showWhen: { field: "pauseType", equals: RATE_MODES } },
    drop: { showWhen: { field: "pauseType", equals: ["rate"] } },
    outputs: { showWhen: { field: "pauseType", equals: RATE_MODES } },
    allowrate: { showWhen: { field: "pauseType", equals: ["rate", "queue", "timed"] } },
    maxQueue: { showWhen: { field: "pauseType", equals: [...DELAY_MODES, "rate", "queue", "timed"] } },
  },
  label: delayLabel,
  help: [
    "Delays each message, or limits the rate at which messages pass.",
    "Delay: each message is held for a fixed time, a random time between two values, or the time in msg.delay (milliseconds; the configured delay when it is missing). Held messages survive a restart of Flowhouse: a message still due is sent at its original time, one that fell due while the app was down is sent at once.",
    "Rate limit (all messages): messages are spread evenly, e.g. 3 msgs per 12 seconds sends one every 4 seconds; the first passes at once. Intermediate messages are queued, or dropped (optionally to output 2). msg.toFront = true puts a message at the front of the queue. With \"allow msg.rate\", a numeric msg.rate (ms) sets the interval until reset.",
    "Burst: up to \"rate\" messages pass at once; further ones are dropped (or sent to output 2) until the period has passed since the earliest of them. The status is green while messages can pass and red while they are blocked.",
    "For each msg.topic: only the newest message of each topic is kept (a replaced one goes to output 2 when outputs is 2). Each interval, \"queue\" releases the next topic in turn and \"timed\" releases all topics.",
    "Control messages: msg.reset (any value) clears every held message without sending it; msg.flush releases that many held messages at once (a number), or all of them (any other value).",
    "Queues hold at most \"max queue\" messages (default 1000, 0 = no limit): when full, the oldest is dropped, with one warning per overflow and the count of dropped messages in the status. Rate-limit and per-topic queues are kept in memory: a restart empties them (delayed messages are stored and are not lost).",
  ].join("\n\n"),
});
