/**
 * mqtt out: publishes msg.payload to a topic (the node's, else msg.topic). Node-RED field names
 * and defaults. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { validatePublishTopic } from "../../mqtt/topic";
import { brokerRefField, optionalQosField } from "../mqtt-broker/fields";

export const mqttOutConfigSchema = z
  .object({
    topic: z
      .string()
      .default("")
      .meta({ title: "Topic", description: "Topic to publish to, e.g. house/garage/light. Empty: use msg.topic." }),
    qos: optionalQosField(),
    retain: z
      .preprocess(
        (v) => (v === true ? "true" : v === false ? "false" : v === undefined || v === null ? "" : v),
        z.enum(["", "true", "false"], { error: (iss) => `retain must be empty, true or false, got ${JSON.stringify(iss.input)}` }),
      )
      .meta({
        title: "Retain",
        description: "true: the broker keeps the last message for new subscribers; empty: use msg.retain.",
      }),
    broker: brokerRefField(),
    respTopic: z.string().default("").meta({ title: "Response topic", description: "MQTT 5 only (kept for export)." }),
    contentType: z.string().default("").meta({ title: "Content type", description: "MQTT 5 only (kept for export)." }),
    userProps: z.string().default("").meta({ title: "User properties", description: "MQTT 5 only (kept for export)." }),
    correl: z.string().default("").meta({ title: "Correlation data", description: "MQTT 5 only (kept for export)." }),
    expiry: z
      .union([z.string(), z.number()])
      .default("")
      .meta({ title: "Message expiry", description: "MQTT 5 only (kept for export)." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    if (config.topic === "") return;
    const problem = validatePublishTopic(config.topic);
    if (problem) ctx.addIssue({ code: "custom", path: ["topic"], message: problem });
  });

export type MqttOutConfig = z.output<typeof mqttOutConfigSchema>;

export const mqttOutDefinition = defineNode({
  type: "mqtt out",
  category: "network",
  paletteLabel: "mqtt out",
  color: "#d8bfd8",
  inputs: 1,
  outputs: () => 0,
  config: mqttOutConfigSchema,
  fields: {
    broker: { configNodeType: "mqtt-broker" },
    topic: { topic: "publish" },
    qos: {},
    retain: {},
    respTopic: { hidden: true },
    contentType: { hidden: true },
    userProps: { hidden: true },
    correl: { hidden: true },
    expiry: { hidden: true },
  },
  label: (config) => config.topic || "mqtt",
  help: [
    "Publishes msg.payload to an MQTT broker.",
    "Topic: the node's topic, or msg.topic when the node's is empty (one of them must be set; wildcards '+' and '#' are not allowed when publishing).",
    "Payload: strings and Buffers are sent as they are; objects and arrays as JSON; numbers and booleans as text ('21.5', 'true'); null or undefined as an empty message. A message without a payload property publishes nothing.",
    "QoS and Retain: the node's setting wins; when empty, msg.qos (0 if missing) and msg.retain (false if missing) are used. Retained messages are replayed to every new subscriber: use them for state (a light is on), not for events (a button was pressed).",
  ].join("\n\n"),
});
