/**
 * mqtt in at run time: one subscription through the shared connection manager (never a
 * connection of its own), payload decoded as configured, unsubscribed on close.
 */
import { isUtf8 } from "node:buffer";
import type { NodeFactory } from "../../runtime/node-api";
import { newMsgId, type Msg } from "../../runtime/message";
import type { MqttMessage, QoS } from "../../mqtt/service";
import { validateTopicFilter } from "../../mqtt/topic";
import { resolveBrokerId, trackConnectionStatus } from "../mqtt-broker/connection-status";
import type { MqttInConfig } from "./definition";

type Decoded = { ok: true; payload: unknown } | { ok: false; error: string };

/** Node-RED 3's decoding (subscriptionHandler in 10-mqtt.js), for MQTT 3.1.1 packets. */
export function decodePayload(datatype: string, payload: Buffer, topic: string): Decoded {
  switch (datatype) {
    case "buffer":
      return { ok: true, payload };
    case "base64":
      return { ok: true, payload: payload.toString("base64") };
    case "utf8":
      return { ok: true, payload: payload.toString("utf8") };
    case "json": {
      if (!isUtf8(payload)) {
        return { ok: false, error: `payload on topic '${topic}' is not UTF-8 text, so it cannot be JSON: set Output to 'buffer' for binary data` };
      }
      const text = payload.toString("utf8");
      try {
        return { ok: true, payload: JSON.parse(text) };
      } catch (e) {
        const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
        return {
          ok: false,
          error: `payload on topic '${topic}' is not valid JSON (${(e as Error).message}): '${shown}'. Set Output to 'auto-detect' to accept text too`,
        };
      }
    }
    default: {
      // "auto-detect" (Node-RED 3 default) and legacy "auto": UTF-8 text becomes a string,
      // auto-detect then tries JSON; anything else stays a Buffer.
      if (!isUtf8(payload)) return { ok: true, payload };
      const text = payload.toString("utf8");
      if (datatype === "auto-detect") {
        try {
          return { ok: true, payload: JSON.parse(text) };
        } catch {
          // not JSON: the string it is
        }
      }
      return { ok: true, payload: text };
    }
  }
}

function qosOf(value: unknown): QoS {
  const n = Number(value);
  return n === 0 || n === 1 || n === 2 ? n : 2;
}

export const createMqttInNode: NodeFactory<MqttInConfig> = (config, services) => {
  const topic = typeof config.topic === "string" ? config.topic : "";
  const problem = validateTopicFilter(topic);
  if (problem) throw new Error(problem);
  const brokerId = resolveBrokerId(config.broker, services);
  const datatype = config.datatype ?? "auto-detect";
  const qos = qosOf(config.qos);
  let stops: (() => void)[] = [];

  const onMessage = (message: MqttMessage) => {
    const decoded = decodePayload(datatype, message.payload, message.topic);
    const msg: Msg = {
      _msgid: newMsgId(),
      topic: message.topic,
      payload: decoded.ok ? decoded.payload : message.payload,
      qos: message.qos,
      retain: message.retain,
    };
    if (decoded.ok) services.send(msg);
    else services.error(new Error(decoded.error), msg);
  };

  return {
    start() {
      if (stops.length > 0) return;
      stops.push(trackConnectionStatus(services, brokerId));
      stops.push(services.mqtt.subscribe(brokerId, topic, qos, onMessage));
    },
    close() {
      const pending = stops;
      stops = [];
      for (const stop of pending.reverse()) stop();
    },
  };
};
