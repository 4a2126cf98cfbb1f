import { describe, expect, it } from "vitest";
import { arcPath, gaugeFraction } from "./gauge";

describe("gauge", () => {
  it("places the value between min and max and clamps outside values", () => {
    expect(gaugeFraction(50, 0, 100)).toBe(0.5);
    expect(gaugeFraction(-10, 0, 100)).toBe(0);
    expect(gaugeFraction(150, 0, 100)).toBe(1);
    expect(gaugeFraction(15, 10, 30)).toBe(0.25);
  });
  it("shows no needle for a non-number and copes with min = max or min > max", () => {
    expect(gaugeFraction(null, 0, 100)).toBeNull();
    expect(gaugeFraction(5, 5, 5)).toBe(1);
    expect(gaugeFraction(25, 100, 0)).toBe(0.75);
  });
  it("draws no arc at zero, a small arc for a small value and a large-arc flag past half the sweep", () => {
    expect(arcPath(50, 50, 40, 0)).toBe("");
    expect(arcPath(50, 50, 40, 0.1)).toMatch(/^M [\d.-]+ [\d.-]+ A 40 40 0 0 1 /);
    expect(arcPath(50, 50, 40, 1)).toMatch(/ A 40 40 0 1 1 /);
  });
});
