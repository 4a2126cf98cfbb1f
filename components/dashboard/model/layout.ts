/**
 * Between the dashboard's widgets (each with a grid position) and react-grid-layout's
 * layout items, placing new widgets, and the phone's single-column order. Pure.
 */
import type { Widget, WidgetType } from "../../../lib/dashboard/schema";

export const GRID_COLS = 12;
export const GRID_ROW_HEIGHT = 60;

export interface GridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
  minW?: number;
  minH?: number;
}

/** A sensible first size for each widget type (grid units). */
export const DEFAULT_SIZE: Record<WidgetType, { w: number; h: number }> = {
  value: { w: 3, h: 2 },
  gauge: { w: 3, h: 3 },
  chart: { w: 6, h: 4 },
  switch: { w: 3, h: 2 },
  button: { w: 2, h: 2 },
  slider: { w: 4, h: 2 },
  text: { w: 4, h: 2 },
  status: { w: 2, h: 2 },
};

const MIN_SIZE: Partial<Record<WidgetType, { minW: number; minH: number }>> = {
  chart: { minW: 3, minH: 3 },
  gauge: { minW: 2, minH: 2 },
};

export function widgetsToLayout(widgets: readonly Widget[]): GridItem[] {
  return widgets.map((w) => ({ i: w.id, ...w.grid, ...(MIN_SIZE[w.type] ?? {}) }));
}

function clampGrid(item: { x: number; y: number; w: number; h: number }) {
  const w = Math.min(GRID_COLS, Math.max(1, Math.round(item.w)));
  const h = Math.min(12, Math.max(1, Math.round(item.h)));
  const x = Math.min(GRID_COLS - w, Math.max(0, Math.round(item.x)));
  const y = Math.max(0, Math.round(item.y));
  return { x, y, w, h };
}

/**
 * The widgets with the positions from a layout change. Returns the same array when nothing
 * moved, so a layout callback that fires without a change does not cause a save.
 */
export function applyLayout<T extends Widget>(widgets: readonly T[], layout: readonly GridItem[]): readonly T[] {
  const byId = new Map(layout.map((l) => [l.i, l]));
  let changed = false;
  const next = widgets.map((w) => {
    const l = byId.get(w.id);
    if (!l) return w;
    const g = clampGrid(l);
    if (g.x === w.grid.x && g.y === w.grid.y && g.w === w.grid.w && g.h === w.grid.h) return w;
    changed = true;
    return { ...w, grid: g };
  });
  return changed ? next : widgets;
}

/** Where a new widget goes: the first free spot in the rows at the bottom, left to right. */
export function placeNewWidget(widgets: readonly Widget[], size: { w: number; h: number }): { x: number; y: number; w: number; h: number } {
  const w = Math.min(GRID_COLS, size.w);
  const occupied = (x: number, y: number) =>
    widgets.some((o) => x < o.grid.x + o.grid.w && x + w > o.grid.x && y < o.grid.y + o.grid.h && y + size.h > o.grid.y);
  const bottom = widgets.reduce((m, o) => Math.max(m, o.grid.y + o.grid.h), 0);
  // Try the last row band first (fills gaps beside the last widgets), then below everything.
  const lastTop = widgets.reduce((m, o) => Math.max(m, o.grid.y), 0);
  for (const y of widgets.length ? [lastTop] : [0]) {
    for (let x = 0; x + w <= GRID_COLS; x++) if (!occupied(x, y)) return { x, y, w, h: size.h };
  }
  return { x: 0, y: bottom, w, h: size.h };
}

/** On a phone every widget takes the full width, in reading order (top to bottom, left to right). */
export function phoneOrder<T extends Widget>(widgets: readonly T[]): T[] {
  return [...widgets].sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x);
}

/** Height in pixels of a widget in the phone's single column (at least a large touch target). */
export function phoneHeight(widget: Widget): number {
  const rows = widget.type === "chart" ? Math.max(3, widget.grid.h) : widget.type === "gauge" ? 3 : 2;
  return rows * GRID_ROW_HEIGHT;
}
