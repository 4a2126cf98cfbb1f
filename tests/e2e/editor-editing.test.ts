/**
 * Editing in a real browser, with the mouse and keyboard as a person would:
 * - build a motion→light flow on an empty tab from the palette, wire it by dragging ports,
 *   fill in the forms, deploy, and see it switch a light on and off through the broker;
 * - delete a node, undo (it comes back with its wires), redo (it is gone again);
 * - copy two wired nodes, switch tab, paste: two new nodes with new ids, wired together.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { getDraft } from "../helpers/flows";
import { launchBrowser, login } from "../helpers/browser";
import type { FlowDocument, FlowNode } from "../../lib/flow/schema";

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
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  page = await context.newPage();
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

async function savedDraft(): Promise<FlowDocument> {
  await page.getByTestId("draft-state").filter({ hasText: /saved/i }).waitFor({ timeout: 10_000 });
  // The indicator may still show the previous "Saved": wait until nothing is pending.
  await page.waitForFunction(() => document.querySelector('[data-testid="draft-state"]')?.getAttribute("data-state") === "saved", null, { timeout: 10_000 });
  return getDraft(app);
}

function activeTab(): Locator {
  return page.locator('.fh-tab[aria-selected="true"]');
}

async function activeFlowId(): Promise<string> {
  const testId = await activeTab().getAttribute("data-testid");
  return (testId ?? "").replace(/^tab-/, "");
}

function nodeOfType(type: string): Locator {
  return page.locator(`.react-flow__node:has([data-node-type="${type}"])`);
}

async function dropFromPalette(slug: string, x: number, y: number): Promise<string> {
  const pane = page.locator(".react-flow__pane");
  await page.getByTestId(`palette-item-${slug}`).dragTo(pane, { targetPosition: { x, y } });
  const selected = page.locator(".react-flow__node.selected");
  await selected.waitFor({ state: "visible", timeout: 5000 });
  const id = await selected.getAttribute("data-id");
  if (!id) throw new Error(`no node selected after dropping ${slug}`);
  return id;
}

/** Drags from an output port to an input port with the mouse, in small steps. */
async function wire(fromId: string, toId: string): Promise<void> {
  const src = page.locator(`.react-flow__node[data-id="${fromId}"] .react-flow__handle.source`).first();
  const dst = page.locator(`.react-flow__node[data-id="${toId}"] .react-flow__handle.target`).first();
  const a = await src.boundingBox();
  const b = await dst.boundingBox();
  if (!a || !b) throw new Error("port not visible");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 30, a.y + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${fromId}:0>${toId}"]`).waitFor({ state: "attached", timeout: 5000 });
}

async function selectNode(id: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="${id}"] .fh-node-label`).click();
  await page.getByTestId("prop-panel").waitFor();
}

function nodesOf(doc: FlowDocument, flowId: string): FlowNode[] {
  return doc.flows.find((f) => f.id === flowId)?.nodes ?? [];
}

it("builds motion→light with the mouse on an empty tab, deploys, and the light goes on then off", async () => {
  // The example flow also drives house/+/light: disable its tab first (tab settings show when nothing is selected).
  await page.locator(".react-flow__pane").click({ position: { x: 600, y: 500 } });
  await page.getByTestId("flow-enabled").uncheck();
  await expect(activeTab().getAttribute("class")).resolves.toMatch(/is-disabled/);
  await page.getByTestId("flow-disabled-banner").waitFor();

  await page.getByTestId("tab-add").click();
  const flowId = await activeFlowId();
  await expect.poll(() => page.locator(".react-flow__node").count()).toBe(0);

  // Palette search narrows the list.
  await page.getByTestId("palette-search").fill("mqtt");
  await expect.poll(() => page.locator(".fh-palette-item").count()).toBe(2);
  const mqttIn = await dropFromPalette("mqtt-in", 90, 120);
  const mqttOut = await dropFromPalette("mqtt-out", 640, 120);
  await page.getByTestId("palette-search").fill("");
  const trigger = await dropFromPalette("trigger", 270, 120);
  const change = await dropFromPalette("change", 450, 120);

  await wire(mqttIn, trigger);
  await wire(trigger, change);
  await wire(change, mqttOut);

  await selectNode(mqttIn);
  await page.getByTestId("prop-field-topic").fill("house/+/motion");

  await selectNode(trigger);
  await page.getByTestId("prop-field-op1").fill("on");
  await page.getByTestId("prop-field-op2").fill("off");
  await page.getByTestId("prop-field-duration").fill("1");
  await page.getByTestId("prop-field-units").selectOption("s");

  await selectNode(change);
  await page.getByTestId("prop-field-rules.0.t").selectOption("change");
  await page.getByTestId("prop-field-rules.0.p").fill("topic");
  await page.getByTestId("prop-field-rules.0.from").fill("motion");
  await page.getByTestId("prop-field-rules.0.to").fill("light");

  await selectNode(mqttOut);
  await expect(page.getByTestId("prop-field-topic").inputValue()).resolves.toBe("");

  const draft = await savedDraft();
  const built = nodesOf(draft, flowId);
  expect(built.map((n) => n.type).sort()).toEqual(["change", "mqtt in", "mqtt out", "trigger"]);
  const byId = new Map(built.map((n) => [n.id, n]));
  expect(byId.get(mqttIn)?.wires).toEqual([[trigger]]);
  expect(byId.get(trigger)?.wires).toEqual([[change]]);
  expect(byId.get(change)?.wires).toEqual([[mqttOut]]);
  expect(byId.get(trigger)?.config).toMatchObject({ op1: "on", op2: "off", units: "s" });
  expect(String(byId.get(trigger)?.config.duration)).toBe("1");
  expect(draft.flows.find((f) => f.name === "Motion → light")?.disabled).toBe(true);
  await page.screenshot({ path: `${SHOTS}/e2e-editing-built.png` });

  await page.getByTestId("deploy-button").click();
  await page.getByTestId("deploy-confirm").click();
  await page.getByTestId("deploy-result").filter({ hasText: /deployed/i }).waitFor({ timeout: 15_000 });

  const from = probe.received.length;
  const t0 = Date.now();
  await probe.publish("house/study/motion", "1");
  const on = await probe.waitFor((m) => m.topic === "house/study/light", 5000, from);
  expect(on.payload).toBe("on");
  const off = await probe.waitFor((m) => m.topic === "house/study/light" && m.payload === "off", 5000, from);
  expect(off.at - t0).toBeGreaterThanOrEqual(900);
  expect(off.at - t0).toBeLessThan(3500);
  // Only our flow ran: the disabled example sent nothing else.
  expect(probe.received.slice(from).filter((m) => m.topic === "house/study/light").map((m) => m.payload)).toEqual(["on", "off"]);
});

it("deleting a node and undoing brings it back with its wires; redo removes it again", async () => {
  const flowId = await activeFlowId();
  const before = nodesOf(await savedDraft(), flowId);
  const trigger = before.find((n) => n.type === "trigger");
  if (!trigger) throw new Error("no trigger on the tab");
  const wiresInto = before.filter((n) => n.wires.flat().includes(trigger.id)).map((n) => n.id);
  expect(wiresInto).toHaveLength(1);

  await selectNode(trigger.id);
  await page.keyboard.press("Delete");
  await page.locator(`.react-flow__node[data-id="${trigger.id}"]`).waitFor({ state: "detached" });
  let now = nodesOf(await savedDraft(), flowId);
  expect(now.some((n) => n.id === trigger.id)).toBe(false);
  expect(now.flatMap((n) => n.wires.flat())).not.toContain(trigger.id);

  await page.keyboard.press("Control+z");
  await page.locator(`.react-flow__node[data-id="${trigger.id}"]`).waitFor();
  now = nodesOf(await savedDraft(), flowId);
  expect(now.find((n) => n.id === trigger.id)?.wires).toEqual(trigger.wires);
  expect(now.find((n) => n.id === wiresInto[0])?.wires.flat()).toContain(trigger.id);
  await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(3);

  // Redo with the toolbar button this time.
  await page.getByTestId("redo-button").click();
  await page.locator(`.react-flow__node[data-id="${trigger.id}"]`).waitFor({ state: "detached" });
  now = nodesOf(await savedDraft(), flowId);
  expect(now.some((n) => n.id === trigger.id)).toBe(false);
  await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(1);

  // And back, so the flow is whole again (ctrl+shift+z is redo, ctrl+z undo).
  await page.keyboard.press("Control+z");
  await page.locator(`.react-flow__node[data-id="${trigger.id}"]`).waitFor();
});

it("copies two wired nodes, pastes them on another tab as new nodes wired to each other", async () => {
  const sourceFlow = await activeFlowId();
  const doc = await savedDraft();
  const nodes = nodesOf(doc, sourceFlow);
  const trigger = nodes.find((n) => n.type === "trigger");
  const change = nodes.find((n) => n.type === "change");
  if (!trigger || !change) throw new Error("trigger/change missing");

  await page.locator(`.react-flow__node[data-id="${trigger.id}"] .fh-node-label`).click();
  await page.locator(`.react-flow__node[data-id="${change.id}"] .fh-node-label`).click({ modifiers: ["Shift"] });
  await expect.poll(() => page.locator(".react-flow__node.selected").count()).toBe(2);
  await page.keyboard.press("Control+c");
  // The system clipboard holds Node-RED flows.json.
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  const entries = JSON.parse(clip) as { id: string; type: string; z?: string; wires?: string[][] }[];
  expect(entries.filter((e) => e.z).map((e) => e.type)).toEqual(["trigger", "change"]);
  expect(entries.find((e) => e.type === "trigger")?.wires).toEqual([[change.id]]);

  await page.getByTestId("tab-add").click();
  const target = await activeFlowId();
  expect(target).not.toBe(sourceFlow);
  await page.locator(".react-flow__pane").hover({ position: { x: 300, y: 200 } });
  await page.keyboard.press("Control+v");
  await page.getByTestId("paste-result").filter({ hasText: /pasted 2 nodes/i }).waitFor({ timeout: 5000 });
  await expect.poll(() => page.locator(".react-flow__node").count()).toBe(2);
  await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(1);

  const pasted = nodesOf(await savedDraft(), target);
  expect(pasted.map((n) => n.type)).toEqual(["trigger", "change"]);
  const [t2, c2] = pasted;
  expect([t2.id, c2.id]).not.toContain(trigger.id);
  expect([t2.id, c2.id]).not.toContain(change.id);
  expect(t2.wires).toEqual([[c2.id]]);
  expect(t2.config).toMatchObject({ op1: "on", op2: "off" });
  await page.screenshot({ path: `${SHOTS}/e2e-editing-pasted.png` });

  // ctrl+D duplicates the pasted pair on the same tab.
  await page.keyboard.press("Control+d");
  await expect.poll(() => page.locator(".react-flow__node").count()).toBe(4);
  await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(2);
});

it("quick-add opens at the pointer with / and adds the chosen node there; ? lists the shortcuts", async () => {
  const before = await page.locator(".react-flow__node").count();
  await page.locator(".react-flow__pane").hover({ position: { x: 500, y: 420 } });
  await page.keyboard.press("/");
  await page.getByTestId("quick-add-input").fill("debug");
  await page.screenshot({ path: `${SHOTS}/e2e-editing-quickadd.png` });
  await page.keyboard.press("Enter");
  await expect.poll(() => page.locator(".react-flow__node").count()).toBe(before + 1);
  const debugNode = nodeOfType("debug");
  await debugNode.waitFor();
  const id = await debugNode.getAttribute("data-id");
  // The debug node's on/off toggle changes config.active in the draft.
  await page.getByTestId(`debug-toggle-${id}`).click();
  const flowId = await activeFlowId();
  const dbg = nodesOf(await savedDraft(), flowId).find((n) => n.id === id);
  expect(dbg?.config.active).toBe(false);
  // Touch users delete with the toolbar; undo brings the node back.
  await page.locator(`.react-flow__node[data-id="${id}"] .fh-node-label`).click();
  await page.getByTestId("delete-button").click();
  await expect.poll(() => page.locator(".react-flow__node").count()).toBe(before);
  await page.getByTestId("undo-button").click();
  await expect.poll(() => page.locator(".react-flow__node").count()).toBe(before + 1);

  await page.keyboard.press("?");
  await page.getByTestId("shortcuts-dialog").waitFor();
  await page.screenshot({ path: `${SHOTS}/e2e-editing-shortcuts.png` });
  await page.keyboard.press("Escape");
  await page.getByTestId("shortcuts-dialog").waitFor({ state: "detached" });
});

it("tabs: rename by double-click, move with Alt+arrow, delete and undo brings the tab back with its nodes", async () => {
  const flowId = await activeFlowId();
  const tab = page.getByTestId(`tab-${flowId}`);
  await tab.dblclick();
  await page.getByTestId("tab-rename-input").fill("Porch");
  await page.keyboard.press("Enter");
  await expect.poll(() => tab.innerText()).toBe("Porch");

  const order = async () => (await getDraft(app)).flows.map((f) => f.id);
  await savedDraft();
  const before = await order();
  const index = before.indexOf(flowId);
  await tab.focus();
  await page.keyboard.press("Alt+ArrowLeft");
  await savedDraft();
  expect((await order()).indexOf(flowId)).toBe(index - 1);

  const nodeCount = nodesOf(await getDraft(app), flowId).length;
  expect(nodeCount).toBeGreaterThan(0);
  await page.locator(".react-flow__pane").click({ position: { x: 400, y: 450 } });
  await page.getByTestId("flow-delete").click();
  await page.getByTestId("flow-deleted").waitFor();
  await tab.waitFor({ state: "detached" });
  expect((await savedDraft()).flows.some((f) => f.id === flowId)).toBe(false);

  await page.getByTestId("undo-button").click();
  await tab.waitFor();
  const back = await savedDraft();
  expect(back.flows.map((f) => f.id)).toEqual(await order());
  expect(back.flows.map((f) => f.id).indexOf(flowId)).toBe(index - 1);
  expect(nodesOf(back, flowId)).toHaveLength(nodeCount);
  expect(back.flows.find((f) => f.id === flowId)?.name).toBe("Porch");
});

it("on a 1024×768 touch tablet the editor fits and the ports are larger", async () => {
  const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  try {
    const p = await tablet.newPage();
    await login(p, app.url, app.adminPassword);
    await p.locator(".react-flow__node").first().waitFor({ state: "visible", timeout: 30_000 });
    const coarse = await p.evaluate(() => matchMedia("(pointer: coarse)").matches);
    // CSS size (the screen size also depends on the zoom).
    const portWidth = await p.locator(".react-flow__node .react-flow__handle").first().evaluate((el) => parseFloat(getComputedStyle(el).width));
    expect(portWidth).toBeGreaterThanOrEqual(coarse ? 16 : 10);
    const deploy = await p.getByTestId("deploy-button").boundingBox();
    expect((deploy?.x ?? 9999) + (deploy?.width ?? 0)).toBeLessThanOrEqual(1024);
    await p.screenshot({ path: `${SHOTS}/e2e-editing-tablet.png` });
  } finally {
    await tablet.close();
  }
});
