import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { FakeClock } from "../../runtime/clock";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { injectCronPattern, injectDefinition, resolveInjectProps, type InjectConfig } from "./definition";
import { createInjectNode } from "./runtime";

function cfg(fields: Record<string, unknown> = {}): InjectConfig {
  return injectDefinition.config.parse(fields);
}

function inject(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  return runNode(createInjectNode, cfg(fields), opts);
}

/** A Node-RED ≥ 1.1 inject node as it appears in flows.json. */
const nodeRedInject = {
  props: [{ p: "payload" }, { p: "topic", vt: "str" }],
  repeat: "",
  crontab: "",
  once: false,
  onceDelay: 0.1,
  topic: "",
  payload: "",
  payloadType: "date",
};

describe("inject definition", () => {
  it("fills Node-RED's defaults (plus Flowhouse's schedule fields) and keeps unknown fields", () => {
    expect(cfg({ foo: 1 })).toEqual({ ...nodeRedInject, atTime: "", days: [0, 1, 2, 3, 4, 5, 6], timezone: "", foo: 1 });
  });

  it("accepts string numbers and rejects a repeat that is not seconds", () => {
    expect(cfg({ onceDelay: "2", repeat: 5, once: "true" })).toMatchObject({ onceDelay: 2, repeat: "5", once: true });
    const r = injectDefinition.config.safeParse({ repeat: "often" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/repeat must be a number of seconds .* got 'often'/);
    expect(injectDefinition.config.safeParse({ repeat: "3000000" }).success).toBe(false);
  });

  it("labels the node like Node-RED", () => {
    expect(injectDefinition.label(cfg())).toBe("timestamp");
    expect(injectDefinition.label(cfg({ topic: "lights", payload: "on", payloadType: "str" }))).toBe("lights:on");
    expect(injectDefinition.label(cfg({ payload: "on", payloadType: "str" }))).toBe("on");
    expect(injectDefinition.label(cfg({ payload: "", payloadType: "str" }))).toBe("inject");
    expect(injectDefinition.label(cfg({ topic: "tick", repeat: "5" }))).toBe("tick:timestamp ↻");
    expect(injectDefinition.label(cfg({ once: true }))).toBe("timestamp ¹");
    expect(injectDefinition.label(cfg({ props: [{ p: "foo", v: "x", vt: "str" }] }))).toBe("inject");
  });

  it("resolves legacy payload/topic fields into the props list", () => {
    const c = cfg({ payload: "42", payloadType: "num", topic: "t", props: [{ p: "payload" }, { p: "topic", vt: "str" }, { p: "x", v: "1", vt: "num" }] });
    expect(resolveInjectProps(c)).toEqual([
      { p: "payload", v: "42", vt: "num" },
      { p: "topic", v: "t", vt: "str" },
      { p: "x", v: "1", vt: "num" },
    ]);
  });

  it("has a button, no input and one output", () => {
    expect(injectDefinition.button).toBe(true);
    expect(injectDefinition.inputs).toBe(0);
    expect(injectDefinition.outputs(cfg())).toBe(1);
  });
});

describe("inject: the button", () => {
  it("sends a timestamp payload and an empty topic by default", () => {
    const h = inject();
    h.node.trigger!();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].msg).toMatchObject({ payload: h.clock.now(), topic: "" });
  });

  it("gives every injected message a new _msgid", () => {
    const h = inject();
    h.node.trigger!();
    h.node.trigger!();
    const [a, b] = h.port(0);
    expect(typeof a._msgid).toBe("string");
    expect(a._msgid).not.toBe(b._msgid);
  });

  it("sets every listed property with its type", () => {
    const h = inject(
      {
        props: [
          { p: "payload" },
          { p: "topic", vt: "str" },
          { p: "count", v: "3", vt: "num" },
          { p: "on", v: "true", vt: "bool" },
          { p: "data.cfg", v: '{"a":[1,2]}', vt: "json" },
          { p: "raw", v: "[104,105]", vt: "bin" },
          { p: "home", v: "HOME_NAME", vt: "env" },
          { p: "when", v: "iso", vt: "date" },
        ],
        payload: "hello",
        payloadType: "str",
        topic: "greeting",
      },
      { env: { HOME_NAME: "cottage" } },
    );
    h.node.trigger!();
    const msg = h.port(0)[0];
    expect(msg).toMatchObject({
      payload: "hello",
      topic: "greeting",
      count: 3,
      on: true,
      data: { cfg: { a: [1, 2] } },
      home: "cottage",
      when: new Date(h.clock.now()).toISOString(),
    });
    expect((msg.raw as Buffer).toString()).toBe("hi");
  });

  it("supports flows that only have the legacy payload/payloadType/topic fields", () => {
    const h = runNode(createInjectNode, cfg({ payload: '{"v":1}', payloadType: "json", topic: "t", props: undefined }));
    h.node.trigger!();
    expect(h.port(0)[0]).toMatchObject({ payload: { v: 1 }, topic: "t" });
  });

  it("sends a fresh copy of a json value each time", () => {
    const h = inject({ payload: '{"n":1}', payloadType: "json" });
    h.node.trigger!();
    (h.port(0)[0].payload as { n: number }).n = 99;
    h.node.trigger!();
    expect(h.port(0)[1].payload).toEqual({ n: 1 });
  });

  it("reports broken values at start and on every press, sending nothing", () => {
    const h = inject({ payload: "{oops", payloadType: "json" }, { id: "btn" });
    expect(String(h.errors[0].error)).toMatch(/Node 'btn' \(inject\): msg\.payload: invalid JSON/);
    h.node.trigger!();
    expect(h.sent).toHaveLength(0);
    expect(String(h.errors[1].error)).toMatch(/nothing was injected/);
  });
});

describe("inject: schedules", () => {
  it("injects once after onceDelay seconds when started", () => {
    const h = inject({ once: true, onceDelay: 2 });
    h.node.start!();
    h.clock.advance(1999);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(60_000);
    expect(h.sent).toHaveLength(1);
  });

  it("uses Node-RED's 0.1 s once-delay when none is given", () => {
    const h = inject({ once: true, onceDelay: 0 });
    h.node.start!();
    h.clock.advance(100);
    expect(h.sent).toHaveLength(1);
  });

  it("does nothing on its own until started", () => {
    const h = inject({ once: true, repeat: "1" });
    h.clock.advance(10_000);
    expect(h.sent).toHaveLength(0);
  });

  it("repeats every N seconds", () => {
    const h = inject({ repeat: "5" });
    h.node.start!();
    h.clock.advance(15_000);
    const t0 = h.clock.now() - 15_000;
    expect(h.sent.map((s) => s.time - t0)).toEqual([5000, 10_000, 15_000]);
    expect(h.sent.map((s) => s.msg.payload)).toEqual([t0 + 5000, t0 + 10_000, t0 + 15_000]);
  });

  it("with once and repeat, injects after the once delay and then every N seconds from there", () => {
    const h = inject({ once: true, onceDelay: 1, repeat: "10" });
    const t0 = h.clock.now();
    h.node.start!();
    h.clock.advance(21_000);
    expect(h.sent.map((s) => s.time - t0)).toEqual([1000, 11_000, 21_000]);
  });

  it("stops repeating when closed", async () => {
    const h = inject({ repeat: "1", once: true });
    h.node.start!();
    h.clock.advance(2000);
    const before = h.sent.length;
    await h.close();
    h.clock.advance(10_000);
    expect(h.sent).toHaveLength(before);
    expect(h.clock.pending).toBe(0);
  });

  it("an invalid configuration is reported and the node stays inert", () => {
    const h = runNode(createInjectNode, { repeat: "soon" } as unknown as InjectConfig);
    expect(String(h.errors[0].error)).toMatch(/invalid configuration — repeat: repeat must be a number of seconds/);
    h.node.start?.();
    h.node.trigger?.();
    expect(h.sent).toHaveLength(0);
  });
});

/** Times (ISO, UTC) at which messages were sent. */
function sentAt(h: { sent: { time: number }[] }): string[] {
  return h.sent.map((s) => new Date(s.time).toISOString());
}

function at(iso: string): FakeClock {
  return new FakeClock(Date.parse(iso));
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("inject: cron schedules", () => {
  it('"*/5 * * * *" injects at every fifth minute of the clock, not 5 minutes after start', () => {
    const h = inject({ crontab: "*/5 * * * *", timezone: "UTC" }, { clock: at("2026-01-01T12:02:30Z") });
    h.node.start!();
    h.clock.advance(15 * 60_000);
    expect(sentAt(h)).toEqual(["2026-01-01T12:05:00.000Z", "2026-01-01T12:10:00.000Z", "2026-01-01T12:15:00.000Z"]);
    expect(h.sent.map((s) => s.msg.payload)).toEqual(h.sent.map((s) => s.time));
    expect(h.errors).toEqual([]);
  });

  it('"0 7 * * 1-5" injects at 07:00 Berlin time on weekdays only', () => {
    // 2026-01-01 is a Thursday; Berlin is UTC+1 in winter.
    const h = inject({ crontab: "0 7 * * 1-5", timezone: "Europe/Berlin" }, { clock: at("2026-01-01T12:00:00Z") });
    h.node.start!();
    h.clock.advance(7 * DAY);
    expect(sentAt(h)).toEqual([
      "2026-01-02T06:00:00.000Z", // Fri
      "2026-01-05T06:00:00.000Z", // Mon
      "2026-01-06T06:00:00.000Z",
      "2026-01-07T06:00:00.000Z",
      "2026-01-08T06:00:00.000Z", // Thu
    ]);
  });

  it("runs Node-RED's 6-field cron with seconds", () => {
    const h = inject({ crontab: "*/10 * * * * *", timezone: "UTC" });
    h.node.start!();
    h.clock.advance(30_000);
    expect(h.sent).toHaveLength(3);
  });

  it('understands what Node-RED\'s editor writes for "at a time" ("00 12 * * 1,2,3")', () => {
    const h = inject({ crontab: "00 12 * * 1,2,3", timezone: "UTC" }, { clock: at("2026-01-01T12:00:00Z") });
    h.node.start!();
    h.clock.advance(7 * DAY);
    expect(sentAt(h)).toEqual(["2026-01-05T12:00:00.000Z", "2026-01-06T12:00:00.000Z", "2026-01-07T12:00:00.000Z"]);
  });

  it('"interval between times" across midnight ("0 22-23,0-5 * * *") injects hourly from 22:00 to 05:00', () => {
    const h = inject({ crontab: "0 22-23,0-5 * * *", timezone: "UTC" }, { clock: at("2026-01-01T12:00:00Z") });
    h.node.start!();
    h.clock.advance(DAY);
    expect(sentAt(h).map((t) => t.slice(11, 16))).toEqual(["22:00", "23:00", "00:00", "01:00", "02:00", "03:00", "04:00", "05:00"]);
    expect(sentAt(h)[2].slice(0, 10)).toBe("2026-01-02");
  });

  it("keeps running day after day (the next run is computed again after each one)", () => {
    const h = inject({ crontab: "15 3 * * *", timezone: "UTC" });
    h.node.start!();
    h.clock.advance(30 * DAY);
    expect(h.sent).toHaveLength(30);
    expect(new Set(sentAt(h).map((t) => t.slice(11)))).toEqual(new Set(["03:15:00.000Z"]));
  });

  it("uses the server's time zone when none is set", () => {
    const h = inject({ crontab: "0 0 * * *" }, { clock: at("2026-01-01T12:00:00Z") });
    h.node.start!();
    h.clock.advance(DAY);
    expect(h.sent).toHaveLength(1);
    // Local midnight of the process, whatever its zone.
    const local = new Date(h.sent[0].time);
    expect([local.getHours(), local.getMinutes()]).toEqual([0, 0]);
  });

  it("a repeat interval wins over a crontab, as in Node-RED", () => {
    const h = inject({ repeat: "60", crontab: "0 0 * * *", timezone: "UTC" });
    h.node.start!();
    h.clock.advance(DAY);
    expect(h.sent).toHaveLength(24 * 60);
  });

  it("with once, injects after the once delay and then on the schedule", () => {
    const h = inject({ once: true, onceDelay: 1, crontab: "0 * * * *", timezone: "UTC" }, { clock: at("2026-01-01T12:30:00Z") });
    h.node.start!();
    h.clock.advance(2 * HOUR);
    expect(sentAt(h)).toEqual(["2026-01-01T12:30:01.000Z", "2026-01-01T13:00:00.000Z", "2026-01-01T14:00:00.000Z"]);
  });

  it("stops its schedule when closed and leaves no timer behind", async () => {
    const h = inject({ crontab: "* * * * *", timezone: "UTC" });
    h.node.start!();
    h.clock.advance(3 * 60_000);
    await h.close();
    h.clock.advance(DAY);
    expect(h.sent).toHaveLength(3);
    expect(h.clock.pending).toBe(0);
  });

  it("a schedule that can never run again says so in the status instead of spinning", () => {
    const h = inject({ crontab: "0 0 30 2 *", timezone: "UTC" });
    h.node.start!();
    h.clock.advance(DAY);
    expect(h.sent).toHaveLength(0);
    expect(h.statuses.at(-1)).toMatchObject({ text: "schedule has no future runs" });
  });

  it("an invalid crontab is a validation error naming the problem, and such a node stays inert", () => {
    const r = injectDefinition.config.safeParse({ crontab: "61 * * * *" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["crontab"]);
    expect(r.error?.issues[0].message).toMatch(/crontab "61 \* \* \* \*" is not a valid cron schedule \(Invalid value for minute: 61\)/);
    expect(injectDefinition.config.safeParse({ crontab: "every day" }).error?.issues[0].message).toMatch(/five, six, or seven/);
    const h = runNode(createInjectNode, { crontab: "61 * * * *" } as unknown as InjectConfig);
    expect(String(h.errors[0].error)).toMatch(/invalid configuration — crontab: crontab "61 \* \* \* \*" is not a valid cron schedule/);
    h.node.start?.();
    h.clock.advance(DAY);
    expect(h.sent).toHaveLength(0);
  });

  it("rejects an unknown time zone", () => {
    const r = injectDefinition.config.safeParse({ crontab: "0 7 * * *", timezone: "Europe/Atlantis" });
    expect(r.error?.issues.map((i) => i.message).join()).toMatch(/timezone 'Europe\/Atlantis' is not an IANA time zone/);
  });
});

describe("inject: at a time of day on chosen weekdays", () => {
  it('atTime "07:30" on days 1-5 injects at 07:30 New York time on weekdays', () => {
    const h = inject({ atTime: "07:30", days: [1, 2, 3, 4, 5], timezone: "America/New_York" }, { clock: at("2026-01-01T12:00:00Z") });
    h.node.start!();
    h.clock.advance(7 * DAY);
    // New York is UTC-5 in January: 07:30 local = 12:30Z.
    expect(sentAt(h)).toEqual([
      "2026-01-01T12:30:00.000Z", // Thu (still ahead at 07:00 local)
      "2026-01-02T12:30:00.000Z", // Fri
      "2026-01-05T12:30:00.000Z", // Mon
      "2026-01-06T12:30:00.000Z",
      "2026-01-07T12:30:00.000Z",
    ]);
  });

  it("injects after midnight in its own time zone, on the local weekday", () => {
    // 23:50 Thursday in Berlin; 00:15 Friday Berlin is 23:15Z on Thursday.
    const h = inject({ atTime: "00:15", days: [5], timezone: "Europe/Berlin" }, { clock: at("2026-01-01T22:50:00Z") });
    h.node.start!();
    h.clock.advance(8 * DAY);
    expect(sentAt(h)).toEqual(["2026-01-01T23:15:00.000Z", "2026-01-08T23:15:00.000Z"]);
  });

  it("is the cron pattern \"MM HH * * days\"; repeat wins and an empty atTime means no schedule", () => {
    expect(injectCronPattern(cfg({ atTime: "7:05", days: [5, 1, 1] }))).toBe("5 7 * * 1,5");
    expect(injectCronPattern(cfg({ atTime: "07:05" }))).toBe("5 7 * * *");
    expect(injectCronPattern(cfg({ atTime: "07:05", days: [7, 1] }))).toBe("5 7 * * 0,1");
    expect(injectCronPattern(cfg({ atTime: "07:05", repeat: "5" }))).toBeUndefined();
    expect(injectCronPattern(cfg())).toBeUndefined();
    expect(injectDefinition.label(cfg({ atTime: "07:05" }))).toBe("timestamp ↻");
  });

  it("rejects a bad time, no weekday, or a crontab as well", () => {
    const msgs = (fields: Record<string, unknown>) => injectDefinition.config.safeParse(fields).error?.issues.map((i) => i.message) ?? [];
    expect(msgs({ atTime: "25:00" })).toEqual([`atTime must be a time of day "HH:MM" between 00:00 and 23:59, got '25:00'`]);
    expect(msgs({ atTime: "07:00", days: [] })[0]).toMatch(/choose at least one weekday/);
    expect(msgs({ atTime: "07:00", crontab: "0 7 * * *" })[0]).toMatch(/either a cron schedule or "At time of day", not both/);
    expect(msgs({ atTime: "07:00", days: [8] })).toHaveLength(1);
  });
});

describe("inject: daylight saving time (croner's documented rules, Europe/Berlin 2026)", () => {
  // croner (README, "DST handling"): a fixed-time job (single minute and hour, e.g. "30 2 * * *")
  // whose time does not exist runs at the first valid time after the gap, on the same day; when
  // the time occurs twice it runs once, at the first occurrence. Jobs with a wildcard, step,
  // range or list skip a missing time and run on both occurrences of a repeated time.
  it("spring forward (29 March): a daily 02:30 job runs at 03:00 CEST that day, once", () => {
    const h = inject({ crontab: "30 2 * * *", timezone: "Europe/Berlin" }, { clock: at("2026-03-27T12:00:00Z") });
    h.node.start!();
    h.clock.advance(4 * DAY);
    expect(sentAt(h)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:00:00.000Z", // 02:30 does not exist: 03:00 CEST
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
      "2026-03-31T00:30:00.000Z",
    ]);
  });

  it("fall back (25 October): a daily 02:30 job runs once, at the first 02:30 (CEST)", () => {
    const h = inject({ atTime: "02:30", timezone: "Europe/Berlin" }, { clock: at("2026-10-23T12:00:00Z") });
    h.node.start!();
    h.clock.advance(2 * DAY);
    expect(sentAt(h)).toEqual([
      "2026-10-24T00:30:00.000Z", // 02:30 CEST
      "2026-10-25T00:30:00.000Z", // first 02:30 (CEST); the second one (01:30Z, CET) is skipped
    ]);
    h.clock.advance(DAY);
    expect(sentAt(h).at(-1)).toBe("2026-10-26T01:30:00.000Z"); // 02:30 CET
  });

  it("an interval job runs through the repeated hour twice and skips the missing one", () => {
    const autumn = inject({ crontab: "*/30 * * * *", timezone: "Europe/Berlin" }, { clock: at("2026-10-24T23:50:00Z") });
    autumn.node.start!();
    autumn.clock.advance(3 * HOUR);
    // Every 30 real minutes, through both passes of 02:00-03:00 local.
    expect(sentAt(autumn)).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T01:30:00.000Z",
      "2026-10-25T02:00:00.000Z",
      "2026-10-25T02:30:00.000Z",
    ]);
    const spring = inject({ crontab: "*/30 2 * * *", timezone: "Europe/Berlin" }, { clock: at("2026-03-28T12:00:00Z") });
    spring.node.start!();
    spring.clock.advance(2 * DAY);
    // 02:00-02:59 does not exist on the 29th: nothing that day, then 02:00 and 02:30 CEST on the 30th.
    expect(sentAt(spring)).toEqual(["2026-03-30T00:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
  });
});

describe("inject: flow and global context, env and JSONata values", () => {
  it("reads flow and global context at the moment of injection", () => {
    const h = inject({ payload: "level", payloadType: "flow", props: [{ p: "payload" }, { p: "mode", v: "house.mode", vt: "global" }] });
    h.context.scope("flow", "f1").set("level", 3);
    h.context.scope("global", "").set("house", { mode: "away" });
    h.node.trigger!();
    h.context.scope("flow", "f1").set("level", 4);
    h.node.trigger!();
    expect(h.port(0).map((m) => [m.payload, m.mode])).toEqual([
      [3, "away"],
      [4, "away"],
    ]);
  });

  it("accepts Node-RED's store prefix (#:(file)::key) and leaves a missing value out", () => {
    const h = inject({ payload: "#:(file)::count", payloadType: "global", props: [{ p: "payload" }, { p: "other", v: "nothing", vt: "flow" }] });
    h.context.scope("global", "").set("count", 7);
    h.node.trigger!();
    expect(h.port(0)[0].payload).toBe(7);
    expect(h.port(0)[0]).not.toHaveProperty("other");
    expect(h.errors).toEqual([]);
  });

  it("sends a copy: changing the message does not change the context", () => {
    const h = inject({ payload: "cfg", payloadType: "flow" });
    h.context.scope("flow", "f1").set("cfg", { on: true });
    h.node.trigger!();
    (h.port(0)[0].payload as { on: boolean }).on = false;
    expect(h.context.scope("flow", "f1").get("cfg")).toEqual({ on: true });
  });

  it("labels a flow value like Node-RED", () => {
    expect(injectDefinition.label(cfg({ payload: "level", payloadType: "flow" }))).toBe("flow.level");
  });

  it("evaluates JSONata on the message being built, with context, env and the node's clock", async () => {
    const h = inject(
      {
        topic: "house/level",
        props: [
          { p: "topic", vt: "str" },
          { p: "payload" },
          { p: "stamp", v: "$millis()", vt: "jsonata" },
          { p: "iso", v: "$now()", vt: "jsonata" },
          { p: "home", v: "$env('HOME_NAME') & ':' & $globalContext('who')", vt: "jsonata" },
        ],
        payload: "{ 'level': $flowContext('level') + 1, 'topic': topic }",
        payloadType: "jsonata",
      },
      { env: { HOME_NAME: "cottage" }, clock: at("2026-05-01T08:00:00Z") },
    );
    h.context.scope("flow", "f1").set("level", 41);
    h.context.scope("global", "").set("who", "ann");
    await h.node.trigger!();
    expect(h.errors).toEqual([]);
    const msg = h.port(0)[0];
    expect(msg.payload).toEqual({ level: 42, topic: "house/level" });
    expect(msg).toMatchObject({ stamp: Date.parse("2026-05-01T08:00:00Z"), iso: "2026-05-01T08:00:00.000Z", home: "cottage:ann" });
  });

  it("injects JSONata values on a schedule too", async () => {
    const h = inject({ payload: "$flowContext('n') * 2", payloadType: "jsonata", repeat: "1" });
    h.context.scope("flow", "f1").set("n", 21);
    h.node.start!();
    h.clock.advance(1000);
    await new Promise((r) => setTimeout(r, 0));
    expect(h.port(0).map((m) => m.payload)).toEqual([42]);
  });

  it("an invalid JSONata expression is reported at start and nothing is injected", async () => {
    const h = inject({ payload: "1 +", payloadType: "jsonata" }, { id: "calc" });
    expect(String(h.errors[0].error)).toMatch(/Node 'calc' \(inject\): msg\.payload: invalid JSONata expression "1 \+": .*at character/);
    await h.node.trigger!();
    expect(h.sent).toHaveLength(0);
    expect(String(h.errors[1].error)).toMatch(/nothing was injected/);
  });

  it("a JSONata expression that fails while evaluating reports the error with the message and sends nothing", async () => {
    const h = inject({ payload: "$nosuch()", payloadType: "jsonata" });
    expect(h.errors).toEqual([]);
    await h.node.trigger!();
    expect(h.sent).toHaveLength(0);
    expect(String(h.errors[0].error)).toMatch(/nothing was injected: msg\.payload: JSONata expression "\$nosuch\(\)" failed/);
    expect(h.errors[0].msg?._msgid).toBeTypeOf("string");
  });

  it("an empty JSONata expression leaves the property out, as in Node-RED", async () => {
    const h = inject({ props: [{ p: "payload" }, { p: "x", v: "", vt: "jsonata" }] });
    await h.node.trigger!();
    expect(h.port(0)[0]).not.toHaveProperty("x");
  });
});

describe("inject: Node-RED import and export", () => {
  it("a Node-RED inject with a weekday crontab imports, runs and exports unchanged", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Mornings", disabled: false, info: "", env: [] },
      {
        id: "a1b2c3d4e5f60718",
        type: "inject",
        z: "t1",
        name: "Weekday 07:30",
        props: [{ p: "payload" }, { p: "topic", vt: "str" }, { p: "level", v: "brightness", vt: "global" }],
        repeat: "",
        crontab: "30 07 * * 1,2,3,4,5",
        once: false,
        onceDelay: 0.1,
        topic: "house/bedroom/light",
        payload: "on",
        payloadType: "str",
        x: 140,
        y: 80,
        wires: [["d1"]],
      },
      { id: "d1", type: "debug", z: "t1", name: "", active: true, tosidebar: true, console: false, tostatus: false, complete: "false", statusVal: "", statusType: "auto", x: 400, y: 80, wires: [] },
    ];
    const imported = fromNodeRed(flows);
    expect(imported.issues).toEqual([]);
    const node = imported.document.flows[0].nodes.find((n) => n.type === "inject")!;
    expect(injectDefinition.config.safeParse(node.config).success).toBe(true);
    const exported = toNodeRed(imported.document);
    expect(exported.find((n) => n.id === "a1b2c3d4e5f60718")).toEqual(flows[1]);

    const h = inject(node.config, { clock: at("2026-01-01T12:00:00Z") });
    h.context.scope("global", "").set("brightness", 80);
    h.node.start!();
    h.clock.advance(2 * DAY);
    const local = new Date(h.sent[0].time);
    expect([local.getHours(), local.getMinutes()]).toEqual([7, 30]);
    expect(h.sent.every((x) => [1, 2, 3, 4, 5].includes(new Date(x.time).getDay()))).toBe(true);
    expect(h.port(0)[0]).toMatchObject({ payload: "on", topic: "house/bedroom/light", level: 80 });
  });
});
