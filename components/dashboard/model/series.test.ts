import { describe, expect, it } from "vitest";
import { appendPoint, mergeHistory, toUplotData, type Point } from "./series";

const limits = { windowMs: 60_000, maxPoints: 5 };

describe("chart series", () => {
  it("appends live points in time order", () => {
    let s: Point[] = [];
    s = appendPoint(s, { t: 1000, v: 1 }, 1000, limits);
    s = appendPoint(s, { t: 2000, v: 2 }, 2000, limits);
    s = appendPoint(s, { t: 1500, v: 1.5 }, 2000, limits);
    expect(s.map((p) => p.t)).toEqual([1000, 1500, 2000]);
  });

  it("keeps at most maxPoints (the newest) and drops points older than the window", () => {
    let s: Point[] = [];
    for (let i = 0; i < 10; i++) s = appendPoint(s, { t: i * 1000, v: i }, i * 1000, limits);
    expect(s.map((p) => p.v)).toEqual([5, 6, 7, 8, 9]);
    s = appendPoint(s, { t: 100_000, v: 99 }, 100_000, limits);
    expect(s).toEqual([{ t: 100_000, v: 99 }]);
  });

  it("replaces a point with the same time and ignores non-numbers", () => {
    let s: Point[] = [{ t: 1000, v: 1 }];
    s = appendPoint(s, { t: 1000, v: 2 }, 1000, limits);
    expect(s).toEqual([{ t: 1000, v: 2 }]);
    expect(appendPoint(s, { t: 2000, v: Number.NaN }, 2000, limits)).toBe(s);
  });

  it("puts stored history first and only live points newer than it after", () => {
    const history = [
      { t: 3000, v: 3 },
      { t: 1000, v: 1 },
    ];
    const live = [
      { t: 2000, v: 99 },
      { t: 4000, v: 4 },
    ];
    expect(mergeHistory(history, live, 5000, { windowMs: 60_000, maxPoints: 100 })).toEqual([
      { t: 1000, v: 1 },
      { t: 3000, v: 3 },
      { t: 4000, v: 4 },
    ]);
  });

  it("gives uPlot seconds on the x axis", () => {
    expect(toUplotData([{ t: 2000, v: 5 }])).toEqual([[2], [5]]);
  });
});
