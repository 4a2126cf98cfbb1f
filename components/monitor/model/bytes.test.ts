import { describe, expect, it } from "vitest";
import { hexDump, isProbablyBinary, payloadBytes } from "./bytes";

describe("hex viewer", () => {
  it("decodes text as UTF-8 and binary from base64", () => {
    expect([...payloadBytes("é", "utf8")]).toEqual([0xc3, 0xa9]);
    expect([...payloadBytes("AAH/", "base64")]).toEqual([0, 1, 255]);
    expect(payloadBytes("***", "base64").length).toBe(0);
  });

  it("dumps 16 bytes a line with offsets and printable characters", () => {
    const { lines, cut } = hexDump(new TextEncoder().encode("Hello world, MQTT!\n"));
    expect(cut).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[0].offset).toBe("00000000");
    expect(lines[0].hex.startsWith("48 65 6c 6c 6f 20 77 6f  72")).toBe(true);
    expect(lines[0].ascii).toBe("Hello world, MQT");
    expect(lines[1]).toMatchObject({ offset: "00000010", ascii: "T!." });
  });

  it("stops at the byte limit", () => {
    const { lines, cut } = hexDump(new Uint8Array(100), 32);
    expect(lines).toHaveLength(2);
    expect(cut).toBe(true);
  });

  it("tells binary from text", () => {
    expect(isProbablyBinary(new Uint8Array([1, 2, 0, 4]))).toBe(true);
    expect(isProbablyBinary(new TextEncoder().encode("plain text\n"))).toBe(false);
  });
});
