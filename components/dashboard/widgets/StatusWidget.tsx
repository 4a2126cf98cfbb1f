"use client";
import type { Widget } from "../../../lib/dashboard/schema";
import { Age, useLiveValue } from "../context";
import { formatValue } from "../model/format";
import { statusLight } from "../model/status-light";

type Props = { widget: Extract<Widget, { type: "status" }> };

const words = { green: "OK", red: "not OK", grey: "unknown" } as const;

export function StatusWidget({ widget }: Props) {
  const live = useLiveValue(widget);
  const color = statusLight(live?.value, widget.okValue);
  return (
    <div className="fh-dash-status" data-testid={`widget-status-${widget.id}`} data-color={color}>
      <span className={`fh-dash-light is-${color}`} aria-hidden />
      <div>
        <div className="fh-dash-status-text" data-testid={`widget-value-${widget.id}`}>
          {live === undefined ? "unknown" : formatValue(live.value)}
        </div>
        <div className="fh-dash-meta">
          <span className="fh-dash-sr">{words[color]} · </span>
          {live ? <Age at={live.at} /> : <span>waiting for {widget.topic}</span>}
        </div>
      </div>
    </div>
  );
}
