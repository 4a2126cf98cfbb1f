/**
 * The topic monitor in a real browser: publish from the page and see the topic, its value
 * and a chart; follow a topic an outside MQTT client publishes to, live, with the diff of its
 * JSON values; pause and resume; search; clear the retained messages of a subtree after a
 * confirmation that states how many; the phone layout.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { launchBrowser, login } from "../helpers/browser";

let app: AppHandle;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let probe: Probe;

const SHOTS = "test-results";
const row = (topic: string) => page.getByTestId(`tree-row-${topic}`);

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
  probe = await connectProbe(app.mqttUrl);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await probe?.end();
  await browser?.close();
  await app?.dispose();
});

async function publishFromPage(topic: string, payload: string): Promise<void> {
  await page.getByTestId("publish-topic").fill(topic);
  await page.getByTestId("publish-payload").fill(payload);
  await page.getByTestId("publish-submit").click();
  await page.getByTestId("publish-result").filter({ hasText: `to ${topic}` }).waitFor({ timeout: 10_000 });
}

it("sends a visitor who is not logged in to the login page and back", async () => {
  const anon = await browser.newContext();
  try {
    const p = await anon.newPage();
    await p.goto(`${app.url}/monitor`);
    await p.waitForURL(/\/login\?next=%2Fmonitor/);
  } finally {
    await anon.close();
  }
});

it("publishes from the page and the topic arrives in the tree with its value", async () => {
  await login(page, app.url, app.adminPassword);
  await page.goto(`${app.url}/monitor`);
  await page.locator(`[data-testid="monitor-connection"][data-state="connected"]`).waitFor({ timeout: 20_000 });
  await page.getByTestId("monitor-tree").waitFor();

  await publishFromPage("lab/temp", "21.5");
  await row("lab/temp").filter({ hasText: "21.5" }).waitFor({ timeout: 10_000 });
  await row("lab/temp").click();
  await page.getByTestId("topic-details").waitFor();
  await page.getByTestId("topic-value").filter({ hasText: "21.5" }).waitFor({ timeout: 10_000 });
  // The level above counts the topic.
  expect(await row("lab").innerText()).toMatch(/1 topic · 1 msgs?/);
});

it("draws the published numbers on a uPlot canvas", async () => {
  for (const v of ["22", "22.5", "23.25"]) await publishFromPage("lab/temp", v);
  await page.getByTestId("topic-value").filter({ hasText: "23.25" }).waitFor({ timeout: 10_000 });
  await page.getByTestId("details-tab-chart").click();
  const chart = page.getByTestId("topic-chart");
  await chart.locator("canvas").waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="topic-chart"]')?.getAttribute("data-points") ?? 0) >= 4, undefined, { timeout: 10_000 });
  const size = await chart.locator("canvas").evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
  expect(size.w).toBeGreaterThan(0);
  expect(size.h).toBeGreaterThan(0);
  const points = Number(await chart.getAttribute("data-points"));
  expect(points).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: `${SHOTS}/e2e-monitor-chart.png` });
});

it("follows a topic an outside client publishes to, live, with the JSON diff", async () => {
  await probe.publish("house/garage/climate", JSON.stringify({ temperature: 19.5, humidity: 40 }), { retain: true });
  await row("house").waitFor({ timeout: 10_000 });
  // "house" has more than one level: open what is needed.
  if (!(await row("house/garage/climate").isVisible())) {
    if ((await row("house/garage").count()) === 0) await row("house").locator("button").first().click();
    await row("house/garage").waitFor();
    if (!(await row("house/garage/climate").isVisible())) await row("house/garage").locator("button").first().click();
  }
  await row("house/garage/climate").click();
  await page.getByTestId("topic-value").filter({ hasText: "19.5" }).waitFor({ timeout: 10_000 });

  await probe.publish("house/garage/climate", JSON.stringify({ temperature: 20.25, humidity: 40, battery: 97 }), { retain: true });
  await page.getByTestId("topic-value").filter({ hasText: "20.25" }).waitFor({ timeout: 10_000 });
  await page.getByTestId("details-tab-diff").click();
  const diff = page.getByTestId("topic-diff");
  await diff.waitFor();
  await diff.locator('[data-kind="changed"]').filter({ hasText: "temperature" }).waitFor();
  await diff.locator('[data-kind="added"]').filter({ hasText: "battery" }).waitFor();

  await page.getByTestId("details-tab-value").click();
  await page.getByTestId("topic-payload").filter({ hasText: "battery" }).waitFor();
  await page.getByTestId("details-tab-history").click();
  expect(await page.getByTestId("history-row").count()).toBe(2);
});

// Retried (not loosened): once per full-suite run on a loaded 2-core machine the two messages
// did not both show as waiting within 10 s; a retry starts from a resumed page.
it("pause freezes the view and counts what is waiting; resume applies it", { retry: 2 }, async () => {
  if ((await page.getByTestId("monitor-pause").getAttribute("data-paused")) === "true") await page.getByTestId("monitor-pause").click();
  await page.getByTestId("monitor-pause").click();
  // The page must be paused before the messages arrive (a slow browser could apply them live).
  await page.locator('[data-testid="monitor-pause"][data-paused="true"]').waitFor({ timeout: 5000 });
  await probe.publish("house/garage/climate", JSON.stringify({ temperature: 30, humidity: 41 }), { retain: true });
  await probe.publish("lab/temp", "99");
  // Our two topics are waiting; the broker's own $SYS heartbeat may add more while paused.
  const waiting = page.getByTestId("monitor-waiting").filter({ hasText: /\b([2-9]|\d{2,}) topics waiting/ });
  await waiting.waitFor({ timeout: 10_000 });
  expect(await row("lab/temp").innerText()).toContain("23.25");
  await page.getByTestId("monitor-pause").click();
  await page.locator('[data-testid="monitor-pause"][data-paused="false"]').waitFor({ timeout: 5000 });
  await row("lab/temp").filter({ hasText: "99" }).waitFor({ timeout: 5000 });
  await page.getByTestId("topic-value").filter({ hasText: '"temperature":30' }).waitFor({ timeout: 5000 });
});

it("filters the tree by topic and by value", async () => {
  await page.getByTestId("tree-search").fill("climate");
  await row("house/garage/climate").waitFor();
  await expect.poll(() => row("lab/temp").count()).toBe(0);
  await page.getByTestId("tree-search").fill("99");
  await row("lab/temp").waitFor();
  await expect.poll(() => row("house/garage/climate").count()).toBe(0);
  await page.getByTestId("tree-search").fill("");
  await row("lab/temp").waitFor();
});

it("clears the retained messages of a subtree after confirming how many", async () => {
  await probe.publish("house/kitchen/light", "on", { retain: true });
  await probe.publish("house/kitchen/temp", "21", { retain: true });
  await probe.publish("house/hall/motion", "0", { retain: false });
  await row("house/kitchen").waitFor({ timeout: 10_000 });
  await row("house").click();
  await page.getByTestId("subtree-counts").waitFor();
  // A level's details list its children with their counts.
  await page.getByTestId("subtree-children").filter({ hasText: "kitchen" }).waitFor();
  await page.getByTestId("clear-retained").click();
  // house/garage/climate, house/kitchen/light and house/kitchen/temp hold retained messages.
  const title = page.getByTestId("clear-title");
  await title.filter({ hasText: "Clear 3 retained topics under house/#?" }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("clear-list").getAttribute("data-count")).toBe("3");
  expect(await page.getByTestId("clear-list").innerText()).toContain("house/kitchen/light");
  await page.screenshot({ path: `${SHOTS}/e2e-monitor-clear.png` });
  await page.getByTestId("clear-confirm").click();
  await page.getByTestId("monitor-notice").filter({ hasText: "Cleared 3 retained topics" }).waitFor({ timeout: 10_000 });

  // A new subscriber gets no retained message under house/ any more.
  const fresh = await connectProbe(app.mqttUrl);
  try {
    await fresh.subscribe("house/#");
    await new Promise((r) => setTimeout(r, 500));
    expect(fresh.received.filter((m) => m.retain && m.payload !== "")).toEqual([]);
  } finally {
    await fresh.end();
  }
  // lab/temp (not retained) was never touched; a dry run under house now finds nothing.
  const dry = await app.api("POST", "/api/monitor/clear-retained", { prefix: "house", dryRun: true });
  expect(dry.status).toBe(200);
  expect((dry.json as { count: number }).count).toBe(0);
});

it("looks right at 1280×720 and stacks on a phone", async () => {
  await row("lab/temp").click();
  await page.getByTestId("topic-value").waitFor();
  await page.screenshot({ path: `${SHOTS}/e2e-monitor-1280.png` });
  await page.setViewportSize({ width: 375, height: 740 });
  await page.waitForTimeout(300);
  const tree = await page.getByTestId("monitor-tree").boundingBox();
  const details = await page.getByTestId("topic-details").boundingBox();
  expect(tree && details).toBeTruthy();
  expect(details!.y).toBeGreaterThanOrEqual(tree!.y + tree!.height - 1);
  expect(tree!.width).toBeLessThanOrEqual(375);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/e2e-monitor-phone.png`, fullPage: true });
});
