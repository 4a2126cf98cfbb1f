"use client";
/**
 * What the monitor knows about the selected tree node: the topic's current value and
 * counters, its recent messages (newest first), the change from one JSON value to the next,
 * payload viewers and a chart; for a level with topics below it, the subtree's counts.
 */
import { useEffect, useMemo, useState } from "react";
import type { MonitorMessage } from "../../lib/monitor/events";
import { PayloadViewer, type ViewMode } from "./PayloadViewer";
import { TopicChart, RANGES, type RangeKey } from "./TopicChart";
import type { SelectedTopic } from "./useMonitorSocket";
import { sortedChildren, type TreeNode } from "./model/topic-tree";
import { diffPayloads, parseMaybeJson, summarizeDiff, type DiffEntry } from "./model/diff";
import { formatAge, formatBytes, formatCount, formatRate, formatTime, oneLine, plural } from "./model/format";
import { previousOf } from "./model/messages";
import { defaultChartPath, numericPaths } from "./model/series";

type Tab = "value" | "chart" | "history" | "diff";

export interface TopicDetailsProps {
  broker: string;
  path: string;
  node: TreeNode | undefined;
  selected: SelectedTopic | null;
  now: number;
  canEdit: boolean;
  onPublishTo: (topic: string, payload: string | null) => void;
  onClearRetained: () => void;
  onClose: () => void;
  /** Selects another node (a child in the subtree list). */
  onSelect: (path: string) => void;
}

export function TopicDetails({ broker, path, node, selected, now, canEdit, onPublishTo, onClearRetained, onClose, onSelect }: TopicDetailsProps) {
  const [tab, setTab] = useState<Tab>("value");
  const [viewSeq, setViewSeq] = useState<number | null>(null);
  const [mode, setMode] = useState<ViewMode | null>(null);
  const [chartPath, setChartPath] = useState<string | null>(null);
  const [rangeKey, setRangeKey] = useState<RangeKey>("1h");
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    setViewSeq(null);
    setMode(null);
    setChartPath(null);
  }, [path]);

  const messages = useMemo(() => selected?.messages ?? [], [selected?.messages]);
  const latest = messages.length ? messages[messages.length - 1] : null;
  const viewed = (viewSeq !== null ? messages.find((m) => m.seq === viewSeq) : null) ?? latest;
  const previous = viewed ? previousOf(messages, viewed.seq) : null;
  const row = node?.row ?? selected?.row ?? null;
  const hasValue = !!row || messages.length > 0;
  const hasChildren = !!node && node.children.size > 0;

  // Chart: numeric payloads, or a chosen numeric JSON path.
  const paths = useMemo(() => {
    if (!latest || latest.encoding !== "utf8") return [];
    const p = parseMaybeJson(latest.payload);
    return p.json && typeof p.value === "object" && p.value !== null ? numericPaths(p.value) : [];
  }, [latest]);
  const autoPath = latest && latest.encoding === "utf8" ? defaultChartPath(latest.payload) : null;
  const effectivePath = chartPath ?? autoPath ?? "";
  const chartable = autoPath !== null || paths.length > 0 || chartPath !== null;

  const copy = (text: string, what: string) => {
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(null),
    );
    setTimeout(() => setCopied(null), 1500);
  };

  return (
    <section className="fh-mon-details" data-testid="topic-details" aria-label={`Topic ${path}`}>
      <header className="fh-mon-details-head">
        <div className="fh-mon-details-title">
          <h2 title={path}>{path === "" ? <em>(empty level)</em> : path}</h2>
          <button type="button" className="fh-btn fh-btn-small fh-btn-quiet" title="Copy the topic" onClick={() => copy(path, "topic")}>
            Copy
          </button>
          {copied ? <span className="fh-mon-note">copied {copied}</span> : null}
          <span className="fh-mon-grow" />
          <button type="button" className="fh-icon-btn fh-mon-close" title="Close the details" aria-label="Close the details" onClick={onClose}>
            ✕
          </button>
        </div>
        {selected?.description || selected?.unit ? (
          <p className="fh-mon-desc">
            {selected.description}
            {selected.unit ? <span className="fh-mon-unit"> unit: {selected.unit}</span> : null}
          </p>
        ) : null}
        {hasValue ? (
          <div className="fh-mon-current">
            <code className="fh-mon-current-value" data-testid="topic-value" data-seq={latest?.seq ?? 0} title={row?.value}>
              {row && row.size === 0 ? <em className="fh-muted">(empty payload)</em> : row?.encoding === "base64" ? `binary, ${formatBytes(row.size)}` : oneLine(latest?.payload ?? row?.value ?? "", 300)}
              {selected?.unit && row?.numeric ? <span className="fh-mon-unit"> {selected.unit}</span> : null}
            </code>
          </div>
        ) : null}
        {row ? (
          <dl className="fh-mon-stats">
            <div>
              <dt>Last</dt>
              <dd title={new Date(row.lastTime).toLocaleString()}>{formatAge(now - row.lastTime)} ago</dd>
            </div>
            <div>
              <dt>Messages</dt>
              <dd>{row.messages.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Rate</dt>
              <dd>{formatRate(row.rate, now - row.lastTime) || "–"}</dd>
            </div>
            <div>
              <dt>QoS</dt>
              <dd>{row.qos}</dd>
            </div>
            <div>
              <dt>Retained</dt>
              <dd>{row.retained ? <span className="fh-mon-badge is-retained">retained</span> : "no"}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(row.size)}</dd>
            </div>
          </dl>
        ) : null}
        {hasChildren && node ? (
          <p className="fh-mon-subtree" data-testid="subtree-counts">
            {plural(node.topics, "topic")} and {plural(node.messages, "message")} at or below <code>{path}</code>
          </p>
        ) : null}
        <div className="fh-mon-actions">
          {canEdit ? (
            <>
              <button type="button" className="fh-btn fh-btn-small" data-testid="publish-to-topic" onClick={() => onPublishTo(hasChildren && !row ? `${path}/` : path, row && latest && latest.encoding === "utf8" ? latest.payload : null)}>
                Publish to {hasChildren && !row ? `${path}/…` : "this topic"}
              </button>
              <button type="button" className="fh-btn fh-btn-small fh-mon-danger" data-testid="clear-retained" onClick={onClearRetained}>
                Clear retained…
              </button>
            </>
          ) : null}
          {latest ? (
            <button type="button" className="fh-btn fh-btn-small fh-btn-quiet" onClick={() => copy(latest.encoding === "utf8" ? latest.payload : latest.payload, "value")}>
              Copy value
            </button>
          ) : null}
        </div>
      </header>

      {hasValue ? (
        <>
          <div className="fh-mon-tabs" role="tablist" aria-label="Topic views">
            {(
              [
                ["value", "Value"],
                ["chart", "Chart"],
                ["history", `History${messages.length ? ` (${messages.length})` : ""}`],
                ["diff", "Diff"],
              ] as const
            ).map(([k, label]) => (
              <button key={k} type="button" role="tab" aria-selected={tab === k} className={`fh-mon-tab${tab === k ? " is-active" : ""}`} data-testid={`details-tab-${k}`} onClick={() => setTab(k)}>
                {label}
              </button>
            ))}
          </div>
          <div className="fh-mon-tab-body">
            {selected?.loading && messages.length === 0 ? <p className="fh-muted">Loading the topic's messages…</p> : null}
            {tab === "value" && viewed ? (
              <>
                {viewed !== latest ? (
                  <p className="fh-mon-note-bar">
                    Message #{viewed.seq} from {formatTime(viewed.time)} (not the latest).{" "}
                    <button type="button" className="fh-link" onClick={() => setViewSeq(null)}>
                      Show the latest
                    </button>
                  </p>
                ) : null}
                <MessageMeta m={viewed} now={now} />
                <PayloadViewer message={viewed} mode={mode} onMode={setMode} testId="topic-payload" />
              </>
            ) : null}
            {tab === "chart" ? (
              <div className="fh-mon-chart-tab">
                <div className="fh-mon-chart-controls">
                  {paths.length > 0 || chartPath !== null ? (
                    <label>
                      <span>Value</span>
                      <select className="fh-mon-input" value={effectivePath} data-testid="chart-path" onChange={(e) => setChartPath(e.target.value)}>
                        {autoPath === "" ? <option value="">whole payload</option> : null}
                        {paths.map((p) => (
                          <option key={p} value={p}>
                            {p}
                          </option>
                        ))}
                        {chartPath && !paths.includes(chartPath) ? <option value={chartPath}>{chartPath}</option> : null}
                      </select>
                    </label>
                  ) : null}
                  <label>
                    <span>Range</span>
                    <select className="fh-mon-input" value={rangeKey} data-testid="chart-range" onChange={(e) => setRangeKey(e.target.value as RangeKey)}>
                      {RANGES.map((r) => (
                        <option key={r.key} value={r.key}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
                {chartable ? (
                  <TopicChart broker={broker} topic={path} path={effectivePath} rangeKey={rangeKey} messages={messages} unit={selected?.unit ?? ""} />
                ) : (
                  <p className="fh-muted">
                    {path}&rsquo;s payload is not a number and has no numeric JSON fields, so there is nothing to chart. Charts work for payloads like <code>21.5</code> or{" "}
                    <code>{'{"temperature": 21.5}'}</code>.
                  </p>
                )}
              </div>
            ) : null}
            {tab === "history" ? (
              <HistoryList
                messages={messages}
                skipped={selected?.skipped ?? 0}
                viewSeq={viewed?.seq ?? null}
                onView={(seq) => {
                  setViewSeq(seq);
                  setTab("value");
                }}
                onDiff={(seq) => {
                  setViewSeq(seq);
                  setTab("diff");
                }}
              />
            ) : null}
            {tab === "diff" ? <DiffView current={viewed} previous={previous} /> : null}
          </div>
        </>
      ) : hasChildren && node ? (
        <SubtreeList node={node} now={now} onSelect={onSelect} />
      ) : (
        <p className="fh-muted fh-mon-pad">{selected?.loading ? "Loading…" : "No messages on this topic yet."}</p>
      )}
    </section>
  );
}

const SUBTREE_LIST_MAX = 300;

function SubtreeList({ node, now, onSelect }: { node: TreeNode; now: number; onSelect: (path: string) => void }) {
  const kids = sortedChildren(node);
  return (
    <div className="fh-mon-tab-body" data-testid="subtree-children">
      <table className="fh-mon-table">
        <thead>
          <tr>
            <th>Level</th>
            <th>Topics</th>
            <th>Messages</th>
            <th>Value</th>
            <th>Last</th>
          </tr>
        </thead>
        <tbody>
          {kids.slice(0, SUBTREE_LIST_MAX).map((k) => (
            <tr key={k.path} onClick={() => onSelect(k.path)}>
              <td className="fh-mon-nowrap">
                <strong>{k.name || <em>(empty)</em>}</strong>
                {k.children.size ? "/…" : ""}
              </td>
              <td>{formatCount(k.topics)}</td>
              <td>{formatCount(k.messages)}</td>
              <td className="fh-mon-history-value">{k.row ? oneLine(k.row.encoding === "base64" ? "binary" : k.row.value, 40) : ""}</td>
              <td className="fh-mon-nowrap">{k.row ? formatAge(now - k.row.lastTime) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {kids.length > SUBTREE_LIST_MAX ? <p className="fh-muted fh-small">… and {kids.length - SUBTREE_LIST_MAX} more levels: use the tree or the filter.</p> : null}
    </div>
  );
}

function MessageMeta({ m, now }: { m: MonitorMessage; now: number }) {
  return (
    <div className="fh-mon-msgmeta">
      <span>{formatTime(m.time, now)}</span>
      <span>QoS {m.qos}</span>
      {m.retain ? <span className="fh-mon-badge is-retained">retained</span> : null}
      <span>{formatBytes(m.size)}</span>
      <span className="fh-muted">#{m.seq}</span>
    </div>
  );
}

function HistoryList({ messages, skipped, viewSeq, onView, onDiff }: { messages: readonly MonitorMessage[]; skipped: number; viewSeq: number | null; onView: (seq: number) => void; onDiff: (seq: number) => void }) {
  const newestFirst = useMemo(() => [...messages].reverse(), [messages]);
  if (messages.length === 0) return <p className="fh-muted">No messages kept for this topic.</p>;
  return (
    <div className="fh-mon-history" data-testid="topic-history">
      {skipped > 0 ? <p className="fh-mon-note-bar">{plural(skipped, "message")} arrived too fast to be kept and are not listed.</p> : null}
      <table className="fh-mon-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Value</th>
            <th title="Retained">R</th>
            <th>QoS</th>
            <th>Size</th>
            <th aria-label="Diff" />
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((m, i) => (
            <tr key={m.seq} className={m.seq === viewSeq ? "is-selected" : undefined} data-testid="history-row" onClick={() => onView(m.seq)}>
              <td className="fh-mon-nowrap">{formatTime(m.time)}</td>
              <td className="fh-mon-history-value">{m.size === 0 ? <em className="fh-muted">empty</em> : m.encoding === "base64" ? <em className="fh-muted">binary</em> : oneLine(m.payload, 80)}</td>
              <td>{m.retain ? <span className="fh-mon-badge is-retained">R</span> : ""}</td>
              <td>{m.qos}</td>
              <td className="fh-mon-nowrap">{formatBytes(m.size)}</td>
              <td>
                {i < newestFirst.length - 1 ? (
                  <button
                    type="button"
                    className="fh-link"
                    onClick={(e) => {
                      e.stopPropagation();
                      onDiff(m.seq);
                    }}
                  >
                    diff
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function show(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

function DiffView({ current, previous }: { current: MonitorMessage | null; previous: MonitorMessage | null }) {
  const entries: DiffEntry[] = useMemo(() => (current && previous && current.encoding === "utf8" && previous.encoding === "utf8" ? diffPayloads(previous.payload, current.payload) : []), [current, previous]);
  if (!current) return null;
  if (!previous) return <p className="fh-muted">No earlier message of this topic is kept to compare with.</p>;
  if (current.encoding !== "utf8" || previous.encoding !== "utf8") return <p className="fh-muted">Binary payloads are not compared; use the hex viewer.</p>;
  return (
    <div className="fh-mon-diff" data-testid="topic-diff">
      <p className="fh-mon-msgmeta">
        #{previous.seq} ({formatTime(previous.time)}) → #{current.seq} ({formatTime(current.time)}): <strong>{summarizeDiff(entries)}</strong>
      </p>
      {entries.length ? (
        <ul className="fh-mon-diff-list">
          {entries.map((e, i) => (
            <li key={`${e.path}:${i}`} className={`is-${e.kind}`} data-testid="diff-entry" data-kind={e.kind}>
              <span className="fh-mon-diff-sign" aria-hidden>
                {e.kind === "added" ? "+" : e.kind === "removed" ? "−" : "~"}
              </span>
              <code className="fh-mon-diff-path">{e.path || "(whole value)"}</code>
              {e.kind === "changed" ? (
                <>
                  <code className="fh-mon-diff-before">{show(e.before)}</code> → <code className="fh-mon-diff-after">{show(e.after)}</code>
                </>
              ) : e.kind === "added" ? (
                <code className="fh-mon-diff-after">{show(e.after)}</code>
              ) : (
                <code className="fh-mon-diff-before">{show(e.before)}</code>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <span className="fh-muted fh-small">{formatCount(entries.length)} differences</span>
    </div>
  );
}
