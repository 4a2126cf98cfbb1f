"use client";
import type { Widget } from "../../../lib/dashboard/schema";
import { Age, useLiveValue } from "../context";
import { formatValue } from "../model/format";

type Props = { widget: Extract<Widget, { type: "value" }> };

export function ValueWidget({ widget }: Props) {
  const live = useLiveValue(widget);
  return (
    <div className="fh-dash-value">
      <div className="fh-dash-value-line">
        <span className="fh-dash-value-number" data-testid={`widget-value-${widget.id}`}>
          {formatValue(live?.value, widget.decimals)}
        </span>
        {widget.unit && live !== undefined ? <span className="fh-dash-unit">{widget.unit}</span> : null}
      </div>
      <div className="fh-dash-meta">{live ? <Age at={live.at} /> : <span>waiting for {widget.topic}</span>}</div>
    </div>
  );
}
