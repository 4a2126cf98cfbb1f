"use client";
/**
 * The live topic monitor (/monitor), like MQTT Explorer inside Flowhouse: a virtualized tree
 * of every topic on the chosen broker, search, pause, the selected topic's value, history,
 * diff and chart, a publish form and clearing of retained messages.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { BrokerInfo } from "../../lib/monitor/events";
import { AppNav } from "../ui/AppNav";
import { monitorApi } from "./api";
import { ClearRetainedDialog } from "./ClearRetainedDialog";
import { PublishPanel, type PublishPrefill } from "./PublishPanel";
import { TopicDetails } from "./TopicDetails";
import { TopicTreeView } from "./TopicTreeView";
import { useMonitorSocket, type MonitorLive } from "./useMonitorSocket";
import { collapseAll, expandAll, INITIAL_EXPAND, revealTopic, setExpanded, type ExpandState } from "./model/flatten";
import { formatCount, plural } from "./model/format";
import { guessFormat } from "./model/publish";

export interface MonitorPageProps {
  canEdit: boolean;
  user: string;
}

const DEFAULT_BROKER: BrokerInfo = { id: "", name: "Default broker", url: "", connected: true };

function readUrl(): { topic: string | null; broker: string } {
  const p = new URLSearchParams(window.location.search);
  return { topic: p.get("topic"), broker: p.get("broker") ?? "" };
}

export function MonitorPage({ canEdit, user }: MonitorPageProps) {
  const [broker, setBroker] = useState("");
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [q, setQ] = useState("");
  const [expand, setExpand] = useState<ExpandState>(INITIAL_EXPAND);
  const [scrollTo, setScrollTo] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [matchCount, setMatchCount] = useState(0);
  const [prefill, setPrefill] = useState<PublishPrefill | null>(null);
  const [clearing, setClearing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [httpBrokers, setHttpBrokers] = useState<BrokerInfo[]>([]);
  const [publishOpen, setPublishOpen] = useState(true);

  // Restore the selection and broker from the URL (?topic=&broker=), so a link shows the same view.
  useEffect(() => {
    const u = readUrl();
    setBroker(u.broker);
    if (u.topic) {
      setSelectedPath(u.topic);
      setExpand((s) => revealTopic(s, u.topic!));
      setScrollTo(u.topic);
    }
    monitorApi.brokers().then(setHttpBrokers, () => setHttpBrokers([]));
  }, []);
  useEffect(() => {
    const url = new URL(window.location.href);
    if (selectedPath !== null) url.searchParams.set("topic", selectedPath);
    else url.searchParams.delete("topic");
    if (broker) url.searchParams.set("broker", broker);
    else url.searchParams.delete("broker");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url);
  }, [selectedPath, broker]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const live = useMonitorSocket(broker, selectedPath, paused);
  const { tree, version } = live;

  // A tree small when first shown opens completely.
  useEffect(() => {
    if (live.smallAtStart) setExpand((s) => ({ ...s, small: true }));
  }, [live.smallAtStart]);

  const brokers = useMemo(() => {
    const list = live.brokers.length ? live.brokers : httpBrokers;
    return list.some((b) => b.id === "") ? list : [DEFAULT_BROKER, ...list];
  }, [live.brokers, httpBrokers]);

  const onSelect = useCallback((path: string) => setSelectedPath(path), []);
  const onExpand = useCallback((path: string, open: boolean) => setExpand((s) => setExpanded(s, path, open)), []);
  const onSysOpen = useCallback((open: boolean) => setExpand((s) => ({ ...s, sysOpen: open })), []);
  const onScrolled = useCallback(() => setScrollTo(null), []);

  const onPublished = useCallback(
    (topic: string) => {
      setExpand((s) => revealTopic(s, topic));
      if (selectedPath === null) {
        setSelectedPath(topic);
        setScrollTo(topic);
      }
    },
    [selectedPath],
  );

  // The tree is mutable: this page re-renders on every change (`version`), so the node is current.
  const selectedNode = selectedPath !== null ? tree.get(selectedPath) : undefined;

  const totalTopics = tree.size;
  const waiting = live.waiting;

  return (
    <div className="fh-mon-app">
      <header className="fh-mon-top">
        <div className="fh-mon-brand">
          <span className="fh-logo" aria-hidden>
            ⌂
          </span>
          <span className="fh-mon-brand-name">Flowhouse</span>
        </div>
        <AppNav current="monitor" />
        <span className="fh-mon-grow" />
        <label className="fh-mon-broker">
          <span className="fh-mon-sr">Broker</span>
          <select className="fh-mon-input fh-mon-broker-select" value={broker} data-testid="monitor-broker" onChange={(e) => {
            setBroker(e.target.value);
            setSelectedPath(null);
            setExpand(INITIAL_EXPAND);
          }}>
            {brokers.map((b) => (
              <option key={b.id} value={b.id} title={b.url}>
                {b.name}
                {b.connected ? "" : " (offline)"}
              </option>
            ))}
          </select>
        </label>
        <ConnectionIndicator live={live} />
        <span className="fh-mon-user fh-muted" title={`Logged in as ${user}`}>
          {user}
        </span>
      </header>

      {live.socket === "disconnected" ? (
        <div className="fh-mon-banner is-error" role="alert" data-testid="monitor-offline">
          The Flowhouse server cannot be reached: trying again. The tree shows the last values received.
        </div>
      ) : live.brokerConnected === false ? (
        <div className="fh-mon-banner is-warn" role="status">
          The server is not connected to this broker right now: values are not updating. Check the broker&rsquo;s address and that it is running.
        </div>
      ) : null}
      {live.problem ? (
        <div className="fh-mon-banner is-error" role="alert">
          {live.problem}
        </div>
      ) : null}
      {notice ? (
        <div className="fh-mon-banner is-note" role="status" data-testid="monitor-notice">
          {notice}
          <button type="button" className="fh-icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ✕
          </button>
        </div>
      ) : null}

      <main className="fh-mon-main">
        <section className="fh-mon-left" aria-label="Topic tree">
          <div className="fh-mon-toolbar">
            <input
              type="search"
              className="fh-mon-input fh-mon-search"
              placeholder="Filter topics and values…"
              value={q}
              aria-label="Filter topics and values"
              data-testid="tree-search"
              onChange={(e) => setQ(e.target.value)}
            />
            <button
              type="button"
              className={`fh-btn fh-btn-small${paused ? " is-primary" : ""}`}
              aria-pressed={paused}
              data-testid="monitor-pause"
              data-paused={paused}
              title={paused ? "Apply the waiting updates and follow live again" : "Freeze the view; updates keep being collected"}
              onClick={() => setPaused((p) => !p)}
            >
              {paused ? "▶ Resume" : "❚❚ Pause"}
            </button>
            <span className="fh-mon-toolbar-btns">
              <button type="button" className="fh-btn fh-btn-small fh-btn-quiet" title="Open every level" onClick={() => setExpand((s) => expandAll(s))}>
                Expand all
              </button>
              <button type="button" className="fh-btn fh-btn-small fh-btn-quiet" title="Close every level" onClick={() => setExpand((s) => collapseAll(s))}>
                Collapse
              </button>
            </span>
          </div>
          <div className="fh-mon-status-line">
            {paused ? (
              <span className="fh-mon-paused" data-testid="monitor-waiting" role="status">
                Paused · {waiting.messages > 0 ? `${plural(waiting.messages, "message")} on ` : ""}
                {plural(waiting.topics, "topic")} waiting
              </span>
            ) : null}
            <span className="fh-muted" data-testid="monitor-count">
              {q ? `${plural(matchCount, "match", "matches")} of ` : ""}
              {plural(totalTopics, "topic")} · {formatCount(tree.root.messages + tree.sysRoot.messages)} messages
            </span>
            {live.truncated ? (
              <span className="fh-mon-warn">
                showing {live.truncated.shown.toLocaleString()} of {live.truncated.total.toLocaleString()} topics (the server&rsquo;s limit)
              </span>
            ) : null}
          </div>
          <TopicTreeView
            tree={tree}
            version={version}
            expand={expand}
            q={q}
            selected={selectedPath}
            now={now}
            onSelect={onSelect}
            onExpand={onExpand}
            onSysOpen={onSysOpen}
            onMatchCount={setMatchCount}
            scrollTo={scrollTo}
            onScrolled={onScrolled}
            empty={
              !live.ready ? (
                "Connecting to the broker…"
              ) : q ? (
                `No topic or value contains “${q}”.`
              ) : (
                <>
                  <strong>No messages on this broker yet.</strong>
                  <br />
                  Publish one with the form, or from a device: <code>mosquitto_pub -t house/test -m hello</code>
                </>
              )
            }
          />
        </section>

        <aside className="fh-mon-right">
          <div className="fh-mon-right-scroll">
            {selectedPath !== null ? (
              <TopicDetails
                key={`${broker}|${selectedPath}`}
                broker={broker}
                path={selectedPath}
                node={selectedNode}
                selected={live.selected}
                now={now}
                canEdit={canEdit}
                onPublishTo={(topic, payload) => {
                  setPublishOpen(true);
                  setPrefill({ topic, payload, format: payload !== null ? guessFormat(payload) : undefined, nonce: Date.now() });
                }}
                onClearRetained={() => setClearing(selectedPath)}
                onClose={() => setSelectedPath(null)}
                onSelect={(p) => {
                  setSelectedPath(p);
                  setExpand((s) => revealTopic(s, p));
                  setScrollTo(p);
                }}
              />
            ) : (
              <div className="fh-mon-placeholder">
                <h2>Select a topic</h2>
                <p className="fh-muted">Its value, message history, changes and a chart appear here. Use ↑ ↓ ← → in the tree to move.</p>
              </div>
            )}
          </div>
          <div className={`fh-mon-publish-wrap${publishOpen ? " is-open" : ""}`}>
            <button type="button" className="fh-mon-publish-toggle" aria-expanded={publishOpen} data-testid="publish-toggle" onClick={() => setPublishOpen((o) => !o)}>
              <span aria-hidden>{publishOpen ? "▾" : "▸"}</span> Publish
            </button>
            {publishOpen ? <PublishPanel broker={broker} prefill={prefill} canEdit={canEdit} now={now} onPublished={onPublished} /> : null}
          </div>
        </aside>
      </main>

      {clearing !== null ? (
        <ClearRetainedDialog
          broker={broker}
          path={clearing}
          isTopic={!!tree.get(clearing)?.row}
          hasChildren={(tree.get(clearing)?.children.size ?? 0) > 0}
          onClose={() => setClearing(null)}
          onCleared={(res) => {
            setClearing(null);
            setNotice(res.count === 0 ? `No retained messages matched ${res.filter}.` : `Cleared ${plural(res.count, "retained topic")} (${res.filter}).`);
          }}
        />
      ) : null}
    </div>
  );
}

function ConnectionIndicator({ live }: { live: MonitorLive }) {
  const state = live.socket !== "connected" ? live.socket : live.brokerConnected === false ? "broker-offline" : "connected";
  const text = state === "connected" ? "Live" : state === "connecting" ? "Connecting…" : state === "broker-offline" ? "Broker offline" : "Server unreachable";
  const title =
    state === "connected"
      ? "Connected: the tree updates live"
      : state === "connecting"
        ? "Connecting to the Flowhouse server…"
        : state === "broker-offline"
          ? "The server is up but its connection to the broker is down"
          : "The Flowhouse server does not answer; reconnecting…";
  return (
    <span className={`fh-pill fh-mon-live is-${state}`} data-testid="monitor-connection" data-state={state} role="status" title={title}>
      <span className="fh-mon-dot" aria-hidden />
      <span className="fh-mon-live-text">{text}</span>
    </span>
  );
}
