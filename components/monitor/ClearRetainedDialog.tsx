"use client";
/**
 * Clearing retained messages, safely: a dry run lists what would be cleared, the dialog
 * states how many topics ("Clear 12 retained topics under house/#?") and lists them; only
 * the confirmation clears them.
 */
import { useEffect, useState } from "react";
import type { ClearRetainedResponse } from "../../lib/monitor/events";
import { monitorApi } from "./api";
import { plural } from "./model/format";

export type ClearScope = "topic" | "subtree";

export interface ClearRetainedDialogProps {
  broker: string;
  path: string;
  /** Whether `path` itself carries a value (topic scope possible). */
  isTopic: boolean;
  /** Whether `path` has levels below it (subtree scope possible). */
  hasChildren: boolean;
  onClose: () => void;
  onCleared: (res: ClearRetainedResponse) => void;
}

export function ClearRetainedDialog({ broker, path, isTopic, hasChildren, onClose, onCleared }: ClearRetainedDialogProps) {
  const [scope, setScope] = useState<ClearScope>(hasChildren ? "subtree" : "topic");
  const [preview, setPreview] = useState<ClearRetainedResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const request = (dryRun: boolean) => (scope === "topic" ? { broker, topic: path, dryRun } : { broker, prefix: path, dryRun });

  useEffect(() => {
    let cancelled = false;
    setPreview(null);
    setError(null);
    monitorApi.clearRetained(scope === "topic" ? { broker, topic: path, dryRun: true } : { broker, prefix: path, dryRun: true }).then(
      (r) => !cancelled && setPreview(r),
      (e: unknown) => !cancelled && setError(`Could not list the retained topics: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      cancelled = true;
    };
  }, [broker, path, scope]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await monitorApi.clearRetained(request(false));
      onCleared(res);
    } catch (e) {
      setError(`Nothing was cleared: ${e instanceof Error ? e.message : String(e)}`);
      setBusy(false);
    }
  };

  const where = preview ? preview.filter : scope === "topic" ? path : `${path}/#`;
  const title = !preview ? "Clear retained messages" : preview.count === 0 ? `No retained topics ${scope === "topic" ? `at ${where}` : `under ${where}`}` : scope === "topic" ? `Clear the retained message of ${where}?` : `Clear ${plural(preview.count, "retained topic")} under ${where}?`;

  return (
    <div className="fh-mon-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="fh-mon-dialog" role="alertdialog" aria-modal="true" aria-labelledby="fh-mon-clear-title" data-testid="clear-dialog">
        <h2 id="fh-mon-clear-title" data-testid="clear-title">
          {title}
        </h2>
        {isTopic && hasChildren ? (
          <div className="fh-mon-scope" role="radiogroup" aria-label="What to clear">
            <label>
              <input type="radio" name="fh-mon-scope" checked={scope === "topic"} data-testid="clear-scope-topic" onChange={() => setScope("topic")} /> only {path}
            </label>
            <label>
              <input type="radio" name="fh-mon-scope" checked={scope === "subtree"} data-testid="clear-scope-subtree" onChange={() => setScope("subtree")} /> {path} and everything below ({path}/#)
            </label>
          </div>
        ) : null}
        {!preview && !error ? <p className="fh-muted">Asking the broker which topics hold a retained message…</p> : null}
        {preview && preview.count > 0 ? (
          <>
            <p>
              The broker forgets these values: new subscribers will not get them any more. Devices that publish them again (e.g. on reconnect) will bring them back.
            </p>
            <ul className="fh-mon-clear-list" data-testid="clear-list" data-count={preview.count}>
              {preview.topics.slice(0, 500).map((t) => (
                <li key={t}>
                  <code>{t}</code>
                </li>
              ))}
              {preview.topics.length > 500 ? <li className="fh-muted">… and {preview.topics.length - 500} more</li> : null}
            </ul>
          </>
        ) : null}
        {preview && preview.count === 0 ? <p className="fh-muted">The broker holds no retained message {scope === "topic" ? "for this topic" : "in this subtree"}: nothing to clear.</p> : null}
        {error ? (
          <p className="fh-mon-field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="fh-mon-dialog-actions">
          <button type="button" className="fh-btn" autoFocus onClick={onClose}>
            {preview && preview.count === 0 ? "Close" : "Cancel"}
          </button>
          {preview && preview.count > 0 ? (
            <button type="button" className="fh-btn fh-mon-danger is-solid" disabled={busy} data-testid="clear-confirm" onClick={() => void confirm()}>
              {busy ? "Clearing…" : `Clear ${plural(preview.count, "topic")}`}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
