import { describe, expect, it } from "vitest";
import type { Dashboard } from "../../../lib/dashboard/schema";
import { dashboardIdFor, freshDashboardName, neighbourAfterDelete, newWidgetId, removeWidget, upsertWidget } from "./dashboards";

const d = (id: string, name = id): Dashboard => ({ id, name, widgets: [] });

describe("dashboard list", () => {
  it("makes a readable, unique id from the name", () => {
    expect(dashboardIdFor("Living Room", [])).toBe("living-room");
    expect(dashboardIdFor("Living Room", ["living-room"])).toBe("living-room-2");
    expect(dashboardIdFor("Küche", [])).toBe("kuche");
    expect(dashboardIdFor("!!!", [])).toBe("dashboard");
  });

  it("suggests a name not used yet", () => {
    expect(freshDashboardName([])).toBe("Dashboard");
    expect(freshDashboardName([d("a", "Dashboard"), d("b", "Dashboard 2")])).toBe("Dashboard 3");
  });

  it("shows the next dashboard after deleting one, the previous if it was last, none if it was alone", () => {
    const list = [d("a"), d("b"), d("c")];
    expect(neighbourAfterDelete(list, "b")).toBe("c");
    expect(neighbourAfterDelete(list, "c")).toBe("b");
    expect(neighbourAfterDelete([d("a")], "a")).toBeNull();
  });

  it("adds, replaces and removes widgets by id", () => {
    const widget = { id: "w", type: "button" as const, title: "", topic: "", path: "", broker: "", grid: { x: 0, y: 0, w: 2, h: 2 }, commandTopic: "x", payload: "1", retain: false };
    let x = upsertWidget(d("a"), widget);
    x = upsertWidget(x, { ...widget, payload: "2" });
    expect(x.widgets).toHaveLength(1);
    expect(x.widgets[0].type === "button" && x.widgets[0].payload).toBe("2");
    expect(removeWidget(x, "w").widgets).toEqual([]);
  });

  it("makes widget ids that do not collide", () => {
    const seq = [0.5, 0.5, 0.25];
    const id = newWidgetId([{ ...{ id: "value-7fffff" } } as never], "value", () => seq.shift() ?? 0.1);
    expect(id).toBe("value-3fffff");
  });
});
