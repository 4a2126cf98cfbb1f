import { describe, expect, it } from "vitest";
import { ageRefreshMs, formatAge, formatValue, toNumber } from "./format";

describe("value formatting", () => {
  it("rounds numbers to the chosen decimals, also numeric text payloads", () => {
    expect(formatValue(21.456, 1)).toBe("21.5");
    expect(formatValue("21.456", 2)).toBe("21.46");
    expect(formatValue(3, 2)).toBe("3.00");
  });

  it("shows numbers as received when no decimals are set, without float noise", () => {
    expect(formatValue(0.1 + 0.2)).toBe("0.3");
    expect(formatValue(42)).toBe("42");
  });

  it("shows a dash before any value arrived, text as text and objects as JSON", () => {
    expect(formatValue(undefined)).toBe("–");
    expect(formatValue("ON", 1)).toBe("ON");
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(null)).toBe("null");
    expect(formatValue(false)).toBe("false");
  });

  it("reads numbers from numbers, numeric strings and booleans only", () => {
    expect(toNumber(" 7.5 ")).toBe(7.5);
    expect(toNumber("abc")).toBeNull();
    expect(toNumber("")).toBeNull();
    expect(toNumber(true)).toBe(1);
    expect(toNumber(Number.NaN)).toBeNull();
  });
});

describe("age label", () => {
  it("says how long ago a value arrived", () => {
    expect(formatAge(1200)).toBe("just now");
    expect(formatAge(12_000)).toBe("12 s ago");
    expect(formatAge(2 * 60_000 + 5000)).toBe("2 min ago");
    expect(formatAge(3 * 3_600_000)).toBe("3 h ago");
    expect(formatAge(3 * 86_400_000)).toBe("3 d ago");
    expect(formatAge(-5000)).toBe("just now");
  });

  it("refreshes every second while young, less often later", () => {
    expect(ageRefreshMs(10_000)).toBe(1000);
    expect(ageRefreshMs(10 * 60_000)).toBe(15_000);
    expect(ageRefreshMs(5 * 3_600_000)).toBe(60_000);
  });
});
