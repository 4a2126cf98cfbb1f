import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactUrl } from "./config";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-config-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A self-signed certificate and its key made with the openssl CLI, plus a second key. */
function makeCert(): { cert: string; key: string; otherKey: string } {
  const cert = path.join(tmp, "cert.pem");
  const key = path.join(tmp, "key.pem");
  const otherKey = path.join(tmp, "other-key.pem");
  if (!fs.existsSync(cert)) {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    execFileSync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", otherKey], { stdio: "ignore" });
  }
  return { cert, key, otherKey };
}

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env, { dev: false });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

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

  it("keeps the embedded broker on loopback without a password unless told otherwise", () => {
    const c = loadConfig({}, { dev: false });
    expect(c).toMatchObject({ brokerHost: "127.0.0.1", brokerAuth: undefined, brokerTls: undefined });
  });

  it("reads the embedded broker's user name, password, host and TLS files", () => {
    const { cert, key } = makeCert();
    const c = loadConfig(
      {
        FLOWHOUSE_BROKER_USERNAME: "house",
        FLOWHOUSE_BROKER_PASSWORD: "s3cret-pass",
        FLOWHOUSE_BROKER_HOST: "0.0.0.0",
        FLOWHOUSE_BROKER_TLS_PORT: "8883",
        FLOWHOUSE_BROKER_TLS_CERT: cert,
        FLOWHOUSE_BROKER_TLS_KEY: key,
      },
      { dev: false },
    );
    expect(c.brokerAuth).toEqual({ username: "house", password: "s3cret-pass" });
    expect(c.brokerHost).toBe("0.0.0.0");
    expect(c.brokerTls).toEqual({ port: 8883, certFile: cert, keyFile: key });
  });

  it("wants the broker user name and password together, and a password of 8+ characters", () => {
    expect(configError({ FLOWHOUSE_BROKER_USERNAME: "house" })).toMatch(
      /set both FLOWHOUSE_BROKER_USERNAME and FLOWHOUSE_BROKER_PASSWORD, or neither \(only the user name is set\)/,
    );
    expect(configError({ FLOWHOUSE_BROKER_PASSWORD: "long-enough" })).toMatch(/only the password is set/);
    expect(configError({ FLOWHOUSE_BROKER_USERNAME: "house", FLOWHOUSE_BROKER_PASSWORD: "short" })).toMatch(
      /FLOWHOUSE_BROKER_PASSWORD must have at least 8 characters/,
    );
    expect(configError({ FLOWHOUSE_BROKER_USERNAME: "house", FLOWHOUSE_BROKER_PASSWORD: "long:enough" })).toMatch(
      /FLOWHOUSE_BROKER_PASSWORD must not contain ':'/,
    );
    expect(configError({ FLOWHOUSE_BROKER_USERNAME: "a:b", FLOWHOUSE_BROKER_PASSWORD: "long-enough" })).toMatch(
      /FLOWHOUSE_BROKER_USERNAME must not contain ':'/,
    );
    expect(configError({ FLOWHOUSE_BROKER_HOST: "my host" })).toMatch(/FLOWHOUSE_BROKER_HOST must be an IP address or host name/);
  });

  it("names the missing TLS variable, a missing or non-PEM file and a key that does not fit the certificate", () => {
    const { cert, key, otherKey } = makeCert();
    expect(configError({ FLOWHOUSE_BROKER_TLS_PORT: "8883", FLOWHOUSE_BROKER_TLS_CERT: cert })).toMatch(
      /needs FLOWHOUSE_BROKER_TLS_PORT, FLOWHOUSE_BROKER_TLS_CERT and FLOWHOUSE_BROKER_TLS_KEY together: FLOWHOUSE_BROKER_TLS_KEY is missing/,
    );
    expect(configError({ FLOWHOUSE_BROKER_TLS_PORT: "88830", FLOWHOUSE_BROKER_TLS_CERT: cert, FLOWHOUSE_BROKER_TLS_KEY: key })).toMatch(
      /FLOWHOUSE_BROKER_TLS_PORT must be a port number 0–65535, got "88830"/,
    );
    const missing = path.join(tmp, "nope.pem");
    expect(configError({ FLOWHOUSE_BROKER_TLS_PORT: "8883", FLOWHOUSE_BROKER_TLS_CERT: missing, FLOWHOUSE_BROKER_TLS_KEY: key })).toContain(
      `FLOWHOUSE_BROKER_TLS_CERT: the certificate file ${missing} does not exist`,
    );
    const notPem = path.join(tmp, "not-pem.txt");
    fs.writeFileSync(notPem, "hello");
    expect(configError({ FLOWHOUSE_BROKER_TLS_PORT: "8883", FLOWHOUSE_BROKER_TLS_CERT: cert, FLOWHOUSE_BROKER_TLS_KEY: notPem })).toContain(
      `FLOWHOUSE_BROKER_TLS_KEY: ${notPem} is not a PEM private key`,
    );
    expect(configError({ FLOWHOUSE_BROKER_TLS_PORT: "8883", FLOWHOUSE_BROKER_TLS_CERT: cert, FLOWHOUSE_BROKER_TLS_KEY: otherKey })).toContain(
      `FLOWHOUSE_BROKER_TLS_KEY: ${otherKey} is not the private key of the certificate ${cert}`,
    );
    expect(configError({ MQTT_PORT: "8883", FLOWHOUSE_BROKER_TLS_PORT: "8883", FLOWHOUSE_BROKER_TLS_CERT: cert, FLOWHOUSE_BROKER_TLS_KEY: key })).toMatch(
      /FLOWHOUSE_BROKER_TLS_PORT must differ from MQTT_PORT/,
    );
  });

  it("hides the embedded broker's password in the URL shown in logs and health", () => {
    expect(redactUrl("mqtt://house:s3cret-pass@127.0.0.1:1883")).toBe("mqtt://house:***@127.0.0.1:1883");
  });
});
