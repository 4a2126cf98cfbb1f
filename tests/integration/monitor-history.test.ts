/**
 * Numeric history end to end: samples of a numeric topic are aggregated, written and read
 * back through /api/history (also after a restart); chart widgets' JSON paths are recorded;
 * samples older than the retention are purged when it shrinks and on start.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import mqtt, { type MqttClient } from "mqtt";
import { startApp, type AppHandle } from "../helpers/app";
import type { HistoryResponse, HistorySettings } from "../../lib/monitor/events";

let app: AppHandle;
let pub: MqttClient;
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startApp();
  pub = await mqtt.connectAsync(app.mqttUrl, { clean: true, reconnectPeriod: 0 });
});

afterAll(async () => {
  await pub?.endAsync();
  await app?.dispose();
});

async function history(topic: string, opts: { path?: string; from?: number } = {}): Promise<HistoryResponse> {
  const from = opts.from ?? Date.now() - 3600_000;
  const res = await app.api("GET", `/api/history?topic=${encodeURIComponent(topic)}&path=${encodeURIComponent(opts.path ?? "")}&from=${from}&to=${Date.now() + 60_000}&points=5000`);
  expect(res.status, res.text).toBe(200);
  return res.json as HistoryResponse;
}

const total = (h: HistoryResponse) => h.points.reduce((n, p) => n + p.count, 0);

function insertOldSample(topic: string, ageMs: number): void {
  const db = new Database(path.join(app.dataDir, "flowhouse.db"));
  try {
    db.prepare(`INSERT INTO "MetricSample" ("brokerId","topic","path","bucket","count","min","max","sum","last") VALUES ('',?,'',?,1,5,5,5,5)`).run(
      topic,
      new Date(Date.now() - ageMs).toISOString(),
    );
  } finally {
    db.close();
  }
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("validates and stores the history settings (default: all numeric topics, 7 days, 60 s buckets)", async () => {
  const initial = (await app.api("GET", "/api/monitor/history-settings")).json as HistorySettings;
  expect(initial).toEqual({ mode: "all-numeric", topics: [], retentionDays: 7, bucketSeconds: 60 });
  const bad = await app.api("PUT", "/api/monitor/history-settings", { bucketSeconds: 0 });
  expect(bad.status).toBe(400);
  const res = await app.api("PUT", "/api/monitor/history-settings", { bucketSeconds: 1 });
  expect(res.json).toEqual({ mode: "all-numeric", topics: [], retentionDays: 7, bucketSeconds: 1 });
});

it("records a numeric topic's values and reads them back, before and after a restart", async () => {
  for (const v of ["10", "20", "30"]) await pub.publishAsync("hist/temp", v, { qos: 1 });
  await pub.publishAsync("hist/text", "on", { qos: 1 });
  const live = await eventually(() => history("hist/temp"), (h) => total(h) === 3);
  expect(total(live)).toBe(3);
  expect(Math.min(...live.points.map((p) => p.min))).toBe(10);
  expect(Math.max(...live.points.map((p) => p.max))).toBe(30);
  await new Promise((r) => setTimeout(r, 1200));
  await pub.publishAsync("hist/temp", "40", { qos: 1 });
  const after = await eventually(() => history("hist/temp"), (h) => total(h) === 4);
  expect(after.points.at(-1)!.last).toBe(40);
  expect(total(await history("hist/text"))).toBe(0);

  await pub.endAsync();
  await app.restart();
  pub = await mqtt.connectAsync(app.mqttUrl, { clean: true, reconnectPeriod: 0 });
  const stored = await history("hist/temp");
  expect(total(stored)).toBe(4);
  expect(stored.points.at(-1)!.last).toBe(40);
});

it("records the JSON path a chart widget shows", async () => {
  const put = await app.api("PUT", "/api/dashboards/power", {
    id: "power",
    name: "Power",
    widgets: [{ id: "c1", type: "chart", topic: "hist/plug", path: "power", grid: { x: 0, y: 0, w: 6, h: 4 } }],
  });
  expect(put.status, put.text).toBe(200);
  await pub.publishAsync("hist/plug", JSON.stringify({ power: 12.5, state: "ON" }), { qos: 1 });
  const h = await eventually(() => history("hist/plug", { path: "power" }), (x) => total(x) === 1);
  expect(h.points).toMatchObject([{ last: 12.5, count: 1 }]);
});

it("purges samples older than the retention when it shrinks and when the server starts", async () => {
  insertOldSample("hist/old", 30 * DAY);
  expect(total(await history("hist/old", { from: Date.now() - 40 * DAY }))).toBe(1);
  const res = await app.api("PUT", "/api/monitor/history-settings", { retentionDays: 5 });
  expect(res.status).toBe(200);
  expect(total(await history("hist/old", { from: Date.now() - 40 * DAY }))).toBe(0);

  insertOldSample("hist/old", 6 * DAY);
  insertOldSample("hist/recent", 1 * DAY);
  await app.restart();
  expect(total(await history("hist/old", { from: Date.now() - 40 * DAY }))).toBe(0);
  expect(total(await history("hist/recent", { from: Date.now() - 40 * DAY }))).toBe(1);
  expect(total(await history("hist/temp"))).toBe(4);
});

it("rejects a history request without a topic or with a bad time", async () => {
  expect((await app.api("GET", "/api/history")).status).toBe(400);
  const bad = await app.api("GET", "/api/history?topic=a&from=yesterday");
  expect(bad.status).toBe(400);
  expect((bad.json as { error: string }).error).toMatch(/not a time/);
});
