import { describe, expect, it } from "vitest";
import { loadConfig, redactUrl } from "./config";

describe("configuration from the environment", () => {
  it("defaults to loopback, port 3000, the embedded broker on 1883 and SQLite under ./data", () => {
    const c = loadConfig({}, { dev: false });
    expect(c).toMatchObject({ port: 3000, host: "127.0.0.1", mqttUrl: undefined, mqttPort: 1883, databaseUrl: "file:./data/flowhouse.db" });
  });

  it("names every bad variable and how to fix it", () => {
    expect(() => loadConfig({ PORT: "eighty", MQTT_URL: "localhost:1883", FLOWHOUSE_ADMIN_PASSWORD: "short" }, { dev: false })).toThrowError(
      /PORT must be a port number 0–65535, got "eighty"[\s\S]*MQTT_URL must start with mqtt:\/\/[\s\S]*at least 8 characters/,
    );
  });

  it("never shows a broker password in logs or health", () => {
    expect(redactUrl("mqtt://user:secret@broker.lan:1883")).toBe("mqtt://user:***@broker.lan:1883");
  });
});
