"use client";
/**
 * The dashboard page: a tab per dashboard, its widgets on a grid edited in place (Edit →
 * drag, resize, add, configure, delete), saved debounced through PUT /api/dashboards/:id,
 * values live over socket.io. Read-only for viewers, and as soon as the server refuses a
 * change with 403.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { dashboardSchema, type Dashboard, type Widget, type WidgetType } from "../../lib/dashboard/schema";
import { dashApi, DashApiError } from "./api";
import { DashboardContext, type DashboardServices } from "./context";
import { DashboardGrid } from "./DashboardGrid";
import { AppNav } from "../ui/AppNav";
import { WidgetDialog } from "./WidgetDialog";
import { useDashboardLive, type ConnectionState } from "./useDashboardLive";
import { dashboardIdFor, freshDashboardName, neighbourAfterDelete, newWidgetId, removeWidget, replaceDashboard, upsertWidget } from "./model/dashboards";
import { describeDetails, humanizePath } from "./model/issues";
import { applyLayout, DEFAULT_SIZE, placeNewWidget, type GridItem } from "./model/layout";
import { bindingsOf, LiveValueStore } from "./model/live-values";
import { SaveQueue, type SaveState } from "./model/save-queue";
import { widgetHeading } from "./model/widget-form";

export interface DashboardPageProps {
  /** From the session's role: false for viewers. */
  canEdit: boolean;
  user: string;
}

type Dialog = { kind: "add" } | { kind: "settings"; widgetId: string } | { kind: "delete-dashboard" } | null;

const SAVE_DELAY_MS = 600;
const ACTIVE_KEY = "flowhouse.dashboard.active";

function readOnlyReasonFor(status: number, message: string): string {
  return status === 403
    ? `Read-only: the server refused the change (${message}). Log in as an editor or admin to change dashboards.`
    : message;
}

export function DashboardPage({ canEdit, user }: DashboardPageProps) {
  const [dashboards, setDashboards] = useState<Dashboard[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [readOnlyReason, setReadOnlyReason] = useState<string | null>(canEdit ? null : `Read-only: you are logged in as ${user}, a viewer. Ask an admin for the editor role to change dashboards.`);
  const [saveState, setSaveState] = useState<SaveState>({ kind: "idle" });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const readOnly = readOnlyReason !== null;
  const store = useMemo(() => new LiveValueStore(), []);
  const listRef = useRef<Dashboard[]>([]);
  listRef.current = dashboards ?? [];

  const queue = useMemo(
    () =>
      new SaveQueue<Dashboard>({
        delayMs: SAVE_DELAY_MS,
        save: async (d) => {
          await dashApi.save(d);
        },
        onState: (s) => {
          setSaveState(s);
          if (s.kind === "error" && s.status === 403) {
            setReadOnlyReason(readOnlyReasonFor(403, s.message));
            setEditing(false);
            setDialog(null);
          }
        },
      }),
    [],
  );
  useEffect(() => () => queue.dispose(), [queue]);

  // Unsaved edits when the tab closes: the browser asks before leaving.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (queue.dirty) e.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [queue]);

  // Load the dashboards; show the one named in the URL (?d=), else the last one shown.
  useEffect(() => {
    let cancelled = false;
    dashApi.list().then(
      (list) => {
        if (cancelled) return;
        setDashboards(list);
        const wanted = new URLSearchParams(window.location.search).get("d") ?? window.localStorage.getItem(ACTIVE_KEY);
        setActiveId(list.find((d) => d.id === wanted)?.id ?? list[0]?.id ?? null);
      },
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!activeId) return;
    window.localStorage.setItem(ACTIVE_KEY, activeId);
    const url = new URL(window.location.href);
    if (url.searchParams.get("d") !== activeId) {
      url.searchParams.set("d", activeId);
      window.history.replaceState(null, "", url);
    }
  }, [activeId]);

  const active = dashboards?.find((d) => d.id === activeId) ?? null;
  const bindings = useMemo(() => bindingsOf(active?.widgets ?? []), [active?.widgets]);
  const live = useDashboardLive(store, bindings);

  const update = useCallback(
    (next: Dashboard) => {
      setDashboards((list) => replaceDashboard(list ?? [], next));
      // What the server would refuse is not sent: the reason shows at once, the edit stays on screen.
      const checked = dashboardSchema.safeParse(next);
      if (!checked.success) {
        setSaveState({ kind: "error", status: 422, message: "fix the problem below to save", details: checked.error.issues });
        return;
      }
      queue.schedule(next);
    },
    [queue],
  );

  const publish = useCallback<DashboardServices["publish"]>(async (req) => {
    try {
      await dashApi.publish(req);
    } catch (e) {
      if (e instanceof DashApiError && e.status === 403) {
        setReadOnlyReason(readOnlyReasonFor(403, e.message));
        setEditing(false);
      }
      throw new Error(e instanceof Error ? `Not sent to ${req.topic}: ${e.message}` : String(e));
    }
  }, []);

  const services = useMemo<DashboardServices>(() => ({ store, publish, readOnly, editing }), [store, publish, readOnly, editing]);

  const createDashboard = () => {
    const list = listRef.current;
    const name = freshDashboardName(list);
    const d: Dashboard = { id: dashboardIdFor(name, list.map((x) => x.id)), name, widgets: [] };
    update(d);
    void queue.flush();
    setActiveId(d.id);
    setEditing(true);
  };

  const deleteDashboard = async () => {
    if (!active) return;
    const id = active.id;
    setDialog(null);
    queue.drop(id);
    try {
      await dashApi.remove(id);
    } catch (e) {
      // 404: it was never stored (or someone else removed it): gone either way.
      if (!(e instanceof DashApiError && e.status === 404)) {
        setNotice(`Could not delete '${active.name}': ${e instanceof Error ? e.message : String(e)}`);
        if (e instanceof DashApiError && e.status === 403) {
          setReadOnlyReason(readOnlyReasonFor(403, e.message));
          setEditing(false);
        }
        return;
      }
    }
    const list = listRef.current;
    setActiveId(neighbourAfterDelete(list, id));
    setDashboards(list.filter((d) => d.id !== id));
    setNotice(`Deleted '${active.name}'.`);
  };

  const onLayout = useCallback(
    (layout: readonly GridItem[]) => {
      if (!active || readOnly) return;
      const widgets = applyLayout(active.widgets, layout);
      if (widgets !== active.widgets) update({ ...active, widgets: [...widgets] });
    },
    [active, readOnly, update],
  );
  const onSettings = useCallback((id: string) => setDialog({ kind: "settings", widgetId: id }), []);
  const onDeleteWidget = useCallback(
    (id: string) => {
      if (!active) return;
      const w = active.widgets.find((x) => x.id === id);
      update(removeWidget(active, id));
      if (w) setNotice(`Removed '${widgetHeading(w)}'.`);
    },
    [active, update],
  );

  const newBase = useCallback(
    (type: WidgetType): Pick<Widget, "id" | "grid"> => {
      const widgets = active?.widgets ?? [];
      return { id: newWidgetId(widgets, type), grid: placeNewWidget(widgets, DEFAULT_SIZE[type]) };
    },
    [active],
  );

  const saveLabel = saveText(saveState);
  const saveDetails = saveState.kind === "error" && saveState.status !== 403 ? describeDetails(saveState.details).map((l) => humanizePath(l, active?.widgets.map(widgetHeading) ?? [])) : [];
  const settingsWidget = dialog?.kind === "settings" ? active?.widgets.find((w) => w.id === dialog.widgetId) ?? null : null;

  return (
    <DashboardContext.Provider value={services}>
      <div className="fh-dash-app">
        <header className="fh-dash-top">
          <div className="fh-dash-brand">
            <span className="fh-logo" aria-hidden>
              ⌂
            </span>
            <span className="fh-dash-brand-name">Flowhouse</span>
          </div>
          <AppNav current="dashboard" />
          <div className="fh-dash-top-right">
            <LiveIndicator state={live.state} problem={live.problem} />
          </div>
        </header>

        {dashboards && dashboards.length > 0 ? (
          <div className="fh-dash-bar">
            <div className="fh-dash-tabs" role="tablist" aria-label="Dashboards">
              {dashboards.map((d) => (
                <button
                  key={d.id}
                  type="button"
                  role="tab"
                  aria-selected={d.id === activeId}
                  className={`fh-dash-tab${d.id === activeId ? " is-active" : ""}`}
                  data-testid={`dash-tab-${d.id}`}
                  onClick={() => setActiveId(d.id)}
                >
                  {d.name}
                </button>
              ))}
            </div>
            <label className="fh-dash-picker">
              <span className="fh-dash-sr">Dashboard</span>
              <select className="fh-dash-input" value={activeId ?? ""} data-testid="dash-select" onChange={(e) => setActiveId(e.target.value)}>
                {dashboards.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="fh-dash-bar-right">
              {!readOnly ? (
                <span className={`fh-dash-save is-${saveState.kind}`} data-testid="dash-save-state" data-state={saveState.kind} role="status" title={saveState.kind === "error" ? saveState.message : undefined}>
                  {saveLabel}
                </span>
              ) : null}
              {!readOnly && dashboards && dashboards.length > 0 ? (
                <button type="button" className={`fh-btn fh-dash-edit${editing ? " is-primary" : ""}`} data-testid="dash-edit" aria-pressed={editing} onClick={() => setEditing((e) => !e)}>
                  {editing ? "Done" : "Edit"}
                </button>
              ) : null}
            </div>
            {editing && active ? (
              <div className="fh-dash-tools">
                <label className="fh-dash-rename">
                  <span className="fh-dash-sr">Dashboard name</span>
                  <input
                    className="fh-dash-input"
                    value={active.name}
                    maxLength={200}
                    data-testid="dash-name"
                    aria-label="Dashboard name"
                    onChange={(e) => update({ ...active, name: e.target.value })}
                  />
                </label>
                <button type="button" className="fh-btn is-primary" data-testid="dash-add-widget" onClick={() => setDialog({ kind: "add" })}>
                  + Add widget
                </button>
                <button type="button" className="fh-btn" data-testid="dash-new" onClick={createDashboard}>
                  New dashboard
                </button>
                <button type="button" className="fh-btn fh-dash-danger" data-testid="dash-delete" onClick={() => setDialog({ kind: "delete-dashboard" })}>
                  Delete dashboard
                </button>
              </div>
            ) : null}
          </div>
        ) : null}

        {readOnlyReason ? (
          <div className="fh-dash-banner is-info" data-testid="dash-readonly" role="status">
            {readOnlyReason}
          </div>
        ) : null}
        {saveState.kind === "error" && saveState.status !== 403 ? (
          <div className="fh-dash-banner is-error" data-testid="dash-save-error" role="alert">
            <strong>Not saved:</strong> {saveState.message}
            {saveDetails.length ? (
              <ul>
                {saveDetails.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : null}
            {saveState.status === 0 ? <span> It will be saved with your next change.</span> : null}
          </div>
        ) : null}
        {notice ? (
          <div className="fh-dash-banner is-note" role="status">
            {notice}
            <button type="button" className="fh-icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
              ✕
            </button>
          </div>
        ) : null}

        <main className="fh-dash-main">
          {loadError ? (
            <div className="fh-dash-empty" role="alert">
              <h2>Dashboards could not be loaded</h2>
              <p>{loadError}</p>
              <button type="button" className="fh-btn" onClick={() => window.location.reload()}>
                Try again
              </button>
            </div>
          ) : dashboards === null ? (
            <div className="fh-dash-empty">Loading dashboards…</div>
          ) : !active ? (
            <div className="fh-dash-empty">
              <h2>No dashboards yet</h2>
              <p>A dashboard shows values from MQTT topics and lets you switch things from your phone.</p>
              {!readOnly ? (
                <button type="button" className="fh-btn is-primary" data-testid="dash-create" onClick={createDashboard}>
                  Create a dashboard
                </button>
              ) : null}
            </div>
          ) : active.widgets.length === 0 ? (
            <div className="fh-dash-empty">
              <h2>{active.name} has no widgets</h2>
              {readOnly ? (
                <p>Nothing to show yet.</p>
              ) : (
                <>
                  <p>Add a value, a switch, a chart… and bind it to a topic.</p>
                  <button
                    type="button"
                    className="fh-btn is-primary"
                    data-testid={editing ? "dash-add-widget-empty" : "dash-add-widget-start"}
                    onClick={() => {
                      setEditing(true);
                      setDialog({ kind: "add" });
                    }}
                  >
                    + Add widget
                  </button>
                </>
              )}
            </div>
          ) : (
            <DashboardGrid widgets={active.widgets} editing={editing && !readOnly} onLayout={onLayout} onSettings={onSettings} onDelete={onDeleteWidget} />
          )}
        </main>

        {active && (dialog?.kind === "add" || settingsWidget) ? (
          <WidgetDialog
            key={dialog?.kind === "settings" ? dialog.widgetId : "add"}
            widget={settingsWidget}
            newBase={newBase}
            onClose={() => setDialog(null)}
            onSubmit={(w) => {
              update(upsertWidget(active, w));
              setDialog(null);
            }}
          />
        ) : null}
        {active && dialog?.kind === "delete-dashboard" ? (
          <div className="fh-dash-overlay" onMouseDown={(e) => e.target === e.currentTarget && setDialog(null)}>
            <div className="fh-dash-dialog" role="alertdialog" aria-modal="true" aria-labelledby="fh-dash-del-title">
              <h2 id="fh-dash-del-title">Delete &lsquo;{active.name}&rsquo;?</h2>
              <p>
                Its {active.widgets.length} widget{active.widgets.length === 1 ? "" : "s"} will be gone. Topics and their history stay on the broker and in the
                monitor.
              </p>
              <div className="fh-dash-dialog-actions">
                <button type="button" className="fh-btn" autoFocus onClick={() => setDialog(null)}>
                  Cancel
                </button>
                <button type="button" className="fh-btn fh-dash-danger is-solid" data-testid="dash-delete-confirm" onClick={() => void deleteDashboard()}>
                  Delete dashboard
                </button>
              </div>
            </div>
          </div>
        ) : null}
      </div>
    </DashboardContext.Provider>
  );
}

function saveText(s: SaveState): string {
  switch (s.kind) {
    case "idle":
      return "";
    case "pending":
      return "Unsaved changes";
    case "saving":
      return "Saving…";
    case "saved":
      return "Saved";
    case "error":
      return `Not saved: ${s.message}`;
  }
}

function LiveIndicator({ state, problem }: { state: ConnectionState; problem: string | null }) {
  const text = problem ? "Live: refused" : state === "connected" ? "Live" : state === "connecting" ? "Connecting…" : "Offline";
  return (
    <span
      className={`fh-pill fh-dash-live is-${problem ? "disconnected" : state}`}
      data-testid="dash-live"
      data-state={state}
      role="status"
      title={problem ?? (state === "connected" ? "Values update live" : state === "connecting" ? "Connecting to the server…" : "Not connected: values are not updating; reconnecting…")}
    >
      <span className="fh-dash-dot" aria-hidden />
      <span className="fh-dash-live-text">{text}</span>
    </span>
  );
}
