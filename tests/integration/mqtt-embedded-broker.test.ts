/**
 * The embedded aedes broker: real TCP, real LevelDB persistence in a temp directory.
 * The persistence scenario also runs against mosquitto, as a reference for what a user
 * expects from a broker with persistence.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect, connectAsync, type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../lib/mqtt/embedded-broker";
import { startApp } from "../helpers/app";
import { removeDir, startMosquitto } from "../helpers/mosquitto";
import { freePort } from "../helpers/ports";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "flowhouse-broker-test-"));
  cleanups.push(() => removeDir(dir));
  return dir;
}

async function client(url: string, options: Parameters<typeof connectAsync>[1] = {}): Promise<MqttClient> {
  const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
  cleanups.push(() => c.endAsync(true));
  return c;
}

function nextMessage(c: MqttClient, timeoutMs = 3000): Promise<{ topic: string; payload: string; retain: boolean }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
    c.once("message", (topic, payload, packet) => {
      clearTimeout(timer);
      resolve({ topic, payload: payload.toString(), retain: packet.retain });
    });
  });
}

describe("embedded broker", () => {
  it("listens on a free port when asked for port 0 and relays messages", async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    cleanups.push(() => broker.close());
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);

    const sub = await client(broker.url);
    await sub.subscribeAsync("house/garage/motion", { qos: 1 });
    const received = nextMessage(sub);
    const pub = await client(broker.url);
    await pub.publishAsync("house/garage/motion", "1", { qos: 1 });
    expect(await received).toMatchObject({ topic: "house/garage/motion", payload: "1" });
  });

  it("tells the user what to do when the port is already in use", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    await expect(startEmbeddedBroker({ port })).rejects.toThrow(
      `MQTT port ${port} on 127.0.0.1 is already in use: stop the other broker, or set MQTT_PORT to a free port, or MQTT_URL to use that broker`,
    );
    // The failed start left nothing locked behind: the same data dir opens again.
    const dir = await tempDir();
    await expect(startEmbeddedBroker({ port, persistenceDir: dir })).rejects.toThrow(/already in use/);
    const ok = await startEmbeddedBroker({ port: 0, persistenceDir: dir });
    await ok.close();
  });

  it("refuses a data directory another running broker holds", async () => {
    const dir = await tempDir();
    const first = await startEmbeddedBroker({ port: 0, persistenceDir: dir });
    cleanups.push(() => first.close());
    await expect(startEmbeddedBroker({ port: 0, persistenceDir: dir })).rejects.toThrow(/is in use by another process/);
  });

  it("can be closed twice and frees its port", async () => {
    const broker = await startEmbeddedBroker({ port: 0, persistenceDir: await tempDir() });
    await broker.close();
    await broker.close();
    const again = await startEmbeddedBroker({ port: broker.port });
    await again.close();
  });
});

interface RestartableBroker {
  url: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

const persistentBrokers: { name: string; start(dir: string): Promise<RestartableBroker> }[] = [
  {
    name: "embedded aedes",
    async start(dir) {
      let broker: EmbeddedBroker = await startEmbeddedBroker({ port: 0, persistenceDir: dir });
      const port = broker.port;
      return {
        url: broker.url,
        async restart() {
          await broker.close();
          broker = await startEmbeddedBroker({ port, persistenceDir: dir });
        },
        close: () => broker.close(),
      };
    },
  },
  {
    name: "mosquitto",
    async start(dir) {
      const m = await startMosquitto({ persistenceDir: dir });
      return { url: m.url, restart: () => m.restart(), close: () => m.stop() };
    },
  },
];

describe.each(persistentBrokers)("persistence across a broker restart ($name)", ({ start }) => {
  it("delivers a QoS 1 message queued for an offline persistent subscriber after the broker restarts", async () => {
    const broker = await start(await tempDir());
    cleanups.push(() => broker.close());

    const clientId = `persist-test-${process.pid}`;
    const first = await connectAsync(broker.url, { clientId, clean: false, reconnectPeriod: 0 });
    await first.subscribeAsync("garage/door", { qos: 1 });
    await first.endAsync();

    const pub = await connectAsync(broker.url, { reconnectPeriod: 0 });
    await pub.publishAsync("garage/door", "opened while you were away", { qos: 1 });
    await pub.publishAsync("garage/state", "closed", { qos: 1, retain: true });
    await pub.endAsync();

    await broker.restart();

    const second = connect(broker.url, { clientId, clean: false, reconnectPeriod: 0, manualConnect: true });
    cleanups.push(() => second.endAsync(true));
    const queued = nextMessage(second, 5000);
    second.connect();
    expect(await queued).toMatchObject({ topic: "garage/door", payload: "opened while you were away" });

    const fresh = await client(broker.url);
    const retained = nextMessage(fresh);
    await fresh.subscribeAsync("garage/state", { qos: 1 });
    expect(await retained).toMatchObject({ topic: "garage/state", payload: "closed", retain: true });
  });
});

// ---- security: user name/password and the TLS listener ----------------------------------

/** A self-signed certificate for 127.0.0.1/localhost made with the openssl CLI. */
async function selfSignedCert(): Promise<{ cert: string; key: string; certFile: string; keyFile: string }> {
  const dir = await tempDir();
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile,
      "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
    { stdio: "ignore" },
  );
  return { cert: await readFile(certFile, "utf8"), key: await readFile(keyFile, "utf8"), certFile, keyFile };
}

/** Connects once without retrying; resolves with the CONNACK error (or null when accepted). */
async function connectError(url: string, options: Parameters<typeof connectAsync>[1] = {}): Promise<(Error & { code?: number }) | null> {
  try {
    const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
    await c.endAsync(true);
    return null;
  } catch (err) {
    return err as Error & { code?: number };
  }
}

describe("embedded broker security", () => {
  it("with a password, refuses clients with no or wrong credentials and accepts the right ones", async () => {
    const broker = await startEmbeddedBroker({ port: 0, auth: { username: "house", password: "s3cret-pass" } });
    cleanups.push(() => broker.close());
    const plain = `mqtt://127.0.0.1:${broker.port}`;
    expect(broker.url).toBe(`mqtt://house:s3cret-pass@127.0.0.1:${broker.port}`);

    for (const opts of [{}, { username: "house", password: "wrong-pass" }, { username: "other", password: "s3cret-pass" }, { username: "house" }]) {
      const err = await connectError(plain, opts);
      expect(err, JSON.stringify(opts)).not.toBeNull();
      expect(err?.message).toMatch(/Bad username or password/i);
      expect(err?.code).toBe(4);
    }
    expect(broker.aedes.connectedClients).toBe(0);

    // The right credentials, given as options or inside the URL (as the app does).
    const sub = await client(plain, { username: "house", password: "s3cret-pass" });
    await sub.subscribeAsync("house/door", { qos: 1 });
    const received = nextMessage(sub);
    const pub = await client(broker.url);
    await pub.publishAsync("house/door", "open", { qos: 1 });
    expect(await received).toMatchObject({ topic: "house/door", payload: "open" });
  });

  it("accepts passwords with URL-special characters through the app's mqtt://user:pass@host URL", async () => {
    // No ':' (config refuses it: MQTT.js splits the URL's credentials at the last ':').
    const password = "p@ss w/rd?#%&=+";
    const broker = await startEmbeddedBroker({ port: 0, auth: { username: "house", password } });
    cleanups.push(() => broker.close());
    expect(await connectError(broker.url)).toBeNull();
    expect(await connectError(`mqtt://127.0.0.1:${broker.port}`, { username: "house", password: "p@ss w/rd?#" })).not.toBeNull();
  });

  it("speaks MQTT over TLS on a second port with a certificate the client trusts", async () => {
    const { cert, key } = await selfSignedCert();
    const broker = await startEmbeddedBroker({ port: 0, tls: { port: 0, cert, key }, auth: { username: "house", password: "s3cret-pass" } });
    cleanups.push(() => broker.close());
    expect(broker.tlsPort).toBeGreaterThan(0);
    const tlsUrl = `mqtts://127.0.0.1:${broker.tlsPort}`;

    const sub = await client(tlsUrl, { ca: cert, username: "house", password: "s3cret-pass" });
    await sub.subscribeAsync("house/+/temp", { qos: 1 });
    const received = nextMessage(sub);
    // A plain client on the TCP port and a TLS client share one broker.
    const pub = await client(broker.url);
    await pub.publishAsync("house/attic/temp", "21.5", { qos: 1 });
    expect(await received).toMatchObject({ topic: "house/attic/temp", payload: "21.5" });

    // TLS does not replace the password check.
    const noPass = await connectError(tlsUrl, { ca: cert });
    expect(noPass?.code).toBe(4);
    // A client that does not trust the certificate fails the handshake.
    const untrusted = await connectError(tlsUrl, { username: "house", password: "s3cret-pass" });
    expect(untrusted?.message).toMatch(/self[- ]signed|certificate/i);
    // The broker is still fine afterwards.
    expect(await connectError(tlsUrl, { ca: cert, username: "house", password: "s3cret-pass" })).toBeNull();
  });

  it("tells the user when the TLS port is taken, and frees the plain port again", async () => {
    const { cert, key } = await selfSignedCert();
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const plainPort = await freePort();
    await expect(startEmbeddedBroker({ port: plainPort, tls: { port, cert, key } })).rejects.toThrow(
      `MQTT TLS port ${port} on 127.0.0.1 is already in use: stop the other program or set FLOWHOUSE_BROKER_TLS_PORT to a free port`,
    );
    const again = await startEmbeddedBroker({ port: plainPort });
    await again.close();
  });

  it("listens on the host it is given and gives its own clients a loopback URL for a wildcard host", async () => {
    const broker = await startEmbeddedBroker({ port: 0, host: "0.0.0.0" });
    cleanups.push(() => broker.close());
    expect(broker.host).toBe("0.0.0.0");
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    expect(await connectError(broker.url)).toBeNull();
  });
});

describe("the app with a password-protected, TLS-enabled embedded broker", () => {
  it("runs its flows over the protected broker, hides the password in health and refuses strangers", async () => {
    const { cert, certFile, keyFile } = await selfSignedCert();
    const tlsPort = await freePort();
    const app = await startApp({
      env: {
        FLOWHOUSE_BROKER_USERNAME: "house",
        FLOWHOUSE_BROKER_PASSWORD: "s3cret-pass",
        FLOWHOUSE_BROKER_TLS_PORT: String(tlsPort),
        FLOWHOUSE_BROKER_TLS_CERT: certFile,
        FLOWHOUSE_BROKER_TLS_KEY: keyFile,
      },
    });
    cleanups.push(() => app.dispose());
    const health = await app.api("GET", "/api/health");
    expect(health.json).toMatchObject({ broker: { connected: true, embedded: true, url: `mqtt://house:***@127.0.0.1:${app.mqttPort}` } });
    expect(health.text).not.toContain("s3cret-pass");

    const plain = `mqtt://127.0.0.1:${app.mqttPort}`;
    expect((await connectError(plain))?.code).toBe(4);
    expect((await connectError(plain, { username: "house", password: "nope-nope" }))?.code).toBe(4);

    // The shipped example (deployed on first start) turns the light on for motion, over TLS.
    const sub = await client(`mqtts://127.0.0.1:${tlsPort}`, { ca: cert, username: "house", password: "s3cret-pass" });
    await sub.subscribeAsync("house/garage/light", { qos: 1 });
    const light = nextMessage(sub, 5000);
    const pub = await client(plain, { username: "house", password: "s3cret-pass" });
    await pub.publishAsync("house/garage/motion", "1", { qos: 1 });
    expect(await light).toMatchObject({ topic: "house/garage/light", payload: "on" });

    // Logs show the broker URL redacted (mqtt://house:***@…), never the password.
    const leaks = app.output().split("\n").filter((line) => line.includes("s3cret-pass"));
    expect(leaks, "log lines that show the broker password").toEqual([]);
  });

  it("does not start with half the broker settings, and says which variable is wrong", async () => {
    await expect(startApp({ env: { FLOWHOUSE_BROKER_USERNAME: "house" } })).rejects.toThrow(
      /set both FLOWHOUSE_BROKER_USERNAME and FLOWHOUSE_BROKER_PASSWORD, or neither/,
    );
    await expect(
      startApp({ env: { FLOWHOUSE_BROKER_TLS_PORT: "0", FLOWHOUSE_BROKER_TLS_CERT: "/nonexistent/cert.pem", FLOWHOUSE_BROKER_TLS_KEY: "/nonexistent/key.pem" } }),
    ).rejects.toThrow(/FLOWHOUSE_BROKER_TLS_CERT: the certificate file \/nonexistent\/cert.pem does not exist/);
  });

  it("warns in the log when the embedded broker is reachable from the network without a password", async () => {
    const app = await startApp({ env: { FLOWHOUSE_BROKER_HOST: "0.0.0.0" } });
    cleanups.push(() => app.dispose());
    expect(app.output()).toMatch(/embedded MQTT broker listens on 0\.0\.0\.0 WITHOUT a password/);
    expect((await app.api("GET", "/api/health")).json).toMatchObject({ broker: { connected: true } });
  });
});
