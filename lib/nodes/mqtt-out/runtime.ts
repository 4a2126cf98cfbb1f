/**
 * mqtt out at run time: the payload becomes bytes the way Node-RED does it, published through
 * the shared connection manager.
 */
import type { NodeFactory } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import type { QoS } from "../../mqtt/service";
import { validatePublishTopic } from "../../mqtt/topic";
import { resolveBrokerId, trackConnectionStatus } from "../mqtt-broker/connection-status";
import type { MqttOutConfig } from "./definition";

/** Buffer and string as they are; objects/arrays as JSON; null/undefined empty; else String(). */
export function payloadToWire(payload: unknown): string | Buffer {
  if (payload === null || payload === undefined) return "";
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === "string") return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  if (typeof payload === "object") return JSON.stringify(payload);
  return String(payload);
}

function parseQos(value: unknown): QoS | null {
  if (value === undefined || value === null || value === "") return null;
  const n = typeof value === "number" ? value : parseInt(String(value), 10);
  return n === 0 || n === 1 || n === 2 ? n : null;
}

export const createMqttOutNode: NodeFactory<MqttOutConfig> = (config, services) => {
  const nodeTopic = typeof config.topic === "string" ? config.topic : "";
  if (nodeTopic !== "") {
    const problem = validatePublishTopic(nodeTopic);
    if (problem) throw new Error(problem);
  }
  const brokerId = resolveBrokerId(config.broker, services);
  const fixedQos = parseQos(config.qos);
  const retainSetting = String(config.retain ?? "");
  let stopStatus: (() => void) | null = null;

  return {
    start() {
      stopStatus ??= trackConnectionStatus(services, brokerId);
    },
    async input(msg: Msg) {
      // Node-RED publishes nothing for a message without a payload property.
      if (!Object.prototype.hasOwnProperty.call(msg, "payload")) return;
      const topic = nodeTopic !== "" ? nodeTopic : msg.topic;
      if (topic === undefined || topic === null || topic === "") {
        services.error(new Error("no topic: set the node's topic or msg.topic"), msg);
        return;
      }
      if (typeof topic !== "string") {
        services.error(new Error(`msg.topic must be a string, got ${typeof topic}: set the node's topic or a text msg.topic`), msg);
        return;
      }
      const problem = validatePublishTopic(topic);
      if (problem) {
        services.error(new Error(problem), msg);
        return;
      }
      const qos = fixedQos ?? parseQos(msg.qos) ?? 0;
      const retain =
        retainSetting === "true" ? true : retainSetting === "false" ? false : msg.retain === true || msg.retain === "true";
      try {
        await services.mqtt.publish(brokerId, topic, payloadToWire(msg.payload), { qos, retain });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        services.error(new Error(`publish to '${topic}' failed: ${reason}`), msg);
      }
    },
    close() {
      stopStatus?.();
      stopStatus = null;
    },
  };
};
