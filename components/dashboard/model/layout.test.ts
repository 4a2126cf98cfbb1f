import { describe, expect, it } from "vitest";
import type { Widget } from "../../../lib/dashboard/schema";
import { applyLayout, phoneOrder, placeNewWidget, widgetsToLayout } from "./layout";

function w(id: string, x: number, y: number, ww = 3, h = 2): Widget {
  return { id, type: "value", title: "", topic: "t", path: "", broker: "", unit: "", grid: { x, y, w: ww, h } };
}

describe("dashboard grid layout", () => {
  it("gives react-grid-layout one item per widget with its position", () => {
    expect(widgetsToLayout([w("a", 1, 2)])).toEqual([{ i: "a", x: 1, y: 2, w: 3, h: 2 }]);
  });

  it("moves widgets to where they were dragged and keeps them inside 12 columns", () => {
    const ws = [w("a", 0, 0), w("b", 3, 0)];
    const next = applyLayout(ws, [
      { i: "a", x: 0, y: 2, w: 3, h: 2 },
      { i: "b", x: 11, y: 0, w: 3, h: 2 },
    ]);
    expect(next[0].grid).toEqual({ x: 0, y: 2, w: 3, h: 2 });
    expect(next[1].grid).toEqual({ x: 9, y: 0, w: 3, h: 2 });
  });

  it("returns the same widgets when the layout did not change (no needless save)", () => {
    const ws = [w("a", 0, 0)];
    expect(applyLayout(ws, [{ i: "a", x: 0, y: 0, w: 3, h: 2 }])).toBe(ws);
  });

  it("puts a new widget beside the last ones when there is room, else below", () => {
    expect(placeNewWidget([], { w: 3, h: 2 })).toEqual({ x: 0, y: 0, w: 3, h: 2 });
    expect(placeNewWidget([w("a", 0, 0)], { w: 3, h: 2 })).toEqual({ x: 3, y: 0, w: 3, h: 2 });
    expect(placeNewWidget([w("a", 0, 0, 12)], { w: 3, h: 2 })).toEqual({ x: 0, y: 2, w: 3, h: 2 });
  });

  it("orders widgets top to bottom, left to right for the phone's single column", () => {
    const ws = [w("c", 0, 4), w("b", 6, 0), w("a", 0, 0)];
    expect(phoneOrder(ws).map((x) => x.id)).toEqual(["a", "b", "c"]);
  });
});
