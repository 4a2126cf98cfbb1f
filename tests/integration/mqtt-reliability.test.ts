/**
 * "Nothing lost", through the real app: a Node-RED flow imported with ?deploy=1 relays QoS 1
 * messages to a real mosquitto (persistent session: fixed client id, cleansession false)
 * while that mosquitto is SIGKILLed and restarted, kept down for 30 s, and while the app
 * itself is restarted (SIGTERM and SIGKILL) during the outage.
 *
 *   (a) producer → mosquitto → flow `mqtt in` (QoS 1) → `mqtt out` (QoS 1) → mosquitto →
 *       persistent consumer; mosquitto SIGKILLed mid-stream, restarted with persistence
 *       saved on every change: 0 lost end to end (QoS 1 allows duplicates: counted).
 *   (b) producer → embedded broker → flow → mosquitto, mosquitto down 30 s while 120 messages
 *       go through: all arrive after the reconnect, in order.
 *   (c) like (b), with the app restarted twice (SIGTERM, then SIGKILL) during the outage.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { removeDir, startMosquitto, type Mosquitto } from "../helpers/mosquitto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";

const MOSQ = "rel-mosquitto";
let persistDir: string;
let mosquitto: Mosquitto;
let app: AppHandle;
let consumer: MqttClient;
const received: string[] = [];
const clients: MqttClient[] = [];
/** What the test observed, printed at the end (duplicates are allowed by QoS 1). */
const report: string[] = [];

function flows(port: number): unknown[] {
  return [
    { id: "rel-tab", type: "tab", label: "Reliability", disabled: false, info: "" },
    {
      id: MOSQ,
      type: "mqtt-broker",
      name: "Test mosquitto",
      broker: "127.0.0.1",
      port: String(port),
      clientid: "flowhouse-reliability-test",
      autoConnect: true,
      usetls: false,
      protocolVersion: "4",
      keepalive: "15",
      cleansession: false,
    },
    { id: "a-in", type: "mqtt in", z: "rel-tab", name: "A in", topic: "rel/a/in", qos: "1", datatype: "utf8", broker: MOSQ, nl: false, rap: true, rh: 0, inputs: 0, x: 100, y: 60, wires: [["a-out"]] },
    { id: "a-out", type: "mqtt out", z: "rel-tab", name: "A out", topic: "rel/a/out", qos: "1", retain: "false", broker: MOSQ, x: 300, y: 60, wires: [] },
    { id: "b-in", type: "mqtt in", z: "rel-tab", name: "B in", topic: "rel/b/in", qos: "1", datatype: "utf8", broker: "", nl: false, rap: true, rh: 0, inputs: 0, x: 100, y: 140, wires: [["b-out"]] },
    { id: "b-out", type: "mqtt out", z: "rel-tab", name: "B out", topic: "rel/b/out", qos: "1", retain: "false", broker: MOSQ, x: 300, y: 140, wires: [] },
  ];
}

async function client(url: string, clientId: string, clean = true): Promise<MqttClient> {
  const c = await connectAsync(url, { clientId, clean, reconnectPeriod: 200, connectTimeout: 3000 });
  clients.push(c);
  return c;
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Rows in the app's outbox table (read-only look at its SQLite file). */
function outboxRows(): number {
  const db = new Database(path.join(app.dataDir, "flowhouse.db"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "OutboxMessage"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function seq(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}-${String(from + i).padStart(4, "0")}`);
}

/** Missing messages, duplicates, and whether first arrivals are in publish order. */
function analyse(prefix: string, expected: string[]): { missing: string[]; duplicates: number; outOfOrder: string[] } {
  const mine = received.filter((p) => p.startsWith(`${prefix}-`));
  const seen = new Set<string>();
  const firsts: string[] = [];
  for (const p of mine) {
    if (!seen.has(p)) firsts.push(p);
    seen.add(p);
  }
  const outOfOrder = firsts.filter((p, i) => i > 0 && p < firsts[i - 1]);
  return { missing: expected.filter((p) => !seen.has(p)), duplicates: mine.length - seen.size, outOfOrder };
}

async function waitHealthyDeployment(): Promise<void> {
  const res = await app.api("GET", "/api/health", undefined, { token: null });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  persistDir = await mkdtemp(path.join(tmpdir(), "flowhouse-reliability-"));
  mosquitto = await startMosquitto({ persistenceDir: persistDir, saveEveryChange: true });
  app = await startApp();
  const res = await app.api("POST", "/api/import/node-red?deploy=1", flows(mosquitto.port));
  if (res.status !== 200) throw new Error(`import → ${res.status}: ${res.text}`);
  consumer = await client(mosquitto.url, "reliability-consumer", false);
  consumer.on("message", (_topic, payload) => received.push(payload.toString()));
  await consumer.subscribeAsync("rel/+/out", { qos: 1 });
});

afterAll(async () => {
  for (const c of clients) await c.endAsync(true).catch(() => undefined);
  await app?.dispose();
  await mosquitto?.stop();
  if (persistDir) await removeDir(persistDir);
  console.log(`mqtt reliability:\n  ${report.join("\n  ")}`);
});

describe("MQTT reliability through a flow (real app, real mosquitto)", () => {
  it("(a) SIGKILL of mosquitto in the middle of a QoS 1 stream through a flow, restarted with persistence: 0 messages lost", async () => {
    const producer = await client(mosquitto.url, "reliability-producer-a");
    const expected = seq("a", 0, 300);
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < expected.length; i++) {
      if (i === 120) {
        await mosquitto.kill();
        report.push(`(a) mosquitto SIGKILLed after ${i} of ${expected.length} messages`);
        setTimeout(() => void mosquitto.restart(), 500);
      }
      acks.push(producer.publishAsync("rel/a/in", expected[i], { qos: 1 }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(acks);
    await until(() => analyse("a", expected).missing.length === 0, "every (a) message at the consumer", 30_000).catch((err: Error) => {
      const r = analyse("a", expected);
      throw new Error(`${err.message}: ${r.missing.length} missing (${r.missing.slice(0, 10).join(", ")}…)`);
    });
    const r = analyse("a", expected);
    report.push(`(a) ${expected.length} sent, 0 lost, ${r.duplicates} duplicates, ${r.outOfOrder.length} out of order`);
    expect(r.missing).toEqual([]);
  });

  it("(b) mosquitto down for 30 s while 120 QoS 1 messages go through the flow: all arrive after the reconnect, in order", async () => {
    await until(() => outboxRows() === 0, "an empty outbox", 10_000);
    const producer = await client(app.mqttUrl, "reliability-producer-b");
    await mosquitto.kill();
    const downAt = Date.now();
    const expected = seq("b", 0, 120);
    for (let i = 0; i < expected.length; i++) {
      await producer.publishAsync("rel/b/in", expected[i], { qos: 1 });
      await new Promise((r) => setTimeout(r, 50));
    }
    await until(() => outboxRows() === expected.length, "all messages in the app's outbox", 10_000);
    const health = await app.api("GET", "/api/health", undefined, { token: null });
    expect(health.status).toBe(200); // the app keeps running; only the broker is away
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - downAt))));
    await mosquitto.restart();
    await until(() => analyse("b", expected).missing.length === 0, "every (b) message after the reconnect", 45_000);
    const r = analyse("b", expected);
    report.push(`(b) ${expected.length} published during a ${Math.round((Date.now() - downAt) / 1000)} s outage: 0 lost, ${r.duplicates} duplicates, order ${r.outOfOrder.length === 0 ? "kept" : "BROKEN"}`);
    expect(r.outOfOrder).toEqual([]);
    await until(() => outboxRows() === 0, "the outbox to drain", 10_000);
  });

  it("(c) the app is restarted (SIGTERM, then SIGKILL) during the outage: all messages arrive after both are back, in order", async () => {
    const producer = await client(app.mqttUrl, "reliability-producer-c");
    await mosquitto.kill();
    const expected = seq("c", 0, 150);
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await producer.publishAsync("rel/b/in", expected[i], { qos: 1 });
      await until(() => outboxRows() === to, `${to} messages in the outbox`, 10_000);
    };
    await publish(0, 50);
    await app.restart(); // SIGTERM: a graceful stop keeps the outbox
    await waitHealthyDeployment();
    await publish(50, 100);
    await app.kill(); // SIGKILL: what was committed before the kill survives
    await app.restart();
    await waitHealthyDeployment();
    await publish(100, 150);
    await mosquitto.restart();
    await until(() => analyse("c", expected).missing.length === 0, "every (c) message after the app and the broker are back", 45_000).catch((err: Error) => {
      const r = analyse("c", expected);
      throw new Error(`${err.message}: ${r.missing.length} missing (${r.missing.slice(0, 10).join(", ")}…)\n${app.output().slice(-3000)}`);
    });
    const r = analyse("c", expected);
    report.push(`(c) ${expected.length} published across 2 app restarts (SIGTERM, SIGKILL) in an outage: 0 lost, ${r.duplicates} duplicates, order ${r.outOfOrder.length === 0 ? "kept" : "BROKEN"}`);
    expect(r.outOfOrder).toEqual([]);
    await until(() => outboxRows() === 0, "the outbox to drain", 10_000);
  });
});
