"use client";
/** Debug messages, newest at the bottom; sticks to the bottom unless the user scrolled up. */
import { memo, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { DebugMessageEvent } from "../../lib/server/events";
import { formatDebugValue, formatTime } from "./model/debug-log";

export interface DebugSidebarProps {
  entries: readonly DebugMessageEvent[];
  nodeName: (nodeId: string, fallback: string) => string;
  onSelectNode: (nodeId: string) => void;
  onClear: () => void;
}

export function DebugSidebar({ entries, nodeName, onSelectNode, onClear }: DebugSidebarProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [entries]);
  return (
    <div className="fh-debug">
      <div className="fh-debug-bar">
        <span className="fh-muted fh-small" data-testid="debug-count">
          {entries.length === 0 ? "No messages" : `${entries.length} message${entries.length === 1 ? "" : "s"}`}
        </span>
        <button type="button" className="fh-btn fh-btn-small" onClick={onClear} disabled={entries.length === 0} data-testid="debug-clear">
          Clear
        </button>
      </div>
      <div
        className="fh-debug-list"
        ref={listRef}
        role="log"
        aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {entries.length === 0 && (
          <p className="fh-muted fh-debug-empty">Messages reaching debug nodes appear here once the flow is deployed.</p>
        )}
        {entries.map((e) => (
          <DebugEntry key={e.id} entry={e} name={nodeName(e.nodeId, e.nodeName)} onSelectNode={onSelectNode} />
        ))}
      </div>
    </div>
  );
}

const DebugEntry = memo(function DebugEntry({
  entry,
  name,
  onSelectNode,
}: {
  entry: DebugMessageEvent;
  name: string;
  onSelectNode: (nodeId: string) => void;
}) {
  const formatted = formatDebugValue(entry.value);
  const [open, setOpen] = useState(!formatted.long);
  useEffect(() => setOpen(!formatted.long), [formatted.long]);
  return (
    <div className={`fh-debug-entry level-${entry.level}`} data-testid="debug-entry" data-node-id={entry.nodeId}>
      <div className="fh-debug-meta">
        <time dateTime={new Date(entry.time).toISOString()}>{formatTime(entry.time)}</time>
        <button type="button" className="fh-link" onClick={() => onSelectNode(entry.nodeId)} title="Select this node">
          {name || entry.nodeId}
        </button>
      </div>
      <div className="fh-debug-meta fh-small">
        {entry.topic !== undefined && entry.topic !== "" && <span className="fh-debug-topic">{entry.topic}</span>}
        <span className="fh-muted">
          {entry.property === "msg" || entry.property === "" ? "msg" : `msg.${entry.property}`} : {formatted.kind}
        </span>
      </div>
      {formatted.long ? (
        <div className="fh-debug-value">
          <button type="button" className="fh-link fh-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? "▾ collapse" : "▸ expand"}
          </button>
          <pre>{open ? formatted.full : formatted.summary}</pre>
        </div>
      ) : (
        <pre className="fh-debug-value">{formatted.full}</pre>
      )}
    </div>
  );
});
