/**
 * inject: starts a flow by hand (the button), once at start, every N seconds, on a cron
 * schedule, or at a time of day on chosen weekdays. Keeps Node-RED's flows.json fields
 * (20-inject.html): the `props` list of Node-RED ≥ 1.1, whose payload and topic entries keep
 * their values in the legacy `payload`/`payloadType`/`topic` fields, flows that only have those
 * legacy fields, and the `crontab` strings Node-RED's editor writes ("30 7 * * 1,2,3,4,5" for
 * "at a time", "*\/5 8-17 * * *" or "0 22-23,0-5 * * *" for "interval between times").
 * Flowhouse adds `atTime` + `days` + `timezone`. Pure and browser-safe (croner is pure JS).
 */
import { z } from "zod";
import { Cron } from "croner";
import { defineNode } from "../types";

/** Largest repeat Node-RED accepts: 2^31-1 ms as seconds (~24.8 days). */
export const MAX_REPEAT_SECONDS = 2_147_483;

export const INJECT_VALUE_TYPES = ["flow", "global", "str", "num", "bool", "json", "bin", "date", "jsonata", "env"] as const;

/** Values are the strings Node-RED stores; numbers, booleans and objects from hand-written JSON are accepted. */
const valueText = z.preprocess((v) => {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return v;
}, z.string());

export const injectPropSchema = z
  .object({
    p: z.string().meta({ title: "Property", description: "The message property to set, e.g. payload, topic, or a.b." }),
    v: valueText.optional().meta({ title: "Value" }),
    vt: z.string().optional().meta({ title: "Type", description: "str, num, bool, json, bin, date, env." }),
  })
  .loose();
export type InjectProp = z.output<typeof injectPropSchema>;

export const injectConfigSchema = z
  .object({
    payload: valueText.default("").meta({
      title: "msg.payload",
      description: "The payload to send (its type is payloadType; a date sends the current time).",
    }),
    payloadType: z.string().default("date").meta({
      title: "msg.payload: type",
      description: "date (timestamp), str, num, bool, json, bin (JSON array of bytes) or env (environment variable).",
    }),
    topic: z.string().default("").meta({ title: "msg.topic", description: "The topic of the message (may be empty)." }),
    props: z
      .array(injectPropSchema)
      .default(() => [{ p: "payload" }, { p: "topic", vt: "str" }])
      .meta({
        title: "Properties",
        description: "The message properties to set. The payload and topic entries take their values from the fields above.",
      }),
    repeat: z
      .preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().default(""))
      .refine(
        (v) => v.trim() === "" || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= MAX_REPEAT_SECONDS),
        { error: (issue) => `repeat must be a number of seconds between 0 and ${MAX_REPEAT_SECONDS}, or empty for no repeat; got '${String(issue.input)}'` },
      )
      .meta({ title: "Repeat every", description: "Seconds between injections; empty or 0 for no repeat." }),
    crontab: z.string().default("").meta({
      title: "Cron schedule",
      description:
        'A cron schedule: minute hour day-of-month month day-of-week (0 or 7 = Sunday), e.g. "*/5 * * * *" every 5 minutes, "0 7 * * 1-5" at 07:00 on weekdays. An optional leading seconds field is allowed. Used only when "repeat" is empty.',
    }),
    atTime: z.string().default("").meta({
      title: "At time of day",
      description: 'Inject every day at this local time "HH:MM" (24 h), on the weekdays chosen in "days". Empty: not used.',
    }),
    days: z
      .array(z.number().int().min(0).max(7))
      .default(() => [0, 1, 2, 3, 4, 5, 6])
      .meta({ title: "On days", description: "Weekdays for \"At time of day\": 0 = Sunday, 1 = Monday … 6 = Saturday." }),
    timezone: z.string().default("").meta({
      title: "Time zone",
      description: 'IANA time zone of the cron schedule and "At time of day", e.g. Europe/Berlin. Empty: the server\'s time zone.',
    }),
    once: z
      .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(false))
      .meta({ title: "Inject once at start", description: "Send one message shortly after each deploy or start." }),
    onceDelay: z
      .preprocess(
        (v) => {
          if (typeof v !== "string") return v;
          if (v.trim() === "") return undefined;
          const n = Number(v);
          return Number.isFinite(n) ? n : v;
        },
        z
          .number({ error: (issue) => `onceDelay must be a number of seconds, got '${String(issue.input)}'` })
          .min(0, "onceDelay must not be negative")
          .default(0.1),
      )
      .meta({ title: "after", description: "Seconds to wait after start before the first injection." }),
  })
  .loose()
  .superRefine((c, ctx) => {
    const crontab = c.crontab.trim();
    if (crontab !== "") {
      const problem = cronProblem(crontab, validTimeZone(c.timezone) ? c.timezone : "");
      if (problem) {
        ctx.addIssue({
          code: "custom",
          path: ["crontab"],
          message: `crontab "${crontab}" is not a valid cron schedule (${problem}). Write minute hour day-of-month month day-of-week, e.g. "*/5 * * * *" or "0 7 * * 1-5"`,
        });
      }
    }
    const at = c.atTime.trim();
    if (at !== "") {
      if (!parseClockTime(at)) {
        ctx.addIssue({ code: "custom", path: ["atTime"], message: `atTime must be a time of day "HH:MM" between 00:00 and 23:59, got '${c.atTime}'` });
      }
      if (c.days.length === 0) {
        ctx.addIssue({ code: "custom", path: ["days"], message: 'days: choose at least one weekday for "At time of day" (0 = Sunday … 6 = Saturday)' });
      }
      if (crontab !== "") {
        ctx.addIssue({ code: "custom", path: ["atTime"], message: 'use either a cron schedule or "At time of day", not both: empty one of crontab and atTime' });
      }
    }
    if (c.timezone.trim() !== "" && !validTimeZone(c.timezone)) {
      ctx.addIssue({ code: "custom", path: ["timezone"], message: `timezone '${c.timezone}' is not an IANA time zone; use a name like Europe/Berlin or America/New_York, or leave it empty for the server's time zone` });
    }
  });

export type InjectConfig = z.output<typeof injectConfigSchema>;

/** "07:30" → {hour: 7, minute: 30}; undefined when it is not a 24-hour time of day. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

export function validTimeZone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz.trim() });
    return true;
  } catch {
    return false;
  }
}

/** croner's complaint about a pattern, without its class-name prefix; undefined when valid. */
export function cronProblem(pattern: string, timezone = ""): string | undefined {
  try {
    // Without a callback croner only parses: nothing is scheduled.
    new Cron(pattern, timezone ? { timezone } : {});
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^Cron\w*:\s*/, "");
  }
}

/**
 * The cron pattern a schedule stands for: the crontab, or "MM HH * * days" for atTime (so
 * both follow croner's DST rules); undefined when neither is set or repeat takes precedence,
 * as in Node-RED, where the crontab is used only without a repeat interval.
 */
export function injectCronPattern(config: InjectConfig): string | undefined {
  const repeat = config.repeat.trim() === "" ? 0 : Number(config.repeat);
  if (repeat > 0) return undefined;
  if (config.crontab.trim() !== "") return config.crontab.trim();
  const at = parseClockTime(config.atTime);
  if (!at || config.days.length === 0) return undefined;
  const days = [...new Set(config.days.map((d) => d % 7))].sort((a, b) => a - b);
  return `${at.minute} ${at.hour} * * ${days.length === 7 ? "*" : days.join(",")}`;
}

export interface ResolvedInjectProp {
  /** Property path (without "msg."). */
  p: string;
  v: string;
  vt: string;
}

/**
 * The properties an injection sets, as Node-RED's runtime resolves them: the payload entry
 * takes payload/payloadType, a str topic entry takes topic; without a props array the legacy
 * payload and topic fields are used.
 */
export function resolveInjectProps(config: InjectConfig): ResolvedInjectProp[] {
  const legacyPayload = { p: "payload", v: config.payload, vt: config.payloadType };
  if (!Array.isArray(config.props)) return [legacyPayload, { p: "topic", v: config.topic, vt: "str" }];
  return config.props
    .filter((prop) => typeof prop.p === "string" && prop.p !== "")
    .map((prop) => {
      if (prop.p === "payload" && prop.v === undefined) return legacyPayload;
      if (prop.p === "topic" && prop.vt === "str" && prop.v === undefined) return { p: "topic", v: config.topic, vt: "str" };
      return { p: prop.p, v: prop.v ?? "", vt: prop.vt ?? "str" };
    });
}

const TYPE_LABEL: Record<string, string> = { date: "timestamp", bin: "buffer", env: "env variable" };

/** Node-RED's canvas label: topic and/or payload when short, else the payload type, else "inject". */
export function injectLabel(config: InjectConfig): string {
  let suffix = config.once ? " ¹" : "";
  const repeat = Number(config.repeat);
  if ((config.repeat.trim() !== "" && repeat !== 0) || config.crontab.trim() !== "" || config.atTime.trim() !== "") suffix = " ↻";
  const props = resolveInjectProps(config);
  const payloadProp = props.find((p) => p.p === "payload");
  const topicProp = props.find((p) => p.p === "topic");
  const payload = payloadProp?.v ?? "";
  const type = payloadProp?.vt ?? "str";
  const topic = topicProp?.v ?? "";
  if (type === "str" || type === "num" || type === "bool" || type === "json") {
    if (topic !== "" && topic.length + payload.length <= 32) return `${topic}:${payload}${suffix}`;
    if (payload.length > 0 && payload.length < 24) return payload + suffix;
    return `inject${suffix}`;
  }
  if (type in TYPE_LABEL) {
    if (topic !== "" && topic.length <= 16) return `${topic}:${TYPE_LABEL[type]}${suffix}`;
    return TYPE_LABEL[type] + suffix;
  }
  if (type === "flow" || type === "global") return `${type}.${payload}${suffix}`;
  return `inject${suffix}`;
}

export const injectDefinition = defineNode({
  type: "inject",
  category: "common",
  paletteLabel: "inject",
  color: "#a6bbcf",
  inputs: 0,
  outputs: () => 1,
  config: injectConfigSchema,
  button: true,
  fields: {
    payload: { typeField: "payloadType", types: ["date", "str", "num", "bool", "json", "bin", "env", "flow", "global", "jsonata"] },
    payloadType: { hidden: true },
    topic: {},
    props: {},
    repeat: { unit: "s" },
    once: {},
    onceDelay: { unit: "s", showWhen: { field: "once", equals: [true] } },
    crontab: {},
    atTime: {},
    days: {},
    timezone: {},
  },
  label: injectLabel,
  help: [
    "Sends a message when you press its button, once shortly after each start or deploy (\"inject once\"), every few seconds (\"repeat\"), on a cron schedule, or at a time of day on chosen weekdays.",
    "Schedules: \"repeat\" (seconds) wins over a cron schedule, as in Node-RED. A cron schedule is minute hour day-of-month month day-of-week (\"*/5 * * * *\", \"0 7 * * 1-5\"; an optional leading seconds field). \"At time of day\" (HH:MM) with \"days\" (0 = Sunday … 6 = Saturday) is the simple form of the same. Both use \"timezone\" (empty: the server's). Daylight saving: a fixed time that does not exist (02:30 when clocks jump to 03:00) runs at 03:00 that day; a fixed time that occurs twice runs once, at its first occurrence; schedules with steps or ranges (\"*/30 * * * *\") skip the missing hour and run in both passes of the repeated hour. Schedules are computed again at each start, nothing is stored.",
    "The message gets a new msg._msgid and the properties listed: by default msg.payload (a timestamp unless you choose another type) and msg.topic. Value types: str, num, bool, json, bin (a JSON array of bytes), date (timestamp; \"iso\" or \"object\" as value for other forms), env (environment variable), flow / global (a context value, read at the moment of injection), jsonata (an expression evaluated on the message being built, with $flowContext(key), $globalContext(key) and $env(name)).",
  ].join("\n\n"),
});
