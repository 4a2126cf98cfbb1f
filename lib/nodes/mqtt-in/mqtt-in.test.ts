import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import type { MqttService } from "../../mqtt/service";
import { mqttInDefinition, type MqttInConfig } from "./definition";
import { createMqttInNode } from "./runtime";

const configOf = (fields: Record<string, unknown>): MqttInConfig => mqttInDefinition.config.parse({ topic: "house/+/motion", ...fields });

function start(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  const h = runNode(createMqttInNode, configOf(fields), opts);
  h.node.start?.();
  return h;
}

describe("mqtt in", () => {
  it("subscribes on start with the configured filter and QoS, and emits topic, payload, qos and retain", () => {
    const h = start({ qos: "1" });
    expect(h.mqtt.subscriptions.map((s) => [s.brokerId, s.filter, s.qos])).toEqual([["", "house/+/motion", 1]]);
    h.mqtt.deliver("house/garage/motion", "1", { qos: 1, retain: true });
    h.mqtt.deliver("house/garage/door", "1");
    expect(h.port(0)).toHaveLength(1);
    expect(h.port(0)[0]).toMatchObject({ topic: "house/garage/motion", payload: 1, qos: 1, retain: true });
    expect(typeof h.port(0)[0]._msgid).toBe("string");
  });

  it("gives every message its own id", () => {
    const h = start();
    h.mqtt.deliver("house/a/motion", "1");
    h.mqtt.deliver("house/b/motion", "1");
    const [a, b] = h.port(0);
    expect(a._msgid).not.toBe(b._msgid);
  });

  it("auto-detect parses JSON (objects, numbers, booleans) and leaves other text as a string", () => {
    const h = start({ datatype: "auto-detect" });
    for (const text of ['{"on":true}', "[1,2]", "21.5", "true", "on", "", '"quoted"']) h.mqtt.deliver("house/x/motion", text);
    expect(h.port(0).map((m) => m.payload)).toEqual([{ on: true }, [1, 2], 21.5, true, "on", "", "quoted"]);
  });

  it("auto-detect keeps binary payloads as a Buffer", () => {
    const h = start({ datatype: "auto-detect" });
    const bytes = Buffer.from([0xff, 0xfe, 0x00]);
    h.mqtt.deliver("house/x/motion", bytes);
    expect(Buffer.isBuffer(h.port(0)[0].payload)).toBe(true);
    expect(h.port(0)[0].payload).toEqual(bytes);
  });

  it("legacy auto gives strings without parsing JSON", () => {
    const h = start({ datatype: "auto" });
    h.mqtt.deliver("house/x/motion", '{"a":1}');
    expect(h.port(0)[0].payload).toBe('{"a":1}');
  });

  it("utf8, buffer and base64 outputs", () => {
    const utf8 = start({ datatype: "utf8" });
    utf8.mqtt.deliver("house/x/motion", "42");
    expect(utf8.port(0)[0].payload).toBe("42");
    const buffer = start({ datatype: "buffer" });
    buffer.mqtt.deliver("house/x/motion", "42");
    expect(buffer.port(0)[0].payload).toEqual(Buffer.from("42"));
    const base64 = start({ datatype: "base64" });
    base64.mqtt.deliver("house/x/motion", "hi");
    expect(base64.port(0)[0].payload).toBe("aGk=");
  });

  it("json output parses, and reports invalid JSON naming the topic instead of sending", () => {
    const h = start({ datatype: "json" });
    h.mqtt.deliver("house/x/motion", '{"on":1}');
    h.mqtt.deliver("house/hall/motion", "not json");
    expect(h.port(0).map((m) => m.payload)).toEqual([{ on: 1 }]);
    expect(h.errors).toHaveLength(1);
    expect(String(h.errors[0].error)).toMatch(/payload on topic 'house\/hall\/motion' is not valid JSON/);
    expect(h.errors[0].msg).toMatchObject({ topic: "house/hall/motion" });
  });

  it("unsubscribes on close", async () => {
    const h = start();
    await h.close();
    expect(h.mqtt.subscriptions).toHaveLength(0);
    h.mqtt.deliver("house/x/motion", "1");
    expect(h.sent).toHaveLength(0);
  });

  it("uses the selected broker config node", () => {
    const h = start({ broker: "b1" }, { configNodes: { b1: { type: "mqtt-broker", config: { broker: "10.0.0.2" } } } });
    h.mqtt.deliver("house/x/motion", "1", { brokerId: "other" });
    h.mqtt.deliver("house/x/motion", "2", { brokerId: "b1" });
    expect(h.mqtt.subscriptions[0].brokerId).toBe("b1");
    expect(h.port(0).map((m) => m.payload)).toEqual([2]);
  });

  it("refuses to start with a broker that does not exist", () => {
    expect(() => runNode(createMqttInNode, configOf({ broker: "gone" }))).toThrow(/broker 'gone' does not exist in this deployment/);
  });

  it("shows the connection state and follows changes", async () => {
    const h = runNode(createMqttInNode, configOf({}));
    const listeners: ((up: boolean) => void)[] = [];
    h.mqtt.connected = false;
    const service: MqttService = h.mqtt;
    service.onConnectionChange = (_id, listener) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    };
    h.node.start?.();
    expect(h.statuses.at(-1)).toEqual({ fill: "red", shape: "ring", text: "disconnected" });
    listeners.forEach((l) => l(true));
    expect(h.statuses.at(-1)).toEqual({ fill: "green", shape: "dot", text: "connected" });
    await h.close();
    expect(listeners).toHaveLength(0);
  });
});

describe("mqtt in configuration", () => {
  it("keeps Node-RED's defaults, string QoS and unknown fields", () => {
    const config = mqttInDefinition.config.parse({ topic: "a/#", broker: "b1", qos: 1, custom: true });
    expect(config).toMatchObject({ topic: "a/#", qos: "1", datatype: "auto-detect", broker: "b1", nl: false, rap: true, rh: 0, inputs: 0, custom: true });
    expect(mqttInDefinition.config.parse({ topic: "a", qos: "0" }).qos).toBe("0");
    expect(mqttInDefinition.config.parse({ topic: "a" }).qos).toBe("2");
  });

  it("explains an invalid topic filter", () => {
    const result = mqttInDefinition.config.safeParse({ topic: "house/#/motion" });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(["topic"]);
    expect(result.error!.issues[0].message).toMatch(/'#' must be the last level/);
    expect(mqttInDefinition.config.safeParse({ topic: "" }).error!.issues[0].message).toMatch(/topic filter is empty/);
    expect(mqttInDefinition.config.safeParse({ topic: "a", qos: "3" }).error!.issues[0].message).toBe('QoS must be 0, 1 or 2, got "3"');
  });

  it("labels with the topic", () => {
    expect(mqttInDefinition.label(configOf({}))).toBe("house/+/motion");
    expect(mqttInDefinition.outputs(configOf({}))).toBe(1);
  });
});
