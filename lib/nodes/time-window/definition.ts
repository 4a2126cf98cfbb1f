/**
 * time window: lets messages through only between a start and an end, each a clock time
 * ("22:00") or a sun event ("sunset") shifted by an offset in minutes, on chosen weekdays, in a
 * time zone. Flowhouse's own node (Node-RED users build it by hand from switch + context or a
 * contrib node), so its fields are ours. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";

/** The times suncalc's getTimes computes, in the order they occur over a day. */
export const SUN_EVENTS = [
  "nadir",
  "nightEnd",
  "nauticalDawn",
  "dawn",
  "sunrise",
  "sunriseEnd",
  "goldenHourEnd",
  "solarNoon",
  "goldenHour",
  "sunsetStart",
  "sunset",
  "dusk",
  "nauticalDusk",
  "night",
] as const;
export type SunEvent = (typeof SUN_EVENTS)[number];

/** A start or end: a local clock time, or a sun event. */
export type BoundarySpec = { kind: "time"; hour: number; minute: number } | { kind: "sun"; event: SunEvent };

/** Largest offset: half a day either way. */
export const MAX_OFFSET_MINUTES = 720;

const sunEventByLowerCase = new Map(SUN_EVENTS.map((e) => [e.toLowerCase(), e]));

/** "22:00" → a clock time, "sunset" (any case) → a sun event; undefined when neither. */
export function parseBoundary(text: string): BoundarySpec | undefined {
  const trimmed = text.trim();
  const m = /^(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (m) {
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    return hour <= 23 && minute <= 59 ? { kind: "time", hour, minute } : undefined;
  }
  const event = sunEventByLowerCase.get(trimmed.toLowerCase());
  return event ? { kind: "sun", event } : undefined;
}

/** Node forms send numbers as strings; blank means "use the default". */
function numberInput<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (v === null) return undefined;
    if (typeof v !== "string") return v;
    if (v.trim() === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }, schema);
}

const offsetField = (what: string) =>
  numberInput(
    z
      .number({ error: (issue) => `${what} must be a number of minutes, got '${String(issue.input)}'` })
      .min(-MAX_OFFSET_MINUTES, `${what} must be between -${MAX_OFFSET_MINUTES} and ${MAX_OFFSET_MINUTES} minutes`)
      .max(MAX_OFFSET_MINUTES, `${what} must be between -${MAX_OFFSET_MINUTES} and ${MAX_OFFSET_MINUTES} minutes`)
      .default(0),
  );

const boundaryDescription = `A time "HH:MM" (24 h, local time) or a sun event: ${SUN_EVENTS.join(", ")}.`;

export const timeWindowConfigSchema = z
  .object({
    start: z.string().default("08:00").meta({ title: "Open at", description: boundaryDescription }),
    startOffset: offsetField("startOffset").meta({
      title: "Open at: offset",
      description: "Minutes added to the start (negative: earlier), e.g. 30 for \"half an hour after sunset\".",
    }),
    end: z.string().default("20:00").meta({
      title: "Close at",
      description: `${boundaryDescription} An end earlier than the start closes the next day (22:00 → 06:00).`,
    }),
    endOffset: offsetField("endOffset").meta({ title: "Close at: offset", description: "Minutes added to the end (negative: earlier)." }),
    days: z
      .array(z.number().int().min(0).max(7))
      .default(() => [0, 1, 2, 3, 4, 5, 6])
      .meta({
        title: "On days",
        description: "Weekdays on which the window opens (0 = Sunday … 6 = Saturday). A window that runs past midnight belongs to the day it opens.",
      }),
    timezone: z.string().default("").meta({
      title: "Time zone",
      description: "IANA time zone of the clock times and weekdays, e.g. Europe/Berlin. Empty: the server's time zone.",
    }),
    latitude: numberInput(
      z.number({ error: (issue) => `latitude must be a number of degrees, got '${String(issue.input)}'` }).min(-90, "latitude must be between -90 and 90").max(90, "latitude must be between -90 and 90").optional(),
    ).meta({ title: "Latitude", description: "For sun events; empty: the installation's location (FLOWHOUSE_LATITUDE)." }),
    longitude: numberInput(
      z.number({ error: (issue) => `longitude must be a number of degrees, got '${String(issue.input)}'` }).min(-180, "longitude must be between -180 and 180").max(180, "longitude must be between -180 and 180").optional(),
    ).meta({ title: "Longitude", description: "For sun events; empty: the installation's location (FLOWHOUSE_LONGITUDE)." }),
    outputs: numberInput(
      z.union([z.literal(1), z.literal(2)], { error: (issue) => `outputs must be 1 or 2, got '${String(issue.input)}'` }).default(2),
    ).meta({ title: "Outputs", description: "2: messages outside the window leave on output 2. 1: they are dropped." }),
  })
  .loose()
  .superRefine((c, ctx) => {
    for (const field of ["start", "end"] as const) {
      if (!parseBoundary(c[field])) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${field} must be a time "HH:MM" (e.g. 22:00) or a sun event (${SUN_EVENTS.join(", ")}), got '${c[field]}'`,
        });
      }
    }
    if (c.days.length === 0) {
      ctx.addIssue({ code: "custom", path: ["days"], message: "days: choose at least one weekday (0 = Sunday … 6 = Saturday), or the window never opens" });
    }
    if (c.timezone.trim() !== "") {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: c.timezone.trim() });
      } catch {
        ctx.addIssue({
          code: "custom",
          path: ["timezone"],
          message: `timezone '${c.timezone}' is not an IANA time zone; use a name like Europe/Berlin or America/New_York, or leave it empty for the server's time zone`,
        });
      }
    }
    if ((c.latitude === undefined) !== (c.longitude === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [c.latitude === undefined ? "latitude" : "longitude"],
        message: "set both latitude and longitude, or neither (then the installation's location is used)",
      });
    }
  });

export type TimeWindowConfig = z.output<typeof timeWindowConfigSchema>;

function boundaryLabel(text: string, offset: number): string {
  if (!offset) return text;
  return `${text}${offset > 0 ? "+" : "−"}${Math.abs(offset)}`;
}

export function timeWindowLabel(config: TimeWindowConfig): string {
  return `${boundaryLabel(config.start, config.startOffset)} – ${boundaryLabel(config.end, config.endOffset)}`;
}

/** The first sun event the window uses (it then needs a location); undefined for clock times only. */
export function sunEventUsed(config: Pick<TimeWindowConfig, "start" | "end">): SunEvent | undefined {
  for (const text of [config.start, config.end]) {
    const spec = parseBoundary(text);
    if (spec?.kind === "sun") return spec.event;
  }
  return undefined;
}

export const timeWindowDefinition = defineNode({
  type: "time-window",
  category: "function",
  paletteLabel: "time window",
  color: "#c7b8e0",
  inputs: 1,
  outputs: (config) => config.outputs,
  config: timeWindowConfigSchema,
  fields: {
    start: {},
    startOffset: { unit: "min" },
    end: {},
    endOffset: { unit: "min" },
    days: {},
    timezone: {},
    latitude: { unit: "°" },
    longitude: { unit: "°" },
    outputs: {},
  },
  label: timeWindowLabel,
  help: [
    "Passes messages only while a time window is open: output 1 inside the window, output 2 outside it (or dropped with one output). Messages are not changed.",
    `Start and end are each a local time "HH:MM" or a sun event (${SUN_EVENTS.join(", ")}) plus an offset in minutes, e.g. sunset + 30 → 23:00. An end earlier than the start runs past midnight (22:00 → 06:00); such a window belongs to the weekday it opens on, so "Friday 22:00 → 06:00" is open early on Saturday.`,
    "Sun events need a location: latitude and longitude in the node, or FLOWHOUSE_LATITUDE / FLOWHOUSE_LONGITUDE for the installation. Near the poles a sun event may not happen on some days (midnight sun, polar night): the window then keeps its state until the next boundary that does happen, and the debug sidebar shows a warning.",
    "Daylight saving: a clock time that does not exist that day (02:30 when clocks jump to 03:00) counts as the first moment after the jump; a time that occurs twice counts at its first occurrence. The status shows \"open until 22:00\" or \"closed until 06:00\".",
  ].join("\n\n"),
});
