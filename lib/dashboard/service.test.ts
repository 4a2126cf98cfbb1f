/** Dashboards in the database: create, replace, list, delete, validation, example seeding. */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../db/testing";
import { DashboardService, chartPairs } from "./service";
import type { Dashboard } from "./schema";

const db = useTestDatabase();

const garage = {
  id: "garage",
  name: "Garage",
  widgets: [
    { id: "w1", type: "switch", title: "Light", topic: "house/garage/light", commandTopic: "house/garage/light", grid: { x: 0, y: 0, w: 3, h: 2 } },
    { id: "w2", type: "chart", title: "Temp", topic: "house/garage/sensor", path: "temperature", grid: { x: 3, y: 0, w: 6, h: 4 } },
  ],
};

describe("DashboardService", () => {
  it("creates, replaces, lists and deletes dashboards, reporting chart widgets' topics", async () => {
    let reported: Dashboard[] = [];
    const svc = new DashboardService(db.prisma, (all) => (reported = all));
    const saved = await svc.save("garage", garage);
    expect(saved.widgets[0]).toMatchObject({ type: "switch", onPayload: "ON", offPayload: "OFF" });
    expect(chartPairs(reported)).toEqual([{ broker: "", topic: "house/garage/sensor", path: "temperature" }]);
    await svc.save("garage", { ...garage, name: "Garage 2" });
    await svc.save("other", { id: "other", name: "Other", widgets: [] });
    expect((await svc.list()).dashboards.map((d) => d.name)).toEqual(["Garage 2", "Other"]);
    await svc.delete("garage");
    await expect(svc.get("garage")).rejects.toMatchObject({ status: 404 });
    await expect(svc.delete("garage")).rejects.toMatchObject({ status: 404 });
    expect(chartPairs(reported)).toEqual([]);
  });

  it("rejects an invalid dashboard with the field named (400) and an id that differs from the URL (422)", async () => {
    const svc = new DashboardService(db.prisma);
    await expect(svc.save("x", { id: "x", name: "", widgets: [] })).rejects.toMatchObject({ status: 400, message: /name: a dashboard needs a name/ });
    await expect(svc.save("x", { id: "x", name: "X", widgets: [{ id: "w", type: "dial", grid: { x: 0, y: 0, w: 1, h: 1 } }] })).rejects.toMatchObject({ status: 400, message: /widgets\.0/ });
    await expect(svc.save("x", { id: "y", name: "X", widgets: [] })).rejects.toMatchObject({ status: 422 });
    await expect(svc.save("x", { ...garage, id: "x", widgets: [garage.widgets[0], garage.widgets[0]] })).rejects.toMatchObject({ status: 422, message: /Two widgets/ });
  });

  it("seeds the shipped example dashboard once", async () => {
    const svc = new DashboardService(db.prisma);
    const warnings: string[] = [];
    expect(await svc.seed("flows/dashboards/motion-light.json", "test.seed", (t) => warnings.push(t))).toBe(true);
    expect(warnings).toEqual([]);
    const d = await svc.get("motion-light");
    expect(d.widgets.map((w) => w.type)).toEqual(["status", "switch", "value", "button"]);
    await svc.delete("motion-light");
    expect(await svc.seed("flows/dashboards/motion-light.json", "test.seed", (t) => warnings.push(t))).toBe(false);
  });
});
