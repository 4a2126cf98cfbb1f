import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCount, formatRate, formatTime, oneLine, plural } from "./format";

describe("labels", () => {
  it("ages", () => {
    expect(formatAge(300)).toBe("now");
    expect(formatAge(5_000)).toBe("5s");
    expect(formatAge(125_000)).toBe("2m");
    expect(formatAge(3 * 3_600_000)).toBe("3h");
    expect(formatAge(3 * 86_400_000)).toBe("3d");
  });
  it("rates disappear when the topic has gone quiet", () => {
    expect(formatRate(2.345, 100)).toBe("2.3/s");
    expect(formatRate(250, 100)).toBe("250/s");
    expect(formatRate(5, 20_000)).toBe("");
    expect(formatRate(0, 0)).toBe("");
  });
  it("sizes and counts", () => {
    expect(formatBytes(12)).toBe("12 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatCount(12_345)).toBe("12.3k");
    expect(plural(1, "topic")).toBe("1 topic");
    expect(plural(12000, "topic")).toBe("12,000 topics");
  });
  it("times and one-line values", () => {
    const t = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatTime(t, t)).toBe("03:04:05.006");
    expect(formatTime(t, t + 2 * 86_400_000)).toBe("2026-01-02 03:04:05.006");
    expect(oneLine('{\n  "a": 1\n}')).toBe('{ "a": 1 }');
    expect(oneLine("x".repeat(10), 5)).toBe("xxxx…");
  });
});
