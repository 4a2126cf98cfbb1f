import { afterEach, describe, expect, it, vi } from "vitest";
import { runNode } from "../test-harness";
import type { Msg } from "../../runtime/message";
import { debugDefinition, type DebugConfig } from "./definition";
import { createDebugNode } from "./runtime";

function cfg(fields: Record<string, unknown> = {}): DebugConfig {
  return debugDefinition.config.parse(fields);
}

function debug(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  return runNode(createDebugNode, cfg(fields), opts);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("debug definition", () => {
  it("fills Node-RED's defaults", () => {
    expect(cfg()).toEqual({
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: "false",
      statusVal: "",
      statusType: "auto",
    });
    expect(cfg({ complete: true, console: "true" })).toMatchObject({ complete: "true", console: true });
  });

  it("labels the node with what it shows", () => {
    expect(debugDefinition.label(cfg())).toBe("msg.payload");
    expect(debugDefinition.label(cfg({ complete: "true", targetType: "full" }))).toBe("msg");
    expect(debugDefinition.label(cfg({ complete: "payload.temp", targetType: "msg" }))).toBe("msg.payload.temp");
    expect(debugDefinition.label(cfg({ console: true }))).toBe("msg.payload ⇲");
  });

  it("has an input and no outputs", () => {
    expect(debugDefinition.inputs).toBe(1);
    expect(debugDefinition.outputs(cfg())).toBe(0);
  });
});

describe("debug: sidebar", () => {
  it("shows msg.payload with its topic", async () => {
    const h = debug();
    await h.input({ payload: { temp: 21.5 }, topic: "house/kitchen/temp" });
    expect(h.debugEvents).toHaveLength(1);
    expect(h.debugEvents[0]).toMatchObject({
      property: "payload",
      value: { temp: 21.5 },
      topic: "house/kitchen/temp",
      level: "debug",
      nodeId: "n1",
      time: h.clock.now(),
    });
  });

  it("shows the whole message when complete is true", async () => {
    const h = debug({ complete: "true", targetType: "full" });
    await h.input({ _msgid: "abc", payload: 1, topic: "t", qos: 1 });
    expect(h.debugEvents[0]).toMatchObject({ property: "msg", value: { _msgid: "abc", payload: 1, topic: "t", qos: 1 } });
  });

  it("shows a named property", async () => {
    const h = debug({ complete: "payload.temp", targetType: "msg" });
    await h.input({ payload: { temp: 19 } });
    expect(h.debugEvents[0]).toMatchObject({ property: "payload.temp", value: 19 });
    await h.input({ payload: "not an object" });
    expect(h.debugEvents[1].value).toBe("[undefined]");
  });

  it("makes the shown value JSON-safe and bounded", async () => {
    const h = debug({ complete: "true" });
    const msg: Msg = { _msgid: "m1", payload: Buffer.alloc(4000, 1) };
    msg.self = msg;
    await h.node.input!(msg);
    const value = h.debugEvents[0].value as Record<string, unknown>;
    expect(value.self).toBe("[Circular]");
    expect(value.payload).toMatchObject({ type: "Buffer", length: 4000 });
    expect((value.payload as { data: number[] }).data).toHaveLength(1000);
    expect(() => JSON.stringify(value)).not.toThrow();
  });

  it("shows nothing when inactive or not sending to the sidebar", async () => {
    const off = debug({ active: false });
    await off.input({ payload: 1 });
    const noSidebar = debug({ tosidebar: false });
    await noSidebar.input({ payload: 1 });
    expect(off.debugEvents).toHaveLength(0);
    expect(noSidebar.debugEvents).toHaveLength(0);
  });

  it("never sends messages on", async () => {
    const h = debug();
    await h.input({ payload: 1 });
    expect(h.sent).toHaveLength(0);
  });
});

describe("debug: console and status", () => {
  it("writes to the server console when asked", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const h = debug({ console: true, tosidebar: false }, { id: "dbg1" });
    await h.input({ payload: "hello" });
    expect(log).toHaveBeenCalledWith("[debug] dbg1: hello");
    expect(h.debugEvents).toHaveLength(0);
  });

  it("shows the value as a badge, cut at 32 characters", async () => {
    const h = debug({ tostatus: true });
    expect(h.statuses.at(-1)).toEqual({ fill: "grey", shape: "ring" });
    await h.input({ payload: 21.5 });
    expect(h.statuses.at(-1)).toEqual({ fill: "grey", shape: "dot", text: "21.5" });
    await h.input({ payload: "x".repeat(40) });
    expect(h.statuses.at(-1)).toEqual({ fill: "grey", shape: "dot", text: `${"x".repeat(32)}...` });
  });

  it("shows another property in the badge when the status type is msg", async () => {
    const h = debug({ tostatus: true, statusType: "msg", statusVal: "topic" });
    await h.input({ payload: 1, topic: "garage" });
    expect(h.statuses.at(-1)).toMatchObject({ text: "garage" });
  });

  it("shows msg.error in red in auto mode", async () => {
    const h = debug({ tostatus: true });
    await h.input({ payload: 1, error: { message: "timeout" } });
    expect(h.statuses.at(-1)).toEqual({ fill: "red", shape: "dot", text: "timeout" });
  });

  it("counts messages, updating the badge at most every 200 ms under load", async () => {
    const h = debug({ tostatus: true, statusType: "counter" });
    expect(h.statuses.at(-1)).toEqual({ fill: "blue", shape: "ring", text: "0" });
    await h.input({ payload: 1 });
    expect(h.statuses.at(-1)).toMatchObject({ text: "1" });
    for (let i = 0; i < 50; i++) {
      h.clock.advance(10);
      await h.input({ payload: i });
    }
    const updatesDuringBurst = h.statuses.length;
    h.clock.advance(200);
    expect(h.statuses.at(-1)).toMatchObject({ text: "51" });
    expect(updatesDuringBurst).toBeLessThan(10);
  });

  it("ignores a status message about its own badge", async () => {
    const h = debug({}, { id: "me" });
    await h.input({ status: { text: "x", source: { id: "me" } } });
    expect(h.debugEvents).toHaveLength(0);
  });

  it("close leaves no timer armed", async () => {
    const h = debug({ tostatus: true, statusType: "counter" });
    await h.input({});
    await h.input({});
    await h.close();
    expect(h.clock.pending).toBe(0);
  });
});
