/**
 * The embedded aedes broker: real TCP, real LevelDB persistence in a temp directory.
 * The persistence scenario also runs against mosquitto, as a reference for what a user
 * expects from a broker with persistence.
 */
import { mkdtemp } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect, connectAsync, type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../lib/mqtt/embedded-broker";
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
