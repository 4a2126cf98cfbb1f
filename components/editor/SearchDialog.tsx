"use client";
/**
 * Search every flow (Ctrl+F): type, move with ↑/↓, Enter jumps to the node (its tab opens,
 * it is selected and centred). Matches by name, type, topic or any property value.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { FlowDocument } from "../../lib/flow/schema";
import { getNodeDefinition } from "../../lib/nodes/registry";
import { Dialog } from "./Dialog";
import { searchDocument } from "./model/search";

export interface SearchDialogProps {
  document: FlowDocument;
  onSelectNode: (nodeId: string) => void;
  onClose: () => void;
  initialQuery?: string;
}

export function SearchDialog({ document, onSelectNode, onClose, initialQuery = "" }: SearchDialogProps) {
  const [query, setQuery] = useState(initialQuery);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const results = useMemo(() => searchDocument(document, query, { limit: 200 }), [document, query]);

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const pick = (i: number) => {
    const r = results[i];
    if (!r) return;
    onClose();
    onSelectNode(r.nodeId);
  };

  return (
    <Dialog title="Search flows" testId="search-dialog" className="fh-dlg-search" onClose={onClose} initialFocus={inputRef}>
      <input
        ref={inputRef}
        type="search"
        className="fh-search-input"
        placeholder="Name, type, topic or any property…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="fh-search-results"
        aria-activedescendant={results[active] ? `fh-search-${results[active].nodeId}` : undefined}
        aria-label="Search flows"
        data-testid="search-input"
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, results.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            pick(active);
          }
        }}
      />
      <p className="fh-muted fh-small" aria-live="polite">
        {query.trim() === "" ? "Searches every tab. ↑/↓ to move, Enter to show the node." : `${results.length} node${results.length === 1 ? "" : "s"}`}
      </p>
      <ul id="fh-search-results" className="fh-search-results" role="listbox" ref={listRef}>
        {results.map((r, i) => {
          const def = getNodeDefinition(r.type);
          return (
            <li
              key={r.nodeId}
              id={`fh-search-${r.nodeId}`}
              role="option"
              aria-selected={i === active}
              data-index={i}
              className={i === active ? "is-active" : undefined}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(i)}
              data-testid="search-result"
              data-node-id={r.nodeId}
            >
              <span className="fh-search-swatch" style={{ background: def?.color ?? "#ccc" }} aria-hidden />
              <span className="fh-search-main">
                <strong>{r.label}</strong> <span className="fh-muted fh-small">{r.type}</span>
                <span className="fh-search-where fh-small fh-muted">on {r.flowName}</span>
              </span>
              <span className="fh-search-match fh-small">
                {r.matches
                  .filter((m) => m.field !== "name" && m.field !== "type")
                  .slice(0, 2)
                  .map((m) => (
                    <span key={m.field}>
                      <span className="fh-muted">{m.field}:</span> {m.text}
                    </span>
                  ))}
              </span>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}

/** Ctrl+F / ⌘F opens search, even while focus is in a text field (the browser's find is of little use here). */
export function useSearchShortcut(open: () => void): void {
  const ref = useRef(open);
  ref.current = open;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "f") {
        if (document.querySelector(".fh-modal-backdrop")) return;
        e.preventDefault();
        ref.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
