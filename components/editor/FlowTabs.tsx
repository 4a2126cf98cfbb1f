"use client";
/**
 * Flow tabs: click to open, double-click or F2 to rename, drag (or Alt+←/→) to reorder,
 * "+" to add. A disabled flow's tab is greyed and struck through. Tab settings (enable,
 * info, delete) are in the properties panel when no node is selected.
 */
import { memo, useEffect, useRef, useState } from "react";
import type { Flow } from "../../lib/flow/schema";

export interface FlowTabsProps {
  flows: readonly Flow[];
  activeFlowId: string | null;
  onSelect: (id: string) => void;
  onAdd: () => void;
  onRename: (id: string, name: string) => void;
  onMove: (id: string, toIndex: number) => void;
}

const TAB_MIME = "application/x-flowhouse-tab";

function FlowTabsImpl({ flows, activeFlowId, onSelect, onAdd, onRename, onMove }: FlowTabsProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draftName, setDraftName] = useState("");
  const [dropAt, setDropAt] = useState<number | null>(null);
  const stripRef = useRef<HTMLDivElement>(null);
  // Keep the open tab visible when the strip scrolls (many tabs, narrow screens).
  useEffect(() => {
    const el = stripRef.current?.querySelector<HTMLElement>('.fh-tab[aria-selected="true"]');
    el?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [activeFlowId, flows.length]);
  const startRename = (f: Flow) => {
    setDraftName(f.name);
    setEditing(f.id);
  };
  return (
    <div className="fh-tabs" role="tablist" aria-label="Flows" ref={stripRef}>
      {flows.map((f, index) =>
        editing === f.id ? (
          <input
            key={f.id}
            className="fh-tab-edit"
            autoFocus
            aria-label="Flow name"
            data-testid="tab-rename-input"
            value={draftName}
            onChange={(e) => setDraftName(e.target.value)}
            onFocus={(e) => e.currentTarget.select()}
            onBlur={() => {
              onRename(f.id, draftName);
              setEditing(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") e.currentTarget.blur();
              if (e.key === "Escape") {
                setDraftName(f.name);
                setEditing(null);
              }
            }}
          />
        ) : (
          <button
            key={f.id}
            type="button"
            role="tab"
            aria-selected={f.id === activeFlowId}
            className={`fh-tab${f.id === activeFlowId ? " is-active" : ""}${f.disabled ? " is-disabled" : ""}${dropAt === index ? " is-drop-target" : ""}`}
            data-testid={`tab-${f.id}`}
            data-flow-name={f.name}
            title={`${f.name}${f.disabled ? " (disabled: its nodes do not run)" : ""}. Double-click to rename, drag to reorder.`}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(TAB_MIME, f.id);
              e.dataTransfer.effectAllowed = "move";
            }}
            onDragOver={(e) => {
              if (!e.dataTransfer.types.includes(TAB_MIME)) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = "move";
              if (dropAt !== index) setDropAt(index);
            }}
            onDragLeave={() => setDropAt((d) => (d === index ? null : d))}
            onDrop={(e) => {
              const id = e.dataTransfer.getData(TAB_MIME);
              setDropAt(null);
              if (!id) return;
              e.preventDefault();
              onMove(id, index);
            }}
            onDragEnd={() => setDropAt(null)}
            onClick={() => onSelect(f.id)}
            onDoubleClick={() => startRename(f)}
            onKeyDown={(e) => {
              if (e.key === "F2") {
                e.preventDefault();
                startRename(f);
              } else if (e.altKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
                e.preventDefault();
                onMove(f.id, index + (e.key === "ArrowLeft" ? -1 : 1));
                const el = e.currentTarget;
                requestAnimationFrame(() => el.focus());
              }
            }}
          >
            {f.name}
            {f.disabled && <span className="fh-visually-hidden"> (disabled)</span>}
          </button>
        ),
      )}
      <button type="button" className="fh-tab fh-tab-add" onClick={onAdd} aria-label="Add a flow tab" title="Add a flow tab" data-testid="tab-add">
        +
      </button>
    </div>
  );
}

export const FlowTabs = memo(FlowTabsImpl);
