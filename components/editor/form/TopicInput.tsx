"use client";
/**
 * A topic field with autocomplete from the broker's topic catalogue (GET /api/topics) and a
 * typo warning: a topic (or filter) nobody has published that is one typo away from a topic
 * that has been seen (model/topic-typos.ts). Without the catalogue (404, offline) it is a
 * plain text box.
 */
import { useEffect, useId, useRef, useState } from "react";
import { api } from "../api";
import { topicTypoWarning } from "../model/topic-typos";
import "../editor-dialogs.css";

const CATALOGUE_TTL_MS = 30_000;
const DEBOUNCE_MS = 120;
const MAX_SUGGESTIONS = 12;

/** The most recent topics (shared by every topic field; refreshed at most every 30 s). */
let catalogue: { at: number; topics: Promise<string[]> } | null = null;
function recentTopics(): Promise<string[]> {
  if (!catalogue || Date.now() - catalogue.at > CATALOGUE_TTL_MS) {
    catalogue = {
      at: Date.now(),
      topics: api.topics("", 500).then(
        (r) => r?.topics.map((t) => t.topic) ?? [],
        () => [],
      ),
    };
  }
  return catalogue.topics;
}

/** What to ask the catalogue for: the text before the first wildcard level. */
function queryFor(text: string): string {
  const levels = text.split("/");
  const i = levels.findIndex((l) => l === "+" || l === "#");
  return i < 0 ? text : levels.slice(0, i).join("/");
}

export interface TopicInputProps {
  common: {
    id: string;
    "data-testid": string;
    "aria-invalid"?: boolean;
    "aria-describedby"?: string;
    disabled?: boolean;
  };
  value: unknown;
  onChange: (v: string) => void;
  kind: "filter" | "publish";
}

export function TopicInput({ common, value, onChange, kind }: TopicInputProps) {
  const listId = useId();
  const [text, setText] = useState(typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [known, setKnown] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const focused = useRef(false);

  // Follow the stored value when it changes elsewhere (undo, another node).
  useEffect(() => {
    const v = typeof value === "string" ? value : "";
    setText((t) => (t === v ? t : v));
  }, [value]);

  useEffect(() => {
    let cancelled = false;
    void recentTopics().then((t) => !cancelled && setKnown(t));
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!focused.current) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .topics(queryFor(text), 50)
        .then((r) => {
          if (cancelled || !r) return;
          const q = queryFor(text).toLowerCase();
          const list = r.topics
            .map((t) => t.topic)
            .filter((t) => t !== text)
            // Topics starting with what was typed first, then those containing it.
            .sort((a, b) => Number(!a.toLowerCase().startsWith(q)) - Number(!b.toLowerCase().startsWith(q)))
            .slice(0, MAX_SUGGESTIONS);
          setSuggestions(list);
          setKnown((k) => (list.every((t) => k.includes(t)) ? k : [...new Set([...list, ...k])]));
          setActive(-1);
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, open]);

  const set = (v: string) => {
    setText(v);
    onChange(v);
  };
  const choose = (t: string) => {
    set(t);
    setOpen(false);
  };
  const warning = topicTypoWarning(text, kind, known);
  const showList = open && suggestions.length > 0 && !common.disabled;

  return (
    <div className="fh-topic">
      <div className="fh-topic-box">
      <input
        {...common}
        type="text"
        value={text}
        spellCheck={false}
        autoComplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        onFocus={() => {
          focused.current = true;
          setOpen(true);
        }}
        onBlur={() => {
          focused.current = false;
          setOpen(false);
        }}
        onChange={(e) => {
          set(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (!showList) {
            if (e.key === "ArrowDown" && suggestions.length) {
              setOpen(true);
              e.preventDefault();
            }
            return;
          }
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, suggestions.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, -1));
          } else if (e.key === "Enter" && active >= 0) {
            e.preventDefault();
            choose(suggestions[active]);
          } else if (e.key === "Escape") {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {showList && (
        <ul className="fh-topic-list" role="listbox" id={listId} data-testid="topic-suggestions" aria-label="Topics seen on the broker">
          {suggestions.map((t, i) => (
            <li
              key={t}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "is-active" : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(t);
              }}
              data-testid="topic-suggestion"
            >
              {t}
            </li>
          ))}
        </ul>
      )}
      </div>
      {warning && (
        <div className="fh-topic-warning" role="status" data-testid="topic-typo-warning">
          {warning.message}{" "}
          <button type="button" className="fh-link" onClick={() => set(warning.suggestion)} data-testid="topic-typo-fix" disabled={common.disabled}>
            Use &apos;{warning.suggestion}&apos;
          </button>
        </div>
      )}
    </div>
  );
}
