/**
 * TLS with client certificates against a real mosquitto configured by the test: certificates
 * made with openssl (tests/helpers/certs.ts), a TLS listener with `require_certificate true`.
 * The ConnectionManager must connect with the right certificates and explain every refusal.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConnectionManager, type BrokerConnectionOptions } from "../../lib/mqtt/connections";
import type { MqttMessage } from "../../lib/mqtt/service";
import { makeTestCerts, type CertFiles } from "../helpers/certs";
import { removeDir, startMosquitto, type Mosquitto } from "../helpers/mosquitto";

let certs: CertFiles;
let broker: Mosquitto;
let tlsUrl: string;
const managers: ConnectionManager[] = [];

beforeAll(async () => {
  certs = makeTestCerts();
  broker = await startMosquitto({
    tls: { caFile: certs.caCert, certFile: certs.serverCert, keyFile: certs.serverKey, requireCertificate: true },
  });
  tlsUrl = broker.tlsUrl!;
});

afterEach(async () => {
  while (managers.length) await managers.pop()!.close();
});

afterAll(async () => {
  await broker?.stop();
  if (certs) await removeDir(certs.dir);
});

function manager(options: Partial<BrokerConnectionOptions>): ConnectionManager {
  const m = new ConnectionManager({
    resolveBroker: (id) => (id === "" ? { url: tlsUrl, connectTimeoutMs: 3000, ...options } : undefined),
    logger: { info: () => undefined, warn: () => undefined },
    reconnectInitialMs: 200,
    reconnectMaxMs: 500,
  });
  managers.push(m);
  return m;
}

async function lastErrorOf(m: ConnectionManager, timeoutMs = 5000): Promise<string> {
  m.connect("");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = m.status("");
    expect(status.connected).toBe(false);
    if (status.lastError) return status.lastError;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no lastError within the time limit");
}

describe("MQTT over TLS with client certificates (mosquitto, require_certificate true)", () => {
  it("connects with the CA and a client certificate, and messages flow both ways", async () => {
    const m = manager({ tls: { ca: certs.pem(certs.caCert), cert: certs.pem(certs.clientCert), key: certs.pem(certs.clientKey) } });
    const got: MqttMessage[] = [];
    m.subscribe("", "tls/test", 1, (msg) => got.push(msg));
    await m.whenConnected("", 5000);
    expect(await m.settled(3000)).toBe(true);
    await m.publish("", "tls/test", "secure", { qos: 1 });
    const deadline = Date.now() + 3000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got.map((g) => g.payload.toString())).toEqual(["secure"]);
    expect(m.status("")).toMatchObject({ connected: true, lastError: null });
    expect(m.status("").lastConnectedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("is refused without a client certificate, and says a client certificate is needed", async () => {
    const m = manager({ tls: { ca: certs.pem(certs.caCert) } });
    const error = await lastErrorOf(m);
    expect(error).toMatch(/client certificate/);
    expect(error).toContain(`127.0.0.1:${broker.tlsPort}`);
    expect(m.status("").lastErrorAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("refuses a server whose CA it does not know, and says how to fix it", async () => {
    const m = manager({ tls: { ca: certs.pem(certs.otherCaCert), cert: certs.pem(certs.clientCert), key: certs.pem(certs.clientKey) } });
    const error = await lastErrorOf(m);
    expect(error).toBe(
      `TLS to 127.0.0.1:${broker.tlsPort}: the server's certificate is not trusted: add its CA certificate or turn verification off`,
    );
  });

  it("connects to that server with verification turned off", async () => {
    const m = manager({ tls: { rejectUnauthorized: false, cert: certs.pem(certs.clientCert), key: certs.pem(certs.clientKey) } });
    await m.whenConnected("", 5000);
    expect(m.isConnected("")).toBe(true);
  });

  it("is refused with a client certificate from a CA the broker does not trust", async () => {
    const m = manager({ tls: { ca: certs.pem(certs.caCert), cert: certs.pem(certs.otherClientCert), key: certs.pem(certs.otherClientKey) } });
    const error = await lastErrorOf(m);
    expect(error).toMatch(/client certificate/);
  });

  it("reports a certificate made out for another host name", async () => {
    const m = manager({
      url: `mqtts://localhost:${broker.tlsPort}`,
      tls: { ca: certs.pem(certs.caCert), cert: certs.pem(certs.clientCert), key: certs.pem(certs.clientKey), servername: "broker.example.com" },
    });
    const error = await lastErrorOf(m);
    expect(error).toMatch(/does not match the host name/);
  });

  it("reports a plain mqtt:// connection to the TLS port as a timeout or a closed connection in words", async () => {
    const m = manager({ url: `mqtt://127.0.0.1:${broker.tlsPort}`, connectTimeoutMs: 1000 });
    const error = await lastErrorOf(m);
    expect(error).toMatch(/closed the connection|No CONNACK/);
  });
});
