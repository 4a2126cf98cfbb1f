/** Dashboards over HTTP: the seeded example, create/replace/delete, validation errors, auth. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import type { Dashboard, DashboardList } from "../../lib/dashboard/schema";

let app: AppHandle;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.dispose();
});

const kitchen = {
  id: "kitchen",
  name: "Kitchen",
  widgets: [
    { id: "t", type: "gauge", title: "Temperature", topic: "house/kitchen/temp", unit: "°C", min: 0, max: 40, grid: { x: 0, y: 0, w: 3, h: 3 } },
    { id: "s", type: "switch", title: "Light", topic: "house/kitchen/light", commandTopic: "house/kitchen/light/set", grid: { x: 3, y: 0, w: 3, h: 2 } },
  ],
};

it("ships the motion → light example dashboard on first start", async () => {
  const res = await app.api("GET", "/api/dashboards");
  expect(res.status).toBe(200);
  const example = (res.json as DashboardList).dashboards.find((d) => d.id === "motion-light");
  expect(example?.widgets.map((w) => [w.type, w.topic])).toEqual([
    ["status", "house/garage/motion"],
    ["switch", "house/garage/light"],
    ["value", "house/garage/motion"],
    ["button", ""],
  ]);
});

it("creates, replaces, reads and deletes a dashboard", async () => {
  const created = await app.api("PUT", "/api/dashboards/kitchen", kitchen);
  expect(created.status, created.text).toBe(200);
  expect((created.json as Dashboard).widgets[1]).toMatchObject({ onPayload: "ON", offPayload: "OFF", onState: "ON" });
  const replaced = await app.api("PUT", "/api/dashboards/kitchen", { ...kitchen, name: "Kitchen (new)", widgets: [kitchen.widgets[0]] });
  expect(replaced.status).toBe(200);
  const got = await app.api("GET", "/api/dashboards/kitchen");
  expect(got.json).toMatchObject({ name: "Kitchen (new)", widgets: [{ id: "t" }] });
  const list = (await app.api("GET", "/api/dashboards")).json as DashboardList;
  expect(list.dashboards.map((d) => d.id)).toEqual(["motion-light", "kitchen"]);
  expect((await app.api("DELETE", "/api/dashboards/kitchen")).status).toBe(200);
  expect((await app.api("GET", "/api/dashboards/kitchen")).status).toBe(404);
  expect((await app.api("DELETE", "/api/dashboards/kitchen")).status).toBe(404);
});

it("answers invalid dashboards with 400 naming the field, and an id that differs from the URL with 422", async () => {
  const noName = await app.api("PUT", "/api/dashboards/x", { id: "x", name: "", widgets: [] });
  expect(noName.status).toBe(400);
  expect((noName.json as { error: string }).error).toMatch(/name/);
  const badWidget = await app.api("PUT", "/api/dashboards/x", { id: "x", name: "X", widgets: [{ id: "w", type: "gauge", grid: { x: 20, y: 0, w: 1, h: 1 } }] });
  expect(badWidget.status).toBe(400);
  expect((badWidget.json as { error: string }).error).toMatch(/widgets\.0\.grid\.x/);
  expect((await app.api("PUT", "/api/dashboards/x", "{not json")).status).toBe(400);
  expect((await app.api("PUT", "/api/dashboards/y", { id: "x", name: "X", widgets: [] })).status).toBe(422);
});

it("needs credentials", async () => {
  expect((await app.api("GET", "/api/dashboards", undefined, { token: null })).status).toBe(401);
  expect((await app.api("PUT", "/api/dashboards/z", { id: "z", name: "Z", widgets: [] }, { token: null })).status).toBe(401);
});
