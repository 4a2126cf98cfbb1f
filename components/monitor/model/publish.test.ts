import { describe, expect, it } from "vitest";
import { addPublished, checkPayload, checkTopic, guessFormat, parsePublished, payloadSize, type PublishedItem } from "./publish";

const item = (over: Partial<PublishedItem> = {}): PublishedItem => ({ topic: "lab/temp", payload: "21.5", format: "text", qos: 0, retain: false, broker: "", time: 1, ...over });

describe("publish form checks", () => {
  it("refuses wildcards and empty topics with a reason", () => {
    expect(checkTopic("house/garage/light")).toEqual({ ok: true });
    expect(checkTopic("")).toMatchObject({ ok: false, error: expect.stringMatching(/enter a topic/i) });
    expect(checkTopic("house/+/light")).toMatchObject({ ok: false, error: expect.stringMatching(/wildcard/) });
    expect(checkTopic("house/#")).toMatchObject({ ok: false });
  });

  it("JSON must parse, and the error says where", () => {
    expect(checkPayload('{"on": true}', "json")).toEqual({ ok: true });
    expect(checkPayload("21.5", "json")).toEqual({ ok: true });
    const bad = checkPayload('{"on": tru}', "json");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/Not valid JSON/);
    expect(checkPayload("", "json")).toMatchObject({ ok: false, error: expect.stringMatching(/empty/) });
  });

  it("hex needs pairs of hex digits; base64 its alphabet", () => {
    expect(checkPayload("de ad be ef", "hex")).toEqual({ ok: true });
    expect(checkPayload("0x0102", "hex")).toEqual({ ok: true });
    expect(checkPayload("abc", "hex")).toMatchObject({ ok: false, error: expect.stringMatching(/two digits/) });
    expect(checkPayload("zz", "hex")).toMatchObject({ ok: false, error: expect.stringMatching(/'z'/) });
    expect(checkPayload("aGVsbG8=", "base64")).toEqual({ ok: true });
    expect(checkPayload("a*b", "base64")).toMatchObject({ ok: false });
    expect(checkPayload("anything at all", "text")).toEqual({ ok: true });
  });

  it("counts the bytes that will be sent", () => {
    expect(payloadSize("dead beef", "hex")).toBe(4);
    expect(payloadSize("aGVsbG8=", "base64")).toBe(5);
    expect(payloadSize("€", "text")).toBe(3);
  });

  it("guesses JSON for objects and arrays only", () => {
    expect(guessFormat('{"a":1}')).toBe("json");
    expect(guessFormat("21.5")).toBe("text");
    expect(guessFormat("{broken")).toBe("text");
  });
});

describe("publish history", () => {
  it("keeps the newest first and moves a repeated message to the top", () => {
    let list = addPublished([], item({ payload: "1", time: 1 }));
    list = addPublished(list, item({ payload: "2", time: 2 }));
    list = addPublished(list, item({ payload: "1", time: 3 }));
    expect(list.map((x) => [x.payload, x.time])).toEqual([
      ["1", 3],
      ["2", 2],
    ]);
  });

  it("is bounded and skips huge payloads", () => {
    let list: PublishedItem[] = [];
    for (let i = 0; i < 50; i++) list = addPublished(list, item({ payload: String(i) }), 30);
    expect(list).toHaveLength(30);
    expect(list[0].payload).toBe("49");
    expect(addPublished(list, item({ payload: "x".repeat(100_000) }))).toHaveLength(30);
  });

  it("reads stored history, ignoring garbage", () => {
    expect(parsePublished(null)).toEqual([]);
    expect(parsePublished("not json")).toEqual([]);
    expect(parsePublished(JSON.stringify([item(), { topic: 5 }, item({ payload: "2" })]))).toHaveLength(2);
  });
});
