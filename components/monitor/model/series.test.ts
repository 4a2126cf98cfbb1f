import { describe, expect, it } from "vitest";
import type { HistoryResponse, MonitorMessage } from "../../../lib/monitor/events";
import { combineSeries, defaultChartPath, livePoints, numberFromPayload, numericPaths, parsePath, toUplot, valueAt } from "./series";

const msg = (seq: number, time: number, payload: string): MonitorMessage => ({ seq, time, payload, encoding: "utf8", truncated: false, size: payload.length, qos: 0, retain: false });

describe("chart values", () => {
  it("reads numbers from plain and JSON payloads, at a path", () => {
    expect(numberFromPayload("21.5", "")).toBe(21.5);
    expect(numberFromPayload(" 7 ", "")).toBe(7);
    expect(numberFromPayload("ON", "")).toBe(1);
    expect(numberFromPayload('{"t":{"c":19.5}}', "t.c")).toBe(19.5);
    expect(numberFromPayload('{"list":[{"v":3}]}', "list[0].v")).toBe(3);
    expect(numberFromPayload('{"t":"x"}', "t")).toBeNull();
    expect(numberFromPayload("hello", "")).toBeNull();
    expect(numberFromPayload('{"a":1}', "")).toBeNull();
  });

  it("parses paths with indexes and quoted keys", () => {
    expect(parsePath('a.b[2]["x y"]')).toEqual(["a", "b", 2, "x y"]);
    expect(parsePath("a..b")).toBeNull();
    expect(valueAt({ "x y": [0, 5] }, '["x y"][1]')).toBe(5);
  });

  it("offers the numeric leaves of a JSON payload as chart paths", () => {
    expect(numericPaths({ temperature: 21, humidity: 40, name: "x", state: { on: true }, l: [1] })).toEqual(["temperature", "humidity", "state.on", "l[0]"]);
    expect(defaultChartPath("21.5")).toBe("");
    expect(defaultChartPath('{"name":"x","battery":90}')).toBe("battery");
    expect(defaultChartPath("hello")).toBeNull();
  });

  it("joins stored history with live values without counting the shared bucket twice", () => {
    const history: HistoryResponse = {
      broker: "",
      topic: "t",
      path: "",
      from: 0,
      to: 0,
      bucketSeconds: 60,
      points: [
        { t: 0, avg: 1, min: 1, max: 1, last: 1, count: 1 },
        { t: 60_000, avg: 2, min: 2, max: 2, last: 2, count: 1 },
        { t: 120_000, avg: 3, min: 3, max: 3, last: 3, count: 5 },
      ],
    };
    const live = livePoints([msg(1, 150_000, "10"), msg(2, 130_000, "9"), msg(3, 160_000, "nope")], "");
    expect(live).toEqual([
      { t: 130_000, v: 9 },
      { t: 150_000, v: 10 },
    ]);
    expect(combineSeries(history, live, 0)).toEqual([
      { t: 0, v: 1 },
      { t: 60_000, v: 2 },
      { t: 130_000, v: 9 },
      { t: 150_000, v: 10 },
    ]);
    expect(combineSeries(history, [], 30_000).map((p) => p.v)).toEqual([2, 3]);
    expect(combineSeries(null, live, 0, 1)).toEqual([{ t: 150_000, v: 10 }]);
    expect(toUplot([{ t: 2000, v: 5 }])).toEqual([[2], [5]]);
  });
});
