"use client";
import type { Widget } from "../../../lib/dashboard/schema";
import { Age, useLiveValue } from "../context";
import { formatValue, toNumber } from "../model/format";
import { arcPath, gaugeFraction } from "../model/gauge";

type Props = { widget: Extract<Widget, { type: "gauge" }> };

export function GaugeWidget({ widget }: Props) {
  const live = useLiveValue(widget);
  const n = live ? toNumber(live.value) : null;
  const fraction = gaugeFraction(n, widget.min, widget.max);
  return (
    <div className="fh-dash-gauge">
      <svg viewBox="0 0 100 84" role="img" aria-label={`${formatValue(live?.value)} ${widget.unit} (from ${widget.min} to ${widget.max})`}>
        <path className="fh-dash-gauge-track" d={arcPath(50, 50, 40, 1)} />
        {fraction !== null && fraction > 0 ? <path className="fh-dash-gauge-fill" d={arcPath(50, 50, 40, fraction)} /> : null}
        <text x="50" y="52" textAnchor="middle" className="fh-dash-gauge-value" data-testid={`widget-value-${widget.id}`}>
          {live === undefined ? "–" : n === null ? formatValue(live.value) : formatValue(n, Number.isInteger(n) ? 0 : 1)}
        </text>
        <text x="50" y="64" textAnchor="middle" className="fh-dash-gauge-unit">
          {widget.unit}
        </text>
        <text x="22" y="82" textAnchor="middle" className="fh-dash-gauge-limit">
          {widget.min}
        </text>
        <text x="78" y="82" textAnchor="middle" className="fh-dash-gauge-limit">
          {widget.max}
        </text>
      </svg>
      <div className="fh-dash-meta">{live ? <Age at={live.at} /> : <span>waiting for {widget.topic}</span>}</div>
    </div>
  );
}
