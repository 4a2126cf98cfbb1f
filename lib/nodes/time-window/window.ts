/**
 * When is a time window open? Pure (suncalc is pure JS): tested without clocks or timers.
 *
 * The window is a sequence of boundaries. On every chosen weekday D it opens at start(D); every
 * day it closes at end(D) — so a window that runs past midnight (22:00 → 06:00) belongs to the
 * day it opens on, and closes the next morning even when that day is not chosen. At any moment
 * the window is in the state of the latest boundary before it. Boundaries at the same instant
 * count in day order, and within a day opening wins, so a start equal to the end means "open
 * all day".
 *
 * Polar days: a sun event that does not happen on a day is no boundary ("no crossing, no
 * change"), with one refinement that keeps the common windows right. suncalc splits the sky
 * into solar days, so the last sunset before the midnight sun (just after midnight) has no
 * sunrise after it, and a sunset → sunrise window would stay open all summer. So when the sun
 * stays on one side of an event's altitude all day, the crossing that leads to that side
 * (sunrise when the sun stays up, sunset when it stays down) counts at the start of the solar
 * day (suncalc's nadir), and the other one does not happen: a sunset → sunrise window is closed
 * in the midnight sun and open through the polar night, sunrise → sunset the other way round,
 * and "sunset → 23:00" stays closed while the sun never sets.
 */
import { getPosition, getTimes } from "suncalc";
import type { Location } from "../../runtime/node-api";
import { parseBoundary, type BoundarySpec, type SunEvent, type TimeWindowConfig } from "./definition";
import { addDays, formatDate, localDateTime, systemTimeZone, weekdayOf, zonedTime, type LocalDate } from "./zoned-time";

export type WindowConfig = Pick<TimeWindowConfig, "start" | "startOffset" | "end" | "endOffset" | "days" | "timezone">;

/** A sun event that does not happen on a local date at the location. */
export interface MissingSunEvent {
  event: SunEvent;
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** The sun stays above the event's altitude all day (true) or below it (false). */
  sunAbove: boolean;
}

export type OnMissing = (missing: MissingSunEvent) => void;

export interface Boundary {
  /** ms since epoch */
  at: number;
  /** The state from this moment on. */
  open: boolean;
}

interface WindowEvent {
  at: number;
  /** Day index relative to today, for ordering boundaries at the same instant. */
  day: number;
  open: boolean;
}

/** Altitude (degrees) of each sun event and whether the sun rises through it; as in suncalc. */
const SUN_EVENT_ALTITUDE: Record<SunEvent, { degrees: number; rising: boolean } | undefined> = {
  sunrise: { degrees: -0.833, rising: true },
  sunset: { degrees: -0.833, rising: false },
  sunriseEnd: { degrees: -0.3, rising: true },
  sunsetStart: { degrees: -0.3, rising: false },
  dawn: { degrees: -6, rising: true },
  dusk: { degrees: -6, rising: false },
  nauticalDawn: { degrees: -12, rising: true },
  nauticalDusk: { degrees: -12, rising: false },
  nightEnd: { degrees: -18, rising: true },
  night: { degrees: -18, rising: false },
  goldenHourEnd: { degrees: 6, rising: true },
  goldenHour: { degrees: 6, rising: false },
  solarNoon: undefined,
  nadir: undefined,
};

/** suncalc's refraction below the horizon (degrees): its getPosition altitude is apparent. */
const REFRACTION_AT_HORIZON = 0.484;

/** How far back / ahead to look for a boundary: long enough for the longest polar night. */
const MAX_SCAN_DAYS = 400;
const MINUTE = 60_000;

interface Compiled {
  start: BoundarySpec;
  startOffset: number;
  end: BoundarySpec;
  endOffset: number;
  days: ReadonlySet<number>;
  timeZone: string;
  location?: Location;
  onMissing?: OnMissing;
  /** getTimes per local date, for this computation. */
  sunTimes: Map<string, Record<string, Date | null | undefined>>;
}

export class TimeWindowError extends Error {}

function compile(config: WindowConfig, location: Location | undefined, onMissing: OnMissing | undefined): Compiled {
  const start = parseBoundary(config.start);
  const end = parseBoundary(config.end);
  if (!start) throw new TimeWindowError(`time window: start must be a time "HH:MM" or a sun event, got '${config.start}'`);
  if (!end) throw new TimeWindowError(`time window: end must be a time "HH:MM" or a sun event, got '${config.end}'`);
  for (const spec of [start, end]) {
    if (spec.kind === "sun" && !location) {
      throw new TimeWindowError(
        `time window: ${spec.event} needs a location: set latitude/longitude in the node or FLOWHOUSE_LATITUDE/FLOWHOUSE_LONGITUDE`,
      );
    }
  }
  return {
    start,
    startOffset: config.startOffset,
    end,
    endOffset: config.endOffset,
    days: new Set(config.days.map((d) => d % 7)),
    timeZone: config.timezone.trim() || systemTimeZone(),
    location,
    onMissing,
    sunTimes: new Map(),
  };
}

type SunTimes = Record<string, Date | null | undefined>;

function sunTimesOn(date: LocalDate, c: Compiled): SunTimes {
  const key = formatDate(date);
  let times = c.sunTimes.get(key);
  if (!times) {
    // Local noon picks the solar day of this local date.
    const noon = zonedTime(date, 12, 0, c.timeZone);
    const loc = c.location as Location;
    times = getTimes(new Date(noon), loc.latitude, loc.longitude) as unknown as SunTimes;
    c.sunTimes.set(key, times);
  }
  return times;
}

function validDate(t: unknown): t is Date {
  return t instanceof Date && !Number.isNaN(t.getTime());
}

function boundaryOn(spec: BoundarySpec, offsetMinutes: number, date: LocalDate, c: Compiled): number | undefined {
  if (spec.kind === "time") return zonedTime(date, spec.hour, spec.minute + offsetMinutes, c.timeZone);
  const times = sunTimesOn(date, c);
  const t = times[spec.event];
  if (validDate(t)) return t.getTime() + offsetMinutes * MINUTE;
  // suncalc 2 gives null for an event that does not happen; older versions an Invalid Date.
  const altitude = SUN_EVENT_ALTITUDE[spec.event];
  const noon = times.solarNoon;
  const nadir = times.nadir;
  if (!altitude || !validDate(noon) || !validDate(nadir)) {
    c.onMissing?.({ event: spec.event, date: formatDate(date), sunAbove: false });
    return undefined;
  }
  const loc = c.location as Location;
  // No crossing: the sun is on one side all day, the side of its highest point.
  const highest = getPosition(noon, loc.latitude, loc.longitude).altitude - REFRACTION_AT_HORIZON;
  const sunAbove = highest > altitude.degrees;
  c.onMissing?.({ event: spec.event, date: formatDate(date), sunAbove });
  // The crossing that leads to where the sun stays counts at the start of the solar day.
  return altitude.rising === sunAbove ? nadir.getTime() + offsetMinutes * MINUTE : undefined;
}

function eventsOn(today: LocalDate, day: number, c: Compiled): WindowEvent[] {
  const date = addDays(today, day);
  const out: WindowEvent[] = [];
  const close = boundaryOn(c.end, c.endOffset, date, c);
  if (close !== undefined) out.push({ at: close, day, open: false });
  if (c.days.has(weekdayOf(date))) {
    const open = boundaryOn(c.start, c.startOffset, date, c);
    if (open !== undefined) out.push({ at: open, day, open: true });
  }
  return out;
}

/** Order of boundaries: by time, then by day, then closing before opening. */
function compareEvents(a: WindowEvent, b: WindowEvent): number {
  return a.at - b.at || a.day - b.day || Number(a.open) - Number(b.open);
}

function stateAt(now: number, c: Compiled): boolean {
  const today = localDateTime(now, c.timeZone);
  let latest: WindowEvent | undefined;
  let foundAt: number | undefined;
  // A day's boundaries lie within about a day and a half of its midnight (offsets ≤ 12 h), so
  // once one is found, three more days back cannot hold a later one.
  for (let k = 2; k >= -MAX_SCAN_DAYS; k--) {
    for (const e of eventsOn(today, k, c)) {
      if (e.at <= now && (!latest || compareEvents(e, latest) > 0)) latest = e;
    }
    if (latest && foundAt === undefined) foundAt = k;
    if (foundAt !== undefined && k <= foundAt - 3) break;
  }
  return latest?.open ?? false;
}

/** Whether the window is open at `now` (ms since epoch). Throws TimeWindowError for a bad config. */
export function isInWindow(now: number, config: WindowConfig, location?: Location, onMissing?: OnMissing): boolean {
  return stateAt(now, compile(config, location, onMissing));
}

/**
 * The next moment after `now` at which the window opens or closes, or undefined when it does
 * not change within MAX_SCAN_DAYS (no chosen day, or a sun event that never happens).
 */
export function nextBoundary(now: number, config: WindowConfig, location?: Location, onMissing?: OnMissing): Boundary | undefined {
  const c = compile(config, location, onMissing);
  const state = stateAt(now, c);
  const today = localDateTime(now, c.timeZone);
  const pending: WindowEvent[] = [];
  for (let k = -2; k <= MAX_SCAN_DAYS; k++) {
    for (const e of eventsOn(today, k, c)) if (e.at > now) pending.push(e);
    // Boundaries before midnight of day k-2 are all known: later days cannot add earlier ones.
    const horizon = k === MAX_SCAN_DAYS ? Infinity : zonedTime(addDays(today, k - 2), 0, 0, c.timeZone);
    pending.sort(compareEvents);
    while (pending.length > 0 && pending[0].at <= horizon) {
      // Boundaries at the same instant: the state after them is the last one's.
      const at = pending[0].at;
      let open = state;
      while (pending.length > 0 && pending[0].at === at) open = pending.shift()!.open;
      if (open !== state) return { at, open };
    }
  }
  return undefined;
}
