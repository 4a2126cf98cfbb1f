/**
 * The acceptance story in a real browser: log in, change the example's delay to 5 seconds
 * in the trigger's property form, deploy, publish motion, and watch the debug sidebar and
 * the light topic.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { findNode, getDraft } from "../helpers/flows";
import { launchBrowser, login } from "../helpers/browser";

let app: AppHandle;
let browser: Browser;
let page: Page;
let probe: Probe;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("house/+/light");
});

afterAll(async () => {
  await probe?.end();
  await browser?.close();
  await app?.dispose();
});

it("changes the delay in the form, deploys, and the new delay is in force", async () => {
  await login(page, app.url, app.adminPassword);
  const trigger = findNode(await getDraft(app), "trigger");
  const node = page.locator(`.react-flow__node[data-id="${trigger.id}"]`);
  await node.waitFor({ state: "visible", timeout: 30_000 });
  await page.locator(`[data-testid="socket-state"][data-state="connected"]`).waitFor({ timeout: 15_000 });
  await node.click();

  const duration = page.getByTestId("prop-field-duration");
  await duration.fill("5");
  await page.getByTestId("prop-field-units").selectOption("s");
  await page.getByTestId("draft-state").filter({ hasText: /saved/i }).waitFor({ timeout: 10_000 });

  await page.getByTestId("deploy-button").click();
  await page.getByTestId("deploy-confirm").click();
  await page.getByTestId("deploy-result").waitFor({ state: "visible", timeout: 15_000 });
  expect(await page.getByTestId("deploy-result").innerText()).toMatch(/deployed/i);

  const deployed = findNode(await getDraft(app), "trigger").config;
  expect(String(deployed.duration)).toBe("5");
  expect(deployed.units).toBe("s");

  const from = probe.received.length;
  const t0 = Date.now();
  await probe.publish("house/garage/motion", "1");
  await probe.waitFor((m) => m.topic === "house/garage/light" && m.payload === "on", 3000, from);
  // The trigger's badge shows its running timer live, and clears when the timer is done.
  await page.getByTestId(`node-status-${trigger.id}`).waitFor({ state: "visible", timeout: 5000 });

  // The debug sidebar shows the light command live.
  await page.getByTestId("sidebar-tab-debug").click();
  await page.getByTestId("debug-entry").filter({ hasText: "house/garage/light" }).first().waitFor({ timeout: 10_000 });

  const off = await probe.waitFor((m) => m.topic === "house/garage/light" && m.payload === "off", 9000, from);
  expect(off.at - t0).toBeGreaterThanOrEqual(4900);
  expect(off.at - t0).toBeLessThan(7500);
  await page.getByTestId("debug-entry").filter({ hasText: "off" }).first().waitFor({ timeout: 10_000 });
  await page.getByTestId(`node-status-${trigger.id}`).waitFor({ state: "detached", timeout: 5000 });
  fs.mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/e2e-motion-light.png" });
});
