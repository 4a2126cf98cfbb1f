"use client";
/**
 * Quick-add (Node-RED's ctrl+click): a small search box at the pointer. Type to filter,
 * ↑/↓ to choose, Enter adds the node where the box was opened, Escape closes.
 */
import { useMemo, useState } from "react";
import type { AnyNodeDefinition } from "../../lib/nodes/types";
import { searchDefinitions } from "./model/palette-search";
import { typeSlug } from "./model/canvas";

export interface QuickAddProps {
  /** position inside the canvas element, px */
  left: number;
  top: number;
  definitions: readonly AnyNodeDefinition[];
  onPick: (type: string) => void;
  onClose: () => void;
}

const MAX_SHOWN = 8;

export function QuickAdd({ left, top, definitions, onPick, onClose }: QuickAddProps) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const matches = useMemo(() => searchDefinitions(definitions, query).slice(0, MAX_SHOWN), [definitions, query]);
  const current = Math.min(active, Math.max(0, matches.length - 1));
  return (
    <div className="fh-quickadd" style={{ left, top }} data-testid="quick-add" role="dialog" aria-label="Add a node here">
      <input
        autoFocus
        type="text"
        className="fh-quickadd-input"
        placeholder="Add a node…"
        aria-label="Node type to add"
        aria-controls="fh-quickadd-list"
        aria-activedescendant={matches[current] ? `fh-qa-${typeSlug(matches[current].type)}` : undefined}
        data-testid="quick-add-input"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onBlur={onClose}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((current + 1) % Math.max(1, matches.length));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((current - 1 + matches.length) % Math.max(1, matches.length));
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (matches[current]) onPick(matches[current].type);
          } else if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          }
          e.stopPropagation();
        }}
      />
      <ul id="fh-quickadd-list" className="fh-quickadd-list" role="listbox">
        {matches.map((d, i) => (
          <li
            key={d.type}
            id={`fh-qa-${typeSlug(d.type)}`}
            role="option"
            aria-selected={i === current}
            className={i === current ? "is-active" : undefined}
            onMouseDown={(e) => {
              e.preventDefault(); // keep focus in the input until the pick is done
              onPick(d.type);
            }}
            onMouseEnter={() => setActive(i)}
          >
            <span className="fh-quickadd-swatch" style={{ background: d.color }} aria-hidden />
            {d.paletteLabel}
            <span className="fh-muted fh-small">{d.category}</span>
          </li>
        ))}
        {matches.length === 0 && <li className="fh-muted fh-small">No node type matches.</li>}
      </ul>
    </div>
  );
}
