import { describe, expect, it } from "vitest";
import { brokerCredentials, brokerUrl, mqttBrokerDefinition } from "./definition";

describe("brokerUrl", () => {
  it("builds mqtt://host:port from Node-RED's fields", () => {
    expect(brokerUrl({ broker: "192.168.1.10", port: 1883 })).toBe("mqtt://192.168.1.10:1883");
    expect(brokerUrl({ broker: "broker.local", port: "1884" })).toBe("mqtt://broker.local:1884");
  });

  it("uses mqtts:// with TLS", () => {
    expect(brokerUrl({ broker: "broker.example.com", port: 8883, usetls: true })).toBe("mqtts://broker.example.com:8883");
    expect(brokerUrl({ broker: "h", port: 8883, usetls: "true" })).toBe("mqtts://h:8883");
  });

  it("defaults the port to 1883 and the host to localhost", () => {
    expect(brokerUrl({ broker: "h" })).toBe("mqtt://h:1883");
    expect(brokerUrl({ broker: "h", port: "" })).toBe("mqtt://h:1883");
    expect(brokerUrl({ broker: "" })).toBe("mqtt://localhost:1883");
  });

  it("keeps a broker that already is a URL", () => {
    expect(brokerUrl({ broker: "ws://h:9001/mqtt", port: 1883 })).toBe("ws://h:9001/mqtt");
    expect(brokerUrl({ broker: "mqtts://h:8884", usetls: false })).toBe("mqtts://h:8884");
  });

  it("brackets IPv6 addresses", () => {
    expect(brokerUrl({ broker: "::1", port: 1883 })).toBe("mqtt://[::1]:1883");
    expect(brokerUrl({ broker: "fe80::1", port: 1884 })).toBe("mqtt://[fe80::1]:1884");
  });
});

describe("brokerCredentials", () => {
  it("prefers Node-RED's credentials object and falls back to the config fields", () => {
    expect(brokerCredentials({ credentials: { user: "nr", password: "p1" }, user: "x", password: "y" })).toEqual({ username: "nr", password: "p1" });
    expect(brokerCredentials({ user: "u", password: "p" })).toEqual({ username: "u", password: "p" });
    expect(brokerCredentials({ user: "", password: "" })).toEqual({ username: undefined, password: undefined });
  });
});

describe("mqtt-broker config node", () => {
  it("applies Node-RED's defaults and turns string numbers into numbers", () => {
    const config = mqttBrokerDefinition.config.parse({ broker: "localhost", port: "1884", keepalive: "30", cleansession: "true", custom: 1 });
    expect(config).toMatchObject({
      broker: "localhost",
      port: 1884,
      keepalive: 30,
      cleansession: true,
      usetls: false,
      protocolVersion: "4",
      clientid: "",
      birthTopic: "",
      birthQos: "0",
      birthRetain: "false",
      custom: 1,
    });
    expect(mqttBrokerDefinition.config.parse({ broker: "h", protocolVersion: 5 }).protocolVersion).toBe("5");
    expect(mqttBrokerDefinition.config.parse({ broker: "h" }).port).toBe(1883);
  });

  it("accepts Node-RED's separate credentials", () => {
    const config = mqttBrokerDefinition.config.parse({ broker: "h", credentials: { user: "u", password: "p" } });
    expect(brokerCredentials(config)).toEqual({ username: "u", password: "p" });
  });

  it("explains what is wrong", () => {
    const messages = (input: Record<string, unknown>) =>
      mqttBrokerDefinition.config.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages({ broker: "" })).toEqual([expect.stringMatching(/^broker: broker host is empty/)]);
    expect(messages({ broker: "h", port: "http" })).toEqual(['port: port must be a number, got "http"']);
    expect(messages({ broker: "h", port: 70000 })).toEqual(["port: port must be at most 65535"]);
    expect(messages({ broker: "h", cleansession: false })).toEqual([expect.stringMatching(/^clientid: a persistent session/)]);
    expect(messages({ broker: "h", willTopic: "flowhouse/+" })).toEqual([expect.stringMatching(/^willTopic: topic 'flowhouse\/\+': wildcards/)]);
    expect(messages({ broker: "host:1884" })).toEqual(["broker: broker host 'host:1884' includes a port: enter 'host' as the host and 1884 as the port"]);
    expect(messages({ broker: "fe80::1" })).toBeUndefined();
    expect(messages({ broker: "h/x" })).toEqual([expect.stringMatching(/^broker: broker host 'h\/x' must not contain/)]);
  });

  it("is a config node labelled like Node-RED", () => {
    expect(mqttBrokerDefinition.isConfig).toBe(true);
    expect(mqttBrokerDefinition.inputs).toBe(0);
    const config = mqttBrokerDefinition.config.parse({ broker: "10.0.0.2", port: 1883, clientid: "fh" });
    expect(mqttBrokerDefinition.outputs(config)).toBe(0);
    expect(mqttBrokerDefinition.label(config)).toBe("fh@10.0.0.2:1883");
    expect(mqttBrokerDefinition.label(mqttBrokerDefinition.config.parse({ broker: "ws://h:9001" }))).toBe("ws://h:9001");
  });
});
