"use client";
/** The right-hand panel for the selected node: name, generated config form, problems, help. */
import { useMemo } from "react";
import type { ConfigNode, FlowNode } from "../../lib/flow/schema";
import type { ValidationIssue } from "../../lib/api/schemas";
import type { AnyNodeDefinition } from "../../lib/nodes/types";
import { ConfigForm } from "./form/ConfigForm";
import { buildFields, configErrors, configJsonSchema, type FormField } from "./model/form-model";
import { hintsFor } from "./model/conventional-hints";

const fieldCache = new WeakMap<AnyNodeDefinition, FormField[]>();

/** Form fields per definition, built once (definitions never change at run time). */
export function formFieldsFor(def: AnyNodeDefinition): FormField[] {
  let fields = fieldCache.get(def);
  if (!fields) {
    fields = buildFields(configJsonSchema(def.config), hintsFor(def.type, def.fields));
    fieldCache.set(def, fields);
  }
  return fields;
}

export interface PropertyPanelProps {
  node: FlowNode | null;
  def: AnyNodeDefinition | undefined;
  selectionCount: number;
  issues: readonly ValidationIssue[];
  configNodes: readonly ConfigNode[];
  /** True while edits are not yet saved: server issues may describe an older config. */
  issuesStale?: boolean;
  onRename: (name: string) => void;
  onConfig: (config: Record<string, unknown>) => void;
  onDisabled: (disabled: boolean) => void;
}

export function PropertyPanel({ node, def, selectionCount, issues, configNodes, issuesStale, onRename, onConfig, onDisabled }: PropertyPanelProps) {
  const fields = useMemo(() => (def ? formFieldsFor(def) : []), [def]);
  const localErrors = useMemo(() => (def && node ? configErrors(def.config, node.config) : {}), [def, node]);

  if (!node) {
    return (
      <div className="fh-panel-empty">
        {selectionCount > 1 ? (
          <p>{selectionCount} nodes selected. Select one node to edit its properties.</p>
        ) : (
          <>
            <p>Select a node to edit its properties.</p>
            <p className="fh-muted">Drag node types from the palette onto the canvas, wire an output (right) to an input (left), then press Deploy.</p>
          </>
        )}
      </div>
    );
  }

  const nodeIssues = issues.filter((i) => i.nodeId === node.id);
  // Server-side problems tied to a field show under it unless the form already says so.
  const errors: Record<string, string[]> = { ...localErrors };
  const general: ValidationIssue[] = [];
  for (const issue of nodeIssues) {
    // While unsaved, the live schema check speaks for the fields; the server's word returns after the save.
    if (issuesStale && issue.field) continue;
    if (issue.field && fields.some((f) => f.key === issue.field || f.typeKey === issue.field || issue.field?.startsWith(`${f.key}.`))) {
      if (!errors[issue.field]) errors[issue.field] = [issue.message];
    } else {
      general.push(issue);
    }
  }
  const rootErrors = errors[""] ?? [];

  return (
    <div className="fh-props" data-testid="prop-panel">
      <div className="fh-props-head">
        <span className="fh-type-chip" style={{ background: def?.color ?? "#ccc" }}>
          {def ? def.paletteLabel : `unknown: ${node.type}`}
        </span>
        <span className="fh-muted fh-small" title="Node id">
          {node.id}
        </span>
      </div>

      <div className="fh-field">
        <label className="fh-field-label" htmlFor="prop-name">
          Name
        </label>
        <div className="fh-field-control">
          <input
            id="prop-name"
            data-testid="prop-name"
            type="text"
            value={node.name}
            placeholder={def ? "(shown as its label)" : ""}
            onChange={(e) => onRename(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      <div className="fh-field is-inline">
        <label className="fh-field-label" htmlFor="prop-disabled">
          Disabled
        </label>
        <div className="fh-field-control">
          <input id="prop-disabled" data-testid="prop-disabled" type="checkbox" checked={node.disabled} onChange={(e) => onDisabled(e.target.checked)} />
        </div>
      </div>

      {(general.length > 0 || rootErrors.length > 0) && (
        <ul className="fh-issue-box" role="alert">
          {rootErrors.map((m, i) => (
            <li key={`r${i}`} className="is-error">
              {m}
            </li>
          ))}
          {general.map((issue, i) => (
            <li key={i} className={issue.severity === "error" ? "is-error" : "is-warning"}>
              {issue.message}
            </li>
          ))}
        </ul>
      )}

      {def ? (
        <ConfigForm fields={fields} values={node.config} onChange={onConfig} errors={errors} configNodes={configNodes} />
      ) : (
        <div className="fh-unknown-note">
          <p>
            This flow uses node type <code>{node.type}</code>, which Flowhouse does not know. The node is kept as it is
            (you can move or delete it); it will not run.
          </p>
          <pre className="fh-pre">{JSON.stringify(node.config, null, 2)}</pre>
        </div>
      )}

      {def?.help && (
        <details className="fh-help" open>
          <summary>Help</summary>
          {def.help
            .split(/\n\s*\n/)
            .filter((p) => p.trim())
            .map((p, i) => (
              <p key={i}>{p.trim()}</p>
            ))}
        </details>
      )}
    </div>
  );
}
