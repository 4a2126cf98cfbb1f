/**
 * inject: starts a flow by hand (the button), once at start, or every N seconds. Keeps
 * Node-RED's flows.json fields (20-inject.html): the `props` list of Node-RED ≥ 1.1, whose
 * payload and topic entries keep their values in the legacy `payload`/`payloadType`/`topic`
 * fields, and flows that only have those legacy fields. Pure and browser-safe.
 */
import { z } from "zod";
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
      description: "A cron schedule (minute hour day month weekday). Not supported yet.",
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
  .loose();

export type InjectConfig = z.output<typeof injectConfigSchema>;

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
  if ((config.repeat.trim() !== "" && repeat !== 0) || config.crontab.trim() !== "") suffix = " ↻";
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
    payload: { typeField: "payloadType", types: ["date", "str", "num", "bool", "json", "bin", "env"] },
    payloadType: { hidden: true },
    topic: {},
    props: {},
    repeat: { unit: "s" },
    once: {},
    onceDelay: { unit: "s", showWhen: { field: "once", equals: [true] } },
    crontab: {},
  },
  label: injectLabel,
  help: [
    "Sends a message when you press its button, once shortly after each start or deploy (\"inject once\"), and/or every few seconds (\"repeat\").",
    "The message gets a new msg._msgid and the properties listed: by default msg.payload (a timestamp unless you choose another type) and msg.topic. Value types: str, num, bool, json, bin (a JSON array of bytes), date (timestamp; \"iso\" or \"object\" as value for other forms), env (environment variable).",
    "Cron schedules, flow/global context values and JSONata expressions are not supported yet: such a node reports an error when it starts.",
  ].join("\n\n"),
});
