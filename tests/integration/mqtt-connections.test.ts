/**
 * ConnectionManager against real brokers: the embedded aedes broker (port 0, temp LevelDB)
 * and mosquitto. Waits are bounded; nothing sleeps longer than needed to prove absence.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionManager, type BrokerConnectionOptions } from "../../lib/mqtt/connections";
import { MemoryOutboxStore, type OutboxStore } from "../../lib/mqtt/outbox";
import { startEmbeddedBroker } from "../../lib/mqtt/embedded-broker";
import type { MqttMessage } from "../../lib/mqtt/service";
import { removeDir, startMosquitto, type Mosquitto } from "../helpers/mosquitto";
import { freePort } from "../helpers/ports";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

function manager(
  url: string,
  extra: Partial<BrokerConnectionOptions> = {},
  options: { reconnectInitialMs?: number; reconnectMaxMs?: number; warnings?: string[]; outbox?: OutboxStore; outboxLimit?: number } = {},
): ConnectionManager {
  const m = new ConnectionManager({
    resolveBroker: (id) => (id === "" ? { url, ...extra } : undefined),
    logger: { info: () => undefined, warn: (msg) => options.warnings?.push(msg) },
    reconnectInitialMs: options.reconnectInitialMs,
    reconnectMaxMs: options.reconnectMaxMs,
    outbox: options.outbox,
    outboxLimit: options.outboxLimit,
  });
  cleanups.push(() => m.close());
  return m;
}

async function plainClient(url: string): Promise<MqttClient> {
  const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000 });
  cleanups.push(() => c.endAsync(true));
  return c;
}

/** Everything the manager's MQTT.js client receives, before local dispatch (test-only peek). */
function rawTopics(m: ConnectionManager, brokerId = ""): string[] {
  const internals = m as unknown as { brokers: Map<string, { client: MqttClient | null }> };
  const client = internals.brokers.get(brokerId)?.client;
  if (!client) throw new Error("no client yet");
  const topics: string[] = [];
  client.on("message", (topic) => topics.push(topic));
  return topics;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Publish a marker after `topic` from the same client: once the marker arrives, earlier messages have too. */
async function publishThenMarker(pub: MqttClient, topic: string, payload: string, marker: string): Promise<void> {
  await pub.publishAsync(topic, payload, { qos: 1 });
  await pub.publishAsync(marker, "marker", { qos: 1 });
}

function collector(): { messages: MqttMessage[]; handler: (m: MqttMessage) => void; payloads(): string[] } {
  const messages: MqttMessage[] = [];
  return { messages, handler: (m) => messages.push(m), payloads: () => messages.map((m) => m.payload.toString()) };
}

const brokers: { name: string; start(): Promise<{ url: string }> }[] = [
  {
    name: "embedded aedes",
    async start() {
      const dir = await mkdtemp(path.join(tmpdir(), "flowhouse-conn-test-"));
      cleanups.push(() => removeDir(dir));
      const broker = await startEmbeddedBroker({ port: 0, persistenceDir: dir });
      cleanups.push(() => broker.close());
      return broker;
    },
  },
  {
    name: "mosquitto",
    async start() {
      const m = await startMosquitto();
      cleanups.push(() => m.stop());
      return m;
    },
  },
];

describe.each(brokers)("ConnectionManager with $name", ({ start }) => {
  it("delivers a published message to a subscriber with its payload, topic and QoS", async () => {
    const { url } = await start();
    const m = manager(url);
    const got = collector();
    m.subscribe("", "house/+/motion", 1, got.handler);
    await m.whenConnected("", 5000);
    await until(() => m.brokerFilters("").includes("house/+/motion"), "the broker subscription");
    await m.publish("", "house/garage/motion", "1", { qos: 1 });
    await until(() => got.messages.length === 1, "the message");
    expect(got.messages[0]).toMatchObject({ topic: "house/garage/motion", qos: 1, retain: false });
    expect(got.payloads()).toEqual(["1"]);
    expect(m.isConnected("")).toBe(true);
    expect(m.status("")).toMatchObject({ connected: true, url, lastError: null, reconnects: 0 });
  });

  it("during a hold (a redeploy), re-creating a subscription on the same filter sends nothing to the broker and loses no message", async () => {
    const { url } = await start();
    const m = manager(url);
    const pub = await plainClient(url);
    const first = collector();
    const off = m.subscribe("", "hold/x", 1, first.handler);
    await m.whenConnected("", 5000);
    expect(await m.settled(3000)).toBe(true);
    const client = (m as unknown as { brokers: Map<string, { client: MqttClient }> }).brokers.get("")!.client;
    const sent: string[] = [];
    const onPacket = (packet: { cmd: string }) => sent.push(packet.cmd);
    client.on("packetsend", onPacket);

    const release = m.hold();
    off();
    await new Promise((r) => setTimeout(r, 50)); // the old node closes across ticks
    const second = collector();
    m.subscribe("", "hold/x", 1, second.handler);
    release();
    expect(await m.settled(3000)).toBe(true);
    expect(sent.filter((c) => c === "subscribe" || c === "unsubscribe")).toEqual([]);

    await pub.publishAsync("hold/x", "after", { qos: 1 });
    await until(() => second.messages.length === 1, "the message to the new subscription");
    expect(first.messages).toHaveLength(0);
    client.off("packetsend", onPacket);
  });

  it("settled() resolves once the broker acknowledged a new subscription, so the next publish reaches it", async () => {
    const { url } = await start();
    const m = manager(url);
    const pub = await plainClient(url);
    await m.whenConnected("", 5000);
    const got = collector();
    m.subscribe("", "settle/+", 1, got.handler);
    expect(await m.settled(3000)).toBe(true);
    await pub.publishAsync("settle/a", "now", { qos: 1 });
    await until(() => got.messages.length === 1, "the message");
  });

  it("keeps delivering to the remaining handler until the last one on a filter unsubscribes", async () => {
    const { url } = await start();
    const m = manager(url);
    const a = collector();
    const b = collector();
    const marker = collector();
    const offA = m.subscribe("", "rc/x", 1, a.handler);
    const offB = m.subscribe("", "rc/x", 1, b.handler);
    m.subscribe("", "rc/marker", 1, marker.handler);
    await m.whenConnected("");
    await until(() => m.brokerFilters("").length === 2, "two broker subscriptions");
    const raw = rawTopics(m);
    const pub = await plainClient(url);

    await publishThenMarker(pub, "rc/x", "one", "rc/marker");
    await until(() => marker.messages.length === 1, "marker 1");
    expect([a.payloads(), b.payloads()]).toEqual([["one"], ["one"]]);

    offA();
    offA(); // a second call is harmless
    await publishThenMarker(pub, "rc/x", "two", "rc/marker");
    await until(() => marker.messages.length === 2, "marker 2");
    expect([a.payloads(), b.payloads()]).toEqual([["one"], ["one", "two"]]);
    expect(m.brokerFilters("")).toContain("rc/x");

    offB();
    await until(() => !m.brokerFilters("").includes("rc/x"), "the UNSUBSCRIBE");
    // Give the UNSUBSCRIBE a round trip: the next marker proves the broker processed it.
    await publishThenMarker(pub, "rc/marker", "flush", "rc/marker");
    await until(() => marker.messages.length === 4, "flush markers");
    const before = raw.filter((t) => t === "rc/x").length;
    await publishThenMarker(pub, "rc/x", "three", "rc/marker");
    await until(() => marker.messages.length === 5, "marker 3");
    // The broker no longer sends rc/x to this client at all.
    expect(raw.filter((t) => t === "rc/x").length).toBe(before);
    expect(b.payloads()).toEqual(["one", "two"]);
  });

  it("gives each handler a message exactly once when filters overlap", async () => {
    const { url } = await start();
    const m = manager(url);
    const exact = collector();
    const hash = collector();
    const plus = collector();
    const other = collector();
    const marker = collector();
    m.subscribe("", "ov/b", 0, exact.handler);
    m.subscribe("", "ov/#", 1, hash.handler);
    m.subscribe("", "+/b", 0, plus.handler);
    m.subscribe("", "zz/q", 0, other.handler);
    m.subscribe("", "mk", 1, marker.handler);
    await m.whenConnected("");
    await until(() => m.brokerFilters("").length > 0, "broker subscriptions");
    const raw = rawTopics(m);
    const pub = await plainClient(url);

    await pub.publishAsync("ov/b", "x", { qos: 1 });
    await pub.publishAsync("ov/c", "y", { qos: 1 });
    await pub.publishAsync("q/b", "z", { qos: 1 });
    await pub.publishAsync("mk", "done", { qos: 1 });
    await until(() => marker.messages.length === 1, "marker");

    expect(exact.payloads()).toEqual(["x"]);
    expect(hash.payloads()).toEqual(["x", "y"]);
    expect(plus.payloads()).toEqual(["x", "z"]);
    expect(other.payloads()).toEqual([]);
    // One copy per published message reached the client.
    expect(raw.filter((t) => t === "ov/b")).toHaveLength(1);
    // 'ov/#' is delivered at the highest QoS asked for among the merged filters.
    expect(hash.messages[0].qos).toBe(1);
  });

  it("keeps delivering to other handlers when one handler throws", async () => {
    const { url } = await start();
    const warnings: string[] = [];
    const m = manager(url, {}, { warnings });
    const good = collector();
    m.subscribe("", "boom/#", 0, () => {
      throw new Error("handler bug");
    });
    m.subscribe("", "boom/x", 0, good.handler);
    await m.whenConnected("");
    await until(() => m.brokerFilters("").length === 1, "the broker subscription");
    await m.publish("", "boom/x", "still here", { qos: 1 });
    await until(() => good.messages.length === 1, "the message");
    expect(warnings.some((w) => w.includes("handler for 'boom/#' failed") && w.includes("handler bug"))).toBe(true);
  });

  it("sends retained messages to a new subscriber", async () => {
    const { url } = await start();
    const m = manager(url);
    await m.publish("", "ret/state", "on", { qos: 1, retain: true });
    // aedes acknowledges before it stores the retained message: wait until a probe sees it.
    const probe = await plainClient(url);
    const stored = new Promise<void>((resolve) => probe.once("message", () => resolve()));
    await probe.subscribeAsync("ret/state", { qos: 1 });
    await stored;
    const got = collector();
    m.subscribe("", "ret/+", 1, got.handler);
    await until(() => got.messages.length === 1, "the retained message");
    expect(got.messages[0]).toMatchObject({ topic: "ret/state", retain: true });
    expect(got.payloads()).toEqual(["on"]);
  });
});

describe("ConnectionManager errors", () => {
  it("names an unknown broker and how to fix it", async () => {
    const m = manager("mqtt://127.0.0.1:1");
    expect(() => m.subscribe("xyz", "a", 0, () => undefined)).toThrow(
      "mqtt broker config 'xyz' does not exist: choose a broker in the node's properties",
    );
    await expect(m.publish("xyz", "a", "1")).rejects.toThrow("mqtt broker config 'xyz' does not exist");
    expect(m.status("xyz")).toEqual({ connected: false, url: "", lastError: null, reconnects: 0, lastErrorAt: null, lastConnectedAt: null, outbox: 0 });
  });

  it("rejects invalid filters and publish topics with the reason", async () => {
    const m = manager("mqtt://127.0.0.1:1");
    expect(() => m.subscribe("", "a/#/b", 0, () => undefined)).toThrow("topic filter 'a/#/b': '#' must be the last level, e.g. 'a/#'");
    await expect(m.publish("", "a/+", "1")).rejects.toThrow(/wildcards '\+' and '#' are only allowed in subscriptions/);
  });

  it("queues a publish made while the broker is down and sends it once it is up", async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const m = manager(url, { connectTimeoutMs: 1000 }, { reconnectInitialMs: 100, reconnectMaxMs: 200 });
    let published = false;
    const publishing = m.publish("", "late/state", "hello", { qos: 1, retain: true }).then(() => {
      published = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(published).toBe(false);
    expect(m.status("").lastError).toMatch(/^Connection refused at 127\.0\.0\.1:\d+: is the broker running\?$/);

    const broker = await startEmbeddedBroker({ port });
    cleanups.push(() => broker.close());
    await publishing;
    const check = await plainClient(url);
    const retained = new Promise<string>((resolve) => check.once("message", (_t, p) => resolve(p.toString())));
    await check.subscribeAsync("late/state", { qos: 1 });
    expect(await retained).toBe("hello");
  });

  it("backs off between reconnect attempts instead of retrying at a fixed rate", async () => {
    const port = await freePort();
    const m = manager(`mqtt://127.0.0.1:${port}`, {}, { reconnectInitialMs: 50, reconnectMaxMs: 400 });
    m.connect("");
    const internals = m as unknown as { brokers: Map<string, { client: MqttClient }> };
    const client = internals.brokers.get("")!.client;
    let attempts = 0;
    client.on("reconnect", () => attempts++);
    await new Promise((r) => setTimeout(r, 1500));
    // Fixed 50 ms would be ~30 attempts; 50, 100, 200, 400, 400, … gives about 5.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(8);
    expect(client.options.reconnectPeriod).toBe(400);
  });
});

describe("ConnectionManager reload", () => {
  it("moves its subscriptions to the new address when a broker is edited", async () => {
    const first = await startEmbeddedBroker({ port: 0 });
    cleanups.push(() => first.close());
    const second = await startEmbeddedBroker({ port: 0 });
    cleanups.push(() => second.close());
    let url = first.url;
    const m = new ConnectionManager({ resolveBroker: (id) => (id === "b1" ? { url } : undefined), logger: { info: () => undefined, warn: () => undefined } });
    cleanups.push(() => m.close());
    const got = collector();
    m.subscribe("b1", "moved/#", 1, got.handler);
    await m.whenConnected("b1");
    url = second.url;
    await m.reload("b1");
    await m.whenConnected("b1");
    expect(m.status("b1").url).toBe(second.url);
    await until(() => m.brokerFilters("b1").includes("moved/#"), "the subscription on the new broker");
    const pub = await plainClient(second.url);
    const deadline = Date.now() + 3000;
    while (got.messages.length === 0 && Date.now() < deadline) {
      await pub.publishAsync("moved/here", "hi", { qos: 1 });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(got.payloads()[0]).toBe("hi");
  });
});

describe("ConnectionManager reconnecting to mosquitto", () => {
  it("resumes subscriptions after mosquitto is stopped and started again on the same port", async () => {
    const mosquitto: Mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const m = manager(mosquitto.url, {}, { reconnectInitialMs: 200, reconnectMaxMs: 1000 });
    const changes: boolean[] = [];
    m.onConnectionChange("", (connected) => changes.push(connected));
    const got = collector();
    m.subscribe("", "rs/#", 1, got.handler);
    await m.whenConnected("");
    await until(() => m.brokerFilters("").includes("rs/#"), "the broker subscription");

    await mosquitto.stop();
    await until(() => !m.isConnected(""), "the disconnect");
    expect(m.status("").connected).toBe(false);
    await mosquitto.restart();
    await m.whenConnected("", 5000);
    await until(() => m.brokerFilters("").includes("rs/#"), "the resubscription");

    const pub = await plainClient(mosquitto.url);
    // The SUBSCRIBE may still be in flight: publish until one arrives (bounded).
    const deadline = Date.now() + 5000;
    while (got.messages.length === 0 && Date.now() < deadline) {
      await pub.publishAsync("rs/after", "back", { qos: 1 });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(got.payloads()[0]).toBe("back");
    expect(changes.slice(0, 3)).toEqual([true, false, true]);
    expect(m.status("")).toMatchObject({ connected: true, reconnects: 1, lastError: null });
  });

  it("subscribes once after a reconnect: a retained message comes back once, not twice", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowhouse-conn-test-"));
    cleanups.push(() => removeDir(dir));
    const mosquitto = await startMosquitto({ persistenceDir: dir }); // keeps the retained message
    cleanups.push(() => mosquitto.stop());
    const m = manager(mosquitto.url, {}, { reconnectInitialMs: 100, reconnectMaxMs: 500 });
    await m.publish("", "dup/state", "kept", { qos: 1, retain: true });
    const got = collector();
    m.subscribe("", "dup/#", 1, got.handler);
    await until(() => got.messages.length === 1, "the retained message");

    await mosquitto.restart();
    await m.whenConnected("", 5000);
    await until(() => got.messages.length >= 2, "the retained message after resubscribing");
    const pub = await plainClient(mosquitto.url);
    await pub.publishAsync("dup/marker", "final", { qos: 1 });
    await until(() => got.payloads().includes("final"), "the marker");
    expect(got.payloads()).toEqual(["kept", "kept", "final"]);
  });
});

describe("ConnectionManager with MQTT 5 on mosquitto", () => {
  // mosquitto sends MQTT 5 clients one copy per matching subscription (3 copies of 'ov/b'
  // for 'ov/b' + 'ov/#' + '+/b' when subscribed as they are), so this is where merging
  // overlapping filters at the broker shows.
  it("gives each handler a message exactly once when filters overlap", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const m = manager(mosquitto.url, { protocolVersion: 5 });
    const exact = collector();
    const hash = collector();
    const plus = collector();
    const marker = collector();
    m.subscribe("", "ov/b", 0, exact.handler);
    m.subscribe("", "ov/#", 1, hash.handler);
    m.subscribe("", "+/b", 0, plus.handler);
    m.subscribe("", "mk", 1, marker.handler);
    await m.whenConnected("");
    await until(() => m.brokerFilters("").length > 0, "broker subscriptions");
    const raw = rawTopics(m);
    const pub = await plainClient(mosquitto.url);
    await pub.publishAsync("ov/b", "x", { qos: 1 });
    await pub.publishAsync("mk", "done", { qos: 1 });
    await until(() => marker.messages.length === 1, "marker");
    expect([exact.payloads(), hash.payloads(), plus.payloads()]).toEqual([["x"], ["x"], ["x"]]);
    expect(raw.filter((t) => t === "ov/b")).toHaveLength(1);
  });

  it("moves to a wider broker subscription when a covering filter is added, and back when it goes", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const m = manager(mosquitto.url, { protocolVersion: 5 });
    const narrow = collector();
    const wide = collector();
    m.subscribe("", "w/a", 1, narrow.handler);
    await m.whenConnected("");
    await until(() => m.brokerFilters("").join() === "w/a", "w/a at the broker");
    const offWide = m.subscribe("", "w/#", 1, wide.handler);
    await until(() => m.brokerFilters("").join() === "w/#", "w/# replacing w/a");
    offWide();
    await until(() => m.brokerFilters("").join() === "w/a", "w/a again");
    const pub = await plainClient(mosquitto.url);
    await pub.publishAsync("w/b", "not for anyone", { qos: 1 });
    await pub.publishAsync("w/a", "a", { qos: 1 });
    await until(() => narrow.messages.length === 1, "w/a message");
    expect(narrow.payloads()).toEqual(["a"]);
    expect(wide.payloads()).toEqual([]);
  });
});

describe("birth, last will and health (mosquitto)", () => {
  const status = { topic: "flowhouse/test/status", online: "online", offline: "offline" };

  it("publishes a retained 'online' on connect, the broker says 'offline' when the connection dies, and close() says 'offline' itself", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const watcher = await plainClient(mosquitto.url);
    const seen: string[] = [];
    watcher.on("message", (_t, payload) => seen.push(payload.toString()));
    await watcher.subscribeAsync(status.topic, { qos: 1 });

    const m = manager(mosquitto.url, { status, clientId: "flowhouse-lwt-test" }, { reconnectInitialMs: 100 });
    m.connect("");
    await until(() => seen.join() === "online", "online");
    expect(m.status("").lastConnectedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The connection dies without DISCONNECT: mosquitto publishes the will, then we reconnect.
    const client = (m as unknown as { brokers: Map<string, { client: MqttClient }> }).brokers.get("")!.client;
    client.stream.destroy();
    await until(() => seen.join() === "online,offline,online", "will then online again");
    expect(m.status("")).toMatchObject({ connected: true, reconnects: 1, lastError: null });
    expect(m.status("").lastErrorAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    await m.close();
    await until(() => seen.join() === "online,offline,online,offline", "offline on close");
    // Retained: a client arriving later sees that Flowhouse is offline.
    const late = await plainClient(mosquitto.url);
    const retained: string[] = [];
    late.on("message", (_t, payload, packet) => retained.push(`${payload.toString()}:${packet.retain}`));
    await late.subscribeAsync(status.topic, { qos: 1 });
    await until(() => retained.length === 1, "the retained status");
    expect(retained).toEqual(["offline:true"]);
  });

  it("MQTT 5 with a persistent session and a session expiry keeps subscriptions across a disconnect", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const options = { clientId: "flowhouse-expiry-test", clean: false, protocolVersion: 5 as const, sessionExpirySeconds: 60 };
    const first = manager(mosquitto.url, options);
    first.subscribe("", "away/+", 1, () => undefined);
    await first.whenConnected("");
    expect(await first.settled(3000)).toBe(true);
    await first.close();

    const pub = await plainClient(mosquitto.url);
    await pub.publishAsync("away/1", "sent while away", { qos: 1 });

    const second = manager(mosquitto.url, options);
    const got = collector();
    second.subscribe("", "away/+", 1, got.handler);
    await until(() => got.messages.length === 1, "the message sent while away");
    expect(got.payloads()).toEqual(["sent while away"]);
  });
});

describe("outbox: QoS 1/2 publishes survive a broker outage (mosquitto)", () => {
  it("publishes made while the broker is down resolve at once, are counted, and arrive in order after it is back; QoS 0 is dropped", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowhouse-outbox-test-"));
    cleanups.push(() => removeDir(dir));
    const mosquitto = await startMosquitto({ persistenceDir: dir });
    cleanups.push(() => mosquitto.stop());
    // A persistent consumer, so that what arrives while it is away is kept for it.
    const consumerOptions = { clientId: "outbox-consumer", clean: false, reconnectPeriod: 100, connectTimeout: 3000 };
    const consumer = await connectAsync(mosquitto.url, consumerOptions);
    cleanups.push(() => consumer.endAsync(true));
    const got: string[] = [];
    consumer.on("message", (_t, payload) => got.push(payload.toString()));
    await consumer.subscribeAsync("ob/#", { qos: 1 });

    const warnings: string[] = [];
    const m = manager(mosquitto.url, {}, { reconnectInitialMs: 100, reconnectMaxMs: 200, outbox: new MemoryOutboxStore(), warnings });
    await m.whenConnected("");
    await m.publish("", "ob/x", "before", { qos: 1 });
    await until(() => got.length === 1, "the first message");

    await mosquitto.stop();
    await until(() => !m.isConnected(""), "the disconnect");
    const started = Date.now();
    for (let i = 0; i < 50; i++) await m.publish("", "ob/x", `down-${i}`, { qos: 1 });
    await m.publish("", "ob/x", "qos0-dropped", { qos: 0 });
    expect(Date.now() - started).toBeLessThan(2000); // nobody waits for the outage
    expect(m.status("").outbox).toBe(50);

    await mosquitto.restart();
    await m.whenConnected("", 5000);
    await until(() => m.status("").outbox === 0, "the outbox to drain");
    await until(() => got.length >= 51, `all queued messages at the consumer (got ${got.length}: ${got.slice(0, 5).join()}…)`, 10_000).catch((e) => {
      throw new Error(`${(e as Error).message}: ${got.join()}`);
    });
    expect(got).toEqual(["before", ...Array.from({ length: 50 }, (_, i) => `down-${i}`)]);
    await until(() => warnings.some((w) => w.includes("1 QoS 0 message(s) were dropped")), "the QoS 0 drop warning");
  });

  it("rejects a publish when the outbox is full, naming the broker and the limit", async () => {
    const port = await freePort();
    const m = manager(`mqtt://127.0.0.1:${port}`, {}, { outbox: new MemoryOutboxStore(), outboxLimit: 3 });
    m.connect("");
    for (let i = 0; i < 3; i++) await m.publish("", "full/x", String(i), { qos: 1 });
    await expect(m.publish("", "full/x", "4", { qos: 1 })).rejects.toThrow(
      `MQTT broker (mqtt://127.0.0.1:${port}): the outbox is full (3 QoS 1/2 messages waiting for the broker)`,
    );
    expect(m.status("").outbox).toBe(3);
  });

  it("drains messages left by a previous run once the broker connects", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const store = new MemoryOutboxStore();
    store.append([
      { brokerId: "", topic: "left/1", payload: Buffer.from("a"), qos: 1, retain: false },
      { brokerId: "", topic: "left/2", payload: Buffer.from("b"), qos: 1, retain: false },
    ]);
    const consumer = await plainClient(mosquitto.url);
    const got: string[] = [];
    consumer.on("message", (t, payload) => got.push(`${t}=${payload.toString()}`));
    await consumer.subscribeAsync("left/#", { qos: 1 });
    const m = manager(mosquitto.url, {}, { outbox: store });
    expect(m.status("").outbox).toBe(2);
    // Nobody publishes or subscribes: the stored messages alone make it connect.
    await until(() => got.length === 2, "the stored messages");
    expect(got).toEqual(["left/1=a", "left/2=b"]);
    await until(() => store.count("") === 0, "the store to be empty");
  });
});
