import { describe, expect, it } from "vitest";
import { FakeClock } from "../../runtime/clock";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { getNodeDefinition } from "../registry";
import type { AnyNodeDefinition } from "../types";
import { runNode } from "../test-harness";
import { timeWindowDefinition, type TimeWindowConfig } from "./definition";
import { createTimeWindowNode, formatBoundaryTime } from "./runtime";
import { zonedTime } from "./zoned-time";

const BERLIN = "Europe/Berlin";
const HOUR = 3_600_000;

function cfg(fields: Record<string, unknown> = {}): TimeWindowConfig {
  return timeWindowDefinition.config.parse({ timezone: BERLIN, ...fields });
}

/** A FakeClock at a Berlin local time "YYYY-MM-DD HH:MM". */
function clockAt(text: string, timeZone = BERLIN): FakeClock {
  return new FakeClock(local(text, timeZone));
}

function local(text: string, timeZone = BERLIN): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text)!;
  return zonedTime({ year: +m[1], month: +m[2], day: +m[3] }, +m[4], +m[5], timeZone);
}

function timeWindow(fields: Record<string, unknown>, opts: Parameters<typeof runNode>[2] = {}) {
  return runNode(createTimeWindowNode, cfg(fields), opts);
}

describe("time window definition", () => {
  it("has defaults for every field, two outputs and a readable label", () => {
    const c = timeWindowDefinition.config.parse({});
    expect(c).toEqual({ start: "08:00", startOffset: 0, end: "20:00", endOffset: 0, days: [0, 1, 2, 3, 4, 5, 6], timezone: "", outputs: 2 });
    expect(timeWindowDefinition.outputs(c)).toBe(2);
    expect(timeWindowDefinition.outputs(cfg({ outputs: "1" }))).toBe(1);
    expect(timeWindowDefinition.label(c)).toBe("08:00 – 20:00");
    expect(timeWindowDefinition.label(cfg({ start: "sunset", startOffset: 30, end: "sunrise", endOffset: -15 }))).toBe("sunset+30 – sunrise−15");
    expect(timeWindowDefinition.inputs).toBe(1);
  });

  it("accepts form strings and sun events in any case", () => {
    expect(cfg({ start: "Sunset", startOffset: "30", latitude: "52.52", longitude: "13.405", outputs: "2" })).toMatchObject({
      startOffset: 30,
      latitude: 52.52,
      longitude: 13.405,
      outputs: 2,
    });
    expect(cfg({ latitude: "", longitude: "" }).latitude).toBeUndefined();
  });

  it("explains what is wrong with a bad start, end, offset, day list, zone or location", () => {
    const messages = (fields: Record<string, unknown>) =>
      timeWindowDefinition.config.safeParse(fields).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(messages({ start: "teatime" })).toEqual([
      expect.stringMatching(/^start: start must be a time "HH:MM" \(e\.g\. 22:00\) or a sun event \(nadir, .*sunset.*\), got 'teatime'$/),
    ]);
    expect(messages({ end: "24:30" })[0]).toMatch(/^end: end must be a time/);
    expect(messages({ startOffset: "soon" })[0]).toMatch(/startOffset must be a number of minutes, got 'soon'/);
    expect(messages({ endOffset: 800 })[0]).toMatch(/endOffset must be between -720 and 720 minutes/);
    expect(messages({ days: [] })[0]).toMatch(/days: choose at least one weekday/);
    expect(messages({ timezone: "Mars/Olympus" })[0]).toMatch(/timezone 'Mars\/Olympus' is not an IANA time zone/);
    expect(messages({ latitude: 52 })[0]).toMatch(/longitude: set both latitude and longitude, or neither/);
    expect(messages({ latitude: 95, longitude: 0 })[0]).toMatch(/latitude must be between -90 and 90/);
    expect(messages({ outputs: 3 })[0]).toMatch(/outputs must be 1 or 2, got '3'/);
  });

  it("is registered for the editor and the runtime", async () => {
    expect(getNodeDefinition("time-window")).toBe(timeWindowDefinition);
    const { nodeFactories } = await import("../runtime-registry");
    expect(nodeFactories.get("time-window")).toBe(createTimeWindowNode);
  });
});

describe("time window: messages", () => {
  it("passes messages inside the window on output 1 and the others on output 2, unchanged", async () => {
    const h = timeWindow({ start: "22:00", end: "06:00" }, { clock: clockAt("2026-01-05 21:00") });
    await h.input({ payload: "early", topic: "t" });
    h.clock.advance(2 * HOUR); // 23:00
    await h.input({ payload: "late" });
    h.clock.advance(4 * HOUR); // 03:00
    await h.input({ payload: "night" });
    h.clock.advance(3 * HOUR); // 06:00
    await h.input({ payload: "morning" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["late", "night"]);
    expect(h.port(1).map((m) => m.payload)).toEqual(["early", "morning"]);
    expect(h.port(1)[0]).toMatchObject({ payload: "early", topic: "t" });
  });

  it("with one output drops messages outside the window", async () => {
    const h = timeWindow({ start: "08:00", end: "20:00", outputs: 1 }, { clock: clockAt("2026-01-05 07:00") });
    await h.input({ payload: 1 });
    h.clock.advance(2 * HOUR);
    await h.input({ payload: 2 });
    expect(h.sent.map((s) => [s.port, s.msg.payload])).toEqual([[0, 2]]);
  });

  it("opens only on the chosen weekdays; a night belongs to the day it starts", async () => {
    // 2026-01-09 is a Friday.
    const h = timeWindow({ start: "22:00", end: "06:00", days: [5] }, { clock: clockAt("2026-01-09 03:00") });
    await h.input({ payload: "thu night" });
    h.clock.advance(24 * HOUR); // Saturday 03:00
    await h.input({ payload: "fri night" });
    h.clock.advance(20 * HOUR); // Saturday 23:00
    await h.input({ payload: "sat night" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["fri night"]);
  });

  it("uses the installation's location for sun events", async () => {
    const h = timeWindow({ start: "sunset", end: "sunrise" }, { clock: clockAt("2026-06-21 21:00"), location: { latitude: 52.52, longitude: 13.405 } });
    await h.input({ payload: "before sunset" });
    h.clock.advance(HOUR); // 22:00, after the 21:33 sunset
    await h.input({ payload: "after sunset" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["after sunset"]);
    expect(h.errors).toEqual([]);
  });

  it("the node's own latitude/longitude win over the installation's", async () => {
    // Tromsø at midsummer: the sun does not set, so the night window stays closed at 23:30.
    const h = timeWindow(
      { start: "sunset", end: "sunrise", latitude: 69.65, longitude: 18.96, timezone: "Europe/Oslo" },
      { clock: clockAt("2026-06-21 23:30", "Europe/Oslo"), location: { latitude: 52.52, longitude: 13.405 } },
    );
    await h.input({ payload: "midnight sun" });
    expect(h.port(1).map((m) => m.payload)).toEqual(["midnight sun"]);
    expect(h.errors).toEqual([]);
  });

  it("warns once that a sun event does not happen, instead of failing", async () => {
    const h = timeWindow(
      { start: "sunset", end: "sunrise", latitude: 69.65, longitude: 18.96, timezone: "Europe/Oslo" },
      { clock: clockAt("2026-06-21 12:00", "Europe/Oslo"), id: "porch" },
    );
    h.node.start!();
    await h.input({ payload: 1 });
    await h.input({ payload: 2 });
    expect(h.port(1)).toHaveLength(2);
    expect(h.warnings.filter((w) => w.includes("sunset"))).toEqual([
      "Node 'porch' (time window): sunset does not happen on 2026-06-21 at 69.65, 18.96 (the sun stays above that altitude all day); the window follows the sun staying up until sunset happens again.",
    ]);
    expect(h.statuses.at(-1)).toMatchObject({ fill: "grey", text: expect.stringMatching(/^closed until 2026-07-\d\d \d\d:\d\d$/) });
  });
});

describe("time window: status", () => {
  it('shows "open until 22:00" and "closed until 06:00", updated by a timer at each boundary', () => {
    const h = timeWindow({ start: "06:00", end: "22:00" }, { clock: clockAt("2026-01-05 12:00") });
    h.node.start!();
    expect(h.statuses).toEqual([{ fill: "green", shape: "dot", text: "open until 22:00" }]);
    h.clock.advance(10 * HOUR); // 22:00
    expect(h.statuses.at(-1)).toEqual({ fill: "grey", shape: "ring", text: "closed until 06:00" });
    h.clock.advance(8 * HOUR); // 06:00
    expect(h.statuses.at(-1)).toEqual({ fill: "green", shape: "dot", text: "open until 22:00" });
    expect(h.statuses).toHaveLength(3);
  });

  it("names the weekday when the next boundary is more than a day away", () => {
    // Friday 18:00, after a weekday 08:00 → 17:00 window.
    const h = timeWindow({ start: "08:00", end: "17:00", days: [1, 2, 3, 4, 5] }, { clock: clockAt("2026-01-09 18:00") });
    h.node.start!();
    expect(h.statuses.at(-1)).toMatchObject({ text: "closed until Mon 08:00" });
    expect(formatBoundaryTime(local("2026-02-01 08:00"), local("2026-01-09 18:00"), BERLIN)).toBe("2026-02-01 08:00");
  });

  it("stops its timer when closed", async () => {
    const h = timeWindow({ start: "06:00", end: "22:00" });
    h.node.start!();
    await h.close();
    expect(h.clock.pending).toBe(0);
  });
});

describe("time window: configuration errors", () => {
  it("a sun event without any location is an error at start that says what to set", async () => {
    const h = timeWindow({ start: "sunset", end: "23:00" }, { id: "porch" });
    expect(h.errors).toHaveLength(1);
    expect(String(h.errors[0].error)).toBe(
      "Error: Node 'porch': time window: sunset needs a location: set latitude/longitude in the node or FLOWHOUSE_LATITUDE/FLOWHOUSE_LONGITUDE",
    );
    expect(h.statuses.at(-1)).toEqual({ fill: "red", shape: "ring", text: "needs a location" });
    h.node.start?.();
    await h.input({ payload: 1 });
    expect(h.sent).toHaveLength(0);
    expect(h.errors[1].msg?.payload).toBe(1);
  });

  it("an invalid configuration is reported and messages are not passed", async () => {
    const h = runNode(createTimeWindowNode, { start: "soon" } as unknown as TimeWindowConfig);
    expect(String(h.errors[0].error)).toMatch(/Node 'n1' \(time window\): invalid configuration — start: start must be a time/);
    await h.input({ payload: 1 });
    expect(h.sent).toHaveLength(0);
  });
});

describe("time window: export and import", () => {
  it("survives a round trip through a flows.json export", () => {
    const lookup = (type: string) => (type === "time-window" ? (timeWindowDefinition as unknown as AnyNodeDefinition) : getNodeDefinition(type));
    const flows = [
      { id: "t1", type: "tab", label: "Evening", disabled: false, info: "", env: [] },
      {
        id: "tw1",
        type: "time-window",
        z: "t1",
        name: "After dark on weekdays",
        start: "sunset",
        startOffset: 15,
        end: "23:30",
        endOffset: 0,
        days: [1, 2, 3, 4, 5],
        timezone: "Europe/Berlin",
        latitude: 52.52,
        longitude: 13.405,
        outputs: 2,
        x: 300,
        y: 120,
        wires: [["a"], []],
      },
    ];
    const imported = fromNodeRed(flows, lookup);
    expect(imported.issues).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "tw1")).toEqual(flows[1]);
    expect(timeWindowDefinition.config.safeParse(imported.document.flows[0].nodes[0].config).success).toBe(true);
  });
});
