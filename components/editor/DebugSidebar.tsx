"use client";
/**
 * Debug messages, newest at the bottom; sticks to the bottom unless the user scrolled up.
 * Filter by node, flow and text; pause (new messages wait, counted, and appear on resume);
 * clear; copy a value; objects and arrays as an expandable JSON tree. The editor keeps the
 * last 1000 messages (model/debug-log.ts).
 */
import { memo, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { DebugMessageEvent } from "../../lib/server/events";
import { formatTime } from "./model/debug-log";
import { copyText, debugSources, filterDebug, isFiltering, NO_FILTER, pausedView, type DebugFilter } from "./model/debug-filter";
import { copyToClipboard } from "./Dialog";
import { JsonTree } from "./JsonTree";

export interface DebugSidebarProps {
  entries: readonly DebugMessageEvent[];
  nodeName: (nodeId: string, fallback: string) => string;
  onSelectNode: (nodeId: string) => void;
  onClear: () => void;
  /** Tab names for the flow filter (ids are shown otherwise). */
  flowName?: (flowId: string) => string | undefined;
}

export function DebugSidebar({ entries, nodeName, onSelectNode, onClear, flowName }: DebugSidebarProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [filter, setFilter] = useState<DebugFilter>(NO_FILTER);
  const [frozen, setFrozen] = useState<readonly DebugMessageEvent[] | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const paused = frozen !== null;
  const view = paused ? pausedView(frozen, entries) : { shown: entries, waiting: 0 };
  const shown = useMemo(() => filterDebug(view.shown, filter, nodeName), [view.shown, filter, nodeName]);
  const sources = useMemo(() => debugSources(entries), [entries]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  const clear = () => {
    onClear();
    if (paused) setFrozen([]);
  };
  const copy = (e: DebugMessageEvent) => {
    void copyToClipboard(copyText(e.value)).then((ok) => {
      setCopied(ok ? e.id : null);
      if (ok) setTimeout(() => setCopied((c) => (c === e.id ? null : c)), 1500);
    });
  };

  const total = entries.length;
  const count =
    total === 0
      ? "No messages"
      : isFiltering(filter)
        ? `${shown.length} of ${view.shown.length}`
        : `${view.shown.length} message${view.shown.length === 1 ? "" : "s"}`;

  return (
    <div className="fh-debug">
      <div className="fh-debug-bar">
        <span className="fh-muted fh-small" data-testid="debug-count">
          {count}
        </span>
        <span className="fh-debug-bar-actions">
          <button
            type="button"
            className={`fh-btn fh-btn-small${paused ? " is-primary" : ""}`}
            onClick={() => setFrozen(paused ? null : entries)}
            aria-pressed={paused}
            title={paused ? "Show the messages that arrived while paused" : "Freeze the list; new messages wait"}
            data-testid="debug-pause"
          >
            {paused ? `Resume${view.waiting ? ` (${view.waiting > 999 ? "999+" : view.waiting} new)` : ""}` : "Pause"}
          </button>
          <button type="button" className="fh-btn fh-btn-small" onClick={clear} disabled={total === 0} data-testid="debug-clear">
            Clear
          </button>
        </span>
      </div>
      <div className="fh-debug-filters" role="search" aria-label="Filter debug messages">
        <input
          type="search"
          placeholder="Filter: text in topic or value"
          value={filter.text}
          onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
          aria-label="Filter by text"
          data-testid="debug-filter-text"
        />
        <select value={filter.nodeId} onChange={(e) => setFilter((f) => ({ ...f, nodeId: e.target.value }))} aria-label="Filter by node" data-testid="debug-filter-node">
          <option value="">All nodes</option>
          {sources.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {nodeName(n.id, n.name) || n.id}
            </option>
          ))}
        </select>
        <select value={filter.flowId} onChange={(e) => setFilter((f) => ({ ...f, flowId: e.target.value }))} aria-label="Filter by flow" data-testid="debug-filter-flow">
          <option value="">All flows</option>
          {sources.flows.map((id) => (
            <option key={id} value={id}>
              {flowName?.(id) ?? id}
            </option>
          ))}
        </select>
      </div>
      {paused && (
        <div className="fh-debug-paused" role="status" data-testid="debug-paused">
          Paused{view.waiting ? `: ${view.waiting} new message${view.waiting === 1 ? "" : "s"} waiting` : ""}.
        </div>
      )}
      <div
        className="fh-debug-list"
        ref={listRef}
        role="log"
        aria-live={paused ? "off" : "polite"}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {total === 0 && <p className="fh-muted fh-debug-empty">Messages reaching debug nodes appear here once the flow is deployed.</p>}
        {total > 0 && shown.length === 0 && (
          <p className="fh-muted fh-debug-empty">
            No message matches the filter.{" "}
            <button type="button" className="fh-link" onClick={() => setFilter(NO_FILTER)}>
              Show all
            </button>
          </p>
        )}
        {shown.map((e) => (
          <DebugEntry key={e.id} entry={e} name={nodeName(e.nodeId, e.nodeName)} onSelectNode={onSelectNode} onCopy={copy} copied={copied === e.id} />
        ))}
      </div>
    </div>
  );
}

const DebugEntry = memo(function DebugEntry({
  entry,
  name,
  onSelectNode,
  onCopy,
  copied,
}: {
  entry: DebugMessageEvent;
  name: string;
  onSelectNode: (nodeId: string) => void;
  onCopy: (e: DebugMessageEvent) => void;
  copied: boolean;
}) {
  return (
    <div className={`fh-debug-entry level-${entry.level}`} data-testid="debug-entry" data-node-id={entry.nodeId}>
      <div className="fh-debug-meta">
        <time dateTime={new Date(entry.time).toISOString()}>{formatTime(entry.time)}</time>
        <button type="button" className="fh-link" onClick={() => onSelectNode(entry.nodeId)} title="Select this node">
          {name || entry.nodeId}
        </button>
        <button
          type="button"
          className="fh-debug-copy fh-icon-btn"
          onClick={() => onCopy(entry)}
          title="Copy the value"
          aria-label={`Copy the value from ${name || entry.nodeId}`}
          data-testid="debug-copy"
        >
          {copied ? (
            "✓"
          ) : (
            <svg width="13" height="13" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <rect x="9" y="9" width="12" height="12" rx="2" />
              <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
            </svg>
          )}
        </button>
      </div>
      <div className="fh-debug-meta fh-small">
        {entry.topic !== undefined && entry.topic !== "" && <span className="fh-debug-topic">{entry.topic}</span>}
        <span className="fh-muted">{entry.property === "msg" || entry.property === "" ? "msg" : `msg.${entry.property}`}</span>
      </div>
      <div className="fh-debug-value">
        <JsonTree value={entry.value} />
      </div>
    </div>
  );
});
