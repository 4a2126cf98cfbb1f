import { describe, expect, it } from "vitest";
import { buildWidget, defaultFormValues, widgetFields, widgetHeading, widgetToFormValues, WIDGET_TYPES } from "./widget-form";

const base = { id: "w1", grid: { x: 0, y: 0, w: 3, h: 2 } };

describe("add-widget form", () => {
  it("builds a Tasmota-style switch with the default ON/OFF payloads", () => {
    const values = { ...defaultFormValues("switch"), topic: "lab/plug/state", commandTopic: "lab/plug/set" };
    const r = buildWidget("switch", values, base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.widget).toMatchObject({ type: "switch", topic: "lab/plug/state", commandTopic: "lab/plug/set", onPayload: "ON", offPayload: "OFF", onState: "ON", retain: false });
  });

  it("says which field is missing", () => {
    const r = buildWidget("switch", { ...defaultFormValues("switch"), topic: "a" }, base);
    expect(r).toEqual({ ok: false, errors: { commandTopic: "Command topic is required" } });
    const v = buildWidget("value", defaultFormValues("value"), base);
    expect(v.ok === false && v.errors.topic).toBe("Topic is required");
  });

  it("refuses wildcards in a command topic and filters as a widget topic", () => {
    const r = buildWidget("button", { ...defaultFormValues("button"), commandTopic: "house/+/set" }, base);
    expect(r.ok === false && r.errors.commandTopic).toMatch(/wildcard/);
    const v = buildWidget("value", { ...defaultFormValues("value"), topic: "house/#" }, base);
    expect(v.ok === false && v.errors.topic).toMatch(/filter/);
  });

  it("names a bad number and a min that is not below max", () => {
    const r = buildWidget("gauge", { ...defaultFormValues("gauge"), topic: "t", min: "abc" }, base);
    expect(r.ok === false && r.errors.min).toBe("Minimum must be a number, got 'abc'");
    const m = buildWidget("slider", { ...defaultFormValues("slider"), commandTopic: "t", min: "10", max: "5" }, base);
    expect(m.ok === false && m.errors.max).toBe("Maximum (5) must be greater than minimum (10)");
  });

  it("passes schema limits back as field messages", () => {
    const r = buildWidget("value", { ...defaultFormValues("value"), topic: "t", decimals: "20" }, base);
    expect(r.ok === false && r.errors.decimals).toMatch(/^Decimals/);
  });

  it("round-trips every widget type through the settings form", () => {
    for (const { type } of WIDGET_TYPES) {
      const values = { ...defaultFormValues(type), topic: "a/b", commandTopic: "a/b/set" };
      const r = buildWidget(type, values, base);
      expect(r.ok, type).toBe(true);
      if (!r.ok) continue;
      const again = buildWidget(type, widgetToFormValues(r.widget), base);
      expect(again).toEqual(r);
      expect(widgetFields(type)[0].key).toBe("title");
    }
  });

  it("keeps a blank decimals field as 'as received' and keeps spaces inside payloads", () => {
    const r = buildWidget("value", { ...defaultFormValues("value"), topic: " t ", decimals: "" }, base);
    expect(r.ok && r.widget.type === "value" && r.widget.decimals).toBeUndefined();
    expect(r.ok && r.widget.topic).toBe("t");
    const b = buildWidget("button", { ...defaultFormValues("button"), commandTopic: "x", payload: " hi " }, base);
    expect(b.ok && b.widget.type === "button" && b.widget.payload).toBe(" hi ");
  });

  it("titles a widget by its title, else its topic", () => {
    const r = buildWidget("value", { ...defaultFormValues("value"), topic: "house/temp" }, base);
    expect(r.ok && widgetHeading(r.widget)).toBe("house/temp");
  });
});
