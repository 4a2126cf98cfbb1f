import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import type { MqttService } from "../../mqtt/service";
import { mqttOutDefinition, type MqttOutConfig } from "./definition";
import { createMqttOutNode, payloadToWire } from "./runtime";

const configOf = (fields: Record<string, unknown>): MqttOutConfig => mqttOutDefinition.config.parse(fields);

function start(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  const h = runNode(createMqttOutNode, configOf(fields), opts);
  h.node.start?.();
  return h;
}

describe("mqtt out", () => {
  it("publishes msg.payload to the node's topic", async () => {
    const h = start({ topic: "house/garage/light", qos: "1", retain: "true" });
    await h.input({ topic: "ignored/topic", payload: "on" });
    expect(h.mqtt.published.map((p) => [p.brokerId, p.topic, p.payload, p.options])).toEqual([
      ["", "house/garage/light", "on", { qos: 1, retain: true }],
    ]);
  });

  it("uses msg.topic, msg.qos and msg.retain when the node leaves them empty", async () => {
    const h = start({});
    await h.input({ topic: "house/hall/light", payload: "off", qos: 2, retain: true });
    await h.input({ topic: "house/hall/light", payload: "off", qos: "1", retain: "true" });
    await h.input({ topic: "house/hall/light", payload: "off" });
    expect(h.mqtt.published.map((p) => [p.topic, p.options])).toEqual([
      ["house/hall/light", { qos: 2, retain: true }],
      ["house/hall/light", { qos: 1, retain: true }],
      ["house/hall/light", { qos: 0, retain: false }],
    ]);
  });

  it("retain 'false' on the node wins over msg.retain", async () => {
    const h = start({ topic: "a/b", retain: "false" });
    await h.input({ payload: 1, retain: true });
    expect(h.mqtt.published[0].options.retain).toBe(false);
  });

  it("turns payloads into bytes like Node-RED", async () => {
    const h = start({ topic: "a/b" });
    const buffer = Buffer.from([1, 2, 3]);
    for (const payload of [buffer, "text", { on: true }, [1, 2], 21.5, false, null, undefined]) await h.input({ payload });
    expect(h.mqtt.published.map((p) => p.payload)).toEqual([buffer, "text", '{"on":true}', "[1,2]", "21.5", "false", "", ""]);
    expect(h.mqtt.published[0].payload).toBe(buffer);
  });

  it("publishes nothing for a message without a payload property, like Node-RED", async () => {
    const h = start({ topic: "a/b" });
    await h.input({ topic: "x" });
    expect(h.mqtt.published).toHaveLength(0);
    expect(h.errors).toHaveLength(0);
  });

  it("reports a missing topic", async () => {
    const h = start({});
    await h.input({ payload: "on" });
    expect(h.mqtt.published).toHaveLength(0);
    expect(String(h.errors[0].error)).toBe("Error: no topic: set the node's topic or msg.topic");
  });

  it("reports a msg.topic with wildcards, naming it", async () => {
    const h = start({});
    await h.input({ topic: "house/+/light", payload: "on" });
    expect(h.mqtt.published).toHaveLength(0);
    expect(String(h.errors[0].error)).toMatch(/topic 'house\/\+\/light': wildcards/);
  });

  it("reports a failed publish with the broker's reason", async () => {
    const h = start({ topic: "a/b" });
    h.mqtt.publish = async () => {
      throw new Error("not authorized");
    };
    const msg = { payload: "x" };
    await h.input(msg);
    expect(String(h.errors[0].error)).toBe("Error: publish to 'a/b' failed: not authorized");
    expect(h.errors[0].msg).toMatchObject(msg);
  });

  it("publishes through the selected broker", async () => {
    const h = start({ topic: "a/b", broker: "b1" }, { configNodes: { b1: { type: "mqtt-broker", config: { broker: "h" } } } });
    await h.input({ payload: 1 });
    expect(h.mqtt.published[0].brokerId).toBe("b1");
  });

  it("refuses to start with a broker reference to another kind of node", () => {
    expect(() =>
      runNode(createMqttOutNode, configOf({ broker: "x" }), { configNodes: { x: { type: "tls-config", config: {} } } }),
    ).toThrow(/'x' is a tls-config node, not an mqtt-broker/);
  });

  it("shows the connection state and follows changes", async () => {
    const h = runNode(createMqttOutNode, configOf({ topic: "a" }));
    let listener: ((up: boolean) => void) | undefined;
    const service: MqttService = h.mqtt;
    service.onConnectionChange = (_id, l) => {
      listener = l;
      return () => (listener = undefined);
    };
    h.node.start?.();
    expect(h.statuses.at(-1)).toEqual({ fill: "green", shape: "dot", text: "connected" });
    listener?.(false);
    expect(h.statuses.at(-1)).toEqual({ fill: "red", shape: "ring", text: "disconnected" });
    await h.close();
    expect(listener).toBeUndefined();
  });
});

describe("mqtt out configuration", () => {
  it("keeps Node-RED's empty defaults and accepts booleans and numbers from hand-written flows", () => {
    expect(configOf({})).toMatchObject({ topic: "", qos: "", retain: "", broker: "" });
    expect(configOf({ qos: 1, retain: true })).toMatchObject({ qos: "1", retain: "true" });
  });

  it("explains a publish topic with wildcards", () => {
    const result = mqttOutDefinition.config.safeParse({ topic: "house/#" });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ["topic"] });
    expect(result.error!.issues[0].message).toMatch(/only allowed in subscriptions/);
  });

  it("labels with the topic, or mqtt", () => {
    expect(mqttOutDefinition.label(configOf({ topic: "a/b" }))).toBe("a/b");
    expect(mqttOutDefinition.label(configOf({}))).toBe("mqtt");
  });

  it("payloadToWire handles typed arrays too", () => {
    expect(payloadToWire(new Uint8Array([65]))).toEqual(Buffer.from("A"));
  });
});
