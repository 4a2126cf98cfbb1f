import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeClock } from "../../runtime/clock";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { decodeStored, encodeStored } from "../../runtime/json-safe";
import type { StoredNodeTimer } from "../../runtime/durable-timers";
import { runNode, type Harness } from "../test-harness";
import { delayDefinition, type DelayConfig } from "./definition";
import { createDelayNode } from "./runtime";

/** A delay config as a flows.json import would give it (defaults filled by the schema). */
function cfg(fields: Record<string, unknown> = {}): DelayConfig {
  return delayDefinition.config.parse(fields);
}

function delay(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  return runNode(createDelayNode, cfg(fields), opts);
}

const payloads = (msgs: { payload?: unknown }[]) => msgs.map((m) => m.payload);
/** Send times relative to the start of the test clock. */
const times = (h: Harness<DelayConfig>, t0: number) => h.sent.map((s) => s.time - t0);
const lastStatus = (h: Harness<DelayConfig>) => h.statuses[h.statuses.length - 1];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("delay definition", () => {
  it("fills Node-RED's defaults and accepts the strings flows.json uses for numbers", () => {
    expect(cfg()).toMatchObject({
      pauseType: "delay",
      timeout: 5,
      timeoutUnits: "seconds",
      rate: 1,
      nbRateUnits: 1,
      rateUnits: "second",
      randomFirst: 1,
      randomLast: 5,
      randomUnits: "seconds",
      drop: false,
      allowrate: false,
      outputs: 1,
      maxQueue: 1000,
    });
    expect(cfg({ timeout: "2.5", rate: "3", nbRateUnits: "", outputs: "2", drop: "true", custom: "kept" })).toMatchObject({
      timeout: 2.5,
      rate: 3,
      nbRateUnits: 1,
      outputs: 2,
      drop: true,
      custom: "kept",
    });
  });

  it("explains bad values in words a user can act on", () => {
    const messages = (fields: Record<string, unknown>) =>
      delayDefinition.config.safeParse(fields).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ timeout: "abc" })).toEqual(["delay must be a number, got 'abc'"]);
    expect(messages({ timeout: -1 })).toEqual(["delay must be 0 or more"]);
    expect(messages({ pauseType: "rate", rate: 0 })).toEqual(["rate must be more than 0 messages per period, got 0"]);
    expect(messages({ pauseType: "random", randomFirst: 5, randomLast: 2 })).toEqual([
      "the last random value (2) must not be smaller than the first (5)",
    ]);
    expect(messages({ maxQueue: -3 })).toEqual(["max queue must be 0 (no limit) or more"]);
    // A rate of 0 does not matter while the node only delays.
    expect(messages({ pauseType: "delay", rate: 0 })).toEqual([]);
  });

  it("labels the node like Node-RED when it has no name", () => {
    expect(delayDefinition.label(cfg())).toBe("delay 5s");
    expect(delayDefinition.label(cfg({ timeout: 250, timeoutUnits: "milliseconds" }))).toBe("delay 250ms");
    expect(delayDefinition.label(cfg({ timeout: 2, timeoutUnits: "minutes" }))).toBe("delay 2m");
    expect(delayDefinition.label(cfg({ pauseType: "delayv" }))).toBe("variable");
    expect(delayDefinition.label(cfg({ pauseType: "random" }))).toBe("random");
    expect(delayDefinition.label(cfg({ pauseType: "rate", rate: 2 }))).toBe("limit 2 msg/s");
    expect(delayDefinition.label(cfg({ pauseType: "queue", rate: 3, nbRateUnits: 12, rateUnits: "minute" }))).toBe("limit topic 3 msg/12m");
    expect(delayDefinition.label(cfg({ pauseType: "burst", rate: 5 }))).toBe("burst 5 msg/s");
  });

  it("has a second output only in the rate modes with outputs 2", () => {
    expect(delayDefinition.outputs(cfg())).toBe(1);
    expect(delayDefinition.outputs(cfg({ pauseType: "rate", drop: true, outputs: 2 }))).toBe(2);
    expect(delayDefinition.outputs(cfg({ pauseType: "delay", outputs: 2 }))).toBe(1);
  });

  it("round-trips a Node-RED export of a rate limiter unchanged", () => {
    const exported = [
      { id: "t1", type: "tab", label: "Sensors", disabled: false, info: "", env: [] },
      {
        id: "d1",
        type: "delay",
        z: "t1",
        name: "Throttle",
        pauseType: "rate",
        timeout: "5",
        timeoutUnits: "seconds",
        rate: "1",
        nbRateUnits: "1",
        rateUnits: "second",
        randomFirst: "1",
        randomLast: "5",
        randomUnits: "seconds",
        drop: true,
        allowrate: false,
        outputs: 2,
        x: 320,
        y: 140,
        wires: [["d2"], []],
      },
      {
        id: "d2",
        type: "delay",
        z: "t1",
        name: "",
        pauseType: "delay",
        timeout: "2",
        timeoutUnits: "minutes",
        rate: "1",
        nbRateUnits: "1",
        rateUnits: "second",
        randomFirst: "1",
        randomLast: "5",
        randomUnits: "seconds",
        drop: false,
        allowrate: false,
        outputs: 1,
        x: 520,
        y: 140,
        wires: [[]],
      },
    ];
    const { document, issues } = fromNodeRed(exported);
    expect(issues).toEqual([]);
    expect(document.flows[0].nodes.map((n) => delayDefinition.config.safeParse(n.config).success)).toEqual([true, true]);
    const back = toNodeRed(document);
    const byId = (list: readonly { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(back)).toEqual(byId(exported));
  });
});

describe("delay: fixed delay", () => {
  it("holds each message for the configured time, independently of the others", async () => {
    const h = delay({ timeout: 5, timeoutUnits: "seconds" });
    const t0 = h.clock.now();
    await h.input({ payload: "a", topic: "t" });
    h.clock.advance(2000);
    await h.input({ payload: "b" });
    h.clock.advance(2999);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(payloads(h.port(0))).toEqual(["a"]);
    expect(h.port(0)[0].topic).toBe("t");
    h.clock.advance(2000);
    expect(payloads(h.port(0))).toEqual(["a", "b"]);
    expect(times(h, t0)).toEqual([5000, 7000]);
  });

  it.each([
    ["milliseconds", 250, 250],
    ["seconds", 1.5, 1500],
    ["minutes", 2, 120_000],
    ["hours", 1, 3_600_000],
    ["days", 1, 86_400_000],
  ])("converts %s", async (timeoutUnits, timeout, expectedMs) => {
    const h = delay({ timeout, timeoutUnits });
    await h.input({ payload: 1 });
    h.clock.advance(expectedMs - 1);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(1);
  });

  it("shows how many messages are held when the delay is longer than a second", async () => {
    const h = delay({ timeout: 10 });
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({ fill: "blue", shape: "dot", text: "2" });
    h.clock.advance(9500);
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({});
  });

  it("shows no count for short delays (as Node-RED), so the badge does not flicker", async () => {
    const h = delay({ timeout: 200, timeoutUnits: "milliseconds" });
    await h.input({ payload: 1 });
    h.clock.advance(1000);
    expect(h.statuses).toEqual([]);
  });
});

describe("delay: msg.delay (delayv)", () => {
  it("uses msg.delay in milliseconds", async () => {
    const h = delay({ pauseType: "delayv", timeout: 5 });
    await h.input({ payload: "x", delay: 250 });
    h.clock.advance(249);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(1);
    expect(h.port(0)[0].delay).toBe(250);
  });

  it("falls back to the configured delay when msg.delay is missing", async () => {
    const h = delay({ pauseType: "delayv", timeout: 2, timeoutUnits: "seconds" });
    await h.input({ payload: "x" });
    h.clock.advance(1999);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(1);
  });

  it("sends at once when msg.delay is 0 or negative", async () => {
    const h = delay({ pauseType: "delayv" });
    await h.input({ payload: "zero", delay: 0 });
    await h.input({ payload: "negative", delay: -100 });
    h.clock.advance(0);
    expect(payloads(h.port(0))).toEqual(["zero", "negative"]);
  });

  it("reads a numeric string like Node-RED, and warns about a msg.delay that is not a number", async () => {
    const h = delay({ pauseType: "delayv", timeout: 1 });
    await h.input({ payload: "str", delay: "300" });
    await h.input({ payload: "bad", delay: "soon" });
    h.clock.advance(300);
    expect(payloads(h.port(0))).toEqual(["str"]);
    h.clock.advance(700);
    expect(payloads(h.port(0))).toEqual(["str", "bad"]);
    expect(h.warnings).toEqual([
      `Node 'n1' (delay): msg.delay must be a number of milliseconds, got "soon"; using the configured delay of 1000 ms.`,
    ]);
  });
});

describe("delay: random delay", () => {
  it("waits between the first and the last value", async () => {
    const random = vi.spyOn(Math, "random");
    const h = delay({ pauseType: "random", randomFirst: 2, randomLast: 4, randomUnits: "seconds" });
    const t0 = h.clock.now();
    random.mockReturnValueOnce(0);
    await h.input({ payload: "shortest" });
    random.mockReturnValueOnce(0.5);
    await h.input({ payload: "middle" });
    random.mockReturnValueOnce(0.999999);
    await h.input({ payload: "longest" });
    h.clock.advance(5000);
    expect(payloads(h.port(0))).toEqual(["shortest", "middle", "longest"]);
    const [a, b, c] = times(h, t0);
    expect(a).toBe(2000);
    expect(b).toBe(3000);
    expect(c).toBeGreaterThan(3990);
    expect(c).toBeLessThanOrEqual(4000);
  });

  it("converts the random units (milliseconds)", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const h = delay({ pauseType: "random", randomFirst: 100, randomLast: 300, randomUnits: "milliseconds" });
    await h.input({ payload: 1 });
    h.clock.advance(199);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(1);
  });
});

describe("delay: reset and flush of held messages", () => {
  it("msg.reset clears every held message without sending any, the reset message included", async () => {
    const h = delay({ timeout: 1 });
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    await h.input({ payload: 3, reset: true });
    h.clock.advance(10_000);
    expect(h.sent).toEqual([]);
    expect(h.storedTimers.size).toBe(0);
    expect(lastStatus(h)).toEqual({ fill: "blue", shape: "ring", text: "0" });
  });

  it("msg.flush releases every held message at once, in arrival order, and is not sent itself", async () => {
    const h = delay({ timeout: 1 });
    await h.input({ payload: 1, topic: "foo" });
    h.clock.advance(100);
    await h.input({ payload: 2, topic: "bar" });
    await h.input({ payload: 3, topic: "bar" });
    await h.input({ flush: true });
    expect(payloads(h.port(0))).toEqual([1, 2, 3]);
    expect(h.sent.every((s) => s.time === h.clock.now())).toBe(true);
    h.clock.advance(5000);
    expect(h.sent).toHaveLength(3);
    expect(h.storedTimers.size).toBe(0);
  });

  it("msg.flush = n releases the n oldest; the rest keep their time", async () => {
    const h = delay({ timeout: 1 });
    const t0 = h.clock.now();
    for (const topic of ["foo", "bar", "boo", "far"]) await h.input({ payload: 1, topic });
    await h.input({ flush: 2 });
    h.clock.advance(200);
    await h.input({ flush: 1 });
    expect(h.port(0).map((m) => m.topic)).toEqual(["foo", "bar", "boo"]);
    h.clock.advance(800);
    expect(h.port(0).map((m) => m.topic)).toEqual(["foo", "bar", "boo", "far"]);
    expect(times(h, t0)).toEqual([0, 0, 200, 1000]);
  });

  it("a message carrying flush is held and released with the others, without its flush property", async () => {
    const h = delay({ timeout: 1 });
    await h.input({ payload: 1 });
    await h.input({ payload: 2, flush: true });
    expect(payloads(h.port(0))).toEqual([1, 2]);
    expect(h.port(0)[1]).not.toHaveProperty("flush");
  });

  it("msg.flush on an empty node does nothing", async () => {
    const h = delay({ timeout: 1 });
    await h.input({ flush: 3 });
    h.clock.advance(2000);
    expect(h.sent).toEqual([]);
  });
});

describe("delay: held messages survive a restart (better than Node-RED)", () => {
  it("delivers a held message after a restart exactly once, at its original time", async () => {
    const h = delay({ timeout: 10 });
    const t0 = h.clock.now();
    await h.input({ payload: "held", topic: "garage/light" });
    h.clock.advance(4000);
    const h2 = h.restart();
    h2.clock.advance(5999);
    expect(h.sent).toEqual([]);
    expect(h2.sent).toEqual([]);
    h2.clock.advance(1);
    expect(h2.sent).toHaveLength(1);
    expect(h2.sent[0]).toMatchObject({ port: 0, time: t0 + 10_000, msg: { payload: "held", topic: "garage/light" } });
    h2.clock.advance(60_000);
    expect(h.sent).toEqual([]);
    expect(h2.sent).toHaveLength(1);
    expect(h2.storedTimers.size).toBe(0);
  });

  it("sends at once a message that fell due while the app was down", async () => {
    const h = delay({ timeout: 5 });
    await h.input({ payload: "overdue" });
    // The app is down for a minute; then a new process starts with the stored timers.
    const later = new FakeClock(h.clock.now() + 60_000);
    const h2 = runNode(createDelayNode, cfg({ timeout: 5 }), { clock: later, shared: { context: h.context, storedTimers: h.storedTimers } });
    later.advance(0);
    expect(payloads(h2.port(0))).toEqual(["overdue"]);
    later.advance(60_000);
    expect(h2.sent).toHaveLength(1);
    expect(h.sent).toEqual([]);
  });

  it("keeps the order and the count of several held messages across a restart", async () => {
    const h = delay({ timeout: 10 });
    for (const n of [1, 2, 3]) {
      await h.input({ payload: n });
      h.clock.advance(1000);
    }
    const h2 = h.restart();
    h2.clock.advance(500);
    expect(lastStatus(h2)).toEqual({ fill: "blue", shape: "dot", text: "3" });
    h2.clock.advance(10_000);
    expect(payloads(h2.port(0))).toEqual([1, 2, 3]);
  });

  it("msg.reset and msg.flush still reach messages held before the restart", async () => {
    const h = delay({ timeout: 10 });
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    await h.input({ payload: 3 });
    const h2 = h.restart();
    await h2.input({ flush: 1 });
    expect(payloads(h2.port(0))).toEqual([1]);
    // A new message after the restart does not collide with the restored ones.
    await h2.input({ payload: 4 });
    await h2.input({ flush: 2 });
    expect(payloads(h2.port(0))).toEqual([1, 2, 3]);
    await h2.input({ reset: true });
    h2.clock.advance(60_000);
    expect(payloads(h2.port(0))).toEqual([1, 2, 3]);
    expect(h2.storedTimers.size).toBe(0);
  });

  it("restores held messages from their stored (JSON-encoded) form, as after a real restart", async () => {
    const h = delay({ timeout: 30 });
    await h.input({ payload: Buffer.from("on"), topic: "garage/light", at: new Date(Date.UTC(2026, 0, 1)) });
    await h.input({ payload: "second" });
    // What the database would give back: every stored timer through the runtime's encoding.
    const fromDisk = new Map<string, StoredNodeTimer>();
    for (const [k, t] of h.storedTimers) fromDisk.set(k, decodeStored(encodeStored(t)) as StoredNodeTimer);
    const later = new FakeClock(h.clock.now() + 10_000);
    const h2 = runNode(createDelayNode, cfg({ timeout: 30 }), { clock: later, shared: { context: h.context, storedTimers: fromDisk } });
    await h2.input({ flush: 1 });
    expect(h2.port(0)).toHaveLength(1);
    const first = h2.port(0)[0];
    expect(Buffer.isBuffer(first.payload) && first.payload.toString()).toBe("on");
    expect(first.at).toEqual(new Date(Date.UTC(2026, 0, 1)));
    later.advance(19_999);
    expect(h2.sent).toHaveLength(1);
    later.advance(1);
    expect(h2.port(0)).toHaveLength(2);
    expect(h2.port(0)[1].payload).toBe("second");
    expect(fromDisk.size).toBe(0);
  });

  it("keeps Buffers and nested values of a held message", async () => {
    const h = delay({ timeout: 1 });
    await h.input({ payload: Buffer.from([1, 2, 3]), meta: { room: "kitchen", values: [1, 2] } });
    const h2 = h.restart();
    h2.clock.advance(1000);
    const out = h2.port(0)[0];
    expect(Buffer.isBuffer(out.payload)).toBe(true);
    expect([...(out.payload as Buffer)]).toEqual([1, 2, 3]);
    expect(out.meta).toEqual({ room: "kitchen", values: [1, 2] });
  });
});

describe("delay: bounded queue (better than Node-RED)", () => {
  it("drops the oldest held message when the queue is full, warns once and counts the drops", async () => {
    const h = delay({ timeout: 10, maxQueue: 3 });
    for (const n of [1, 2, 3, 4, 5]) await h.input({ payload: n });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toBe(
      `Node 'n1' (delay): the delay queue is full (3 messages): dropped the oldest. Raise "Max queue" (maxQueue, 0 = no limit) or send fewer messages; further drops are counted in the status until the queue empties.`,
    );
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({ fill: "yellow", shape: "dot", text: "3 (2 dropped)" });
    expect(h.storedTimers.size).toBe(3);
    h.clock.advance(10_000);
    expect(payloads(h.port(0))).toEqual([3, 4, 5]);
    // Once the queue has emptied, a new overflow warns again.
    for (const n of [6, 7, 8, 9]) await h.input({ payload: n });
    expect(h.warnings).toHaveLength(2);
  });

  it("holds any number of messages with maxQueue 0", async () => {
    const h = delay({ timeout: 1, maxQueue: 0 });
    for (let n = 0; n < 1500; n++) await h.input({ payload: n });
    h.clock.advance(1000);
    expect(h.sent).toHaveLength(1500);
    expect(h.warnings).toEqual([]);
  });
});

describe("delay: rate limit, queueing", () => {
  it("lets the first message pass at once and spaces the others one interval apart", async () => {
    const h = delay({ pauseType: "rate", rate: 1, rateUnits: "second" });
    const t0 = h.clock.now();
    for (const n of [0, 1, 2, 3]) await h.input({ payload: n });
    expect(payloads(h.port(0))).toEqual([0]);
    h.clock.advance(3000);
    expect(payloads(h.port(0))).toEqual([0, 1, 2, 3]);
    expect(times(h, t0)).toEqual([0, 1000, 2000, 3000]);
  });

  it("spreads messages over the period: 3 msgs per 12 seconds is one every 4 seconds", async () => {
    const h = delay({ pauseType: "rate", rate: 3, nbRateUnits: 12, rateUnits: "second" });
    const t0 = h.clock.now();
    for (const n of [0, 1, 2]) await h.input({ payload: n });
    h.clock.advance(10_000);
    expect(times(h, t0)).toEqual([0, 4000, 8000]);
  });

  it("after the queue has run empty, the next message passes at once", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    const t0 = h.clock.now();
    await h.input({ payload: "a" });
    await h.input({ payload: "b" });
    h.clock.advance(5500);
    await h.input({ payload: "c" });
    expect(times(h, t0)).toEqual([0, 1000, 5500]);
  });

  it("shows the queue length", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    for (const n of [0, 1, 2, 3]) await h.input({ payload: n });
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({ fill: "blue", shape: "dot", text: "3" });
    h.clock.advance(3500);
    expect(lastStatus(h)).toEqual({ fill: "blue", shape: "dot", text: "0" });
  });

  it("msg.toFront jumps the queue", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    await h.input({ payload: "aoo" });
    await h.input({ payload: "boo" });
    await h.input({ payload: "coo", toFront: true });
    h.clock.advance(2000);
    expect(payloads(h.port(0))).toEqual(["aoo", "coo", "boo"]);
  });

  it("msg.toFront with msg.flush = 1 sends that message at once", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    await h.input({ payload: "aoo" });
    await h.input({ payload: "boo" });
    await h.input({ payload: "doo", toFront: true, flush: 1 });
    expect(payloads(h.port(0))).toEqual(["aoo", "doo"]);
  });

  it("msg.flush releases all or n queued messages at once", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    for (const n of [1, 2, 3, 4, 5]) await h.input({ payload: n });
    await h.input({ flush: 2 });
    expect(payloads(h.port(0))).toEqual([1, 2, 3]);
    await h.input({ flush: true });
    expect(payloads(h.port(0))).toEqual([1, 2, 3, 4, 5]);
    h.clock.advance(5000);
    expect(h.sent).toHaveLength(5);
  });

  it("msg.reset empties the queue without sending", async () => {
    const h = delay({ pauseType: "rate", rate: 2 });
    for (const n of [1, 2, 3, 4]) await h.input({ payload: n });
    await h.input({ reset: true });
    h.clock.advance(5000);
    expect(payloads(h.port(0))).toEqual([1]);
    // And the next message passes at once again.
    await h.input({ payload: 5 });
    expect(payloads(h.port(0))).toEqual([1, 5]);
  });

  it("a first message with msg.reset is not sent", async () => {
    const h = delay({ pauseType: "rate", rate: 2 });
    await h.input({ payload: 1, topic: "foo", reset: true });
    h.clock.advance(1000);
    expect(h.sent).toEqual([]);
  });

  it("flush and reset together send what was queued, the message itself included (Node-RED)", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    await h.input({ payload: 1, topic: "foo" });
    await h.input({ payload: 2, topic: "far" });
    await h.input({ payload: 3, topic: "boo" });
    h.clock.advance(200);
    await h.input({ payload: 5, topic: "last", flush: true, reset: true });
    expect(payloads(h.port(0))).toEqual([1, 2, 3, 5]);
    expect(h.port(0)[3]).not.toHaveProperty("reset");
    expect(h.port(0)[3]).not.toHaveProperty("flush");
  });

  it("msg.rate overrides the interval when allowed, until a reset", async () => {
    const h = delay({ pauseType: "rate", rate: 1, allowrate: true });
    const t0 = h.clock.now();
    await h.input({ payload: 0, rate: 2000 });
    await h.input({ payload: 1 });
    h.clock.advance(2000);
    expect(times(h, t0)).toEqual([0, 2000]);
    await h.input({ reset: true });
    await h.input({ payload: 2 });
    await h.input({ payload: 3 });
    h.clock.advance(1000);
    expect(times(h, t0)).toEqual([0, 2000, 2000, 3000]);
  });

  it("ignores msg.rate unless allowed", async () => {
    const h = delay({ pauseType: "rate", rate: 1 });
    const t0 = h.clock.now();
    await h.input({ payload: 0, rate: 5000 });
    await h.input({ payload: 1 });
    h.clock.advance(1000);
    expect(times(h, t0)).toEqual([0, 1000]);
  });

  it("bounds the queue: the oldest queued message is dropped, with one warning", async () => {
    const h = delay({ pauseType: "rate", rate: 1, maxQueue: 2 });
    for (const n of [0, 1, 2, 3, 4]) await h.input({ payload: n });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain("the rate-limit queue is full (2 messages)");
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({ fill: "yellow", shape: "dot", text: "2 (2 dropped)" });
    h.clock.advance(5000);
    expect(payloads(h.port(0))).toEqual([0, 3, 4]);
  });
});

describe("delay: rate limit, dropping", () => {
  it("passes a message only when an interval has passed since the last one sent", async () => {
    const h = delay({ pauseType: "rate", rate: 1, drop: true });
    const t0 = h.clock.now();
    await h.input({ payload: 0 });
    h.clock.advance(400);
    await h.input({ payload: 1 });
    h.clock.advance(599);
    await h.input({ payload: 2 });
    h.clock.advance(1);
    await h.input({ payload: 3 });
    h.clock.advance(5000);
    expect(payloads(h.port(0))).toEqual([0, 3]);
    expect(times(h, t0)).toEqual([0, 1000]);
  });

  it("sends the dropped messages to output 2 when outputs is 2", async () => {
    const h = delay({ pauseType: "rate", rate: 2, drop: true, outputs: 2 });
    for (const n of [0, 1, 2]) await h.input({ payload: n });
    h.clock.advance(500);
    await h.input({ payload: 3 });
    expect(payloads(h.port(0))).toEqual([0, 3]);
    expect(payloads(h.port(1))).toEqual([1, 2]);
  });

  it("msg.reset lets the next message pass at once", async () => {
    const h = delay({ pauseType: "rate", rate: 1, drop: true });
    await h.input({ payload: 0 });
    await h.input({ reset: true });
    await h.input({ payload: 1 });
    expect(payloads(h.port(0))).toEqual([0, 1]);
  });

  it("msg.rate changes the interval when allowed", async () => {
    const h = delay({ pauseType: "rate", rate: 1, drop: true, allowrate: true });
    await h.input({ payload: 0, rate: 100 });
    h.clock.advance(100);
    await h.input({ payload: 1 });
    expect(payloads(h.port(0))).toEqual([0, 1]);
  });
});

describe("delay: burst", () => {
  it("passes up to rate messages at once and blocks the rest until the period has passed", async () => {
    const h = delay({ pauseType: "burst", rate: 3, rateUnits: "second" });
    expect(lastStatus(h)).toEqual({ fill: "green", shape: "ring", text: "" });
    for (const n of [1, 2, 3, 4, 5]) await h.input({ payload: n });
    expect(payloads(h.port(0))).toEqual([1, 2, 3]);
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({ fill: "red", shape: "dot", text: "" });
    h.clock.advance(499);
    await h.input({ payload: 6 });
    h.clock.advance(1);
    await h.input({ payload: 7 });
    expect(payloads(h.port(0))).toEqual([1, 2, 3, 7]);
    h.clock.advance(500);
    expect(lastStatus(h)).toEqual({ fill: "green", shape: "ring", text: "" });
  });

  it("sends blocked messages to output 2 when outputs is 2", async () => {
    const h = delay({ pauseType: "burst", rate: 1, outputs: 2 });
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    expect(payloads(h.port(0))).toEqual([1]);
    expect(payloads(h.port(1))).toEqual([2]);
  });

  it("msg.reset opens the gate again at once", async () => {
    const h = delay({ pauseType: "burst", rate: 3 });
    for (const n of [1, 2, 3, 4, 5]) await h.input({ payload: n });
    await h.input({ reset: true });
    await h.input({ payload: 6 });
    expect(payloads(h.port(0))).toEqual([1, 2, 3, 6]);
  });
});

describe("delay: per topic", () => {
  it("queue: keeps the newest message per topic and releases one topic per interval, in turn", async () => {
    // Node-RED's own test: 4 msgs per second, messages arrive after the first tick.
    const h = delay({ pauseType: "queue", rate: 4, rateUnits: "second" });
    const t0 = h.clock.now();
    h.clock.advance(275);
    await h.input({ payload: 1 });
    await h.input({ payload: 1, topic: "A" });
    await h.input({ payload: 1, topic: "B" });
    await h.input({ payload: 2, topic: "A" });
    await h.input({ payload: 3, topic: "A" });
    await h.input({ payload: 2 });
    await h.input({ payload: 4, topic: "A" });
    h.clock.advance(2000);
    expect(h.sent.map((s) => [s.msg.topic, s.msg.payload, s.time - t0])).toEqual([
      [undefined, 2, 500],
      ["A", 4, 750],
      ["B", 1, 1000],
    ]);
    // Flowhouse does not invent a topic for messages without one (Node-RED sets "_none_").
    expect(h.port(0)[0]).not.toHaveProperty("topic");
  });

  it("timed: releases the newest message of every topic at each interval", async () => {
    const h = delay({ pauseType: "timed", rate: 2, rateUnits: "second" });
    const t0 = h.clock.now();
    await h.input({ payload: 1 });
    await h.input({ payload: 1, topic: "A" });
    await h.input({ payload: 1, topic: "B" });
    await h.input({ payload: 3, topic: "A" });
    await h.input({ payload: 2 });
    h.clock.advance(2000);
    expect(h.sent.map((s) => [s.msg.topic, s.msg.payload, s.time - t0])).toEqual([
      [undefined, 2, 500],
      ["A", 3, 500],
      ["B", 1, 500],
    ]);
  });

  it("sends a replaced message to output 2 when outputs is 2", async () => {
    const h = delay({ pauseType: "queue", rate: 1, outputs: 2 });
    await h.input({ payload: "old", topic: "A" });
    await h.input({ payload: "new", topic: "A" });
    expect(payloads(h.port(1))).toEqual(["old"]);
    h.clock.advance(1000);
    expect(payloads(h.port(0))).toEqual(["new"]);
  });

  it("msg.flush releases topics at once and msg.reset forgets them", async () => {
    const h = delay({ pauseType: "queue", rate: 1 });
    for (const topic of ["a", "b", "c", "d"]) await h.input({ payload: 1, topic });
    await h.input({ flush: 2 });
    expect(h.port(0).map((m) => m.topic)).toEqual(["a", "b"]);
    await h.input({ reset: true });
    h.clock.advance(5000);
    expect(h.port(0).map((m) => m.topic)).toEqual(["a", "b"]);
    expect(lastStatus(h)).toEqual({ text: "reset" });
  });

  it("a bare flush with a topic does not replace that topic's queued message", async () => {
    const h = delay({ pauseType: "queue", rate: 1 });
    await h.input({ payload: "keep", topic: "a" });
    await h.input({ topic: "a", flush: 1 });
    expect(payloads(h.port(0))).toEqual(["keep"]);
  });

  it("msg.rate changes the release interval when allowed", async () => {
    const h = delay({ pauseType: "queue", rate: 1, allowrate: true });
    const t0 = h.clock.now();
    await h.input({ payload: 1, topic: "a", rate: 100 });
    await h.input({ payload: 1, topic: "b" });
    h.clock.advance(200);
    expect(times(h, t0)).toEqual([100, 200]);
  });

  it("bounds the number of topics: the oldest topic is dropped, with one warning", async () => {
    const h = delay({ pauseType: "queue", rate: 1, maxQueue: 2, outputs: 2 });
    for (const topic of ["a", "b", "c"]) await h.input({ payload: 1, topic });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain("the topic queue is full (2 messages)");
    expect(h.port(1).map((m) => m.topic)).toEqual(["a"]);
    h.clock.advance(2000);
    expect(h.port(0).map((m) => m.topic)).toEqual(["b", "c"]);
  });
});

describe("delay: configuration errors", () => {
  it("reports an invalid configuration with the node and the field, and ignores messages", async () => {
    const h = runNode(createDelayNode, { pauseType: "rate", rate: "fast" } as unknown as DelayConfig);
    expect(String(h.errors[0].error)).toContain("Node 'n1' (delay): invalid configuration — rate: rate must be a number, got 'fast'");
    expect(h.statuses).toEqual([{ fill: "red", shape: "ring", text: "invalid configuration" }]);
    await h.input({ payload: 1 });
    expect(h.sent).toEqual([]);
  });
});
