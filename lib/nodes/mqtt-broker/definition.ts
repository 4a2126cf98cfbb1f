/**
 * mqtt-broker: the config node holding one broker connection (Node-RED's field names and
 * defaults, so flows.json config nodes import unchanged). Nodes reference it by id in their
 * `broker` field. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { validatePublishTopic } from "../../mqtt/topic";
import { boolishField, numericField, qosField } from "./fields";
import { brokerUrl } from "./broker-url";

export { brokerUrl, brokerCredentials } from "./broker-url";

const str = (title: string, description: string, value = "") => z.string().default(value).meta({ title, description });
const retainFlag = (title: string) =>
  z
    .preprocess((v) => (v === true ? "true" : v === false ? "false" : v === undefined || v === null ? "false" : v), z.enum(["true", "false"]))
    .meta({ title, description: "Whether the broker keeps this message for new subscribers." });

export const mqttBrokerConfigSchema = z
  .object({
    broker: str("Host", "Host name or IP address of the broker (e.g. 192.168.1.10), or a full URL such as mqtts://broker.example.com:8883 or ws://host:9001/mqtt."),
    port: numericField({ default: 1883, min: 1, max: 65535, what: "port" }).meta({
      title: "Port",
      description: "TCP port of the broker: 1883 for plain MQTT, 8883 for MQTT over TLS.",
    }),
    usetls: boolishField(false, "use TLS").meta({ title: "Use TLS", description: "Connect with mqtts:// (encrypted)." }),
    verifyservercert: boolishField(false, "verify server certificate").meta({
      title: "Verify server certificate",
      description: "Reject brokers whose TLS certificate is not trusted.",
    }),
    tls: z.string().optional().meta({ title: "TLS configuration", description: "Id of a Node-RED tls-config node (kept for export)." }),
    clientid: str("Client ID", "Unique MQTT client id. Empty: a random one. Needed when the session is not clean (persistent)."),
    autoConnect: boolishField(true, "connect automatically").meta({ title: "Connect automatically", description: "Connect when the flows start." }),
    protocolVersion: z
      .preprocess((v) => (typeof v === "number" ? String(v) : v === undefined || v === null || v === "" ? "4" : v), z.enum(["3", "4", "5"], { error: (iss) => `protocol version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5), got ${JSON.stringify(iss.input)}` }))
      .meta({ title: "Protocol", description: "4: MQTT 3.1.1 (the embedded broker speaks only this), 5: MQTT 5, 3: MQTT 3.1." }),
    compatmode: boolishField(false, "compatibility mode").meta({ title: "MQTT 3.1 compatibility", description: "Legacy Node-RED option: use MQTT 3.1." }),
    keepalive: numericField({ default: 60, min: 0, max: 65535, what: "keep alive", unit: "s" }).meta({
      title: "Keep alive",
      description: "Seconds between pings when idle; the broker drops the client after 1.5× this without traffic.",
    }),
    cleansession: boolishField(true, "clean session").meta({
      title: "Clean session",
      description: "Off: the broker keeps subscriptions and queued QoS 1/2 messages while Flowhouse is offline (needs a client ID).",
    }),
    autoUnsubscribe: boolishField(true, "unsubscribe automatically").meta({ title: "Unsubscribe on disconnect", description: "Node-RED option, kept for export." }),
    user: str("Username", "Username for the broker, if it requires one."),
    password: str("Password", "Password for the broker; stored encrypted."),
    credentials: z
      .object({ user: z.string().optional(), password: z.string().optional() })
      .loose()
      .optional()
      .meta({ title: "Credentials", description: "Node-RED's separate credentials object ({user, password}); used when present." }),
    birthTopic: str("Birth topic", "Published when the connection opens (empty: none)."),
    birthQos: qosField("0"),
    birthRetain: retainFlag("Retain birth message"),
    birthPayload: str("Birth payload", "Payload of the birth message."),
    birthMsg: z.record(z.string(), z.unknown()).default({}),
    closeTopic: str("Close topic", "Published before a clean disconnect (empty: none)."),
    closeQos: qosField("0"),
    closeRetain: retainFlag("Retain close message"),
    closePayload: str("Close payload", "Payload of the close message."),
    closeMsg: z.record(z.string(), z.unknown()).default({}),
    willTopic: str("Will topic", "Published by the broker if the connection is lost unexpectedly (empty: none)."),
    willQos: qosField("0"),
    willRetain: retainFlag("Retain will message"),
    willPayload: str("Will payload", "Payload of the will message."),
    willMsg: z.record(z.string(), z.unknown()).default({}),
    userProps: str("User properties", "MQTT 5 user properties as JSON (kept for export)."),
    sessionExpiry: numericField({ default: 0, min: 0, max: 4294967295, what: "session expiry", unit: "s" }).meta({
      title: "Session expiry",
      description: "MQTT 5: seconds the broker keeps the session after a disconnect.",
    }),
  })
  .loose()
  .superRefine((config, ctx) => {
    if (config.broker.trim() === "") {
      ctx.addIssue({
        code: "custom",
        path: ["broker"],
        message: "broker host is empty: enter a host name or IP address (e.g. 192.168.1.10) or a URL (mqtt://host:1883)",
      });
    } else if (config.broker.includes("://")) {
      if (!/^(mqtts?|wss?|tcp|ssl|tls):\/\/[^/\s]/i.test(config.broker.trim())) {
        ctx.addIssue({
          code: "custom",
          path: ["broker"],
          message: `broker URL '${config.broker}' is not understood: use mqtt://host:1883, mqtts://host:8883, ws://host:9001 or wss://host`,
        });
      }
    } else if (/^[^:\s]+:\d+$/.test(config.broker.trim())) {
      const [host, port] = config.broker.trim().split(":");
      ctx.addIssue({
        code: "custom",
        path: ["broker"],
        message: `broker host '${config.broker}' includes a port: enter '${host}' as the host and ${port} as the port`,
      });
    } else if (/\s|\//.test(config.broker.trim())) {
      ctx.addIssue({
        code: "custom",
        path: ["broker"],
        message: `broker host '${config.broker}' must not contain spaces or '/': enter only the host name, and the port in 'Port'`,
      });
    }
    if (!config.cleansession && config.clientid.trim() === "") {
      ctx.addIssue({
        code: "custom",
        path: ["clientid"],
        message: "a persistent session (clean session off) needs a client ID: enter one, or turn clean session on",
      });
    }
    for (const key of ["birthTopic", "closeTopic", "willTopic"] as const) {
      const topic = config[key];
      if (topic === "") continue;
      const problem = validatePublishTopic(topic);
      if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
    }
  });

export type MqttBrokerConfig = z.output<typeof mqttBrokerConfigSchema>;

export const mqttBrokerDefinition = defineNode({
  type: "mqtt-broker",
  category: "config",
  paletteLabel: "mqtt broker",
  color: "#d8bfd8",
  inputs: 0,
  outputs: () => 0,
  isConfig: true,
  config: mqttBrokerConfigSchema,
  fields: {
    broker: {},
    port: {},
    usetls: {},
    verifyservercert: { showWhen: { field: "usetls", equals: [true] } },
    clientid: {},
    protocolVersion: {},
    keepalive: { unit: "s" },
    cleansession: {},
    user: {},
    password: {},
    birthTopic: { topic: "publish" },
    birthQos: {},
    birthRetain: {},
    birthPayload: {},
    closeTopic: { topic: "publish" },
    closeQos: {},
    closeRetain: {},
    closePayload: {},
    willTopic: { topic: "publish" },
    willQos: {},
    willRetain: {},
    willPayload: {},
    sessionExpiry: { unit: "s", showWhen: { field: "protocolVersion", equals: ["5"] } },
    tls: { hidden: true },
    credentials: { hidden: true },
    compatmode: { hidden: true },
    autoConnect: { hidden: true },
    autoUnsubscribe: { hidden: true },
    birthMsg: { hidden: true },
    closeMsg: { hidden: true },
    willMsg: { hidden: true },
    userProps: { hidden: true },
  },
  label: (config) => {
    const host = config.broker || "undefined";
    const prefix = config.clientid ? `${config.clientid}@` : "";
    return host.includes("://") ? `${prefix}${host}` : `${prefix}${host}:${config.port || 1883}`;
  },
  help: [
    "A connection to an MQTT broker, shared by every mqtt in and mqtt out node that selects it: one connection per broker, however many nodes use it.",
    "Host: a name or IP address (port separately), or a full URL such as mqtts://broker.example.com:8883 or ws://host:9001/mqtt. URL used: " +
      brokerUrl({ broker: "192.168.1.10", port: 1883 }) +
      " for host 192.168.1.10.",
    "Clean session off keeps subscriptions and queued QoS 1/2 messages at the broker while Flowhouse is offline; it needs a fixed client ID.",
    "Birth, close and will messages announce Flowhouse's own state, e.g. birth 'flowhouse/status' = 'online', will 'offline' (retained).",
    "The embedded broker speaks MQTT 3.1.1 only (protocol 4); use protocol 5 with an external broker such as Mosquitto, EMQX or HiveMQ.",
  ].join("\n\n"),
});
