"use client";
/** Node types by category. Drag one onto the canvas, or press Enter to add it in view. */
import type { AnyNodeDefinition, NodeCategory } from "../../lib/nodes/types";
import { typeSlug } from "./model/canvas";
import { defaultsFromSchema } from "./model/form-model";

function hasOutputs(d: AnyNodeDefinition): boolean {
  try {
    return d.outputs(defaultsFromSchema(d.config)) > 0;
  } catch {
    return true;
  }
}

export const DRAG_MIME = "application/x-flowhouse-node";

const CATEGORY_ORDER: readonly NodeCategory[] = ["common", "function", "network"];

export function Palette({ definitions, onAdd }: { definitions: readonly AnyNodeDefinition[]; onAdd: (type: string) => void }) {
  const placeable = definitions.filter((d) => !d.isConfig && d.category !== "config");
  const categories = [...CATEGORY_ORDER, ...new Set(placeable.map((d) => d.category).filter((c) => !CATEGORY_ORDER.includes(c)))];
  return (
    <nav className="fh-palette" aria-label="Node palette">
      {categories.map((cat) => {
        const defs = placeable.filter((d) => d.category === cat);
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
      {placeable.length === 0 && <p className="fh-muted">No node types are registered.</p>}
    </nav>
  );
}
