"use client";
/**
 * Node types by category, with a search box. Drag one onto the canvas, or press Enter
 * (or double-click) to add it in view. Enter in the search box adds the first match.
 */
import { memo, useMemo, useState } from "react";
import type { AnyNodeDefinition, NodeCategory } from "../../lib/nodes/types";
import { typeSlug } from "./model/canvas";
import { defaultsFromSchema } from "./model/form-model";
import { placeableDefinitions, searchDefinitions } from "./model/palette-search";

function hasOutputs(d: AnyNodeDefinition): boolean {
  try {
    return d.outputs(defaultsFromSchema(d.config)) > 0;
  } catch {
    return true;
  }
}

export const DRAG_MIME = "application/x-flowhouse-node";

const CATEGORY_ORDER: readonly NodeCategory[] = ["common", "function", "network"];

export interface PaletteProps {
  definitions: readonly AnyNodeDefinition[];
  onAdd: (type: string) => void;
}

function PaletteImpl({ definitions, onAdd }: PaletteProps) {
  const [query, setQuery] = useState("");
  const placeable = useMemo(() => placeableDefinitions(definitions), [definitions]);
  const matches = useMemo(() => searchDefinitions(placeable, query), [placeable, query]);
  const categories = [...CATEGORY_ORDER, ...new Set(placeable.map((d) => d.category).filter((c) => !CATEGORY_ORDER.includes(c)))];
  const searching = query.trim() !== "";
  const groups: { cat: string; defs: AnyNodeDefinition[] }[] = searching
    ? [{ cat: `${matches.length} match${matches.length === 1 ? "" : "es"}`, defs: matches }]
    : categories.map((cat) => ({ cat, defs: placeable.filter((d) => d.category === cat) }));
  return (
    <nav className="fh-palette" aria-label="Node palette">
      <input
        type="search"
        className="fh-palette-search"
        placeholder="Search nodes"
        aria-label="Search node types"
        data-testid="palette-search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && matches[0]) {
            e.preventDefault();
            onAdd(matches[0].type);
          } else if (e.key === "Escape") setQuery("");
        }}
      />
      {groups.map(({ cat, defs }) => {
        if (defs.length === 0) return null;
        return (
          <section key={cat} className="fh-palette-group">
            <h2>{cat}</h2>
            {defs.map((d) => (
              <div
                key={d.type}
                role="button"
                tabIndex={0}
                className="fh-palette-item"
                style={{ background: d.color }}
                draggable
                data-testid={`palette-item-${typeSlug(d.type)}`}
                title={`${d.paletteLabel}: drag onto the canvas (or press Enter)`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_MIME, d.type);
                  e.dataTransfer.setData("text/plain", d.type);
                  e.dataTransfer.effectAllowed = "copy";
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    onAdd(d.type);
                  }
                }}
                onDoubleClick={() => onAdd(d.type)}
              >
                {d.inputs > 0 && <span className="fh-palette-port is-in" aria-hidden />}
                <span className="fh-palette-label">{d.paletteLabel}</span>
                {hasOutputs(d) && <span className="fh-palette-port is-out" aria-hidden />}
              </div>
            ))}
          </section>
        );
      })}
      {searching && matches.length === 0 && <p className="fh-muted fh-small">No node type matches “{query.trim()}”.</p>}
      {placeable.length === 0 && <p className="fh-muted">No node types are registered.</p>}
    </nav>
  );
}

export const Palette = memo(PaletteImpl);
