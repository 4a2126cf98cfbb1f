"use client";
/**
 * Publish by hand: topic (suggestions from the topic catalogue), payload in a chosen format
 * (checked before sending), QoS, retain. What was published is kept in this browser and a
 * click puts it back into the form. Ctrl/⌘+Enter sends.
 */
import { useEffect, useId, useMemo, useState } from "react";
import type { PublishFormat } from "../../lib/monitor/events";
import { monitorApi } from "./api";
import { addPublished, checkPayload, checkTopic, parsePublished, payloadSize, PUBLISH_HISTORY_KEY, type PublishedItem } from "./model/publish";
import { formatAge, formatBytes, oneLine } from "./model/format";

export interface PublishPrefill {
  topic: string;
  payload: string | null;
  format?: PublishFormat;
  /** Changes on every request, so the same topic can be filled twice. */
  nonce: number;
}

export interface PublishPanelProps {
  broker: string;
  prefill: PublishPrefill | null;
  canEdit: boolean;
  now: number;
  onPublished: (topic: string) => void;
}

function readHistory(): PublishedItem[] {
  try {
    return parsePublished(window.localStorage.getItem(PUBLISH_HISTORY_KEY));
  } catch {
    return [];
  }
}

export function PublishPanel({ broker, prefill, canEdit, now, onPublished }: PublishPanelProps) {
  const [topic, setTopic] = useState("");
  const [payload, setPayload] = useState("");
  const [format, setFormat] = useState<PublishFormat>("text");
  const [qos, setQos] = useState<0 | 1 | 2>(0);
  const [retain, setRetain] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [touched, setTouched] = useState(false);
  const [history, setHistory] = useState<PublishedItem[]>([]);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const listId = useId();

  useEffect(() => setHistory(readHistory()), []);

  useEffect(() => {
    if (!prefill) return;
    setTopic(prefill.topic);
    if (prefill.payload !== null) setPayload(prefill.payload);
    if (prefill.format) setFormat(prefill.format);
    setResult(null);
    setTouched(false);
  }, [prefill]);

  // Topic suggestions from the catalogue (debounced; a failure only means no suggestions).
  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      monitorApi.topics(topic, broker, abort.signal).then(
        (list) => setSuggestions(list.map((t) => t.topic).filter((t) => t !== topic).slice(0, 20)),
        () => setSuggestions([]),
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [topic, broker]);

  const topicCheck = useMemo(() => checkTopic(topic), [topic]);
  const payloadCheck = useMemo(() => checkPayload(payload, format), [payload, format]);
  const size = useMemo(() => payloadSize(payload, format), [payload, format]);
  const valid = topicCheck.ok && payloadCheck.ok;

  const submit = async () => {
    setTouched(true);
    if (!valid || busy || !canEdit) return;
    setBusy(true);
    setResult(null);
    try {
      const res = await monitorApi.publish({ broker, topic, payload, format, qos, retain });
      const item: PublishedItem = { topic, payload, format, qos, retain, broker, time: res.published.time };
      const next = addPublished(readHistory(), item);
      try {
        window.localStorage.setItem(PUBLISH_HISTORY_KEY, JSON.stringify(next));
      } catch {
        // storage full or disabled: the history just is not kept
      }
      setHistory(next);
      setResult({ ok: true, text: `Published ${formatBytes(res.published.size)} to ${topic}${retain ? " (retained)" : ""}` });
      onPublished(topic);
    } catch (e) {
      setResult({ ok: false, text: `Not published to ${topic}: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const reuse = (p: PublishedItem) => {
    setTopic(p.topic);
    setPayload(p.payload);
    setFormat(p.format);
    setQos(p.qos);
    setRetain(p.retain);
    setResult(null);
  };

  const clearHistory = () => {
    try {
      window.localStorage.removeItem(PUBLISH_HISTORY_KEY);
    } catch {
      // nothing to do
    }
    setHistory([]);
  };

  if (!canEdit) {
    return (
      <section className="fh-mon-publish" aria-label="Publish">
        <h2 className="fh-mon-h">Publish</h2>
        <p className="fh-muted">You are logged in as a viewer: publishing needs the editor or admin role.</p>
      </section>
    );
  }

  return (
    <section className="fh-mon-publish" aria-label="Publish">
      <form
        className="fh-mon-publish-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="fh-mon-publish-line">
          <div className="fh-mon-field fh-mon-grow">
            <label htmlFor={`${listId}-topic`} className="fh-mon-sr">
              Topic
            </label>
            <input
              id={`${listId}-topic`}
              className="fh-mon-input"
              value={topic}
              list={listId}
              autoComplete="off"
              spellCheck={false}
              placeholder="Topic, e.g. house/garage/light"
              aria-invalid={touched && !topicCheck.ok}
              data-testid="publish-topic"
              onChange={(e) => setTopic(e.target.value)}
            />
            <datalist id={listId}>
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </div>
          <label className="fh-mon-inline" title="How the payload is written">
            <span className="fh-mon-sr">Format</span>
            <select className="fh-mon-input" value={format} data-testid="publish-format" onChange={(e) => setFormat(e.target.value as PublishFormat)}>
              <option value="text">text</option>
              <option value="json">json</option>
              <option value="hex">hex</option>
              <option value="base64">base64</option>
            </select>
          </label>
          <label className="fh-mon-inline">
            <span>QoS</span>
            <select className="fh-mon-input" value={qos} data-testid="publish-qos" onChange={(e) => setQos(Number(e.target.value) as 0 | 1 | 2)}>
              <option value={0}>0</option>
              <option value={1}>1</option>
              <option value={2}>2</option>
            </select>
          </label>
          <label className="fh-mon-inline fh-mon-check">
            <input type="checkbox" checked={retain} data-testid="publish-retain" onChange={(e) => setRetain(e.target.checked)} />
            <span>Retain</span>
          </label>
        </div>
        {touched && !topicCheck.ok ? (
          <span className="fh-mon-field-error" role="alert">
            {topicCheck.error}
          </span>
        ) : null}
        <div className="fh-mon-publish-line">
          <label htmlFor={`${listId}-payload`} className="fh-mon-sr">
            Payload
          </label>
          <textarea
            id={`${listId}-payload`}
            className="fh-mon-input fh-mon-payload"
            value={payload}
            rows={2}
            spellCheck={false}
            placeholder={format === "json" ? 'Payload, e.g. {"state": "ON"}' : format === "hex" ? "Payload, e.g. de ad be ef" : format === "base64" ? "Payload, e.g. aGVsbG8=" : "Payload, e.g. on"}
            aria-invalid={!payloadCheck.ok && (touched || payload !== "")}
            data-testid="publish-payload"
            onChange={(e) => setPayload(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void submit();
              }
            }}
          />
          <div className="fh-mon-publish-send">
            <button type="submit" className="fh-btn is-primary" disabled={busy || (touched && !valid)} data-testid="publish-submit" title="Publish (Ctrl+Enter)">
              {busy ? "Publishing…" : "Publish"}
            </button>
            <span className="fh-muted fh-small">{formatBytes(size)}</span>
          </div>
        </div>
        {!payloadCheck.ok && (touched || payload !== "") ? (
          <span className="fh-mon-field-error" role="alert" data-testid="publish-payload-error">
            {payloadCheck.error}
          </span>
        ) : null}
        {result ? (
          <p className={result.ok ? "fh-mon-ok" : "fh-mon-field-error"} role={result.ok ? "status" : "alert"} data-testid="publish-result">
            {result.text}
          </p>
        ) : null}
      </form>
      {history.length > 0 ? (
        <div className="fh-mon-published">
          <span className="fh-muted fh-small">Recent:</span>
          <ul data-testid="publish-history">
            {history.map((p) => (
              <li key={`${p.time}:${p.topic}:${p.payload}`}>
                <button
                  type="button"
                  className="fh-mon-published-item"
                  title={`${p.topic}\n${p.payload}\n${p.format}, QoS ${p.qos}${p.retain ? ", retained" : ""}, ${formatAge(now - p.time)} ago — click to put it back in the form`}
                  onClick={() => reuse(p)}
                >
                  <span className="fh-mon-published-topic">{p.topic}</span>
                  <span className="fh-mon-published-payload">{oneLine(p.payload, 40) || "∅"}</span>
                  {p.retain ? <span className="fh-mon-badge is-retained">R</span> : null}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="fh-link fh-small" title="Forget the recent publishes kept in this browser" onClick={clearHistory}>
            clear
          </button>
        </div>
      ) : null}
    </section>
  );
}
