"use client";
/**
 * What Deploy will do, before it does it: the nodes added, changed (with the settings that
 * changed) and removed, by name and tab, from a dry run on the server; and the problems that
 * stop the deploy. An invalid draft cannot be deployed from here; clicking a problem selects
 * its node on the canvas.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { FlowDocument } from "../../lib/flow/schema";
import type { DeployPreviewResponse, ValidationIssue } from "../../lib/api/schemas";
import { api } from "./api";
import { Dialog } from "./Dialog";
import { ChangeList } from "./ChangeList";
import { countChanges, describeDiff, summarize } from "./model/deploy-preview";

export interface DeployPreviewProps {
  /** The draft as the editor shows it (for names). */
  document: FlowDocument;
  /** Saves pending edits first, so the server previews what the user sees. */
  prepare?: () => Promise<void>;
  /** Deploys for real (the editor's deploy, with the note typed here). */
  onDeploy: (note: string) => void;
  /** A problem was clicked: select and show its node; `issues` is the whole list. */
  onSelectNode: (nodeId: string, issues: ValidationIssue[]) => void;
  onClose: () => void;
}

type State =
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "ready"; preview: DeployPreviewResponse; before: FlowDocument | null };

export function DeployPreview({ document, prepare, onDeploy, onSelectNode, onClose }: DeployPreviewProps) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [note, setNote] = useState("");
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await prepare?.();
        const preview = await api.previewDeploy();
        // Names of removed nodes come from what is deployed now.
        const before = preview.deployedId !== null ? (await api.deployment(preview.deployedId).catch(() => null))?.document ?? null : null;
        if (!cancelled) setState({ kind: "ready", preview, before });
      } catch (e) {
        if (!cancelled) setState({ kind: "error", message: (e as Error).message });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [prepare]);

  const ready = state.kind === "ready" ? state : null;
  const changes = useMemo(() => (ready ? describeDiff(ready.before, document, ready.preview.changes) : []), [ready, document]);
  const errors = ready?.preview.issues.filter((i) => i.severity === "error") ?? [];
  const warnings = ready?.preview.issues.filter((i) => i.severity === "warning") ?? [];
  const canDeploy = ready !== null && errors.length === 0;

  useEffect(() => {
    if (canDeploy) confirmRef.current?.focus();
  }, [canDeploy]);

  const deploy = () => {
    if (!canDeploy) return;
    onDeploy(note.trim());
    onClose();
  };

  return (
    <Dialog
      title="Deploy"
      testId="deploy-preview"
      className="fh-dlg-wide"
      onClose={onClose}
      footer={
        <>
          <span className="fh-muted fh-small fh-dlg-foot-note">
            {ready ? (errors.length ? `Fix ${errors.length} problem${errors.length === 1 ? "" : "s"} to deploy.` : summarize(countChanges(changes))) : ""}
          </span>
          <button type="button" className="fh-btn" onClick={onClose}>
            Cancel
          </button>
          <button ref={confirmRef} type="button" className="fh-btn is-primary" disabled={!canDeploy} onClick={deploy} data-testid="deploy-confirm">
            Deploy
          </button>
        </>
      }
    >
      {state.kind === "loading" && <p className="fh-muted">Checking the draft…</p>}
      {state.kind === "error" && (
        <p className="fh-dlg-error" role="alert">
          Could not check the draft: {state.message}
        </p>
      )}
      {ready && (
        <>
          {errors.length > 0 && (
            <section className="fh-dlg-section" aria-label="Problems">
              <h3 className="is-error">Not deployable: {errors.length} problem{errors.length === 1 ? "" : "s"}</h3>
              <IssueList issues={errors} onSelect={(id) => onSelectNode(id, ready.preview.issues)} />
            </section>
          )}
          <section className="fh-dlg-section" aria-label="Changes">
            <h3>
              {ready.preview.deployedId === null ? "First deploy" : `Changes since deployment #${ready.preview.deployedId}`}
              <span className="fh-muted fh-small"> · {summarize(countChanges(changes))}</span>
            </h3>
            {changes.length === 0 ? (
              <p className="fh-muted">No node changes{ready.preview.deployedId === null ? "" : ": deploying restarts nothing"}.</p>
            ) : (
              <ChangeList changes={changes} onSelectNode={errors.length ? undefined : (id) => onSelectNode(id, [])} />
            )}
          </section>
          {warnings.length > 0 && (
            <section className="fh-dlg-section" aria-label="Warnings">
              <h3 className="is-warning">
                {warnings.length} warning{warnings.length === 1 ? "" : "s"} (deploys anyway)
              </h3>
              <IssueList issues={warnings} onSelect={(id) => onSelectNode(id, ready.preview.issues)} />
            </section>
          )}
          {canDeploy && (
            <label className="fh-dlg-field">
              <span>Note for the history (optional)</span>
              <input
                type="text"
                value={note}
                maxLength={500}
                placeholder="e.g. light stays on 5 minutes"
                onChange={(e) => setNote(e.target.value)}
                onKeyDown={(e) => e.key === "Enter" && deploy()}
                data-testid="deploy-note"
              />
            </label>
          )}
        </>
      )}
    </Dialog>
  );
}

function IssueList({ issues, onSelect }: { issues: readonly ValidationIssue[]; onSelect: (nodeId: string) => void }) {
  return (
    <ul className="fh-dlg-issues">
      {issues.map((issue, i) => (
        <li key={i} className={issue.severity === "error" ? "is-error" : "is-warning"}>
          {issue.nodeId ? (
            <button type="button" className="fh-issue-link" onClick={() => onSelect(issue.nodeId as string)} data-testid="deploy-preview-issue">
              {issue.message}
            </button>
          ) : (
            <span data-testid="deploy-preview-issue">{issue.message}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
