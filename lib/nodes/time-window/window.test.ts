import { describe, expect, it } from "vitest";
import { getTimes } from "suncalc";
import { isInWindow, nextBoundary, TimeWindowError, type MissingSunEvent, type WindowConfig } from "./window";
import { addDays, isValidTimeZone, localDateTime, offsetAt, zonedTime } from "./zoned-time";

const BERLIN = "Europe/Berlin";
const BERLIN_LOCATION = { latitude: 52.52, longitude: 13.405 };
const TROMSO = { latitude: 69.65, longitude: 18.96 };
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const MINUTE = 60_000;

function win(fields: Partial<WindowConfig> = {}): WindowConfig {
  return { start: "22:00", startOffset: 0, end: "06:00", endOffset: 0, days: ALL_DAYS, timezone: BERLIN, ...fields };
}

/** The instant of a local time "YYYY-MM-DD HH:MM" in a zone. */
function local(text: string, timeZone = BERLIN): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text)!;
  return zonedTime({ year: +m[1], month: +m[2], day: +m[3] }, +m[4], +m[5], timeZone);
}

function iso(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}

describe("zoned time", () => {
  it("converts local wall-clock times to instants and back", () => {
    expect(iso(local("2026-01-05 08:00"))).toBe("2026-01-05T07:00:00.000Z");
    expect(iso(local("2026-07-05 08:00"))).toBe("2026-07-05T06:00:00.000Z");
    expect(localDateTime(Date.parse("2026-07-05T22:30:00Z"), BERLIN)).toEqual({ year: 2026, month: 7, day: 6, hour: 0, minute: 30, second: 0, weekday: 1 });
    expect(offsetAt(Date.parse("2026-01-05T12:00:00Z"), "America/New_York")).toBe(-5 * 3_600_000);
  });

  it("a local time in the spring-forward gap is the first moment after it; a repeated time is its first occurrence", () => {
    expect(iso(local("2026-03-29 02:30"))).toBe("2026-03-29T01:00:00.000Z"); // 03:00 CEST
    expect(iso(local("2026-03-29 03:00"))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(local("2026-10-25 02:30"))).toBe("2026-10-25T00:30:00.000Z"); // first 02:30 (CEST)
    expect(iso(local("2026-10-25 03:00"))).toBe("2026-10-25T02:00:00.000Z");
  });

  it("normalises minute offsets past midnight and knows valid zones", () => {
    expect(iso(zonedTime({ year: 2026, month: 1, day: 5 }, 23, 90, BERLIN))).toBe("2026-01-05T23:30:00.000Z");
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Europe/Atlantis")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("a window within one day (08:00 → 20:00)", () => {
  const day = win({ start: "08:00", end: "20:00" });
  it("is open from the start (inclusive) to the end (exclusive)", () => {
    expect(isInWindow(local("2026-01-05 07:59"), day)).toBe(false);
    expect(isInWindow(local("2026-01-05 08:00"), day)).toBe(true);
    expect(isInWindow(local("2026-01-05 12:00"), day)).toBe(true);
    expect(isInWindow(local("2026-01-05 19:59"), day)).toBe(true);
    expect(isInWindow(local("2026-01-05 20:00"), day)).toBe(false);
    expect(isInWindow(local("2026-01-05 23:00"), day)).toBe(false);
  });

  it("knows its next boundary", () => {
    expect(nextBoundary(local("2026-01-05 12:00"), day)).toEqual({ at: local("2026-01-05 20:00"), open: false });
    expect(nextBoundary(local("2026-01-05 20:00"), day)).toEqual({ at: local("2026-01-06 08:00"), open: true });
    expect(nextBoundary(local("2026-01-05 03:00"), day)).toEqual({ at: local("2026-01-05 08:00"), open: true });
  });

  it("opens only on the chosen weekdays (Mon-Fri)", () => {
    const weekdays = { ...day, days: [1, 2, 3, 4, 5] };
    // 2026-01-09 is a Friday.
    expect(isInWindow(local("2026-01-09 12:00"), weekdays)).toBe(true);
    expect(isInWindow(local("2026-01-10 12:00"), weekdays)).toBe(false);
    expect(isInWindow(local("2026-01-11 12:00"), weekdays)).toBe(false);
    expect(nextBoundary(local("2026-01-09 21:00"), weekdays)).toEqual({ at: local("2026-01-12 08:00"), open: true });
  });

  it("a start equal to the end is open all day", () => {
    const allDay = win({ start: "00:00", end: "00:00" });
    for (const t of ["2026-01-05 00:00", "2026-01-05 12:00", "2026-01-05 23:59"]) expect(isInWindow(local(t), allDay)).toBe(true);
    expect(nextBoundary(local("2026-01-05 12:00"), allDay)).toBeUndefined();
    const mondays = { ...allDay, days: [1] };
    expect(isInWindow(local("2026-01-05 23:59"), mondays)).toBe(true);
    expect(isInWindow(local("2026-01-06 00:00"), mondays)).toBe(false);
  });

  it("offsets move a clock time", () => {
    const w = win({ start: "08:00", startOffset: -30, end: "20:00", endOffset: 90 });
    expect(isInWindow(local("2026-01-05 07:30"), w)).toBe(true);
    expect(isInWindow(local("2026-01-05 21:29"), w)).toBe(true);
    expect(isInWindow(local("2026-01-05 21:30"), w)).toBe(false);
  });
});

describe("a window across midnight (22:00 → 06:00)", () => {
  const night = win();
  it("is open late in the evening and early in the morning", () => {
    expect(isInWindow(local("2026-01-05 21:59"), night)).toBe(false);
    expect(isInWindow(local("2026-01-05 22:00"), night)).toBe(true);
    expect(isInWindow(local("2026-01-05 23:59"), night)).toBe(true);
    expect(isInWindow(local("2026-01-06 00:00"), night)).toBe(true);
    expect(isInWindow(local("2026-01-06 05:59"), night)).toBe(true);
    expect(isInWindow(local("2026-01-06 06:00"), night)).toBe(false);
    expect(isInWindow(local("2026-01-06 12:00"), night)).toBe(false);
    expect(nextBoundary(local("2026-01-05 23:00"), night)).toEqual({ at: local("2026-01-06 06:00"), open: false });
  });

  it("belongs to the weekday it opens on: a Friday night window is open early on Saturday, not early on Friday", () => {
    const fridays = { ...night, days: [5] };
    expect(isInWindow(local("2026-01-09 03:00"), fridays)).toBe(false); // Thursday's night
    expect(isInWindow(local("2026-01-09 23:00"), fridays)).toBe(true);
    expect(isInWindow(local("2026-01-10 03:00"), fridays)).toBe(true); // still Friday's night
    expect(isInWindow(local("2026-01-10 06:00"), fridays)).toBe(false);
    expect(isInWindow(local("2026-01-10 23:00"), fridays)).toBe(false);
    expect(nextBoundary(local("2026-01-10 07:00"), fridays)).toEqual({ at: local("2026-01-16 22:00"), open: true });
  });

  it("an end at 00:00 closes at midnight", () => {
    const evening = win({ start: "18:00", end: "00:00" });
    expect(isInWindow(local("2026-01-05 23:59"), evening)).toBe(true);
    expect(isInWindow(local("2026-01-06 00:00"), evening)).toBe(false);
  });
});

describe("daylight saving days in Europe/Berlin", () => {
  it("spring forward: a window from 02:30 opens at 03:00 CEST, the first moment after the gap", () => {
    const w = win({ start: "02:30", end: "05:00" });
    expect(isInWindow(Date.parse("2026-03-29T00:59:00Z"), w)).toBe(false); // 01:59 CET
    expect(isInWindow(Date.parse("2026-03-29T01:00:00Z"), w)).toBe(true); // 03:00 CEST
    expect(nextBoundary(Date.parse("2026-03-28T23:00:00Z"), w)).toEqual({ at: Date.parse("2026-03-29T01:00:00Z"), open: true });
    expect(nextBoundary(Date.parse("2026-03-29T01:00:00Z"), w)).toEqual({ at: Date.parse("2026-03-29T03:00:00Z"), open: false });
  });

  it("spring forward: the 22:00 → 06:00 night is an hour shorter", () => {
    const opens = nextBoundary(local("2026-03-28 12:00"), win())!;
    const closes = nextBoundary(opens.at, win())!;
    expect(iso(opens.at)).toBe("2026-03-28T21:00:00.000Z");
    expect(iso(closes.at)).toBe("2026-03-29T04:00:00.000Z");
    expect(closes.at - opens.at).toBe(7 * 60 * MINUTE);
  });

  it("fall back: 02:30 → 03:30 opens at the first 02:30 and stays open through the repeated hour", () => {
    const w = win({ start: "02:30", end: "03:30" });
    expect(isInWindow(Date.parse("2026-10-25T00:29:00Z"), w)).toBe(false);
    expect(isInWindow(Date.parse("2026-10-25T00:30:00Z"), w)).toBe(true); // 02:30 CEST
    expect(isInWindow(Date.parse("2026-10-25T01:45:00Z"), w)).toBe(true); // 02:45 CET, second pass
    expect(isInWindow(Date.parse("2026-10-25T02:30:00Z"), w)).toBe(false); // 03:30 CET
    expect(nextBoundary(Date.parse("2026-10-25T00:30:00Z"), w)).toEqual({ at: Date.parse("2026-10-25T02:30:00Z"), open: false });
  });

  it("fall back: the 22:00 → 06:00 night is an hour longer", () => {
    const opens = nextBoundary(local("2026-10-24 12:00"), win())!;
    const closes = nextBoundary(opens.at, win())!;
    expect(closes.at - opens.at).toBe(9 * 60 * MINUTE);
  });
});

describe("sun events", () => {
  const night = win({ start: "sunset", end: "sunrise" });
  const suncalcBerlin = getTimes(new Date(local("2026-06-21 12:00")), BERLIN_LOCATION.latitude, BERLIN_LOCATION.longitude);

  it("sunset in Berlin on 2026-06-21 is suncalc's, about 21:33 local time", () => {
    const opens = nextBoundary(local("2026-06-21 12:00"), night, BERLIN_LOCATION)!;
    expect(opens.open).toBe(true);
    expect(opens.at).toBe(suncalcBerlin.sunset!.getTime());
    expect(Math.abs(opens.at - local("2026-06-21 21:33"))).toBeLessThan(2 * MINUTE);
    const closes = nextBoundary(opens.at, night, BERLIN_LOCATION)!;
    expect(closes.open).toBe(false);
    // The next morning's sunrise, about 04:43.
    expect(Math.abs(closes.at - local("2026-06-22 04:43"))).toBeLessThan(3 * MINUTE);
  });

  it("sunset → sunrise is open at night and closed by day", () => {
    expect(isInWindow(local("2026-06-21 12:00"), night, BERLIN_LOCATION)).toBe(false);
    expect(isInWindow(local("2026-06-21 23:00"), night, BERLIN_LOCATION)).toBe(true);
    expect(isInWindow(local("2026-06-22 03:00"), night, BERLIN_LOCATION)).toBe(true);
    expect(isInWindow(local("2026-12-21 17:00"), night, BERLIN_LOCATION)).toBe(true);
    expect(isInWindow(local("2026-12-21 09:00"), night, BERLIN_LOCATION)).toBe(false);
  });

  it("an offset moves the sun event by real minutes", () => {
    const later = win({ start: "sunset", startOffset: 30, end: "23:30" });
    const opens = nextBoundary(local("2026-06-21 12:00"), later, BERLIN_LOCATION)!;
    expect(opens.at).toBe(suncalcBerlin.sunset!.getTime() + 30 * MINUTE);
    expect(isInWindow(suncalcBerlin.sunset!.getTime() + 10 * MINUTE, later, BERLIN_LOCATION)).toBe(false);
    expect(isInWindow(local("2026-06-21 23:00"), later, BERLIN_LOCATION)).toBe(true);
    expect(isInWindow(local("2026-06-21 23:30"), later, BERLIN_LOCATION)).toBe(false);
  });

  it("a sun event on a DST day is suncalc's instant for that local date", () => {
    const dusk = win({ start: "dusk", end: "23:00" });
    const expected = getTimes(new Date(local("2026-03-29 12:00")), BERLIN_LOCATION.latitude, BERLIN_LOCATION.longitude).dusk!;
    expect(nextBoundary(local("2026-03-29 12:00"), dusk, BERLIN_LOCATION)).toEqual({ at: expected.getTime(), open: true });
    expect(localDateTime(expected.getTime(), BERLIN).hour).toBe(20); // ~20:20 CEST
  });

  it("a sun event without a location is an error naming what to set", () => {
    expect(() => isInWindow(0, night)).toThrow(TimeWindowError);
    expect(() => nextBoundary(0, night)).toThrow(
      "time window: sunset needs a location: set latitude/longitude in the node or FLOWHOUSE_LATITUDE/FLOWHOUSE_LONGITUDE",
    );
  });
});

describe("polar days and nights (Tromsø, 69.65 N)", () => {
  const OSLO = "Europe/Oslo";
  const night = win({ start: "sunset", end: "sunrise", timezone: OSLO });
  const day = win({ start: "sunrise", end: "sunset", timezone: OSLO });
  const at = (t: string) => local(t, OSLO);

  it("suncalc has no sunset at midsummer: no crash, a report, and the night window stays closed", () => {
    const missing: MissingSunEvent[] = [];
    expect(isInWindow(at("2026-06-21 00:30"), night, TROMSO, (m) => missing.push(m))).toBe(false);
    expect(isInWindow(at("2026-06-21 12:00"), night, TROMSO)).toBe(false);
    expect(missing).toContainEqual({ event: "sunrise", date: "2026-06-21", sunAbove: true });
    expect(isInWindow(at("2026-06-21 00:30"), day, TROMSO)).toBe(true);
  });

  it("through the whole midnight-sun season the night window never opens", () => {
    // Including the last short night before it: suncalc's last sunset has no sunrise after it.
    let openHours = 0;
    for (let t = at("2026-05-28 00:00"); t < at("2026-07-14 00:00"); t += 60 * MINUTE) {
      if (isInWindow(t, night, TROMSO)) openHours++;
    }
    expect(openHours).toBe(0);
  });

  it("in the polar night the night window stays open and the day window closed", () => {
    expect(isInWindow(at("2026-12-21 12:00"), night, TROMSO)).toBe(true);
    expect(isInWindow(at("2026-12-21 12:00"), day, TROMSO)).toBe(false);
    // The next boundary is the first sunrise of the new year, weeks away.
    const next = nextBoundary(at("2026-12-21 12:00"), night, TROMSO)!;
    expect(next.open).toBe(false);
    expect(next.at).toBeGreaterThan(at("2027-01-05 00:00"));
    expect(next.at).toBeLessThan(at("2027-01-25 00:00"));
  });

  it("a window from a sunset that never happens until a clock time stays closed", () => {
    const evening = win({ start: "sunset", end: "23:00", timezone: OSLO });
    expect(isInWindow(at("2026-06-21 23:30"), evening, TROMSO)).toBe(false);
    expect(isInWindow(at("2026-06-21 22:30"), evening, TROMSO)).toBe(false);
  });

  it("the next boundary after midsummer is the first sunset, weeks later", () => {
    const next = nextBoundary(at("2026-06-21 12:00"), night, TROMSO)!;
    expect(next.open).toBe(true);
    expect(next.at).toBeGreaterThan(at("2026-07-15 00:00"));
    expect(next.at).toBeLessThan(at("2026-08-01 00:00"));
  });
});
