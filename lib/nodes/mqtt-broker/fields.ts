/**
 * zod pieces shared by the MQTT node definitions. flows.json written by Node-RED stores some
 * numbers as strings ("qos": "2", "port": "1883") and some flags as strings ("birthRetain":
 * "false"); these schemas accept both spellings so an import never fails on them. Pure.
 */
import { z } from "zod";

/** Node-RED keeps QoS as a string; a hand-written flow may use a number. Output: the string. */
function numberToString(value: unknown): unknown {
  return typeof value === "number" ? String(value) : value;
}

const QOS_DESCRIPTION =
  "0: at most once (may be lost), 1: at least once (may repeat), 2: exactly once (slowest).";

/** "0" | "1" | "2", as Node-RED exports it. */
export function qosField(defaultQos: "0" | "1" | "2") {
  return z
    .preprocess(numberToString, z.enum(["0", "1", "2"], { error: (iss) => `QoS must be 0, 1 or 2, got ${JSON.stringify(iss.input)}` }))
    .default(defaultQos)
    .meta({ title: "QoS", description: QOS_DESCRIPTION });
}

/** "" (take msg.qos) | "0" | "1" | "2". */
export function optionalQosField() {
  return z
    .preprocess(
      (v) => (v === null || v === undefined ? v : numberToString(v)),
      z.enum(["", "0", "1", "2"], { error: (iss) => `QoS must be empty, 0, 1 or 2, got ${JSON.stringify(iss.input)}` }),
    )
    .default("")
    .meta({ title: "QoS", description: `Empty: use msg.qos (0 when missing). ${QOS_DESCRIPTION}` });
}

/** A number that Node-RED may have exported as a numeric string ("1883"). Output: a number. */
export function numericField(opts: { default: number; min: number; max: number; what: string; unit?: string }) {
  const unit = opts.unit ? ` ${opts.unit}` : "";
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return opts.default;
      if (typeof v === "string" && Number.isFinite(Number(v))) return Number(v);
      return v;
    },
    z
      .number({ error: (iss) => `${opts.what} must be a number, got ${JSON.stringify(iss.input)}` })
      .int(`${opts.what} must be a whole number`)
      .min(opts.min, `${opts.what} must be at least ${opts.min}${unit}`)
      .max(opts.max, `${opts.what} must be at most ${opts.max}${unit}`),
  );
}

/** A boolean that may arrive as "true"/"false". Output: a boolean. */
export function boolishField(defaultValue: boolean, what: string) {
  return z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? defaultValue : v === "true" ? true : v === "false" ? false : v),
    z.boolean({ error: (iss) => `${what} must be true or false, got ${JSON.stringify(iss.input)}` }),
  );
}

/** The id of an mqtt-broker config node; "" means the default broker. */
export function brokerRefField() {
  return z
    .string()
    .default("")
    .meta({
      title: "Broker",
      description: "The MQTT broker connection to use. Empty: the default broker (the embedded one unless MQTT_URL is set).",
    });
}
