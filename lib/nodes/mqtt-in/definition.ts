/**
 * mqtt in: subscribes to a topic filter on a broker and emits {topic, payload, qos, retain}.
 * Node-RED field names and defaults. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { validateTopicFilter } from "../../mqtt/topic";
import { boolishField, brokerRefField, numericField, qosField } from "../mqtt-broker/fields";

export const MQTT_IN_DATATYPES = ["auto-detect", "auto", "utf8", "buffer", "json", "base64"] as const;

export const mqttInConfigSchema = z
  .object({
    topic: z
      .string()
      .default("")
      .meta({
        title: "Topic",
        description: "Topic filter to subscribe to: '+' matches one level (house/+/motion), '#' all remaining levels (house/#).",
      }),
    qos: qosField("2"),
    datatype: z
      .enum(MQTT_IN_DATATYPES, {
        error: (iss) =>
          `output must be one of auto-detect, auto, utf8, buffer, json, base64; got ${JSON.stringify(iss.input)}`,
      })
      .default("auto-detect")
      .meta({
        title: "Output",
        description:
          "auto-detect: parsed JSON when the payload is JSON (objects, arrays, numbers, true/false), else a string; auto: a string (a Buffer if not UTF-8); utf8: a string; buffer: a Buffer; json: parsed JSON (an error if it is not JSON); base64: a Base64 string.",
      }),
    broker: brokerRefField(),
    nl: boolishField(false, "no local").meta({ title: "No local", description: "MQTT 5 only: do not receive own publishes." }),
    rap: boolishField(true, "retain as published").meta({ title: "Retain as published", description: "MQTT 5 only." }),
    rh: numericField({ default: 0, min: 0, max: 2, what: "retain handling" }).meta({
      title: "Retain handling",
      description: "MQTT 5 only: 0 send retained messages, 1 only for new subscriptions, 2 never.",
    }),
    inputs: numericField({ default: 0, min: 0, max: 1, what: "inputs" }).meta({
      title: "Inputs",
      description: "Node-RED's dynamic subscription mode (1) is not supported yet; keep 0.",
    }),
  })
  .loose()
  .superRefine((config, ctx) => {
    const problem = validateTopicFilter(config.topic);
    if (problem) ctx.addIssue({ code: "custom", path: ["topic"], message: problem });
    if (config.inputs !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["inputs"],
        message: "dynamic subscriptions (an mqtt in node with an input) are not supported yet: set a fixed topic and inputs 0",
      });
    }
  });

export type MqttInConfig = z.output<typeof mqttInConfigSchema>;

export const mqttInDefinition = defineNode({
  type: "mqtt in",
  category: "network",
  paletteLabel: "mqtt in",
  color: "#d8bfd8",
  inputs: 0,
  outputs: () => 1,
  config: mqttInConfigSchema,
  fields: {
    broker: { configNodeType: "mqtt-broker" },
    topic: { topic: "filter" },
    qos: {},
    datatype: {},
    nl: { hidden: true },
    rap: { hidden: true },
    rh: { hidden: true },
    inputs: { hidden: true },
  },
  label: (config) => config.topic || "mqtt",
  help: [
    "Subscribes to MQTT messages and sends one message per received publish: msg.topic (the concrete topic), msg.payload, msg.qos and msg.retain (true for a retained message replayed on subscribe).",
    "Topic: a filter. 'house/+/motion' matches house/garage/motion and house/hall/motion; 'house/#' matches everything below house. Wildcards must be whole levels and '#' comes last.",
    "Output: auto-detect turns JSON into objects, numbers and booleans ('21.5' → 21.5, '{\"on\":true}' → an object) and leaves other text as a string. Choose 'a parsed JSON object' (json) to get an error for payloads that are not JSON, or buffer for binary data.",
    "Broker: the connection to use; empty means the default broker. Several nodes on one broker share one connection, and each node receives each message once even when filters overlap.",
  ].join("\n\n"),
});
