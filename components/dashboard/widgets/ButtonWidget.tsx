"use client";
import { useEffect, useState } from "react";
import type { Widget } from "../../../lib/dashboard/schema";
import { useDashboard } from "../context";

type Props = { widget: Extract<Widget, { type: "button" }> };

export function ButtonWidget({ widget }: Props) {
  const { publish, readOnly, editing } = useDashboard();
  const [state, setState] = useState<{ kind: "idle" } | { kind: "sending" } | { kind: "sent" } | { kind: "error"; message: string }>({ kind: "idle" });
  useEffect(() => {
    if (state.kind !== "sent") return;
    const t = setTimeout(() => setState({ kind: "idle" }), 1500);
    return () => clearTimeout(t);
  }, [state]);
  const disabled = readOnly || editing || !widget.commandTopic || state.kind === "sending";
  return (
    <div className="fh-dash-button-wrap">
      <button
        type="button"
        className="fh-btn is-primary fh-dash-bigbtn"
        data-testid={`widget-button-${widget.id}`}
        disabled={disabled}
        title={!widget.commandTopic ? "Set a command topic in the widget's settings" : `Publishes '${widget.payload}' to ${widget.commandTopic}`}
        onClick={() => {
          setState({ kind: "sending" });
          publish({ topic: widget.commandTopic, payload: widget.payload, retain: widget.retain, broker: widget.broker }).then(
            () => setState({ kind: "sent" }),
            (e: unknown) => setState({ kind: "error", message: e instanceof Error ? e.message : String(e) }),
          );
        }}
      >
        {widget.title || "Send"}
      </button>
      {state.kind === "error" ? (
        <div className="fh-dash-problem" role="alert">
          {state.message}
        </div>
      ) : (
        <div className="fh-dash-meta">{state.kind === "sent" ? "Sent" : state.kind === "sending" ? "Sending…" : widget.commandTopic}</div>
      )}
    </div>
  );
}
