/**
 * The Brokers page in a real browser: add a broker pointing at a password-protected
 * mosquitto, see inline field errors first, test the connection, save it and watch it
 * connect; the password field then says it is set without showing it; delete with a
 * confirmation; the phone layout.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { startMosquitto, type Mosquitto } from "../helpers/mosquitto";
import { launchBrowser, login } from "../helpers/browser";

const PASSWORD = "E2e-Broker-Pass-42";
let app: AppHandle;
let mosquitto: Mosquitto;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let confDir = "";

beforeAll(async () => {
  confDir = fs.mkdtempSync(path.join(os.tmpdir(), "fh-brokers-e2e-"));
  const pwFile = path.join(confDir, "passwd");
  execFileSync("/usr/bin/mosquitto_passwd", ["-b", "-c", pwFile, "house", PASSWORD]);
  fs.chmodSync(pwFile, 0o600);
  mosquitto = await startMosquitto({ extraConfig: ["allow_anonymous false", `password_file ${pwFile}`] });
  app = await startApp();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.dispose();
  await mosquitto?.stop();
  if (confDir) fs.rmSync(confDir, { recursive: true, force: true });
});

it("adds a broker in the page, tests it, and sees it connected", async () => {
  await login(page, app.url, app.adminPassword);
  await page.goto(`${app.url}/brokers`);
  // The default (embedded) broker is listed read-only and connected.
  const embedded = page.getByTestId("broker-default");
  await embedded.waitFor();
  await expect(embedded.textContent()).resolves.toContain("embedded");
  await page.locator('[data-testid="broker-default"][data-connected="true"]').waitFor({ timeout: 10_000 });

  await page.getByTestId("broker-add").click();
  const form = page.getByTestId("broker-form");
  await form.waitFor();
  // Saving an empty form shows the problems under their fields.
  await page.getByTestId("broker-save").click();
  await expect(page.getByTestId("broker-error-name").textContent()).resolves.toContain("Give the broker a name");
  await expect(page.getByTestId("broker-error-url").textContent()).resolves.toContain("URL must look like");

  await page.getByTestId("broker-field-name").fill("House mosquitto");
  await page.getByTestId("broker-field-url").fill(mosquitto.url);
  await page.getByTestId("broker-generate-client-id").click();
  await expect(page.getByTestId("broker-field-clientId").inputValue()).resolves.toMatch(/^flowhouse-[0-9a-f]+-[0-9a-f]{4}$/);
  await page.getByTestId("broker-field-username").fill("house");
  await page.getByTestId("broker-field-password").fill("not-the-password");
  await page.getByTestId("broker-test").click();
  await page.getByTestId("broker-test-result").filter({ hasText: "Failed" }).waitFor({ timeout: 10_000 });
  await expect(page.getByTestId("broker-test-result").textContent()).resolves.toMatch(/check the username and password/);

  await page.getByTestId("broker-field-password").fill(PASSWORD);
  await page.getByTestId("broker-test").click();
  await page.getByTestId("broker-test-result").filter({ hasText: "Connected in" }).waitFor({ timeout: 10_000 });

  await page.getByTestId("broker-save").click();
  await form.waitFor({ state: "detached" });
  const card = page.locator('[data-testid^="broker-broker-"]').filter({ hasText: "House mosquitto" });
  await card.waitFor();
  await page.locator('[data-testid^="broker-broker-"][data-connected="true"]').filter({ hasText: "House mosquitto" }).waitFor({ timeout: 15_000 });
  await expect(card.getByTestId("broker-state").textContent()).resolves.toBe("Connected");
  await page.screenshot({ path: "/tmp/brokers.png" });

  // Editing shows that a password is stored, never the password itself.
  await card.getByTestId("broker-edit").click();
  const pw = page.getByTestId("broker-field-password");
  await expect(pw.inputValue()).resolves.toBe("");
  await expect(pw.getAttribute("placeholder")).resolves.toBe("set — leave empty to keep");
  expect(await page.content()).not.toContain(PASSWORD);
  // TLS verification off shows its warning.
  await page.locator("summary", { hasText: "TLS" }).click();
  await page.getByTestId("broker-field-verify").uncheck();
  await page.getByTestId("broker-verify-warning").waitFor();
  await page.screenshot({ path: "/tmp/brokers-edit.png" });
  await page.getByTestId("broker-cancel").click();
});

it("deletes a broker after a confirmation", async () => {
  const card = page.locator('[data-testid^="broker-broker-"]').filter({ hasText: "House mosquitto" });
  await card.getByTestId("broker-delete").click();
  await card.getByTestId("broker-delete-cancel").click();
  await card.getByTestId("broker-delete").click();
  await card.getByTestId("broker-delete-confirm").click();
  await page.getByTestId("brokers-notice").filter({ hasText: "Deleted 'House mosquitto'" }).waitFor();
  await card.waitFor({ state: "detached" });
});

it("fits a phone screen", async () => {
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
  try {
    await phone.addCookies(await context.cookies());
    const p = await phone.newPage();
    await p.goto(`${app.url}/brokers`);
    await p.getByTestId("broker-default").waitFor();
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await p.screenshot({ path: "/tmp/brokers-phone.png" });
  } finally {
    await phone.close();
  }
});
