/**
 * The dashboard in a real browser: the shipped example renders; a user builds a dashboard
 * with a Tasmota-style switch (state lab/plug/state, command lab/plug/set) and a value
 * widget; toggling the switch puts ON on the broker, the device's confirmation turns the
 * switch on; a number published to the value's topic shows up; the dashboard survives a
 * reload; on a phone it is one column; a refused save makes the page read-only.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { launchBrowser, login } from "../helpers/browser";
import { dashboardListSchema, type Dashboard } from "../../lib/dashboard/schema";

let app: AppHandle;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let probe: Probe;

const SHOTS = "test-results";

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("lab/plug/set");
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await probe?.end();
  await browser?.close();
  await app?.dispose();
});

async function dashboards(): Promise<Dashboard[]> {
  const res = await app.api("GET", "/api/dashboards");
  expect(res.status, res.text).toBe(200);
  return dashboardListSchema.parse(res.json).dashboards;
}

async function waitSaved(p: Page): Promise<void> {
  await p.locator(`[data-testid="dash-save-state"][data-state="saved"]`).waitFor({ timeout: 10_000 });
}

it("shows the shipped example dashboard with all its widgets", async () => {
  await login(page, app.url, app.adminPassword);
  await page.goto(`${app.url}/dashboard`);
  const [example] = await dashboards();
  expect(example, "the server ships an example dashboard").toBeDefined();
  expect(example.widgets.length).toBeGreaterThan(0);
  await page.getByTestId(`dash-tab-${example.id}`).click();
  await page.getByTestId("dashboard-grid").waitFor({ timeout: 20_000 });
  for (const w of example.widgets) await page.getByTestId(`widget-${w.id}`).waitFor({ timeout: 10_000 });
  await page.locator(`[data-testid="dash-live"][data-state="connected"]`).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${SHOTS}/e2e-dashboard-example.png` });
});

let switchId = "";
let valueId = "";
let dashId = "";

it("builds a dashboard with a switch and a value widget, saved on the server", async () => {
  await page.getByTestId("dash-edit").click();
  await page.getByTestId("dash-new").click();
  await page.getByTestId("dash-name").fill("Lab");

  await page.getByTestId("dash-add-widget").click();
  await page.getByTestId("widget-form-type").selectOption("switch");
  await page.getByTestId("widget-form-title").fill("Lab plug");
  await page.getByTestId("widget-form-topic").fill("lab/plug/state");
  await page.getByTestId("widget-form-command").fill("lab/plug/set");
  await page.getByTestId("widget-form-submit").click();

  await page.getByTestId("dash-add-widget").click();
  await page.getByTestId("widget-form-type").selectOption("value");
  await page.getByTestId("widget-form-title").fill("Lab temperature");
  await page.getByTestId("widget-form-topic").fill("lab/temperature");
  await page.getByTestId("widget-form-unit").fill("°C");
  await page.getByTestId("widget-form-submit").click();
  await waitSaved(page);

  const lab = (await dashboards()).find((d) => d.name === "Lab");
  expect(lab, "the new dashboard is stored").toBeDefined();
  dashId = lab!.id;
  const sw = lab!.widgets.find((w) => w.type === "switch");
  const val = lab!.widgets.find((w) => w.type === "value");
  expect(sw).toMatchObject({ topic: "lab/plug/state", commandTopic: "lab/plug/set", onPayload: "ON", offPayload: "OFF", onState: "ON" });
  expect(val).toMatchObject({ topic: "lab/temperature", unit: "°C" });
  switchId = sw!.id;
  valueId = val!.id;
  await page.getByTestId("dash-edit").click(); // Done: controls act again
});

it("toggling the switch publishes ON, and the device's confirmation turns it on", async () => {
  const sw = page.getByTestId(`widget-switch-${switchId}`);
  await page.locator(`[data-testid="dash-live"][data-state="connected"]`).waitFor({ timeout: 15_000 });
  expect(await sw.getAttribute("data-state")).toBe("unknown");

  const from = probe.received.length;
  await sw.click();
  await probe.waitFor((m) => m.topic === "lab/plug/set" && m.payload === "ON", 5000, from);
  expect(await sw.getAttribute("data-pending")).toBe("true");

  await probe.publish("lab/plug/state", "ON", { retain: true });
  await page.locator(`[data-testid="widget-switch-${switchId}"][data-pending="false"][data-reported="on"]`).waitFor({ timeout: 5000 });
  expect(await sw.getAttribute("aria-checked")).toBe("true");
});

it("a command the device never confirms goes back to the reported state", async () => {
  const sw = page.getByTestId(`widget-switch-${switchId}`);
  const from = probe.received.length;
  await sw.click();
  await probe.waitFor((m) => m.topic === "lab/plug/set" && m.payload === "OFF", 5000, from);
  expect(await sw.getAttribute("data-state")).toBe("off");
  // No state message: after the 5 s confirmation timeout it shows "on" again, with the reason.
  await page.locator(`[data-testid="widget-switch-${switchId}"][data-pending="false"][data-state="on"]`).waitFor({ timeout: 8000 });
  await page.getByTestId(`widget-${switchId}`).getByText(/No confirmation on lab\/plug\/state/).waitFor({ timeout: 2000 });
});

it("a number published to the value widget's topic shows up live", async () => {
  await probe.publish("lab/temperature", "21.5");
  await page.getByTestId(`widget-value-${valueId}`).filter({ hasText: "21.5" }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/e2e-dashboard-1280.png` });
});

it("the dashboard is still there after a reload, showing the retained state", async () => {
  await page.reload();
  await page.getByTestId(`widget-switch-${switchId}`).waitFor({ timeout: 20_000 });
  expect(await page.getByTestId(`dash-tab-${dashId}`).getAttribute("aria-selected")).toBe("true");
  await page.locator(`[data-testid="widget-switch-${switchId}"][data-reported="on"]`).waitFor({ timeout: 10_000 });
  await page.getByTestId(`widget-${valueId}`).waitFor();
});

it("on a 375 px phone the widgets stack in one column with large touch targets", async () => {
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  try {
    await login(p, app.url, app.adminPassword);
    await p.goto(`${app.url}/dashboard?d=${encodeURIComponent(dashId)}`);
    const sw = p.getByTestId(`widget-switch-${switchId}`);
    await sw.waitFor({ timeout: 20_000 });
    const a = await p.getByTestId(`widget-${switchId}`).boundingBox();
    const b = await p.getByTestId(`widget-${valueId}`).boundingBox();
    expect(a && b).toBeTruthy();
    expect(a!.width).toBeGreaterThan(330);
    expect(Math.abs(a!.x - b!.x)).toBeLessThan(2);
    expect(await sw.isEnabled()).toBe(true);
    const box = await sw.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    const scrollWidth = await p.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await p.screenshot({ path: `${SHOTS}/e2e-dashboard-375.png`, fullPage: true });
  } finally {
    await phone.close();
  }
});

it("a chart shows stored history and appends live numbers", async () => {
  const now = Date.now();
  await probe.publish("lab/power", "100");
  const chart: Dashboard = {
    id: "lab-energy",
    name: "Lab energy",
    widgets: [{ id: "power", type: "chart", title: "Power", topic: "lab/power", path: "", broker: "", unit: "W", hours: 1, grid: { x: 0, y: 0, w: 6, h: 4 } }],
  };
  const put = await app.api("PUT", "/api/dashboards/lab-energy", chart);
  expect(put.status, put.text).toBe(200);
  await page.goto(`${app.url}/dashboard?d=lab-energy`);
  await page.getByTestId("widget-power").locator("canvas").first().waitFor({ timeout: 20_000 });
  await page.locator(`[data-testid="dash-live"][data-state="connected"]`).waitFor({ timeout: 15_000 });
  await probe.publish("lab/power", "250.5");
  await page.getByTestId("widget-value-power").filter({ hasText: "250.5" }).waitFor({ timeout: 5000 });
  const history = await app.api("GET", `/api/history?topic=lab/power&from=${now - 3_600_000}&to=${Date.now() + 1000}`);
  expect(history.status, history.text).toBe(200);
  expect(await page.getByTestId("widget-power").getByText(/History unavailable/).count()).toBe(0);
  await page.screenshot({ path: `${SHOTS}/e2e-dashboard-chart.png` });
});

it("shows the server's validation errors when a save is refused as invalid", async () => {
  await page.goto(`${app.url}/dashboard?d=${encodeURIComponent(dashId)}`);
  await page.getByTestId(`widget-${switchId}`).waitFor({ timeout: 20_000 });
  await page.route("**/api/dashboards/*", (route) =>
    route.request().method() === "PUT"
      ? route.fulfill({ status: 400, json: { error: "Invalid dashboard", details: [{ path: ["widgets", 0, "commandTopic"], message: "Too big: expected string to have <=65535 characters" }] } })
      : route.continue(),
  );
  await page.getByTestId("dash-edit").click();
  await page.getByTestId("dash-name").fill("Lab (renamed)");
  const banner = page.getByTestId("dash-save-error");
  await banner.waitFor({ timeout: 5000 });
  expect(await banner.innerText()).toMatch(/Invalid dashboard[\s\S]*widget 1 \(Lab plug\): commandTopic: Too big/);
  expect(await page.getByTestId("dash-save-state").getAttribute("data-state")).toBe("error");
  await page.unroute("**/api/dashboards/*");
  await page.getByTestId("dash-edit").click();
});

it("switches to read-only and says why when the server refuses a change (403)", async () => {
  await page.route("**/api/dashboards/*", (route) =>
    route.request().method() === "PUT" ? route.fulfill({ status: 403, json: { error: "Viewers cannot change dashboards" } }) : route.continue(),
  );
  await page.getByTestId("dash-edit").click();
  await page.getByTestId("dash-name").fill("Lab 2");
  await page.getByTestId("dash-readonly").filter({ hasText: "Viewers cannot change dashboards" }).waitFor({ timeout: 5000 });
  expect(await page.getByTestId("dash-edit").count()).toBe(0);
  expect(await page.getByTestId(`widget-switch-${switchId}`).isDisabled()).toBe(true);
  await page.unroute("**/api/dashboards/*");
});
