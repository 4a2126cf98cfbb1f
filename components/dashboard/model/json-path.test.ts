import { describe, expect, it } from "vitest";
import { parsePath, parsePayload, valueAtPath } from "./json-path";

describe("widget JSON path", () => {
  it("shows the whole payload when no path is set", () => {
    expect(valueAtPath("21.5", "")).toBe("21.5");
    expect(valueAtPath({ a: 1 }, " ")).toEqual({ a: 1 });
  });

  it("reads a Zigbee2MQTT field from a JSON text payload", () => {
    expect(valueAtPath('{"temperature":21.4,"state":"ON"}', "temperature")).toBe(21.4);
    expect(valueAtPath('{"temperature":21.4,"state":"ON"}', "state")).toBe("ON");
  });

  it("follows nested objects and array indexes", () => {
    const p = { sensors: [{ value: 1 }, { value: 2 }], state: { on: true } };
    expect(valueAtPath(p, "sensors[1].value")).toBe(2);
    expect(valueAtPath(p, "state.on")).toBe(true);
    expect(valueAtPath(p, 'state["on"]')).toBe(true);
  });

  it("gives nothing (unknown) for a missing field or a non-JSON payload", () => {
    expect(valueAtPath('{"a":1}', "b")).toBeUndefined();
    expect(valueAtPath("hello", "a")).toBeUndefined();
    expect(valueAtPath({ a: null }, "a.b")).toBeUndefined();
  });

  it("rejects malformed paths instead of guessing", () => {
    expect(parsePath("a[")).toBeNull();
    expect(valueAtPath({ a: 1 }, "a[")).toBeUndefined();
    expect(parsePath("a.b[2]")).toEqual(["a", "b", 2]);
  });

  it("parses JSON-looking payloads and keeps other text", () => {
    expect(parsePayload("42")).toBe(42);
    expect(parsePayload("ON")).toBe("ON");
    expect(parsePayload("{broken")).toBe("{broken");
    expect(parsePayload("true")).toBe(true);
  });
});
