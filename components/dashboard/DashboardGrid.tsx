"use client";
/**
 * The widgets of one dashboard: a 12-column react-grid-layout grid (drag by the card's
 * header and resize while editing), or a single column on a phone.
 */
import { useMemo } from "react";
import ReactGridLayout, { useContainerWidth, verticalCompactor, type Layout } from "react-grid-layout";
import type { Widget } from "../../lib/dashboard/schema";
import { GRID_COLS, GRID_ROW_HEIGHT, phoneHeight, phoneOrder, widgetsToLayout, type GridItem } from "./model/layout";
import { WidgetCard } from "./WidgetView";

/** Below this width the grid becomes one column of full-width widgets. */
export const PHONE_MAX_WIDTH = 640;

export interface DashboardGridProps {
  widgets: readonly Widget[];
  editing: boolean;
  onLayout: (layout: readonly GridItem[]) => void;
  onSettings: (id: string) => void;
  onDelete: (id: string) => void;
}

export function DashboardGrid({ widgets, editing, onLayout, onSettings, onDelete }: DashboardGridProps) {
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const layout = useMemo(() => widgetsToLayout(widgets), [widgets]);
  const phone = mounted && width < PHONE_MAX_WIDTH;
  const save = (l: Layout) => onLayout(l.map(({ i, x, y, w, h }) => ({ i, x, y, w, h })));

  return (
    <div ref={containerRef} className={`fh-dash-grid${phone ? " is-phone" : ""}${editing ? " is-editing" : ""}`} data-testid="dashboard-grid">
      {!mounted ? null : phone ? (
        <div className="fh-dash-column">
          {phoneOrder(widgets).map((w) => (
            <div key={w.id} className="fh-dash-cell" data-testid={`widget-${w.id}`} data-type={w.type} style={{ minHeight: phoneHeight(w) }}>
              <WidgetCard widget={w} editing={editing} onSettings={onSettings} onDelete={onDelete} />
            </div>
          ))}
        </div>
      ) : (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: GRID_COLS, rowHeight: GRID_ROW_HEIGHT, margin: [12, 12], containerPadding: [0, 0] }}
          dragConfig={{ enabled: editing, handle: ".fh-dash-drag", cancel: ".fh-dash-nodrag" }}
          resizeConfig={{ enabled: editing, handles: ["se"] }}
          compactor={verticalCompactor}
          onDragStop={save}
          onResizeStop={save}
        >
          {widgets.map((w) => (
            <div key={w.id} className="fh-dash-cell" data-testid={`widget-${w.id}`} data-type={w.type}>
              <WidgetCard widget={w} editing={editing} onSettings={onSettings} onDelete={onDelete} />
            </div>
          ))}
        </ReactGridLayout>
      )}
    </div>
  );
}
