"use client";
/**
 * Context tab: node, flow and global context as the runtime holds it (it survives restarts).
 * Loaded when the tab opens and on Refresh; a click on a node-scoped entry selects the node.
 */
import { useCallback, useEffect, useState } from "react";
import type { ContextEntry } from "../../lib/api/schemas";
import { api, ApiRequestError } from "./api";

interface Props {
  nodeName(id: string): string | undefined;
  flowName(id: string): string | undefined;
  onSelectNode(id: string): void;
}

export function ContextSidebar({ nodeName, flowName, onSelectNode }: Props) {
  const [values, setValues] = useState<ContextEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    api
      .context()
      .then((r) => setValues(r.values))
      .catch((e: unknown) => setError(e instanceof ApiRequestError ? e.message : String(e)));
  }, []);
  useEffect(load, [load]);

  const groups: { title: string; entries: ContextEntry[]; nodeId?: string }[] = [];
  for (const entry of values ?? []) {
    const title =
      entry.scope === "global"
        ? "Global"
        : entry.scope === "flow"
          ? `Flow: ${flowName(entry.scopeId) ?? entry.scopeId}`
          : `Node: ${nodeName(entry.scopeId) || entry.scopeId}`;
    let group = groups.find((g) => g.title === title);
    if (!group) groups.push((group = { title, entries: [], nodeId: entry.scope === "node" ? entry.scopeId : undefined }));
    group.entries.push(entry);
  }

  return (
    <div className="fh-context" data-testid="context-panel">
      <div className="fh-debug-bar">
        <span className="fh-muted fh-small">{values === null ? "Loading…" : `${values.length} value${values.length === 1 ? "" : "s"}`}</span>
        <button type="button" className="fh-btn fh-btn-small" onClick={load} data-testid="context-refresh">
          Refresh
        </button>
      </div>
      {error && <p className="fh-field-error" role="alert">{error}</p>}
      {values !== null && values.length === 0 && !error && (
        <p className="fh-empty">No context yet. Nodes that remember values (trigger, filter, function, change with flow/global) show them here.</p>
      )}
      {groups.map((group) => (
        <section key={group.title} className="fh-context-group">
          <h3>
            {group.nodeId ? (
              <button type="button" className="fh-link" onClick={() => onSelectNode(group.nodeId!)}>
                {group.title}
              </button>
            ) : (
              group.title
            )}
          </h3>
          <dl>
            {group.entries.map((e) => (
              <div key={`${e.scope}/${e.scopeId}/${e.key}`} className="fh-context-entry" data-testid="context-entry">
                <dt>{e.key}</dt>
                <dd>
                  <pre>{JSON.stringify(e.value, null, 2)}</pre>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
