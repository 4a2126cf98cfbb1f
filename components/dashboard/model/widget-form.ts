/**
 * The add-widget and widget-settings form: which fields each widget type has, turning the
 * form's strings into a validated Widget (lib/dashboard/schema.ts) with messages that say
 * what to fix, and back. Pure.
 */
import { widgetSchema, type Widget, type WidgetType } from "../../../lib/dashboard/schema";

export type FieldKind = "text" | "number" | "checkbox";

export interface WidgetField {
  key: string;
  label: string;
  kind: FieldKind;
  placeholder?: string;
  help?: string;
  required?: boolean;
}

export type FormValues = Record<string, string | boolean>;

export const WIDGET_TYPES: { type: WidgetType; label: string; help: string }[] = [
  { type: "value", label: "Value", help: "Shows the latest value with its unit and age" },
  { type: "gauge", label: "Gauge", help: "A dial between a minimum and a maximum" },
  { type: "chart", label: "Line chart", help: "Stored history and live values of a number" },
  { type: "switch", label: "Switch", help: "On/off with a state topic and a command topic (Tasmota, Zigbee2MQTT)" },
  { type: "button", label: "Button", help: "Publishes a fixed payload when pressed" },
  { type: "slider", label: "Slider", help: "Publishes a number when released" },
  { type: "text", label: "Text input", help: "Publishes what you type when you press Enter" },
  { type: "status", label: "Status light", help: "Green when the value equals the OK value, red otherwise" },
];

const title: WidgetField = { key: "title", label: "Title", kind: "text", placeholder: "e.g. Garage light" };
const path: WidgetField = { key: "path", label: "JSON path (optional)", kind: "text", placeholder: "e.g. temperature or state.on" };
const unit: WidgetField = { key: "unit", label: "Unit", kind: "text", placeholder: "e.g. °C" };
const stateTopic = (required: boolean, label = "Topic"): WidgetField => ({
  key: "topic",
  label,
  kind: "text",
  placeholder: "e.g. house/garage/temperature",
  required,
});
const commandTopic: WidgetField = { key: "commandTopic", label: "Command topic", kind: "text", placeholder: "e.g. house/garage/light/set", required: true };
const retain: WidgetField = { key: "retain", label: "Retain commands", kind: "checkbox" };

export function widgetFields(type: WidgetType): WidgetField[] {
  switch (type) {
    case "value":
      return [title, stateTopic(true), path, unit, { key: "decimals", label: "Decimals (blank = as received)", kind: "number" }];
    case "gauge":
      return [title, stateTopic(true), path, unit, { key: "min", label: "Minimum", kind: "number" }, { key: "max", label: "Maximum", kind: "number" }];
    case "chart":
      return [title, stateTopic(true), path, unit, { key: "hours", label: "Hours of history", kind: "number" }];
    case "switch":
      return [
        title,
        stateTopic(false, "State topic"),
        path,
        commandTopic,
        { key: "onPayload", label: "ON payload", kind: "text" },
        { key: "offPayload", label: "OFF payload", kind: "text" },
        { key: "onState", label: "State value meaning on", kind: "text" },
        retain,
      ];
    case "button":
      return [title, commandTopic, { key: "payload", label: "Payload", kind: "text" }, retain];
    case "slider":
      return [
        title,
        stateTopic(false, "State topic (optional)"),
        path,
        commandTopic,
        { key: "min", label: "Minimum", kind: "number" },
        { key: "max", label: "Maximum", kind: "number" },
        { key: "step", label: "Step", kind: "number" },
        unit,
      ];
    case "text":
      return [title, stateTopic(false, "State topic (optional)"), path, commandTopic, { key: "placeholder", label: "Placeholder", kind: "text" }];
    case "status":
      return [title, stateTopic(true), path, { key: "okValue", label: "OK value", kind: "text" }];
  }
}

/** The form's starting values for a new widget of a type (the schema's defaults). */
export function defaultFormValues(type: WidgetType): FormValues {
  const parsed = widgetSchema.parse({ id: "x", type, grid: { x: 0, y: 0, w: 1, h: 1 } });
  return widgetToFormValues(parsed);
}

export function widgetToFormValues(widget: Widget): FormValues {
  const values: FormValues = {};
  for (const f of widgetFields(widget.type)) {
    const v = (widget as Record<string, unknown>)[f.key];
    if (f.kind === "checkbox") values[f.key] = v === true;
    else values[f.key] = v === undefined || v === null ? "" : String(v);
  }
  return values;
}

export type BuildResult = { ok: true; widget: Widget } | { ok: false; errors: Record<string, string> };

function publishTopicProblem(topic: string): string | null {
  if (topic.includes("+") || topic.includes("#")) return `'${topic}' contains a wildcard (+ or #): a command goes to one exact topic`;
  if (topic.includes("\u0000")) return "a topic cannot contain the NUL character";
  return null;
}

function filterProblem(topic: string): string | null {
  if (topic.includes("\u0000")) return "a topic cannot contain the NUL character";
  const levels = topic.split("/");
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l.includes("#") && (l !== "#" || i !== levels.length - 1)) return "'#' must be a whole level and the last one";
    if (l.includes("+") && l !== "+") return "'+' must be a whole level";
  }
  if (topic.includes("+") || topic.includes("#")) return `'${topic}' is a filter: a widget shows one topic, write it without + or #`;
  return null;
}

/**
 * Builds a widget from the form. Keeps the id, grid and broker of `base` (the widget being
 * edited, or the new widget's id and position).
 */
export function buildWidget(type: WidgetType, values: FormValues, base: Pick<Widget, "id" | "grid"> & { broker?: string }): BuildResult {
  const errors: Record<string, string> = {};
  const raw: Record<string, unknown> = { id: base.id, type, grid: base.grid, broker: base.broker ?? "" };
  const fields = widgetFields(type);
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === "checkbox") {
      raw[f.key] = v === true;
      continue;
    }
    const text = typeof v === "string" ? v.trim() : "";
    if (f.kind === "number") {
      if (text === "") continue; // schema default (or none)
      const n = Number(text);
      if (!Number.isFinite(n)) errors[f.key] = `${f.label} must be a number, got '${text}'`;
      else raw[f.key] = n;
      continue;
    }
    if (f.required && text === "") {
      errors[f.key] = `${f.label} is required`;
      continue;
    }
    // Payloads keep their spaces; everything else is trimmed.
    raw[f.key] = /payload|placeholder|title|onState|okValue/i.test(f.key) && typeof v === "string" ? v : text;
  }
  if (typeof raw.topic === "string" && raw.topic !== "" && !errors.topic) {
    const p = filterProblem(raw.topic);
    if (p) errors.topic = `Topic: ${p}`;
  }
  if (typeof raw.commandTopic === "string" && raw.commandTopic !== "" && !errors.commandTopic) {
    const p = publishTopicProblem(raw.commandTopic);
    if (p) errors.commandTopic = `Command topic: ${p}`;
  }
  if (typeof raw.min === "number" && typeof raw.max === "number" && raw.min >= raw.max && !errors.max) {
    errors.max = `Maximum (${raw.max}) must be greater than minimum (${raw.min})`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const parsed = widgetSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      const label = fields.find((f) => f.key === key)?.label ?? key;
      errors[key] ??= `${label}: ${issue.message}`;
    }
    return { ok: false, errors };
  }
  return { ok: true, widget: parsed.data };
}

/** A widget's heading: its title, else its topic, else its type. */
export function widgetHeading(widget: Widget): string {
  if (widget.title.trim()) return widget.title;
  const t = widget.topic || ("commandTopic" in widget ? widget.commandTopic : "");
  return t || (WIDGET_TYPES.find((x) => x.type === widget.type)?.label ?? widget.type);
}
