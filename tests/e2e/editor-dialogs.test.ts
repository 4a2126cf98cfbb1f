/**
 * The editor's dialogs in a real browser: import a pasted Node-RED flow, search and jump to a
 * node, roll back a deployment through the history (with its diff) and deploy it through the
 * deploy preview, and the topic autocomplete offering a topic just published on the broker
 * (plus the typo warning).
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { findNode, getDraft } from "../helpers/flows";
import { launchBrowser, login } from "../helpers/browser";
import type { DeploymentSummary, TopicListResponse } from "../../lib/api/schemas";

let app: AppHandle;
let browser: Browser;
let page: Page;
let probe: Probe;
const SHOTS = "test-results";

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("house/+/light");
  fs.mkdirSync(SHOTS, { recursive: true });
  await login(page, app.url, app.adminPassword);
  await page.locator(".react-flow__node").first().waitFor({ state: "visible", timeout: 30_000 });
});

afterAll(async () => {
  await probe?.end();
  await browser?.close();
  await app?.dispose();
});

/** Waits until the editor's autosave is idle again (nothing pending or in flight). */
async function waitSaved(): Promise<void> {
  await page.waitForTimeout(50);
  await page.locator('[data-testid="draft-state"]:not([data-state="pending"]):not([data-state="saving"])').waitFor({ timeout: 10_000 });
}

const NODE_RED_EXPORT = [
  { id: "9a1b2c3d4e5f6071", type: "tab", label: "Hall lights", disabled: false, info: "" },
  { id: "1111aaaa2222bbbb", type: "inject", z: "9a1b2c3d4e5f6071", name: "Evening", props: [{ p: "payload" }], repeat: "", crontab: "", once: false, topic: "", payload: "on", payloadType: "str", x: 140, y: 100, wires: [["3333cccc4444dddd"]] },
  { id: "3333cccc4444dddd", type: "mqtt out", z: "9a1b2c3d4e5f6071", name: "Hall lamp", topic: "house/hall/lamp", qos: "1", retain: "false", broker: "", x: 380, y: 100, wires: [] },
];

it("imports a pasted Node-RED flow as a new tab and shows its nodes", async () => {
  await page.getByTestId("import-export-button").click();
  await page.getByTestId("import-export-dialog").waitFor();
  await page.getByTestId("import-text").fill(JSON.stringify(NODE_RED_EXPORT, null, 2));
  await expect.poll(() => page.getByTestId("import-summary").innerText()).toMatch(/Node-RED flows\.json: 2 nodes on 1 tab/);
  await page.screenshot({ path: `${SHOTS}/e2e-import-dialog.png` });
  await page.getByTestId("import-confirm").click();
  await page.getByTestId("import-result").filter({ hasText: /Imported 2 nodes on 1 new tab/ }).waitFor({ timeout: 5000 });

  // The new tab is open with both nodes on the canvas.
  await page.locator(".react-flow__node").filter({ hasText: "Evening" }).waitFor({ timeout: 5000 });
  await page.locator(".react-flow__node").filter({ hasText: "Hall lamp" }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/e2e-imported-tab.png` });
  await expect.poll(async () => (await getDraft(app)).flows.map((f) => f.name), { timeout: 10_000 }).toContain("Hall lights");
  const draft = await getDraft(app);
  const hall = draft.flows.find((f) => f.name === "Hall lights");
  expect(hall?.nodes.map((n) => n.name)).toEqual(["Evening", "Hall lamp"]);
  // Fresh ids: nothing from the file is reused, and the wire follows them.
  expect(hall?.id).not.toBe("9a1b2c3d4e5f6071");
  expect(hall?.nodes[0].wires).toEqual([[hall?.nodes[1].id]]);
});

it("finds a node on another tab with Ctrl+F and jumps to it", async () => {
  await page.locator(".react-flow__pane").click({ position: { x: 600, y: 400 } });
  await page.keyboard.press("Control+f");
  await page.getByTestId("search-dialog").waitFor();
  await page.getByTestId("search-input").fill("2 min");
  await page.getByTestId("search-result").first().waitFor();
  await page.keyboard.press("Enter");
  await page.getByTestId("search-dialog").waitFor({ state: "detached" });
  const trigger = findNode(await getDraft(app), "trigger");
  await page.locator(`.react-flow__node[data-id="${trigger.id}"].selected`).waitFor({ timeout: 5000 });
  await expect.poll(() => page.getByTestId("prop-name").inputValue()).toBe(trigger.name);
});

it("rolls back to an older deployment through the history and deploys it", async () => {
  const [original] = (await app.api("GET", "/api/deployments")).json as DeploymentSummary[];
  // A newer deployment where the light command is "ON2" (through the API, then reload).
  const doc = await getDraft(app);
  const trigger = findNode(doc, "trigger");
  trigger.config = { ...trigger.config, op1: "ON2" };
  expect((await app.api("PUT", "/api/flows", doc)).status).toBe(200);
  const dep = await app.api("POST", "/api/deploy", { note: "ON2 instead of on" });
  expect(dep.status, dep.text).toBe(200);
  const newer = (dep.json as { deployment: DeploymentSummary }).deployment;
  await page.reload();
  await page.locator(".react-flow__node").first().waitFor({ state: "visible", timeout: 30_000 });

  await page.getByTestId("history-button").click();
  await page.getByTestId("history-dialog").waitFor();
  await page.getByTestId(`history-row-${newer.id}`).filter({ hasText: "ON2 instead of on" }).waitFor();
  // Compare the two deployments: the trigger changed, and its op1 field.
  await page.getByTestId("history-row-draft").getByRole("checkbox").uncheck();
  await page.getByTestId(`history-row-${original.id}`).getByRole("checkbox").check();
  const row = page.getByTestId("history-diff").locator(`[data-testid="change-row"][data-node-id="${trigger.id}"]`);
  await row.waitFor();
  // Importing the Hall tab is in the newer deployment too.
  expect(await page.getByTestId("history-diff").locator('[data-testid="change-row"][data-kind="added"]').count()).toBe(2);
  await row.locator('[data-testid="change-field"][data-field="op1"]').waitFor();
  expect(await row.locator('[data-field="op1"]').innerText()).toMatch(/"on"\s*→\s*"ON2"/);
  await page.screenshot({ path: `${SHOTS}/e2e-history-diff.png` });

  await page.getByTestId(`history-rollback-${original.id}`).click();
  await page.getByTestId("history-rollback-confirm").click();
  await page.getByTestId("rollback-result").waitFor({ timeout: 5000 });
  await waitSaved();
  await expect.poll(async () => findNode(await getDraft(app), "trigger").config.op1, { timeout: 10_000 }).toBe("on");
  const rolledBack = await getDraft(app);
  expect(findNode(rolledBack, "trigger").config.op1).toBe("on");
  expect(rolledBack.flows.some((f) => f.name === "Hall lights")).toBe(false);

  // Deploy shows what will change, then deploys.
  await page.getByTestId("deploy-button").click();
  await page.getByTestId("deploy-preview").waitFor();
  await page.getByTestId("deploy-preview").locator(`[data-testid="change-row"][data-node-id="${trigger.id}"]`).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("deploy-preview").locator('[data-testid="change-row"][data-kind="removed"]').count()).toBe(2);
  await page.getByTestId("deploy-note").fill("back to the original");
  await page.screenshot({ path: `${SHOTS}/e2e-deploy-preview.png` });
  await page.getByTestId("deploy-confirm").click();
  await page.getByTestId("deploy-result").filter({ hasText: /deployed/i }).waitFor({ timeout: 15_000 });

  const from = probe.received.length;
  await probe.publish("house/den/motion", "1");
  await probe.waitFor((m) => m.topic === "house/den/light" && m.payload === "on", 5000, from);
  const [latest] = (await app.api("GET", "/api/deployments")).json as DeploymentSummary[];
  expect(latest.note).toBe("back to the original");
});

it("an invalid draft is refused in the deploy preview; clicking the problem selects the node", async () => {
  const trigger = findNode(await getDraft(app), "trigger");
  await page.locator(`.react-flow__node[data-id="${trigger.id}"]`).click();
  await page.getByTestId("prop-field-duration").fill("abc");
  await waitSaved();
  await page.locator(".react-flow__pane").click({ position: { x: 600, y: 450 } });
  await page.getByTestId("deploy-button").click();
  const issue = page.getByTestId("deploy-preview-issue").first();
  await issue.waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("deploy-confirm").isDisabled()).toBe(true);
  await page.screenshot({ path: `${SHOTS}/e2e-deploy-refused.png` });
  await issue.click();
  await page.getByTestId("deploy-preview").waitFor({ state: "detached" });
  await page.locator(`.react-flow__node[data-id="${trigger.id}"].selected`).waitFor({ timeout: 5000 });
  await page.getByTestId("prop-field-duration").fill("2");
  await waitSaved();
});

it("topic autocomplete offers a topic just published on the broker, and warns about a typo", async () => {
  const topic = "house/atticroom/temperature";
  await probe.publish(topic, "21.5");
  // The monitor's catalogue sees it within a moment.
  await expect
    .poll(async () => ((await app.api("GET", `/api/topics?q=atticroom`)).json as TopicListResponse | undefined)?.topics?.map((t) => t.topic) ?? [], { timeout: 10_000 })
    .toContain(topic);

  const mqttIn = findNode(await getDraft(app), "mqtt in");
  await page.locator(`.react-flow__node[data-id="${mqttIn.id}"]`).click();
  const field = page.getByTestId("prop-field-topic");
  await field.fill("");
  await field.pressSequentially("house/att", { delay: 20 });
  const suggestion = page.getByTestId("topic-suggestion").filter({ hasText: topic });
  await suggestion.waitFor({ timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/e2e-topic-autocomplete.png` });
  // Keyboard: ↓ then Enter picks it.
  await field.press("ArrowDown");
  await field.press("Enter");
  expect(await field.inputValue()).toBe(topic);

  await field.fill("house/atticrom/temperature");
  const warning = page.getByTestId("topic-typo-warning");
  await warning.waitFor({ timeout: 5000 });
  expect(await warning.innerText()).toContain(`did you mean '${topic}'?`);
  await page.screenshot({ path: `${SHOTS}/e2e-topic-typo.png` });
  await page.getByTestId("topic-typo-fix").click();
  expect(await field.inputValue()).toBe(topic);
  await waitSaved();
  expect(findNode(await getDraft(app), "mqtt in").config.topic).toBe(topic);
});

it("debug sidebar: pause counts new messages, resume shows them, filter by text, JSON tree", async () => {
  await page.getByTestId("sidebar-tab-debug").click();
  if (await page.getByTestId("debug-clear").isEnabled()) await page.getByTestId("debug-clear").click();
  await probe.publish("house/pantry/motion", "1");
  await page.getByTestId("debug-entry").filter({ hasText: "house/pantry/light" }).first().waitFor({ timeout: 10_000 });

  await page.getByTestId("debug-pause").click();
  await probe.publish("house/cellar/motion", "1");
  await page.getByTestId("debug-pause").filter({ hasText: /Resume \(1 new\)/ }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("debug-entry").filter({ hasText: "house/cellar/light" }).count()).toBe(0);
  await page.screenshot({ path: `${SHOTS}/e2e-debug-paused.png` });
  await page.getByTestId("debug-pause").click();
  await page.getByTestId("debug-entry").filter({ hasText: "house/cellar/light" }).first().waitFor({ timeout: 5000 });

  await page.getByTestId("debug-filter-text").fill("pantry");
  await expect.poll(() => page.getByTestId("debug-entry").count()).toBe(1);
  await page.getByTestId("debug-filter-text").fill("");
  await page.screenshot({ path: `${SHOTS}/e2e-debug-sidebar.png` });
});
