import { describe, expect, it } from "vitest";
import { describeDetails, humanizePath } from "./issues";

describe("server validation messages", () => {
  it("lists zod issues with their paths", () => {
    expect(describeDetails([{ path: ["widgets", 0, "topic"], message: "Too long" }, { message: "bad" }])).toEqual(["widgets.0.topic: Too long", "bad"]);
  });
  it("reads flattened errors and nested issue lists", () => {
    expect(describeDetails({ fieldErrors: { name: ["a dashboard needs a name"] }, formErrors: [] })).toEqual(["name: a dashboard needs a name"]);
    expect(describeDetails({ issues: [{ path: "id", message: "x" }] })).toEqual(["id: x"]);
  });
  it("caps long lists and ignores what it cannot read", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ message: `m${i}` }));
    expect(describeDetails(many, 3)).toEqual(["m0", "m1", "m2", "… and 9 more"]);
    expect(describeDetails(undefined)).toEqual([]);
    expect(describeDetails(42)).toEqual([]);
  });
  it("names the widget a path points at", () => {
    expect(humanizePath("widgets.1.topic: Too long", ["A", "Garage light"])).toBe("widget 2 (Garage light): topic: Too long");
  });
});
