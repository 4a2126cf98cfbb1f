import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { FakeClock } from "../../runtime/clock";
import { decodeStored, encodeStored } from "../../runtime/json-safe";
import type { StoredNodeTimer } from "../../runtime/durable-timers";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { triggerDefinition, type TriggerConfig } from "./definition";
import { createTriggerNode } from "./runtime";

/** A trigger config as a flows.json import would give it (defaults filled by the schema). */
function cfg(fields: Record<string, unknown> = {}): TriggerConfig {
  return triggerDefinition.config.parse(fields);
}

function trigger(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  return runNode(createTriggerNode, cfg(fields), opts);
}

const payloads = (msgs: { payload?: unknown }[]) => msgs.map((m) => m.payload);

describe("trigger definition", () => {
  it("fills Node-RED's defaults and accepts string numbers from flows.json", () => {
    const c = cfg({ duration: "250", outputs: "2", extend: "true", custom: "kept" });
    expect(c).toMatchObject({
      op1: "1",
      op2: "0",
      op1type: "str",
      op2type: "str",
      duration: 250,
      units: "ms",
      extend: true,
      overrideDelay: false,
      reset: "",
      bytopic: "all",
      topic: "topic",
      outputs: 2,
      custom: "kept",
    });
    expect(cfg({ duration: "" }).duration).toBe(250);
  });

  it("explains a duration that is not a number", () => {
    const r = triggerDefinition.config.safeParse({ duration: "abc" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("duration must be a number, got 'abc'");
  });

  it("labels the node like Node-RED when it has no name", () => {
    expect(triggerDefinition.label(cfg({ duration: 2, units: "min" }))).toBe("trigger 2min");
    expect(triggerDefinition.label(cfg())).toBe("trigger 250ms");
    expect(triggerDefinition.label(cfg({ duration: -5, units: "s" }))).toBe("resend every 5s");
    expect(triggerDefinition.label(cfg({ duration: 0 }))).toBe("trigger & block");
  });

  it("has one output, or two when op2 goes to a second output", () => {
    expect(triggerDefinition.outputs(cfg())).toBe(1);
    expect(triggerDefinition.outputs(cfg({ outputs: 2 }))).toBe(2);
  });
});

describe("trigger: wait then send op2", () => {
  it("sends op1 at once and exactly one op2 after the delay", async () => {
    const h = trigger();
    await h.input({ payload: "motion", topic: "t" });
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]).toMatchObject({ port: 0, msg: { payload: "1", topic: "t" } });
    h.clock.advance(249);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1].msg).toMatchObject({ payload: "0", topic: "t" });
    h.clock.advance(60_000);
    expect(h.sent).toHaveLength(2);
    expect(h.clock.pending).toBe(0);
  });

  it("drops later messages while the delay runs when extend is off", async () => {
    const h = trigger({ duration: 1, units: "s" });
    await h.input({ payload: "a", n: 1 });
    h.clock.advance(400);
    await h.input({ payload: "b", n: 2 });
    h.clock.advance(600);
    expect(payloads(h.port(0))).toEqual(["1", "0"]);
    // op2 is sent on a copy of the first message.
    expect(h.port(0)[1].n).toBe(1);
    expect(h.sent[1].time - h.sent[0].time).toBe(1000);
  });

  it("extend restarts the delay and op2 carries the latest message", async () => {
    const h = trigger({ duration: 1, units: "s", extend: true });
    await h.input({ payload: "a", n: 1 });
    h.clock.advance(600);
    await h.input({ payload: "b", n: 2 });
    h.clock.advance(999);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1].msg).toMatchObject({ payload: "0", n: 2 });
    expect(h.sent[1].time - h.sent[0].time).toBe(1600);
  });

  it("converts units: 2 min is 120000 ms", async () => {
    const h = trigger({ duration: "2", units: "min" });
    await h.input({ payload: 1 });
    h.clock.advance(119_999);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    expect(payloads(h.sent.map((s) => s.msg))).toEqual(["1", "0"]);
  });

  it("converts hours and seconds", async () => {
    const hr = trigger({ duration: 1, units: "hr" });
    await hr.input({});
    hr.clock.advance(3_599_999);
    expect(hr.sent).toHaveLength(1);
    hr.clock.advance(1);
    expect(hr.sent).toHaveLength(2);

    const s = trigger({ duration: 1.5, units: "s" });
    await s.input({});
    s.clock.advance(1499);
    expect(s.sent).toHaveLength(1);
    s.clock.advance(1);
    expect(s.sent).toHaveLength(2);
  });

  it("sends op2 to the second output when outputs is 2", async () => {
    const h = trigger({ outputs: 2 });
    await h.input({ payload: "x" });
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual(["1"]);
    expect(payloads(h.port(1))).toEqual(["0"]);
  });

  it("does not change the message it received", async () => {
    const h = trigger({ extend: true });
    const msg = { _msgid: "m1", payload: { v: 1 }, topic: "t" };
    await h.node.input!(msg);
    h.clock.advance(250);
    expect(msg).toEqual({ _msgid: "m1", payload: { v: 1 }, topic: "t" });
  });
});

describe("trigger: motion → light", () => {
  it("turns the light on at the first motion and off 120 s after the last one", async () => {
    const h = trigger({ op1: "on", op2: "off", duration: 2, units: "min", extend: true });
    await h.input({ topic: "house/garage/motion", payload: "1" });
    h.clock.advance(30_000);
    await h.input({ topic: "house/garage/motion", payload: "1" });
    h.clock.advance(60_000);
    await h.input({ topic: "house/garage/motion", payload: "1" });
    // last motion at 90 s: off is due at 210 s
    h.clock.advance(119_999);
    expect(h.sent.map((s) => [s.msg.payload, s.time - h.sent[0].time])).toEqual([["on", 0]]);
    h.clock.advance(1);
    expect(h.sent.map((s) => [s.msg.payload, s.time - h.sent[0].time])).toEqual([
      ["on", 0],
      ["off", 210_000],
    ]);
    h.clock.advance(600_000);
    expect(h.sent).toHaveLength(2);
  });
});

describe("trigger: streams per topic", () => {
  it("keeps independent timers per room", async () => {
    const h = trigger({ op1: "on", op2: "off", duration: 1, units: "min", extend: true, bytopic: "topic" });
    const t0 = h.clock.now();
    await h.input({ topic: "kitchen" });
    h.clock.advance(30_000);
    await h.input({ topic: "garage" });
    h.clock.advance(20_000);
    await h.input({ topic: "garage" }); // extends only the garage
    h.clock.advance(200_000);
    const timeline = h.sent.map((s) => [s.msg.topic, s.msg.payload, s.time - t0]);
    expect(timeline).toEqual([
      ["kitchen", "on", 0],
      ["garage", "on", 30_000],
      ["kitchen", "off", 60_000],
      ["garage", "off", 110_000],
    ]);
  });

  it("uses the configured property to separate streams", async () => {
    const h = trigger({ bytopic: "topic", topic: "payload.room" });
    await h.input({ payload: { room: "a" } });
    await h.input({ payload: { room: "b" } });
    await h.input({ payload: { room: "a" } }); // dropped: stream a is running
    expect(h.sent).toHaveLength(2);
    h.clock.advance(250);
    expect(h.sent).toHaveLength(4);
  });

  it("shares one stream for all topics when handling all messages", async () => {
    const h = trigger({ bytopic: "all" });
    await h.input({ topic: "a" });
    await h.input({ topic: "b" });
    expect(h.sent).toHaveLength(1);
  });

  it("shows a blue dot for one active stream, a count for several, and clears when idle", async () => {
    const h = trigger({ bytopic: "topic", duration: 100 });
    await h.input({ topic: "a" });
    expect(h.statuses.at(-1)).toEqual({ fill: "blue", shape: "dot" });
    await h.input({ topic: "b" });
    expect(h.statuses.at(-1)).toEqual({ fill: "blue", shape: "dot", text: "2" });
    h.clock.advance(100);
    expect(h.statuses.at(-1)).toEqual({});
  });
});

describe("trigger: reset", () => {
  it("msg.reset stops the timer and sends nothing", async () => {
    const h = trigger({ duration: 1, units: "s" });
    await h.input({ payload: "x" });
    h.clock.advance(500);
    await h.input({ reset: true });
    h.clock.advance(10_000);
    expect(payloads(h.port(0))).toEqual(["1"]);
    expect(h.statuses.at(-1)).toEqual({});
    // the next message starts a new cycle
    await h.input({ payload: "y" });
    h.clock.advance(1000);
    expect(payloads(h.port(0))).toEqual(["1", "1", "0"]);
  });

  it("a payload equal to the reset value stops the timer, any type compared as text", async () => {
    const h = trigger({ reset: "0", duration: 1, units: "s" });
    await h.input({ payload: 1 });
    await h.input({ payload: 0 });
    h.clock.advance(5000);
    expect(payloads(h.sent.map((s) => s.msg))).toEqual(["1"]);
  });

  it("resets only the stream of the message's topic", async () => {
    const h = trigger({ bytopic: "topic", duration: 1, units: "s", reset: "off" });
    await h.input({ topic: "a", payload: "x" });
    await h.input({ topic: "b", payload: "x" });
    await h.input({ topic: "a", payload: "off" });
    h.clock.advance(1000);
    expect(h.sent.map((s) => [s.msg.topic, s.msg.payload])).toEqual([
      ["a", "1"],
      ["b", "1"],
      ["b", "0"],
    ]);
  });
});

describe("trigger: block and repeat modes", () => {
  it("duration 0 sends op1 once and then blocks until reset", async () => {
    const h = trigger({ duration: 0 });
    await h.input({ payload: "a" });
    await h.input({ payload: "b" });
    h.clock.advance(3_600_000);
    expect(payloads(h.port(0))).toEqual(["1"]);
    expect(h.statuses.at(-1)).toEqual({ fill: "blue", shape: "dot" });
    await h.input({ reset: 1 });
    await h.input({ payload: "c" });
    expect(payloads(h.port(0))).toEqual(["1", "1"]);
  });

  it("a negative duration resends op1 every |duration| until reset", async () => {
    const h = trigger({ op1: "ping", duration: -1, units: "s", extend: true });
    await h.input({ payload: "go", topic: "t" });
    h.clock.advance(3500);
    expect(h.sent.map((s) => s.time - h.sent[0].time)).toEqual([0, 1000, 2000, 3000]);
    expect(h.sent.every((s) => s.msg.payload === "ping" && s.msg.topic === "t")).toBe(true);
    await h.input({ reset: true });
    h.clock.advance(10_000);
    expect(h.sent).toHaveLength(4);
    expect(h.clock.pending).toBe(0);
  });

  it("in repeat mode a new message sends op1 at once and restarts the interval", async () => {
    const h = trigger({ op1type: "pay", duration: -1, units: "s" });
    await h.input({ payload: "a" });
    h.clock.advance(1500);
    await h.input({ payload: "b" });
    h.clock.advance(1000);
    expect(h.sent.map((s) => [s.msg.payload, s.time - h.sent[0].time])).toEqual([
      ["a", 0],
      ["a", 1000],
      ["b", 1500],
      ["b", 2500],
    ]);
  });
});

describe("trigger: override delay", () => {
  it("a numeric msg.delay in milliseconds replaces the configured duration", async () => {
    const h = trigger({ duration: 5, units: "s", overrideDelay: true });
    await h.input({ payload: "x", delay: 500 });
    h.clock.advance(500);
    expect(payloads(h.port(0))).toEqual(["1", "0"]);
    await h.input({ payload: "y", delay: "200" });
    h.clock.advance(200);
    expect(h.sent).toHaveLength(4);
  });

  it("msg.delay is ignored when override is off", async () => {
    const h = trigger({ duration: 5, units: "s" });
    await h.input({ delay: 10 });
    h.clock.advance(4999);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(2);
  });

  it("msg.delay 0 blocks until reset", async () => {
    const h = trigger({ overrideDelay: true });
    await h.input({ delay: 0 });
    h.clock.advance(100_000);
    expect(h.sent).toHaveLength(1);
  });

  it("warns about a msg.delay that is not a usable number and keeps the configured duration", async () => {
    const h = trigger({ overrideDelay: true });
    await h.input({ delay: "soon" });
    h.clock.advance(250);
    expect(h.sent).toHaveLength(2);
    expect(h.warnings[0]).toMatch(/msg\.delay must be a number of milliseconds/);
  });
});

describe("trigger: value types", () => {
  it("op2 'payl' sends the latest message received, even one dropped while waiting", async () => {
    const h = trigger({ op2type: "payl" });
    await h.input({ payload: "first", n: 1 });
    await h.input({ payload: "second", n: 2 });
    h.clock.advance(250);
    expect(h.sent[1].msg).toMatchObject({ payload: "second", n: 2 });
  });

  it("op2 'pay' sends the first message's original payload; op1 'pay' passes the message through", async () => {
    const h = trigger({ op1type: "pay", op2type: "pay", extend: true });
    await h.input({ payload: "first", n: 1 });
    await h.input({ payload: "second", n: 2 });
    h.clock.advance(250);
    expect(h.sent.map((s) => [s.msg.payload, s.msg.n])).toEqual([
      ["first", 1],
      ["first", 2],
    ]);
  });

  it("renders mustache templates in op1 and op2 against the message", async () => {
    const h = trigger({ op1: "{{payload}} in {{topic}}", op2: "quiet in {{topic}}" });
    await h.input({ payload: "motion", topic: "garage" });
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual(["motion in garage", "quiet in garage"]);
  });

  it("converts num, bool, json and bin values", async () => {
    const h = trigger({ op1: "42", op1type: "num", op2: '{"on":false}', op2type: "json" });
    await h.input({});
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual([42, { on: false }]);

    const b = trigger({ op1: "TRUE", op1type: "bool", op2: "[1,2]", op2type: "bin" });
    await b.input({});
    b.clock.advance(250);
    expect(b.port(0)[0].payload).toBe(true);
    expect(Buffer.isBuffer(b.port(0)[1].payload)).toBe(true);
    expect([...(b.port(0)[1].payload as Buffer)]).toEqual([1, 2]);
  });

  it("a date op2 carries the time it was sent", async () => {
    const h = trigger({ op1type: "date", op2type: "date", duration: 1, units: "s" });
    const t0 = h.clock.now();
    await h.input({});
    h.clock.advance(1000);
    expect(payloads(h.port(0))).toEqual([t0, t0 + 1000]);
  });

  it("reads env values through the node's services", async () => {
    const h = trigger({ op1: "ROOM", op1type: "env" }, { env: { ROOM: "garage" } });
    await h.input({});
    expect(h.port(0)[0].payload).toBe("garage");
  });

  it("op1 'nul' sends nothing at first but op2 still follows; op2 'nul' ends silently", async () => {
    const h = trigger({ op1type: "nul" });
    await h.input({});
    expect(h.sent).toHaveLength(0);
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual(["0"]);

    const n = trigger({ op2type: "nul" });
    await n.input({});
    n.clock.advance(250);
    expect(payloads(n.port(0))).toEqual(["1"]);
    expect(n.statuses.at(-1)).toEqual({});
  });

  it("treats Node-RED's legacy 'val' type as bool or str", async () => {
    const h = trigger({ op1: "true", op1type: "val", op2: "off", op2type: "val" });
    await h.input({});
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual([true, "off"]);
  });

  it("reads flow and global context values when the message arrives", async () => {
    const h = trigger({ op1: "lamp.on", op1type: "flow", op2: "#:(file)::offValue", op2type: "global" });
    h.context.scope("flow", "f1").set("lamp", { on: "ON" });
    h.context.scope("global", "").set("offValue", "OFF");
    await h.input({});
    // op2 was read at arrival: a later change does not alter it
    h.context.scope("global", "").set("offValue", "changed");
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual(["ON", "OFF"]);
  });

  it("reports a bad context key at start and sends nothing in its place", async () => {
    const h = trigger({ op2: "a..b", op2type: "flow" });
    expect(String(h.errors[0].error)).toContain("op2 (then send): flow context key: property path \"a..b\" has an empty part");
    await h.input({});
    h.clock.advance(250);
    expect(payloads(h.port(0))).toEqual(["1"]);
  });

  it("reports a number value that is not a number, naming the node", async () => {
    const h = trigger({ op1: "abc", op1type: "num" }, { id: "garage-timer" });
    expect(String(h.errors[0].error)).toMatch(/Node 'garage-timer' \(trigger\): op1 \(Send\): "abc" is not a number/);
  });
});

describe("trigger: lifecycle", () => {
  it("nothing is sent after close", async () => {
    const h = trigger({ duration: 1, units: "s", bytopic: "topic" });
    await h.input({ topic: "a" });
    await h.input({ topic: "b" });
    await h.close();
    h.clock.advance(60_000);
    expect(h.sent).toHaveLength(2);
    expect(h.clock.pending).toBe(0);
    expect(h.statuses.at(-1)).toEqual({});
  });

  it("an invalid config is reported and the node stays inert", async () => {
    const h = runNode(createTriggerNode, { duration: "soon" } as unknown as TriggerConfig);
    expect(String(h.errors[0].error)).toContain("duration must be a number, got 'soon'");
    await h.input({});
    expect(h.sent).toHaveLength(0);
  });
});

/** The motion→light trigger: on at once, off 2 minutes after the last motion. */
const motionLight = (extra: Record<string, unknown> = {}) =>
  cfg({ op1: "on", op2: "off", duration: 2, units: "min", extend: true, ...extra });

/** Simulates the app dying at once (no close) and starting again at `at` on a new clock, with the stored timers and context read back from JSON. */
function startAgainFromStorage(h: ReturnType<typeof trigger>, config: TriggerConfig, at: number) {
  const storedTimers = new Map<string, StoredNodeTimer>(
    [...h.storedTimers].map(([k, t]) => [k, decodeStored(encodeStored(t)) as StoredNodeTimer]),
  );
  return runNode(createTriggerNode, config, { clock: new FakeClock(at), shared: { context: h.context, storedTimers } });
}

describe("trigger: timers survive a restart", () => {
  it("motion → light: on at 0 s, restart at 60 s, off at exactly 120 s, exactly once", async () => {
    const h = runNode(createTriggerNode, motionLight());
    const t0 = h.clock.now();
    await h.input({ topic: "house/garage/motion", payload: "1" });
    expect(h.storedTimers.size).toBe(1);
    h.clock.advance(60_000);
    const h2 = h.restart();
    h2.clock.advance(59_999);
    expect(h2.sent).toHaveLength(0);
    h2.clock.advance(1);
    expect(h2.sent.map((s) => [s.msg.payload, s.msg.topic, s.time - t0])).toEqual([["off", "house/garage/motion", 120_000]]);
    h2.clock.advance(3_600_000);
    expect(h2.sent).toHaveLength(1);
    // the old instance never sends after the restart
    expect(h.sent.map((s) => s.msg.payload)).toEqual(["on"]);
    expect(h.storedTimers.size).toBe(0);
    expect(h2.statuses.at(-1)).toEqual({});
  });

  it("shows the restored streams in the status badge", async () => {
    const h = runNode(createTriggerNode, motionLight({ bytopic: "topic" }));
    await h.input({ topic: "kitchen" });
    await h.input({ topic: "garage" });
    const h2 = h.restart();
    expect(h2.statuses.at(-1)).toEqual({ fill: "blue", shape: "dot", text: "2" });
  });

  it("a motion after the restart extends the delay: off 120 s after it, carrying that message", async () => {
    const h = runNode(createTriggerNode, motionLight());
    const t0 = h.clock.now();
    await h.input({ topic: "garage", payload: "1", n: 1 });
    h.clock.advance(60_000);
    const h2 = h.restart();
    h2.clock.advance(30_000);
    await h2.input({ topic: "garage", payload: "1", n: 2 });
    // no second "on": the stream was rebuilt, so the motion only extends it
    expect(h2.sent).toHaveLength(0);
    h2.clock.advance(119_999);
    expect(h2.sent).toHaveLength(0);
    h2.clock.advance(1);
    expect(h2.sent.map((s) => [s.msg.payload, s.msg.n, s.time - t0])).toEqual([["off", 2, 210_000]]);
    h2.clock.advance(600_000);
    expect(h2.sent).toHaveLength(1);
  });

  it("the light goes off at once, once, when it fell due while the app was down (restart at 500 s, 120 s delay)", async () => {
    const config = motionLight({ extend: false });
    const h = runNode(createTriggerNode, config);
    const t0 = h.clock.now();
    await h.input({ topic: "garage", payload: Buffer.from("motion") });
    h.clock.advance(60_000);
    // the app dies at 60 s (no close, nothing fires) and starts again at 500 s
    const h2 = startAgainFromStorage(h, config, t0 + 500_000);
    h2.clock.advance(0);
    expect(h2.sent.map((s) => [s.msg.payload, s.msg.topic, s.time - t0])).toEqual([["off", "garage", 500_000]]);
    h2.clock.advance(3_600_000);
    expect(h2.sent).toHaveLength(1);
    expect(h2.storedTimers.size).toBe(0);
  });

  it("keeps Buffers and the original payload through storage (op2 'pay')", async () => {
    const config = motionLight({ op2type: "pay" });
    const h = runNode(createTriggerNode, config);
    const t0 = h.clock.now();
    await h.input({ payload: Buffer.from([1, 2, 3]) });
    const h2 = startAgainFromStorage(h, config, t0 + 10_000);
    h2.clock.advance(110_000);
    const off = h2.port(0)[0];
    expect(Buffer.isBuffer(off.payload)).toBe(true);
    expect([...(off.payload as Buffer)]).toEqual([1, 2, 3]);
    expect(h2.sent[0].time - t0).toBe(120_000);
  });

  it("a reset after the restart cancels the pending off", async () => {
    const h = runNode(createTriggerNode, motionLight({ reset: "manual" }));
    await h.input({ payload: "1" });
    h.clock.advance(60_000);
    const h2 = h.restart();
    await h2.input({ payload: "manual" });
    expect(h2.storedTimers.size).toBe(0);
    h2.clock.advance(600_000);
    expect(h2.sent).toHaveLength(0);
    expect(h2.statuses.at(-1)).toEqual({});
    // the next motion starts a new cycle
    await h2.input({ payload: "1" });
    h2.clock.advance(120_000);
    expect(payloads(h2.port(0))).toEqual(["on", "off"]);
  });

  it("keeps per-topic streams apart across the restart", async () => {
    const h = runNode(createTriggerNode, motionLight({ duration: 1, units: "min", bytopic: "topic" }));
    const t0 = h.clock.now();
    await h.input({ topic: "kitchen" });
    h.clock.advance(30_000);
    await h.input({ topic: "garage" });
    h.clock.advance(15_000);
    const h2 = h.restart();
    h2.clock.advance(5_000);
    await h2.input({ topic: "garage" }); // at 50 s: extends only the garage
    await h2.input({ topic: "hall", reset: true }); // resets nothing else
    h2.clock.advance(600_000);
    expect(h2.sent.map((s) => [s.msg.topic, s.msg.payload, s.time - t0])).toEqual([
      ["kitchen", "off", 60_000],
      ["garage", "off", 110_000],
    ]);
    expect(h.sent.map((s) => [s.msg.topic, s.msg.payload])).toEqual([
      ["kitchen", "on"],
      ["garage", "on"],
    ]);
  });

  it("a reset of one topic after the restart leaves the others armed", async () => {
    const h = runNode(createTriggerNode, motionLight({ bytopic: "topic" }));
    await h.input({ topic: "kitchen" });
    await h.input({ topic: "garage" });
    const h2 = h.restart();
    await h2.input({ topic: "kitchen", reset: 1 });
    h2.clock.advance(120_000);
    expect(h2.sent.map((s) => [s.msg.topic, s.msg.payload])).toEqual([["garage", "off"]]);
  });

  it("op2 'payl' sends the latest message, also one that arrived after the restart or just before it", async () => {
    const h = runNode(createTriggerNode, cfg({ duration: 1, units: "min", op2type: "payl", outputs: 2 }));
    await h.input({ payload: "first" });
    await h.input({ payload: "second" });
    const h2 = h.restart();
    h2.clock.advance(60_000);
    expect(payloads(h2.port(1))).toEqual(["second"]);

    const k = runNode(createTriggerNode, cfg({ duration: 1, units: "min", op2type: "payl" }));
    await k.input({ payload: "first" });
    const k2 = k.restart();
    await k2.input({ payload: "after restart" });
    k2.clock.advance(60_000);
    expect(payloads(k2.port(0))).toEqual(["after restart"]);
  });

  it("a stream blocked until reset stays blocked after a restart; reset still works", async () => {
    const h = trigger({ duration: 0, bytopic: "topic" });
    await h.input({ topic: "door", payload: "open" });
    expect(h.context.scope("node", "n1").get("blockedStreams")).toEqual(["door"]);
    const h2 = h.restart();
    expect(h2.statuses.at(-1)).toEqual({ fill: "blue", shape: "dot" });
    await h2.input({ topic: "door", payload: "open" });
    expect(h2.sent).toHaveLength(0);
    await h2.input({ topic: "window", payload: "open" }); // another stream is free
    await h2.input({ topic: "door", reset: true });
    expect(h2.context.scope("node", "n1").get("blockedStreams")).toEqual(["window"]);
    await h2.input({ topic: "door", payload: "open" });
    expect(h2.sent.map((s) => s.msg.topic)).toEqual(["window", "door"]);
    h2.clock.advance(3_600_000);
    expect(h2.sent).toHaveLength(2);
  });

  it("msg.delay 0 blocks across a restart too, and a reset clears the stored state", async () => {
    const h = trigger({ overrideDelay: true });
    await h.input({ delay: 0 });
    const h2 = h.restart();
    await h2.input({});
    expect(h2.sent).toHaveLength(0);
    await h2.input({ reset: true });
    expect(h2.context.scope("node", "n1").keys()).not.toContain("blockedStreams");
    await h2.input({});
    expect(h2.sent).toHaveLength(1);
  });

  it("the repeat mode lives in memory: a restart ends the repetition (documented)", async () => {
    const h = trigger({ duration: -1, units: "s" });
    await h.input({});
    h.clock.advance(2_000);
    expect(h.sent).toHaveLength(3);
    expect(h.storedTimers.size).toBe(0);
    const h2 = h.restart();
    h2.clock.advance(10_000);
    expect(h2.sent).toHaveLength(0);
    expect(h.sent).toHaveLength(3);
  });

  it("a closed node never fires its stored timers", async () => {
    const h = runNode(createTriggerNode, motionLight());
    await h.input({});
    await h.close();
    h.clock.advance(600_000);
    expect(payloads(h.port(0))).toEqual(["on"]);
  });

  it("drops a stored timer it cannot read, with a warning, instead of failing", () => {
    const h = runNode(createTriggerNode, motionLight());
    h.storedTimers.set("n1\u0000x", { nodeId: "n1", key: "x", dueAt: h.clock.now() + 1000, data: "garbage" });
    const h2 = h.restart();
    expect(h2.warnings[0]).toMatch(/dropped a stored timer of stream "x"/);
    expect(h2.storedTimers.size).toBe(0);
    h2.clock.advance(5_000);
    expect(h2.sent).toHaveLength(0);
  });
});

describe("trigger: Node-RED import and export", () => {
  const exported = [
    { id: "t1", type: "tab", label: "Garage", disabled: false, info: "", env: [] },
    {
      id: "tr1",
      type: "trigger",
      z: "t1",
      name: "Garage light",
      op1: "lightOn",
      op2: "#:(file)::lightOff",
      op1type: "flow",
      op2type: "global",
      duration: "2",
      extend: true,
      overrideDelay: false,
      units: "min",
      reset: "",
      bytopic: "topic",
      topic: "topic",
      outputs: 1,
      x: 380,
      y: 80,
      wires: [["out1"]],
    },
  ];

  it("imports a realistic export, runs it, and exports it unchanged", async () => {
    const { document, issues } = fromNodeRed(exported);
    expect(issues).toEqual([]);
    const h = runNode(createTriggerNode, triggerDefinition.config.parse(document.flows[0].nodes[0].config));
    h.context.scope("flow", "f1").set("lightOn", "ON");
    h.context.scope("global", "").set("lightOff", "OFF");
    await h.input({ topic: "house/garage/motion" });
    h.clock.advance(120_000);
    expect(payloads(h.port(0))).toEqual(["ON", "OFF"]);
    expect(toNodeRed(document).find((n) => n.id === "tr1")).toEqual(exported[1]);
  });
});
