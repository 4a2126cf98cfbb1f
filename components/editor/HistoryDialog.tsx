"use client";
/**
 * Deployment history: who deployed what and when, a diff between any two deployments (or a
 * deployment and the current draft), and roll back: a deployment's flows become the draft,
 * after a confirmation; the user then reviews and deploys them.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { FlowDocument } from "../../lib/flow/schema";
import type { DeploymentSummary, DraftResponse } from "../../lib/api/schemas";
import { api } from "./api";
import { Dialog } from "./Dialog";
import { ChangeList } from "./ChangeList";
import { countChanges, describeDiff, summarize, type NodeChange } from "./model/deploy-preview";

export interface HistoryDialogProps {
  /** The draft as the editor shows it ("compare with the draft"). */
  document: FlowDocument;
  deployedId: number | null;
  /** Saves pending edits before the draft is replaced. */
  prepare?: () => Promise<void>;
  /** The rollback is done: the server's new draft. */
  onRolledBack: (draft: DraftResponse, deployment: DeploymentSummary) => void;
  onClose: () => void;
}

const DRAFT = -1;

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

export function HistoryDialog({ document, deployedId, prepare, onRolledBack, onClose }: HistoryDialogProps) {
  const [list, setList] = useState<DeploymentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Picked for comparison, oldest first after sorting; DRAFT = the current draft. */
  const [picked, setPicked] = useState<number[]>([]);
  const [docs, setDocs] = useState<Record<number, FlowDocument>>({});
  const [confirm, setConfirm] = useState<DeploymentSummary | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .deployments()
      .then((l) => {
        setList(l);
        // Start with the newest against the draft: "what did I change since the last deploy?"
        if (l[0]) setPicked([l[0].id, DRAFT]);
      })
      .catch((e: unknown) => setError((e as Error).message));
  }, []);

  useEffect(() => {
    for (const id of picked) {
      if (id === DRAFT || docs[id]) continue;
      api
        .deployment(id)
        .then((d) => setDocs((m) => ({ ...m, [id]: d.document })))
        .catch((e: unknown) => setError((e as Error).message));
    }
  }, [picked, docs]);

  const toggle = useCallback((id: number) => {
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  }, []);

  const [older, newer] = useMemo(() => {
    // Lower id = older; the draft is the newest of all.
    const sorted = [...picked].sort((a, b) => (a === DRAFT ? 1 : b === DRAFT ? -1 : a - b));
    return [sorted[0], sorted[1]];
  }, [picked]);
  const docOf = (id: number | undefined) => (id === undefined ? undefined : id === DRAFT ? document : docs[id]);
  const before = docOf(older);
  const after = docOf(newer);
  const changes: NodeChange[] | null = useMemo(() => (before && after ? describeDiff(before, after) : null), [before, after]);
  const name = (id: number | undefined) => (id === DRAFT ? "the draft" : `#${id}`);

  const rollback = async (d: DeploymentSummary) => {
    setBusy(true);
    setError(null);
    try {
      await prepare?.();
      const res = await api.rollback(d.id);
      onRolledBack(res, d);
      onClose();
    } catch (e) {
      setError(`Roll back failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  return (
    <Dialog title="Deployment history" testId="history-dialog" className="fh-dlg-wide" onClose={onClose}>
      {error && (
        <p className="fh-dlg-error" role="alert">
          {error}
        </p>
      )}
      {list === null && !error && <p className="fh-muted">Loading deployments…</p>}
      {list?.length === 0 && <p className="fh-muted">Nothing has been deployed yet: press Deploy to create the first version.</p>}
      {list && list.length > 0 && (
        <>
          <p className="fh-muted fh-small">Tick two versions to compare them. Roll back puts a version&apos;s flows in the draft; deploy it to run it.</p>
          <div className="fh-history-list" role="list">
            <HistoryRow
              label="Current draft"
              meta="not deployed yet"
              checked={picked.includes(DRAFT)}
              onToggle={() => toggle(DRAFT)}
              testId="history-row-draft"
            />
            {list.map((d) => (
              <HistoryRow
                key={d.id}
                label={`#${d.id}`}
                meta={`${when(d.createdAt)} by ${d.createdBy} · ${d.nodeCount} node${d.nodeCount === 1 ? "" : "s"}${d.id === deployedId ? " · running" : ""}`}
                note={d.note}
                checked={picked.includes(d.id)}
                onToggle={() => toggle(d.id)}
                testId={`history-row-${d.id}`}
                action={
                  confirm?.id === d.id ? (
                    <span className="fh-history-confirm" role="alert">
                      Replace the draft with #{d.id}?
                      <button type="button" className="fh-btn fh-btn-small is-danger" disabled={busy} onClick={() => void rollback(d)} data-testid="history-rollback-confirm">
                        {busy ? "Rolling back…" : "Roll back"}
                      </button>
                      <button type="button" className="fh-btn fh-btn-small" onClick={() => setConfirm(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="fh-btn fh-btn-small" onClick={() => setConfirm(d)} data-testid={`history-rollback-${d.id}`}>
                      Roll back…
                    </button>
                  )
                }
              />
            ))}
          </div>
          <section className="fh-dlg-section" aria-label="Differences" data-testid="history-diff">
            {picked.length < 2 ? (
              <p className="fh-muted">Tick two versions to see what changed between them.</p>
            ) : !changes ? (
              <p className="fh-muted">Loading…</p>
            ) : (
              <>
                <h3>
                  From {name(older)} to {name(newer)}
                  <span className="fh-muted fh-small"> · {summarize(countChanges(changes))}</span>
                </h3>
                {changes.length === 0 ? <p className="fh-muted">The nodes are the same.</p> : <ChangeList changes={changes} />}
              </>
            )}
          </section>
        </>
      )}
    </Dialog>
  );
}

function HistoryRow({
  label,
  meta,
  note,
  checked,
  onToggle,
  action,
  testId,
}: {
  label: string;
  meta: string;
  note?: string;
  checked: boolean;
  onToggle: () => void;
  action?: React.ReactNode;
  testId: string;
}) {
  return (
    <div className={`fh-history-row${checked ? " is-picked" : ""}`} role="listitem" data-testid={testId}>
      <label className="fh-history-pick">
        <input type="checkbox" checked={checked} onChange={onToggle} aria-label={`Compare ${label}`} />
        <strong>{label}</strong>
      </label>
      <span className="fh-history-meta">
        <span className="fh-small fh-muted">{meta}</span>
        {note ? <span className="fh-history-note">{note}</span> : null}
      </span>
      <span className="fh-history-action">{action}</span>
    </div>
  );
}
