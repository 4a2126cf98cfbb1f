/**
 * The monitor's tree and clear-retained against the embedded broker and a real mosquitto:
 * clearing a subtree removes exactly its retained topics — not a retained topic outside it,
 * not a sibling whose name merely starts the same, not a non-retained topic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { startApp, type AppHandle } from "../helpers/app";
import { startMosquitto, type Mosquitto } from "../helpers/mosquitto";
import type { ClearRetainedResponse, TreeResponse } from "../../lib/monitor/events";

/** Retained topics a fresh subscriber to '#' receives (waits until they stop coming). */
async function retainedTopics(url: string): Promise<Map<string, string>> {
  const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 0 });
  const found = new Map<string, string>();
  let last = Date.now();
  client.on("message", (topic, payload, packet) => {
    // flowhouse/<instance>/status is Flowhouse's own retained online/offline (birth/last will), not a fixture.
    if (packet.retain && !/^flowhouse\/[^/]+\/status$/.test(topic)) found.set(topic, payload.toString());
    last = Date.now();
  });
  await client.subscribeAsync("#", { qos: 1 });
  last = Date.now();
  while (Date.now() - last < 400) await new Promise((r) => setTimeout(r, 50));
  await client.endAsync();
  return found;
}

describe.each(["embedded", "mosquitto"] as const)("clear retained on the %s broker", (kind) => {
  let app: AppHandle;
  let mosquitto: Mosquitto | undefined;

  beforeAll(async () => {
    if (kind === "mosquitto") {
      mosquitto = await startMosquitto();
      app = await startApp({ env: { MQTT_URL: mosquitto.url } });
    } else {
      app = await startApp();
    }
    const c = await mqtt.connectAsync(app.mqttUrl, { clean: true, reconnectPeriod: 0 });
    // Wait until the monitor's own subscription is live: a retained message published while
    // a subscription is being set up can be missed by aedes (it stores retained messages
    // after acknowledging them), and this test is about the tree, not that startup race.
    for (let i = 0; i < 100; i++) {
      await c.publishAsync("monitor-ready", String(i), { qos: 1 });
      const ready = (await app.api("GET", "/api/monitor/tree?prefix=monitor-ready")).json as TreeResponse;
      if (ready.topics.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // One at a time, each seen by the monitor before the next: under load, aedes (embedded,
    // LevelDB persistence) was seen to drop the live copy of one of three back-to-back
    // retained publishes (1 run in 4 with the CPU saturated) — a broker issue noted for
    // follow-up; this test is about the tree's contents and counts.
    for (const t of ["house/a/x", "house/b", "house"]) {
      await c.publishAsync(t, `r:${t}`, { qos: 1, retain: true });
      for (let i = 0; i < 50; i++) {
        const seen = (await app.api("GET", `/api/monitor/topic?topic=${encodeURIComponent(t)}`)).status === 200;
        if (seen) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await c.publishAsync("house/live", "not retained", { qos: 1 });
    await c.publishAsync("household/y", "r:outside-sibling", { qos: 1, retain: true });
    await c.publishAsync("garden/t", "r:outside", { qos: 1, retain: true });
    await c.endAsync();
  });

  afterAll(async () => {
    await app?.dispose();
    await mosquitto?.stop();
  });

  it("shows every topic in the tree with per-subtree counts", async () => {
    let tree: TreeResponse | undefined;
    // Wait until the monitor has all four (its subscription may come after the publishes:
    // the retained ones then arrive on subscribe).
    for (let i = 0; i < 100 && (tree?.topics.length ?? 0) < 4; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      tree = (await app.api("GET", "/api/monitor/tree?prefix=house")).json as TreeResponse;
    }
    expect(tree?.topics.map((t) => t.topic)).toEqual(["house", "house/a/x", "house/b", "house/live"]);
    expect(tree?.children.map((c) => [c.path, c.topics])).toEqual([
      ["house/a", 1],
      ["house/b", 1],
      ["house/live", 1],
    ]);
  });

  it("lists exactly the retained topics of the subtree on a dry run and then clears only those", async () => {
    const dry = await app.api("POST", "/api/monitor/clear-retained", { prefix: "house", dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json as ClearRetainedResponse).toEqual({ topics: ["house", "house/a/x", "house/b"], count: 3, dryRun: true, filter: "house/#" });
    expect([...(await retainedTopics(app.mqttUrl)).keys()].sort()).toEqual(["garden/t", "house", "house/a/x", "house/b", "household/y"]);

    const done = await app.api("POST", "/api/monitor/clear-retained", { prefix: "house/#" });
    expect(done.json as ClearRetainedResponse).toMatchObject({ topics: ["house", "house/a/x", "house/b"], count: 3, dryRun: false });
    const left = await retainedTopics(app.mqttUrl);
    expect([...left.keys()].sort()).toEqual(["garden/t", "household/y"]);
  });

  it("clears one topic and refuses wildcards, $-topics and requests naming both or neither", async () => {
    const one = await app.api("POST", "/api/monitor/clear-retained", { topic: "garden/t" });
    expect(one.json).toMatchObject({ topics: ["garden/t"], count: 1 });
    expect([...(await retainedTopics(app.mqttUrl)).keys()]).toEqual(["household/y"]);
    for (const body of [{ prefix: "house/+" }, { topic: "a/#" }, { prefix: "$SYS" }, {}, { topic: "a", prefix: "b" }]) {
      const res = await app.api("POST", "/api/monitor/clear-retained", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});
