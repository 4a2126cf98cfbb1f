"use client";
/** One widget: its card (title, and settings/delete while editing) around the widget body. */
import { memo } from "react";
import type { Widget } from "../../lib/dashboard/schema";
import { widgetHeading } from "./model/widget-form";
import { ValueWidget } from "./widgets/ValueWidget";
import { GaugeWidget } from "./widgets/GaugeWidget";
import { ChartWidget } from "./widgets/ChartWidget";
import { SwitchWidget } from "./widgets/SwitchWidget";
import { ButtonWidget } from "./widgets/ButtonWidget";
import { SliderWidget } from "./widgets/SliderWidget";
import { TextWidget } from "./widgets/TextWidget";
import { StatusWidget } from "./widgets/StatusWidget";

function Body({ widget }: { widget: Widget }) {
  switch (widget.type) {
    case "value":
      return <ValueWidget widget={widget} />;
    case "gauge":
      return <GaugeWidget widget={widget} />;
    case "chart":
      return <ChartWidget widget={widget} />;
    case "switch":
      return <SwitchWidget widget={widget} />;
    case "button":
      return <ButtonWidget widget={widget} />;
    case "slider":
      return <SliderWidget widget={widget} />;
    case "text":
      return <TextWidget widget={widget} />;
    case "status":
      return <StatusWidget widget={widget} />;
  }
}

export interface WidgetCardProps {
  widget: Widget;
  editing: boolean;
  onSettings: (id: string) => void;
  onDelete: (id: string) => void;
}

export const WidgetCard = memo(function WidgetCard({ widget, editing, onSettings, onDelete }: WidgetCardProps) {
  const heading = widgetHeading(widget);
  return (
    <section className={`fh-dash-card is-${widget.type}${editing ? " is-editing" : ""}`} aria-label={heading}>
      <header className={`fh-dash-card-head${editing ? " fh-dash-drag" : ""}`}>
        <h3 title={widget.topic ? `${widget.topic}${widget.path ? ` → ${widget.path}` : ""}` : undefined}>{heading}</h3>
        {editing ? (
          <span className="fh-dash-card-tools fh-dash-nodrag">
            <button type="button" className="fh-icon-btn fh-dash-tool" aria-label={`Settings of ${heading}`} data-testid={`widget-settings-${widget.id}`} onClick={() => onSettings(widget.id)}>
              ⚙
            </button>
            <button type="button" className="fh-icon-btn is-danger fh-dash-tool" aria-label={`Delete ${heading}`} data-testid={`widget-delete-${widget.id}`} onClick={() => onDelete(widget.id)}>
              ✕
            </button>
          </span>
        ) : null}
      </header>
      <div className="fh-dash-card-body fh-dash-nodrag">
        <Body widget={widget} />
      </div>
    </section>
  );
});
