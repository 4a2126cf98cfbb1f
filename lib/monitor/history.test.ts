/** Numeric history: bucketed aggregation, what gets recorded, and downsampling for charts. */
import { describe, expect, it } from "vitest";
import { HistoryRecorder, downsample, stepFor, type Bucket } from "./history";
import { TopicStore } from "./topic-store";
import type { HistorySettings } from "./events";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const settings = (s: Partial<HistorySettings> = {}): HistorySettings => ({ mode: "all-numeric", topics: [], retentionDays: 7, bucketSeconds: 60, ...s });

function setup(s: Partial<HistorySettings> = {}) {
  const written: Bucket[] = [];
  const rec = new HistoryRecorder(settings(s), { write: (b) => written.push(...b) });
  const store = new TopicStore(undefined, { onMessage: (st, now) => rec.onMessage("", st, now) });
  const pub = (topic: string, v: string, at: number) => store.ingest(topic, Buffer.from(v), 0, false, at);
  return { rec, store, written, pub };
}

describe("HistoryRecorder", () => {
  it("aggregates a numeric topic per minute and writes the bucket when the next one starts", () => {
    const { rec, written, pub } = setup();
    pub("t", "20", T0 + 1000);
    pub("t", "22", T0 + 2000);
    pub("t", "21", T0 + 59_000);
    expect(written).toHaveLength(0);
    expect(rec.openBucket("", "t", "")).toMatchObject({ count: 3, min: 20, max: 22, sum: 63, last: 21, start: T0 });
    pub("t", "30", T0 + 61_000);
    expect(written).toEqual([{ brokerId: "", topic: "t", path: "", start: T0, count: 3, min: 20, max: 22, sum: 63, last: 21 }]);
  });

  it("writes ended buckets of quiet topics on the periodic close", () => {
    const { rec, written, pub } = setup();
    pub("t", "1", T0);
    rec.closeAll(T0 + 30_000);
    expect(written).toHaveLength(0);
    rec.closeAll(T0 + 60_000);
    expect(written).toHaveLength(1);
  });

  it("ignores text, JSON and $SYS topics in all-numeric mode", () => {
    const { written, rec, pub } = setup();
    pub("text", "on", T0);
    pub("json", '{"a":1}', T0);
    pub("$SYS/broker/uptime", "12", T0);
    rec.closeAll(T0, true);
    expect(written).toEqual([]);
  });

  it("records only the selected topics (and filters) in selected mode", () => {
    const { written, rec, pub } = setup({ mode: "selected", topics: ["house/+/temp"] });
    pub("house/kitchen/temp", "21", T0);
    pub("garden/temp", "15", T0);
    rec.closeAll(T0, true);
    expect(written.map((b) => b.topic)).toEqual(["house/kitchen/temp"]);
  });

  it("records a chart widget's JSON path, including after settings change", () => {
    const { written, rec, pub } = setup({ mode: "selected" });
    pub("zigbee/plug", JSON.stringify({ power: 5 }), T0);
    rec.setPairs([{ broker: "", topic: "zigbee/plug", path: "power" }]);
    pub("zigbee/plug", JSON.stringify({ power: 12.5 }), T0 + 1);
    pub("zigbee/plug", JSON.stringify({ power: "13.5" }), T0 + 2);
    pub("zigbee/plug", "not json", T0 + 3);
    rec.closeAll(T0, true);
    expect(written).toEqual([{ brokerId: "", topic: "zigbee/plug", path: "power", start: T0, count: 2, min: 12.5, max: 13.5, sum: 26, last: 13.5 }]);
  });
});

describe("downsampling", () => {
  const b = (minute: number, v: number): Bucket => ({ brokerId: "", topic: "t", path: "", start: T0 + minute * 60_000, count: 1, min: v, max: v, sum: v, last: v });

  it("merges minute buckets into wider points with min, max, average and last", () => {
    const points = downsample([b(0, 1), b(1, 5), b(2, 3), b(5, 10)], 5 * 60_000);
    expect(points).toEqual([
      { t: T0, avg: 3, min: 1, max: 5, last: 3, count: 3 },
      { t: T0 + 5 * 60_000, avg: 10, min: 10, max: 10, last: 10, count: 1 },
    ]);
  });

  it("chooses a point width that keeps a week under the requested number of points", () => {
    const week = 7 * 86_400_000;
    const step = stepFor(T0 - week, T0, 60, 500);
    expect(step % 60_000).toBe(0);
    expect(week / step).toBeLessThanOrEqual(500);
    expect(stepFor(T0 - 3600_000, T0, 60, 500)).toBe(60_000);
  });
});
