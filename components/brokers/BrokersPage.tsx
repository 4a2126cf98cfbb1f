"use client";
/**
 * /brokers: every broker Flowhouse connects to, with live health (refreshed every 2.5 s):
 * connected dot, last error in words, reconnect count, outbox. Admins add, edit, test and
 * delete brokers; changes take effect at once, without a deploy. Viewers and editors read.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { BrokerView } from "../../lib/brokers/schema";
import { AppNav } from "../ui/AppNav";
import { brokersApi } from "./api";
import { BrokerForm } from "./BrokerForm";
import { ago, emptyForm, formFromView, instanceIdFrom, stateText, type BrokerFormState } from "./model";

export interface BrokersPageProps {
  canAdmin: boolean;
  user: string;
}

const REFRESH_MS = 2500;

type Editing = { mode: "create" | "edit" | "adopt"; form: BrokerFormState; key: number } | null;

export function BrokersPage({ canAdmin, user }: BrokersPageProps) {
  const [views, setViews] = useState<BrokerView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const refresh = useCallback(async () => {
    try {
      setViews(await brokersApi.list());
      setLoadError(null);
    } catch (err) {
      setLoadError((err as Error).message);
    }
    setNow(Date.now());
  }, []);

  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [refresh]);

  const instanceId = useMemo(() => instanceIdFrom(views ?? []), [views]);
  const open = (mode: "create" | "edit" | "adopt", form: BrokerFormState) => {
    setNotice(null);
    setEditing({ mode, form, key: Date.now() });
  };

  const remove = async (view: BrokerView) => {
    setConfirming(null);
    try {
      await brokersApi.remove(view.id);
      setNotice({ tone: "ok", text: `Deleted '${view.name}'.` });
      if (editing?.form.id === view.id) setEditing(null);
    } catch (err) {
      setNotice({ tone: "bad", text: (err as Error).message });
    }
    await refresh();
  };

  return (
    <div className="fh-brk-app">
      <header className="fh-brk-top">
        <div className="fh-brk-brand">
          <span className="fh-logo" aria-hidden>
            ⌂
          </span>
          <span className="fh-brk-brand-name">Flowhouse</span>
        </div>
        <AppNav current="brokers" />
        <span className="fh-brk-grow" />
        <span className="fh-brk-user" title={`Logged in as ${user}`}>
          {user}
        </span>
      </header>

      <main className={`fh-brk-main${editing ? " is-editing" : ""}`}>
        <section className="fh-brk-list-pane" aria-label="Brokers">
          <div className="fh-brk-head">
            <h1>Brokers</h1>
            <span className="fh-brk-grow" />
            {canAdmin ? (
              <button type="button" className="fh-btn is-primary" data-testid="broker-add" onClick={() => open("create", emptyForm())}>
                + Add broker
              </button>
            ) : (
              <span className="fh-muted fh-small" data-testid="brokers-readonly">
                Read-only: only admins change brokers
              </span>
            )}
          </div>
          <p className="fh-brk-intro fh-muted">
            mqtt in and mqtt out nodes choose one of these brokers. Changes here reconnect the broker at once — no deploy needed.
          </p>
          {loadError && (
            <div className="fh-brk-notice is-bad" role="alert">
              {loadError}
            </div>
          )}
          {notice && (
            <div className={`fh-brk-notice is-${notice.tone}`} role={notice.tone === "bad" ? "alert" : "status"} data-testid="brokers-notice">
              {notice.text}
            </div>
          )}
          {views === null && !loadError && <p className="fh-muted">Loading…</p>}
          <ul className="fh-brk-list" data-testid="broker-list">
            {(views ?? []).map((v) => (
              <BrokerCard
                key={v.id || "(default)"}
                view={v}
                now={now}
                instanceId={instanceId}
                canAdmin={canAdmin}
                selected={editing?.form.id === v.id && editing.mode !== "create"}
                confirming={confirming === v.id}
                onEdit={() => open(v.source === "flow" ? "adopt" : "edit", formFromView(v))}
                onDelete={() => setConfirming(v.id)}
                onConfirmDelete={() => void remove(v)}
                onCancelDelete={() => setConfirming(null)}
              />
            ))}
          </ul>
        </section>

        {editing && (
          <aside className="fh-brk-form-pane" aria-label="Broker settings">
            <BrokerForm
              key={editing.key}
              initial={editing.form}
              mode={editing.mode}
              instanceId={instanceId}
              onCancel={() => setEditing(null)}
              onSaved={(saved) => {
                setEditing(null);
                setNotice({ tone: "ok", text: `Saved '${saved.name}': connecting with the new settings.` });
                void refresh();
              }}
            />
          </aside>
        )}
      </main>
    </div>
  );
}

interface CardProps {
  view: BrokerView;
  now: number;
  instanceId: string | null;
  canAdmin: boolean;
  selected: boolean;
  confirming: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onConfirmDelete: () => void;
  onCancelDelete: () => void;
}

function BrokerCard({ view, now, instanceId, canAdmin, selected, confirming, onEdit, onDelete, onConfirmDelete, onCancelDelete }: CardProps) {
  const state = stateText(view);
  const h = view.health;
  const sourceLabel = view.source === "env" ? (view.name.startsWith("Embedded") ? "embedded" : "from MQTT_URL") : view.source === "flow" ? "from the flows" : null;
  const testId = view.id || "default";
  return (
    <li className={`fh-brk-card${selected ? " is-selected" : ""}`} data-testid={`broker-${testId}`} data-connected={h.connected ? "true" : "false"}>
      <div className="fh-brk-card-head">
        <span className={`fh-brk-dot is-${state.tone}`} data-testid="broker-dot" aria-label={h.connected ? "connected" : "not connected"} />
        <span className="fh-brk-name">{view.name}</span>
        {sourceLabel && <span className="fh-brk-badge">{sourceLabel}</span>}
        <span className="fh-brk-grow" />
        {canAdmin && view.source === "settings" && !confirming && (
          <>
            <button type="button" className="fh-btn fh-btn-small" onClick={onEdit} data-testid="broker-edit">
              Edit
            </button>
            <button type="button" className="fh-btn fh-btn-small fh-brk-danger" onClick={onDelete} data-testid="broker-delete">
              Delete
            </button>
          </>
        )}
        {canAdmin && view.source === "flow" && (
          <button type="button" className="fh-btn fh-btn-small" onClick={onEdit} data-testid="broker-adopt">
            Save as broker
          </button>
        )}
        {confirming && (
          <span className="fh-brk-confirm" role="alertdialog" aria-label={`Delete ${view.name}?`}>
            Delete &lsquo;{view.name}&rsquo;?
            <button type="button" className="fh-btn fh-btn-small fh-brk-danger" onClick={onConfirmDelete} data-testid="broker-delete-confirm">
              Delete
            </button>
            <button type="button" className="fh-btn fh-btn-small" onClick={onCancelDelete} data-testid="broker-delete-cancel">
              Keep
            </button>
          </span>
        )}
      </div>
      <div className="fh-brk-url" title={view.settings.url}>
        {view.settings.url}
      </div>
      <div className={`fh-brk-state is-${state.tone}`} data-testid="broker-state">
        {state.text}
        {!h.connected && h.lastErrorAt ? <span className="fh-muted"> · {ago(h.lastErrorAt, now)}</span> : null}
      </div>
      <dl className="fh-brk-facts">
        <div>
          <dt>Client id</dt>
          <dd className="fh-brk-mono">{view.settings.clientId || "generated at each connect"}</dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd>{view.settings.cleanSession ? "clean" : "persistent"} · MQTT {view.settings.protocolVersion === 5 ? "5" : "3.1.1"}</dd>
        </div>
        <div>
          <dt>Reconnects</dt>
          <dd data-testid="broker-reconnects">{h.reconnects}</dd>
        </div>
        <div>
          <dt>Outbox</dt>
          <dd data-testid="broker-outbox">{h.outbox}</dd>
        </div>
        <div>
          <dt>Used by</dt>
          <dd data-testid="broker-used-by">{view.usedBy.length === 0 ? "no deployed node" : `${view.usedBy.length} deployed node${view.usedBy.length > 1 ? "s" : ""}`}</dd>
        </div>
        {view.settings.status.enabled && (
          <div>
            <dt>Status topic</dt>
            <dd className="fh-brk-mono">{view.settings.status.topic || `flowhouse/${instanceId ?? "<instance>"}/status`}</dd>
          </div>
        )}
      </dl>
      {view.warnings.length > 0 && (
        <ul className="fh-brk-warnings" data-testid="broker-warnings">
          {view.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </li>
  );
}
