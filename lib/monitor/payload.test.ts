import { describe, expect, it } from "vitest";
import { decodePayload, keepPayload, numericValue, parseNumeric, valueAtPath } from "./payload";
import { encodePayload } from "./service";

describe("payload helpers", () => {
  it("recognises numbers the way a chart should", () => {
    expect(["21.5", " -3 ", "1e3", "+4", ".5"].map(parseNumeric)).toEqual([21.5, -3, 1000, 4, 0.5]);
    expect(["", "on", "0x10", "1,5", "Infinity", "12abc", "NaN"].map(parseNumeric)).toEqual(Array(7).fill(undefined));
    expect(numericValue(true)).toBe(1);
    expect(numericValue("7")).toBe(7);
  });

  it("reads values at JSON paths", () => {
    const v = { a: { b: [{ c: 3 }] }, "x y": 1 };
    expect(valueAtPath(v, "a.b[0].c")).toBe(3);
    expect(valueAtPath(v, "['x y']")).toBe(1);
    expect(valueAtPath(v, "a.missing.c")).toBeUndefined();
    expect(valueAtPath(v, "")).toBe(v);
  });

  it("keeps a UTF-8 character cut at the 64 KB cap readable", () => {
    const text = "a".repeat(64 * 1024 - 1) + "é";
    const data = keepPayload(Buffer.from(text));
    const d = decodePayload(data, Buffer.byteLength(text));
    expect(d).toMatchObject({ encoding: "utf8", truncated: true });
    expect(d.text.length).toBe(64 * 1024 - 1);
  });

  it("encodes publish payloads and explains bad ones", () => {
    expect(encodePayload("01 ff", "hex")).toEqual(Buffer.from([1, 255]));
    expect(encodePayload("AQI=", "base64")).toEqual(Buffer.from([1, 2]));
    expect(encodePayload('{"a":1}', "json").toString()).toBe('{"a":1}');
    expect(() => encodePayload("{a:1}", "json")).toThrow(/not valid JSON/);
    expect(() => encodePayload("abc", "hex")).toThrow(/odd number/);
    expect(() => encodePayload("zz", "hex")).toThrow(/not hex/);
    expect(() => encodePayload("a!b", "base64")).toThrow(/not base64/);
  });
});
