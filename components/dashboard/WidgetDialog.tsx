"use client";
/** "Add widget" and a widget's settings: the type, its topic(s) and its options, validated as you save. */
import { useEffect, useRef, useState } from "react";
import type { Widget, WidgetType } from "../../lib/dashboard/schema";
import { buildWidget, defaultFormValues, widgetFields, widgetToFormValues, WIDGET_TYPES, type FormValues } from "./model/widget-form";
import { TopicInput } from "./TopicInput";

export interface WidgetDialogProps {
  /** The widget being edited, or null to add one. */
  widget: Widget | null;
  /** Id and position for a new widget of a type. */
  newBase: (type: WidgetType) => Pick<Widget, "id" | "grid">;
  onSubmit: (w: Widget) => void;
  onClose: () => void;
}

const TEST_IDS: Record<string, string> = { topic: "widget-form-topic", commandTopic: "widget-form-command" };

export function WidgetDialog({ widget, newBase, onSubmit, onClose }: WidgetDialogProps) {
  const [type, setType] = useState<WidgetType>(widget?.type ?? "value");
  const [values, setValues] = useState<FormValues>(() => (widget ? widgetToFormValues(widget) : defaultFormValues("value")));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const firstRef = useRef<HTMLSelectElement | null>(null);
  const boxRef = useRef<HTMLFormElement | null>(null);

  useEffect(() => {
    (firstRef.current ?? boxRef.current?.querySelector<HTMLInputElement>("input"))?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const changeType = (t: WidgetType) => {
    // Keep what the user typed in fields both types share (title, topic, path, ...).
    const defaults = defaultFormValues(t);
    const next: FormValues = { ...defaults };
    for (const k of Object.keys(defaults)) if (typeof values[k] === "string" && values[k] !== "" && ["title", "topic", "path", "unit", "commandTopic"].includes(k)) next[k] = values[k];
    setType(t);
    setValues(next);
    setErrors({});
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const base = widget ? { id: widget.id, grid: widget.grid, broker: widget.broker } : newBase(type);
    const r = buildWidget(type, values, base);
    if (!r.ok) {
      setErrors(r.errors);
      const first = Object.keys(r.errors)[0];
      boxRef.current?.querySelector<HTMLElement>(`[name="${first}"], #wf-${first}`)?.focus();
      return;
    }
    onSubmit(r.widget);
  };

  const typeInfo = WIDGET_TYPES.find((t) => t.type === type);
  return (
    <div className="fh-dash-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form ref={boxRef} className="fh-dash-dialog" role="dialog" aria-modal="true" aria-labelledby="fh-dash-dialog-title" onSubmit={submit} noValidate>
        <h2 id="fh-dash-dialog-title">{widget ? "Widget settings" : "Add widget"}</h2>
        <label className="fh-dash-field">
          <span>Type</span>
          <select ref={firstRef} className="fh-dash-input" value={type} data-testid="widget-form-type" disabled={widget !== null} onChange={(e) => changeType(e.target.value as WidgetType)}>
            {WIDGET_TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
          {typeInfo ? <small className="fh-muted">{typeInfo.help}</small> : null}
        </label>
        {widgetFields(type).map((f) => {
          const err = errors[f.key];
          const id = `wf-${f.key}`;
          const testId = TEST_IDS[f.key] ?? `widget-form-${f.key}`;
          if (f.kind === "checkbox") {
            return (
              <label key={f.key} className="fh-dash-field is-check">
                <input id={id} name={f.key} type="checkbox" checked={values[f.key] === true} data-testid={testId} onChange={(e) => setValues({ ...values, [f.key]: e.target.checked })} />
                <span>{f.label}</span>
              </label>
            );
          }
          const value = typeof values[f.key] === "string" ? (values[f.key] as string) : "";
          const set = (v: string) => {
            setValues({ ...values, [f.key]: v });
            if (err) setErrors(({ [f.key]: _gone, ...rest }) => rest);
          };
          return (
            <div key={f.key} className={`fh-dash-field${err ? " is-invalid" : ""}`}>
              <label htmlFor={id}>
                {f.label}
                {f.required ? <span aria-hidden> *</span> : null}
              </label>
              {f.key === "topic" || f.key === "commandTopic" ? (
                <TopicInput id={id} value={value} onChange={set} testId={testId} placeholder={f.placeholder} invalid={!!err} describedBy={err ? `${id}-err` : undefined} />
              ) : (
                <input
                  id={id}
                  name={f.key}
                  type="text"
                  inputMode={f.kind === "number" ? "decimal" : undefined}
                  className="fh-dash-input"
                  value={value}
                  placeholder={f.placeholder}
                  aria-invalid={!!err}
                  aria-describedby={err ? `${id}-err` : undefined}
                  data-testid={testId}
                  onChange={(e) => set(e.target.value)}
                />
              )}
              {err ? (
                <small id={`${id}-err`} className="fh-dash-field-error" role="alert">
                  {err}
                </small>
              ) : null}
            </div>
          );
        })}
        {errors.form ? <p className="fh-dash-field-error">{errors.form}</p> : null}
        <div className="fh-dash-dialog-actions">
          <button type="button" className="fh-btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="fh-btn is-primary" data-testid="widget-form-submit">
            {widget ? "Apply" : "Add widget"}
          </button>
        </div>
      </form>
    </div>
  );
}
