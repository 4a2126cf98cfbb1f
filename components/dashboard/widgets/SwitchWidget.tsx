"use client";
import { useEffect, useState } from "react";
import type { Widget } from "../../../lib/dashboard/schema";
import { Age, useDashboard, useLiveValue } from "../context";
import { commandFailed, initialSwitch, pressSwitch, shownState, stateArrived, SWITCH_CONFIRM_TIMEOUT_MS, tickSwitch, type SwitchModel } from "../model/switch-state";

type Props = { widget: Extract<Widget, { type: "switch" }> };

export function SwitchWidget({ widget }: Props) {
  const { publish, readOnly, editing } = useDashboard();
  const live = useLiveValue(widget);
  const [model, setModel] = useState<SwitchModel>(initialSwitch);

  // Every value on the state topic updates what the device reported (and may confirm).
  useEffect(() => {
    if (live) setModel((m) => stateArrived(m, live.value, widget.onState));
  }, [live, widget.onState]);

  // An unconfirmed command is given up after the timeout.
  useEffect(() => {
    if (!model.pending) return;
    const left = model.pending.since + SWITCH_CONFIRM_TIMEOUT_MS - Date.now();
    const timer = setTimeout(() => setModel((m) => tickSwitch(m, Date.now(), widget.topic)), Math.max(0, left));
    return () => clearTimeout(timer);
  }, [model.pending, widget.topic]);

  const shown = shownState(model);
  const disabled = readOnly || editing || !widget.commandTopic;

  const onPress = () => {
    if (disabled) return;
    const res = pressSwitch(model, Date.now(), { onPayload: widget.onPayload, offPayload: widget.offPayload, hasStateTopic: widget.topic !== "" });
    setModel(res.model);
    publish({ topic: widget.commandTopic, payload: res.payload, retain: widget.retain, broker: widget.broker }).catch((e: unknown) =>
      setModel((m) => commandFailed(m, e instanceof Error ? e.message : String(e))),
    );
  };

  const label = model.pending ? `turning ${model.pending.target}…` : shown === "unknown" ? "unknown" : shown === "on" ? "On" : "Off";
  return (
    <div className="fh-dash-switch-wrap">
      <div className="fh-dash-switch-row">
        <button
          type="button"
          role="switch"
          aria-checked={shown === "on"}
          aria-label={`${widget.title || widget.commandTopic}: ${label}`}
          className={`fh-dash-switch is-${shown}${model.pending ? " is-pending" : ""}`}
          data-testid={`widget-switch-${widget.id}`}
          data-state={shown}
          data-reported={model.reported}
          data-pending={model.pending ? "true" : "false"}
          disabled={disabled}
          title={!widget.commandTopic ? "Set a command topic in the widget's settings" : readOnly ? "Read-only" : undefined}
          onClick={onPress}
        >
          <span className="fh-dash-switch-knob" aria-hidden />
        </button>
        <div className="fh-dash-switch-label" aria-live="polite">
          {label}
        </div>
      </div>
      {model.problem ? (
        <div
          className="fh-dash-problem"
          role="alert"
          title={`The device did not report the new state: it may be offline, or it reports other values than '${widget.onState}' for on (see the widget's settings).`}
        >
          {model.problem}
        </div>
      ) : (
        <div className="fh-dash-meta">{live ? <Age at={live.at} /> : widget.topic ? <span>waiting for {widget.topic}</span> : <span>no state topic</span>}</div>
      )}
    </div>
  );
}
