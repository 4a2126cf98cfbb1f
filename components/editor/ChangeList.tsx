"use client";
/** Node changes (added / changed / removed) by tab, with the settings a changed node changed. */
import { memo, useState } from "react";
import { shortValue, type NodeChange } from "./model/deploy-preview";

const KIND_LABEL = { added: "added", changed: "changed", removed: "removed" } as const;

export const ChangeList = memo(function ChangeList({
  changes,
  onSelectNode,
}: {
  changes: readonly NodeChange[];
  onSelectNode?: (nodeId: string) => void;
}) {
  return (
    <ul className="fh-changes" data-testid="change-list">
      {changes.map((c) => (
        <ChangeRow key={`${c.kind}:${c.id}`} change={c} onSelectNode={c.kind === "removed" ? undefined : onSelectNode} />
      ))}
    </ul>
  );
});

function ChangeRow({ change: c, onSelectNode }: { change: NodeChange; onSelectNode?: (nodeId: string) => void }) {
  const [open, setOpen] = useState(c.fields.length > 0 && c.fields.length <= 4);
  const name = onSelectNode ? (
    <button type="button" className="fh-link" onClick={() => onSelectNode(c.id)} title="Show this node">
      {c.label}
    </button>
  ) : (
    <span>{c.label}</span>
  );
  return (
    <li className={`fh-change is-${c.kind}`} data-testid="change-row" data-kind={c.kind} data-node-id={c.id}>
      <div className="fh-change-line">
        <span className={`fh-change-kind is-${c.kind}`}>{KIND_LABEL[c.kind]}</span>
        <span className="fh-change-name">{name}</span>
        {c.type && c.label !== c.type && <span className="fh-muted fh-small">{c.type}</span>}
        <span className="fh-muted fh-small fh-change-flow">{c.flowName ? `on ${c.flowName}` : c.flowId === null && c.type ? "config node" : ""}</span>
        {c.fields.length > 0 && (
          <button type="button" className="fh-link fh-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? "▾" : "▸"} {c.fields.length} setting{c.fields.length === 1 ? "" : "s"}
          </button>
        )}
      </div>
      {open && c.fields.length > 0 && (
        <table className="fh-change-fields">
          <tbody>
            {c.fields.map((f) => (
              <tr key={f.field} data-testid="change-field" data-field={f.field}>
                <th scope="row" title={f.field}>
                  {f.title}
                </th>
                <td className="is-before">{shortValue(f.before)}</td>
                <td aria-hidden>→</td>
                <td className="is-after">{shortValue(f.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
