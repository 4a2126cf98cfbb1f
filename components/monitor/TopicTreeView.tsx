"use client";
/**
 * The live topic tree, virtualized (@tanstack/react-virtual): only the rows on screen are in
 * the DOM, so 20,000 topics scroll smoothly. Rows come from flattenTree (model/flatten.ts).
 * Keyboard: ↑/↓ move, → opens or goes to the first child, ← closes or goes to the parent,
 * Enter/Space opens or closes.
 */
import { memo, useEffect, useMemo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { flattenTree, type ExpandState, type FlatRow } from "./model/flatten";
import type { TopicTree } from "./model/topic-tree";
import { formatAge, formatCount, formatRate, oneLine, plural } from "./model/format";

export const ROW_HEIGHT = 28;

export interface TopicTreeViewProps {
  tree: TopicTree;
  version: number;
  expand: ExpandState;
  q: string;
  selected: string | null;
  now: number;
  onSelect: (path: string) => void;
  onExpand: (path: string, open: boolean) => void;
  onSysOpen: (open: boolean) => void;
  onMatchCount?: (n: number) => void;
  /** Rows to scroll to once (after a reveal). */
  scrollTo: string | null;
  onScrolled: () => void;
  empty: React.ReactNode;
}

export function TopicTreeView(props: TopicTreeViewProps) {
  const { tree, version, expand, q, selected, now, onSelect, onExpand, onSysOpen, onMatchCount, scrollTo, onScrolled, empty } = props;
  // The tree is mutable: `version` says it changed.
  const { rows, matchCount } = useMemo(() => (version >= 0 ? flattenTree(tree, expand, q) : { rows: [], matchCount: 0 }), [tree, version, expand, q]);
  useEffect(() => onMatchCount?.(matchCount), [matchCount, onMatchCount]);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.key ?? i,
  });

  const indexOf = useMemo(() => {
    const m = new Map<string, number>();
    rows.forEach((r, i) => m.set(r.key, i));
    return m;
  }, [rows]);

  useEffect(() => {
    if (!scrollTo) return;
    const i = indexOf.get(scrollTo);
    if (i !== undefined) {
      virtualizer.scrollToIndex(i, { align: "auto" });
      onScrolled();
    }
  }, [scrollTo, indexOf, virtualizer, onScrolled]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0) return;
    const cur = selected !== null ? indexOf.get(selected) : undefined;
    const go = (i: number) => {
      const r = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (!r) return;
      if (r.kind === "node") onSelect(r.key);
      virtualizer.scrollToIndex(Math.max(0, Math.min(rows.length - 1, i)), { align: "auto" });
    };
    const row = cur !== undefined ? rows[cur] : undefined;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        go(cur === undefined ? 0 : cur + 1 < rows.length && rows[cur + 1].kind === "section" ? cur + 2 : cur + 1);
        break;
      case "ArrowUp":
        e.preventDefault();
        go(cur === undefined ? 0 : rows[cur - 1]?.kind === "section" ? cur - 2 : cur - 1);
        break;
      case "ArrowRight":
        if (row?.kind === "node" && row.hasChildren) {
          e.preventDefault();
          if (!row.expanded) onExpand(row.key, true);
          else go((cur ?? 0) + 1);
        }
        break;
      case "ArrowLeft":
        if (row?.kind === "node") {
          e.preventDefault();
          if (row.expanded) onExpand(row.key, false);
          else if (row.node.parent && row.node.parent.depth >= 0) onSelect(row.node.parent.path);
        }
        break;
      case "Enter":
      case " ":
        if (row?.kind === "node" && row.hasChildren) {
          e.preventDefault();
          onExpand(row.key, !row.expanded);
        }
        break;
    }
  };

  return (
    <div
      className="fh-mon-tree"
      ref={scrollRef}
      role="tree"
      aria-label="Topics"
      tabIndex={0}
      data-testid="monitor-tree"
      data-rows={rows.length}
      onKeyDown={onKeyDown}
    >
      {rows.length === 0 ? (
        <div className="fh-mon-tree-empty">{empty}</div>
      ) : (
        <div className="fh-mon-tree-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = rows[v.index];
            return (
              <div key={v.key} className="fh-mon-row-slot" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}>
                {r.kind === "section" ? (
                  <SectionRow row={r} onToggle={() => onSysOpen(!r.open)} />
                ) : (
                  <NodeRow row={r} selected={selected === r.key} now={now} lastTime={r.node.row?.lastTime ?? 0} version={r.node.row ? r.node.row.messages : r.node.messages} onSelect={onSelect} onExpand={onExpand} />
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

function SectionRow({ row, onToggle }: { row: Extract<FlatRow, { kind: "section" }>; onToggle: () => void }) {
  return (
    <button type="button" className="fh-mon-section" aria-expanded={row.open} data-testid="tree-section-sys" onClick={onToggle}>
      <span className="fh-mon-chev" aria-hidden>
        {row.open ? "▾" : "▸"}
      </span>
      <span className="fh-mon-section-label">{row.label}</span>
      <span className="fh-mon-counts">
        {plural(row.topics, "topic")} · {formatCount(row.messages)} msgs
      </span>
    </button>
  );
}

interface NodeRowProps {
  row: Extract<FlatRow, { kind: "node" }>;
  selected: boolean;
  now: number;
  /** Props that change when the node's data changes (the node object itself is mutable). */
  lastTime: number;
  version: number;
  onSelect: (path: string) => void;
  onExpand: (path: string, open: boolean) => void;
}

const NodeRow = memo(function NodeRow({ row, selected, now, onSelect, onExpand }: NodeRowProps) {
  const n = row.node;
  const r = n.row;
  const depth = n.depth;
  const quiet = r ? now - r.lastTime : Infinity;
  const rate = r ? formatRate(r.rate, quiet) : "";
  return (
    <div
      className={`fh-mon-row${selected ? " is-selected" : ""}${row.match ? " is-match" : ""}${r ? "" : " is-branch"}`}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={selected}
      data-testid={`tree-row-${n.path}`}
      style={{ paddingLeft: 6 + depth * 16 }}
      onClick={() => onSelect(n.path)}
    >
      {row.hasChildren ? (
        <button
          type="button"
          className="fh-mon-chev"
          tabIndex={-1}
          aria-label={row.expanded ? `Close ${n.path}` : `Open ${n.path}`}
          onClick={(e) => {
            e.stopPropagation();
            onExpand(n.path, !row.expanded);
          }}
        >
          {row.expanded ? "▾" : "▸"}
        </button>
      ) : (
        <span className="fh-mon-chev is-leaf" aria-hidden />
      )}
      <span className="fh-mon-name" title={n.path}>
        {n.name === "" ? <em className="fh-muted">(empty)</em> : n.name}
      </span>
      {r ? (
        <span key={r.lastTime} className={`fh-mon-value${quiet < 1500 ? " is-fresh" : ""}`} title={r.truncated ? `${r.value}… (${r.size} bytes)` : r.value}>
          {r.size === 0 ? <em className="fh-muted">empty</em> : r.encoding === "base64" ? <em className="fh-muted">binary, {r.size} B</em> : oneLine(r.value, 160)}
        </span>
      ) : (
        <span className="fh-mon-value" />
      )}
      <span className="fh-mon-meta">
        {row.hasChildren ? (
          <span className="fh-mon-counts" title={`${plural(n.topics, "topic")}, ${plural(n.messages, "message")} at or below ${n.path}`}>
            {formatCount(n.topics)} {n.topics === 1 ? "topic" : "topics"} · {formatCount(n.messages)} msgs
          </span>
        ) : null}
        {r ? (
          <>
            {r.retained ? (
              <span className="fh-mon-badge is-retained" title="Retained: the broker keeps this value for new subscribers">
                R
              </span>
            ) : null}
            <span className="fh-mon-badge is-qos" title={`QoS ${r.qos}`}>
              Q{r.qos}
            </span>
            {!row.hasChildren ? (
              <span className="fh-mon-count" title={plural(r.messages, "message")}>
                {formatCount(r.messages)}
              </span>
            ) : null}
            <span className="fh-mon-rate">{rate}</span>
            <span className="fh-mon-age" title={new Date(r.lastTime).toLocaleString()}>
              {formatAge(now - r.lastTime)}
            </span>
          </>
        ) : null}
      </span>
    </div>
  );
});
