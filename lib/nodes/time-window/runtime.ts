/**
 * time window behaviour: each message leaves on output 1 while the window is open, on output 2
 * (or nowhere, with one output) while it is closed. The state is computed by window.ts and
 * kept until the next boundary; a node timer wakes at each boundary to update the status
 * ("open until 22:00"). Nothing is stored: the window is a pure function of the time.
 */
import type { Location, NodeFactory, TimerHandle } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { sunEventUsed, timeWindowConfigSchema, type TimeWindowConfig } from "./definition";
import { isInWindow, nextBoundary, type Boundary, type MissingSunEvent } from "./window";
import { formatDate, localDateTime, systemTimeZone } from "./zoned-time";
import { parseNodeConfig } from "../shared/node-config";

/** The state is computed again at least this often, and the status timer wakes at least this
 * often, so a wall-clock jump (NTP, suspend/resume) is noticed within this time. */
const MAX_WAIT_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "22:00" within a day, "Mon 22:00" within a week, "2026-07-30 22:00" further away. */
export function formatBoundaryTime(at: number, now: number, timeZone: string): string {
  const l = localDateTime(at, timeZone);
  const time = `${String(l.hour).padStart(2, "0")}:${String(l.minute).padStart(2, "0")}`;
  if (at - now < DAY_MS) return time;
  if (at - now < 6 * DAY_MS) return `${WEEKDAYS[l.weekday]} ${time}`;
  return `${formatDate(l)} ${time}`;
}

export const createTimeWindowNode: NodeFactory<TimeWindowConfig> = (rawConfig, services) => {
  const label = services.name || services.id;
  const who = `Node '${label}' (time window)`;
  const parsed = parseNodeConfig(timeWindowConfigSchema, rawConfig, services, who);
  if (!parsed.ok) return { input: (msg: Msg) => services.error(parsed.error, msg) };
  const config = parsed.config;

  const location: Location | undefined =
    config.latitude !== undefined && config.longitude !== undefined
      ? { latitude: config.latitude, longitude: config.longitude }
      : services.location();
  const sunEvent = sunEventUsed(config);
  if (sunEvent && !location) {
    // The wording names what to set, in the node or for the whole installation.
    const error = new Error(
      `Node '${label}': time window: ${sunEvent} needs a location: set latitude/longitude in the node or FLOWHOUSE_LATITUDE/FLOWHOUSE_LONGITUDE`,
    );
    services.error(error);
    services.status({ fill: "red", shape: "ring", text: "needs a location" });
    return { input: (msg: Msg) => services.error(error, msg) };
  }

  const timeZone = config.timezone.trim() || systemTimeZone();
  const windowConfig = { ...config, timezone: timeZone };
  const warned = new Set<string>();

  /** Warns once per event and day, for today only (the scan looks at many days). */
  function onMissing(now: number): (m: MissingSunEvent) => void {
    const today = formatDate(localDateTime(now, timeZone));
    return (m) => {
      if (m.date !== today) return;
      const key = `${m.event}@${m.date}`;
      if (warned.has(key)) return;
      if (warned.size > 100) warned.clear();
      warned.add(key);
      const where = location ? ` at ${location.latitude}, ${location.longitude}` : "";
      services.warn(
        `${who}: ${m.event} does not happen on ${m.date}${where} (the sun stays ${m.sunAbove ? "above" : "below"} that altitude all day); the window follows the sun staying ${m.sunAbove ? "up" : "down"} until ${m.event} happens again.`,
      );
    };
  }

  interface Known {
    open: boolean;
    from: number;
    /** The state holds until here (the next boundary, or a re-check). */
    until: number;
    next?: Boundary;
  }
  let known: Known | undefined;

  function compute(now: number): Known {
    const report = onMissing(now);
    const open = isInWindow(now, windowConfig, location, report);
    const next = nextBoundary(now, windowConfig, location, report);
    known = { open, from: now, until: Math.min(next?.at ?? Infinity, now + MAX_WAIT_MS), next };
    return known;
  }

  function stateAt(now: number): Known {
    if (known && now >= known.from && now < known.until) return known;
    return compute(now);
  }

  let statusText = "";
  let timer: TimerHandle | undefined;

  function updateStatus(): void {
    const now = services.clock.now();
    let k: Known;
    try {
      k = stateAt(now);
    } catch (e) {
      services.error(e);
      return;
    }
    const until = k.next ? ` until ${formatBoundaryTime(k.next.at, now, timeZone)}` : "";
    const text = `${k.open ? "open" : "closed"}${until}`;
    if (text !== statusText) {
      statusText = text;
      services.status(k.open ? { fill: "green", shape: "dot", text } : { fill: "grey", shape: "ring", text });
    }
    timer = services.timers.setTimeout(updateStatus, Math.max(0, Math.min(k.until, now + MAX_WAIT_MS) - now));
  }

  return {
    start() {
      if (timer) return;
      updateStatus();
    },
    input(msg: Msg) {
      let open: boolean;
      try {
        open = stateAt(services.clock.now()).open;
      } catch (e) {
        services.error(e, msg);
        return;
      }
      if (open) services.send([msg, null]);
      else if (config.outputs === 2) services.send([null, msg]);
    },
    close() {
      if (timer) services.timers.clearTimeout(timer);
      timer = undefined;
    },
  };
};
