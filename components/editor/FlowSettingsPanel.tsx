"use client";
/**
 * The properties panel when no node is selected: the open flow's name, enabled switch,
 * info text, position among the tabs and delete (undo brings a deleted flow back).
 */
import type { Flow } from "../../lib/flow/schema";

export interface FlowSettingsPanelProps {
  flow: Flow;
  index: number;
  count: number;
  onRename: (name: string) => void;
  onDisabled: (disabled: boolean) => void;
  onInfo: (info: string) => void;
  onMove: (toIndex: number) => void;
  onDelete: () => void;
}

export function FlowSettingsPanel({ flow, index, count, onRename, onDisabled, onInfo, onMove, onDelete }: FlowSettingsPanelProps) {
  return (
    <div className="fh-props fh-flow-settings" data-testid="flow-settings">
      <div className="fh-props-head">
        <span className="fh-type-chip fh-flow-chip">Flow</span>
        <span className="fh-muted fh-small" title="Flow id">
          {flow.id}
        </span>
      </div>
      <div className="fh-field">
        <label className="fh-field-label" htmlFor="fh-flow-name">
          Name
        </label>
        <div className="fh-field-control">
          <input
            id="fh-flow-name"
            type="text"
            key={`${flow.id}:${flow.name}`}
            defaultValue={flow.name}
            data-testid="flow-name"
            onBlur={(e) => {
              if (e.target.value.trim() && e.target.value !== flow.name) onRename(e.target.value);
              else e.target.value = flow.name;
            }}
            onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
          />
        </div>
      </div>
      <div className="fh-field is-inline">
        <div className="fh-field-control">
          <input id="fh-flow-enabled" type="checkbox" checked={!flow.disabled} onChange={(e) => onDisabled(!e.target.checked)} data-testid="flow-enabled" />
        </div>
        <label className="fh-field-label" htmlFor="fh-flow-enabled">
          Enabled
        </label>
        <div className="fh-field-desc">{flow.disabled ? "Disabled: none of this flow's nodes run after the next deploy." : "Uncheck to stop every node of this flow (after the next deploy)."}</div>
      </div>
      <div className="fh-field">
        <label className="fh-field-label" htmlFor="fh-flow-info">
          Info
        </label>
        <div className="fh-field-control">
          <textarea
            id="fh-flow-info"
            rows={6}
            value={flow.info}
            placeholder="What this flow does, which devices it drives…"
            onChange={(e) => onInfo(e.target.value)}
            data-testid="flow-info"
          />
        </div>
        <div className="fh-field-desc">Exported with the flow (Node-RED's tab info).</div>
      </div>
      <div className="fh-flow-actions">
        <button type="button" className="fh-btn fh-btn-small" disabled={index <= 0} onClick={() => onMove(index - 1)} data-testid="flow-move-left">
          ← Move left
        </button>
        <button type="button" className="fh-btn fh-btn-small" disabled={index >= count - 1} onClick={() => onMove(index + 1)} data-testid="flow-move-right">
          Move right →
        </button>
        <button type="button" className="fh-btn fh-btn-small is-danger" onClick={onDelete} data-testid="flow-delete" title="Delete this flow and its nodes (Ctrl+Z brings it back)">
          Delete flow
        </button>
      </div>
      <p className="fh-muted fh-small fh-flow-tip">
        Select a node to edit its properties. Drag node types from the palette (or press <kbd>/</kbd> on the canvas), wire an output (right) to an input
        (left), then press Deploy. <kbd>?</kbd> lists every shortcut.
      </p>
    </div>
  );
}
