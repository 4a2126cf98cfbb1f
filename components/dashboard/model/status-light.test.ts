import { describe, expect, it } from "vitest";
import { statusLight } from "./status-light";

describe("status light", () => {
  it("is green when the value equals the OK value (case and spaces ignored)", () => {
    expect(statusLight("online", "online")).toBe("green");
    expect(statusLight(" Online ", "online")).toBe("green");
    expect(statusLight(1, "1")).toBe("green");
    expect(statusLight(true, "true")).toBe("green");
  });
  it("is red for any other value", () => {
    expect(statusLight("offline", "online")).toBe("red");
    expect(statusLight("", "online")).toBe("red");
  });
  it("is grey while nothing is known", () => {
    expect(statusLight(undefined, "online")).toBe("grey");
    expect(statusLight(null, "online")).toBe("grey");
  });
});
