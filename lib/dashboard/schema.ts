/**
 * Dashboards: pages of widgets bound to MQTT topics. Pure and browser-safe: the dashboard UI,
 * the API and the storage validate with the same schemas. Stored as Dashboard rows with the
 * widget list as JSON (prisma/schema.prisma).
 */
import { z } from "zod";

export const DASHBOARD_SCHEMA_VERSION = 1;

/** Where a widget sits on the grid (react-grid-layout units: 12 columns, rows of ~60 px). */
export const gridPositionSchema = z.object({
  x: z.number().int().min(0).max(11),
  y: z.number().int().min(0),
  w: z.number().int().min(1).max(12),
  h: z.number().int().min(1).max(12),
});

const base = {
  id: z.string().min(1).max(100),
  title: z.string().max(200).default(""),
  /** The topic the widget shows (state topic for a switch). Empty for a button without state. */
  topic: z.string().max(65535).default(""),
  /** Optional JSON path into the payload, e.g. "temperature" or "state.on". */
  path: z.string().max(500).default(""),
  /** Broker id ("" = the default broker). */
  broker: z.string().default(""),
  grid: gridPositionSchema,
};

const unit = z.string().max(20).default("");
const commandTopic = z.string().max(65535).default("");

export const widgetSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("value"), unit, decimals: z.number().int().min(0).max(10).optional() }),
  z.object({ ...base, type: z.literal("gauge"), unit, min: z.number().default(0), max: z.number().default(100) }),
  z.object({ ...base, type: z.literal("chart"), unit, /** hours of history shown */ hours: z.number().positive().max(24 * 31).default(24) }),
  z.object({
    ...base,
    type: z.literal("switch"),
    /** Where ON/OFF commands go (a Tasmota `cmnd/.../POWER` or Zigbee2MQTT `.../set`). */
    commandTopic,
    onPayload: z.string().default("ON"),
    offPayload: z.string().default("OFF"),
    /** State values that mean "on" (compared with the value at `path`). */
    onState: z.string().default("ON"),
    retain: z.boolean().default(false),
  }),
  z.object({ ...base, type: z.literal("button"), commandTopic, payload: z.string().default(""), retain: z.boolean().default(false) }),
  z.object({
    ...base,
    type: z.literal("slider"),
    commandTopic,
    min: z.number().default(0),
    max: z.number().default(100),
    step: z.number().positive().default(1),
    unit,
  }),
  z.object({ ...base, type: z.literal("text"), commandTopic, placeholder: z.string().max(200).default("") }),
  z.object({
    ...base,
    type: z.literal("status"),
    /** Value that means OK (green); anything else red; no value yet grey. */
    okValue: z.string().default("online"),
  }),
]);
export type Widget = z.infer<typeof widgetSchema>;
export type WidgetType = Widget["type"];

export const dashboardSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1, "a dashboard needs a name").max(200),
  widgets: z.array(widgetSchema).max(200, "a dashboard holds at most 200 widgets"),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const dashboardListSchema = z.object({ dashboards: z.array(dashboardSchema) });
export type DashboardList = z.infer<typeof dashboardListSchema>;
