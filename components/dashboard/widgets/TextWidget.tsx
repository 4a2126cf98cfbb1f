"use client";
import { useState } from "react";
import type { Widget } from "../../../lib/dashboard/schema";
import { Age, useDashboard, useLiveValue } from "../context";
import { formatValue } from "../model/format";

type Props = { widget: Extract<Widget, { type: "text" }> };

/** Publishes what was typed when Enter is pressed. */
export function TextWidget({ widget }: Props) {
  const { publish, readOnly, editing } = useDashboard();
  const live = useLiveValue(widget);
  const [text, setText] = useState("");
  const [status, setStatus] = useState<{ kind: "idle" } | { kind: "sent"; payload: string } | { kind: "error"; message: string }>({ kind: "idle" });
  const disabled = readOnly || editing || !widget.commandTopic;
  return (
    <div className="fh-dash-text">
      <input
        type="text"
        className="fh-dash-input"
        value={text}
        placeholder={widget.placeholder || "Type and press Enter"}
        disabled={disabled}
        aria-label={widget.title || widget.commandTopic}
        data-testid={`widget-text-${widget.id}`}
        enterKeyHint="send"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          const payload = text;
          publish({ topic: widget.commandTopic, payload, retain: false, broker: widget.broker }).then(
            () => {
              setStatus({ kind: "sent", payload });
              setText("");
            },
            (err: unknown) => setStatus({ kind: "error", message: err instanceof Error ? err.message : String(err) }),
          );
        }}
      />
      {status.kind === "error" ? (
        <div className="fh-dash-problem" role="alert">
          {status.message}
        </div>
      ) : (
        <div className="fh-dash-meta">
          {live ? (
            <>
              Now: <span data-testid={`widget-value-${widget.id}`}>{formatValue(live.value)}</span> · <Age at={live.at} />
            </>
          ) : status.kind === "sent" ? (
            `Sent '${status.payload}'`
          ) : (
            `Enter publishes to ${widget.commandTopic || "(no command topic)"}`
          )}
        </div>
      )}
    </div>
  );
}
