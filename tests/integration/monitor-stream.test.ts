/**
 * The live monitor over socket.io against the embedded broker: authentication, a burst
 * coalesced into a bounded number of updates with the final value, the selected topic's
 * stream, dashboard values, publishing with validation, the tree snapshot and the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as ioClient, type Socket } from "socket.io-client";
import mqtt, { type MqttClient } from "mqtt";
import { startApp, type AppHandle } from "../helpers/app";
import type {
  AckReply,
  LiveValue,
  MonitorClientToServerEvents,
  MonitorServerToClientEvents,
  TopicMessages,
  TopicDetail,
  TreeResponse,
  TreeSnapshot,
  TreeUpdates,
} from "../../lib/monitor/events";
import type { TopicListResponse } from "../../lib/api/schemas";

type MonitorSocket = Socket<MonitorServerToClientEvents, MonitorClientToServerEvents>;

let app: AppHandle;
let pub: MqttClient;
const sockets: MonitorSocket[] = [];

beforeAll(async () => {
  app = await startApp();
  pub = await mqtt.connectAsync(app.mqttUrl, { clean: true, reconnectPeriod: 0 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await pub?.endAsync();
  await app?.dispose();
});

function connect(token: string | null = app.token): MonitorSocket {
  const socket: MonitorSocket = ioClient(`${app.url}/monitor`, {
    transports: ["websocket"],
    reconnection: false,
    auth: token ? { token } : undefined,
  });
  sockets.push(socket);
  return socket;
}

async function connected(socket: MonitorSocket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
}

function until<T>(fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      const v = fn();
      if (v !== undefined) return resolve(v);
      if (Date.now() > deadline) return reject(new Error(`condition not met within ${timeoutMs} ms`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/** Waits until the monitor has seen a message on `topic`. */
async function seen(topic: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await app.api("GET", `/api/monitor/topic?topic=${encodeURIComponent(topic)}`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the monitor never saw '${topic}'`);
}

function request<E extends "tree:subscribe" | "topic:select" | "values:subscribe" | "pause">(
  socket: MonitorSocket,
  event: E,
  body: Parameters<MonitorClientToServerEvents[E]>[0],
): Promise<AckReply> {
  return new Promise((resolve) => (socket.emit as (e: string, b: unknown, ack: (r: AckReply) => void) => void)(event, body, resolve));
}

it("refuses a /monitor socket without a session or token", async () => {
  const socket = connect(null);
  const error = await new Promise<Error>((resolve, reject) => {
    socket.on("connect_error", resolve);
    socket.on("connect", () => reject(new Error("connected without credentials")));
  });
  expect(error.message).toMatch(/unauthorized/);
});

it("delivers a burst of 1,000 messages to one topic as a bounded number of updates ending with the final value", async () => {
  const socket = connect();
  const snapshots: TreeSnapshot[] = [];
  const updates: { at: number; u: TreeUpdates }[] = [];
  socket.on("tree:snapshot", (s) => snapshots.push(s));
  socket.on("tree:updates", (u) => updates.push({ at: Date.now(), u }));
  await connected(socket);
  expect(await request(socket, "tree:subscribe", { broker: "", prefix: "burst" })).toEqual({ ok: true });
  await until(() => (snapshots.length > 0 ? true : undefined));

  const start = Date.now();
  for (let i = 1; i <= 1000; i++) pub.publish("burst/one", String(i), { qos: 0 });
  const final = await until(() => updates.find((x) => x.u.topics.some((t) => t.topic === "burst/one" && t.value === "1000")));
  const seconds = (final.at - start) / 1000;
  const burstUpdates = updates.filter((x) => x.u.topics.some((t) => t.topic === "burst/one"));
  expect(burstUpdates.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
  expect(burstUpdates.every((x) => x.u.topics.filter((t) => t.topic === "burst/one").length === 1)).toBe(true);
  const row = final.u.topics.find((t) => t.topic === "burst/one")!;
  expect(row).toMatchObject({ value: "1000", messages: 1000, numeric: true });
  // Nothing outside the subscribed subtree.
  expect(updates.every((x) => x.u.topics.every((t) => t.topic.startsWith("burst")))).toBe(true);
});

it("streams the selected topic's messages after a snapshot of its history", async () => {
  const socket = connect();
  const snaps: TopicDetail[] = [];
  const batches: TopicMessages[] = [];
  socket.on("topic:snapshot", (d) => snaps.push(d));
  socket.on("topic:messages", (b) => batches.push(b));
  await connected(socket);
  await pub.publishAsync("sel/topic", "first", { qos: 1 });
  await seen("sel/topic");
  expect(await request(socket, "topic:select", { broker: "", topic: "sel/topic" })).toEqual({ ok: true });
  await until(() => (snaps.length > 0 ? true : undefined));
  expect(snaps[0].history.map((m) => m.payload)).toEqual(["first"]);
  for (let i = 0; i < 20; i++) await pub.publishAsync("sel/topic", JSON.stringify({ n: i }), { qos: 1 });
  await until(() => (batches.flatMap((b) => b.messages).length >= 20 ? true : undefined));
  expect(batches.flatMap((b) => b.messages.map((m) => JSON.parse(m.payload).n))).toEqual(Array.from({ length: 20 }, (_, i) => i));
});

it("sends dashboard values for subscribed topics and JSON paths", async () => {
  const socket = connect();
  const values: LiveValue[] = [];
  socket.on("values:snapshot", (v) => values.push(...v));
  socket.on("values:updates", (v) => values.push(...v));
  await connected(socket);
  await request(socket, "values:subscribe", { bindings: [{ topic: "dash/sensor", path: "temperature" }, { topic: "dash/light" }] });
  await pub.publishAsync("dash/sensor", JSON.stringify({ temperature: 21.5 }), { qos: 1 });
  await pub.publishAsync("dash/light", "ON", { qos: 1 });
  await until(() => values.find((v) => v.topic === "dash/sensor" && v.value === 21.5));
  await until(() => values.find((v) => v.topic === "dash/light" && v.value === "ON"));
});

it("refuses an unknown broker in a subscription with a readable error", async () => {
  const socket = connect();
  await connected(socket);
  const reply = await request(socket, "tree:subscribe", { broker: "no-such-broker" });
  expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/no-such-broker.*not configured/) });
});

describe("HTTP", () => {
  it("publishes from the API and rejects wildcard topics and bad payloads with the reason", async () => {
    const bad = await app.api("POST", "/api/monitor/publish", { topic: "house/+/light", payload: "on" });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/wildcards/);
    const badJson = await app.api("POST", "/api/monitor/publish", { topic: "a/b", payload: "{oops", format: "json" });
    expect(badJson.status).toBe(400);
    expect((badJson.json as { error: string }).error).toMatch(/not valid JSON/);

    const probe = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    const got = new Promise<Buffer>((resolve) => probe.on("message", (_t, p) => resolve(p)));
    await probe.subscribeAsync("api/pub", { qos: 1 });
    const ok = await app.api("POST", "/api/monitor/publish", { topic: "api/pub", payload: "01ff", format: "hex", qos: 1 });
    expect(ok.status).toBe(200);
    expect(await got).toEqual(Buffer.from([1, 255]));
    await probe.endAsync();
    const list = await app.api("GET", "/api/monitor/publish");
    expect((list.json as { published: { topic: string }[] }).published[0]).toMatchObject({ topic: "api/pub", format: "hex", size: 2 });
  });

  it("answers a tree snapshot with per-subtree counts and one topic's details", async () => {
    await pub.publishAsync("tree/a/x", "1", { qos: 1 });
    await pub.publishAsync("tree/a/y", "2", { qos: 1 });
    await pub.publishAsync("tree/b", "3", { qos: 1 });
    let tree: TreeResponse | undefined;
    for (let i = 0; i < 50 && tree?.counts.topics !== 3; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      tree = (await app.api("GET", "/api/monitor/tree?prefix=tree")).json as TreeResponse;
    }
    if (!tree) throw new Error("no tree");
    expect(tree.topics.map((t) => t.topic)).toEqual(["tree/a/x", "tree/a/y", "tree/b"]);
    expect(tree.children).toEqual([
      { path: "tree/a", name: "a", topics: 2, messages: 2, hasValue: false },
      { path: "tree/b", name: "b", topics: 1, messages: 1, hasValue: true },
    ]);
    const detail = await app.api("GET", `/api/monitor/topic?topic=${encodeURIComponent("tree/b")}`);
    expect(detail.json as TopicDetail).toMatchObject({ topic: "tree/b", row: { value: "3" }, history: [{ payload: "3" }] });
    expect((await app.api("GET", "/api/monitor/topic?topic=never/seen")).status).toBe(404);
  });

  it("keeps every seen topic in the catalogue with description and unit", async () => {
    const list = await app.api("GET", "/api/topics?q=burst");
    const topics = (list.json as TopicListResponse).topics;
    expect(topics.find((t) => t.topic === "burst/one")).toMatchObject({ messages: 1000 });
    const patched = await app.api("PATCH", "/api/topics", { topic: "burst/one", description: "a test burst", unit: "n" });
    expect(patched.status).toBe(200);
    const again = await app.api("GET", "/api/topics?q=burst/one");
    expect((again.json as TopicListResponse).topics[0]).toMatchObject({ description: "a test burst", unit: "n" });
  });
});
