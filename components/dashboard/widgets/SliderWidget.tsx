"use client";
import { useState } from "react";
import type { Widget } from "../../../lib/dashboard/schema";
import { useDashboard, useLiveValue } from "../context";
import { toNumber } from "../model/format";

type Props = { widget: Extract<Widget, { type: "slider" }> };

/** Publishes when released (pointer up or a key press), never while dragging. */
export function SliderWidget({ widget }: Props) {
  const { publish, readOnly, editing } = useDashboard();
  const live = useLiveValue(widget);
  const reported = live ? toNumber(live.value) : null;
  const [dragValue, setDragValue] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [lastSent, setLastSent] = useState<number | null>(null);
  const value = dragValue ?? reported ?? lastSent ?? widget.min;
  const disabled = readOnly || editing || !widget.commandTopic;

  const commit = () => {
    if (dragValue === null) return;
    const v = dragValue;
    setDragValue(null);
    setLastSent(v);
    setProblem(null);
    publish({ topic: widget.commandTopic, payload: String(v), retain: false, broker: widget.broker }).catch((e: unknown) =>
      setProblem(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <div className="fh-dash-slider">
      <div className="fh-dash-slider-value" data-testid={`widget-value-${widget.id}`}>
        {value}
        {widget.unit ? <span className="fh-dash-unit">{widget.unit}</span> : null}
      </div>
      <input
        type="range"
        min={widget.min}
        max={widget.max}
        step={widget.step}
        value={value}
        disabled={disabled}
        aria-label={widget.title || widget.commandTopic}
        data-testid={`widget-slider-${widget.id}`}
        onChange={(e) => setDragValue(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
      {problem ? (
        <div className="fh-dash-problem" role="alert">
          {problem}
        </div>
      ) : (
        <div className="fh-dash-meta">
          {widget.min} – {widget.max}
        </div>
      )}
    </div>
  );
}
