/**
 * Settings in a real browser: the admin creates a viewer and an API token (shown once); the
 * viewer, logged in in a fresh browser context, sees the dashboard read-only, is sent away
 * from the editor, gets no publish form in the monitor and no admin tabs in Settings.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startApp, type AppHandle } from "../helpers/app";
import { launchBrowser, login } from "../helpers/browser";

let app: AppHandle;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.dispose();
});

it("an admin creates a viewer, who then sees everything read-only", async () => {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await admin.newPage();
  await login(page, app.url, app.adminPassword);
  await page.goto(`${app.url}/settings`);
  await page.getByTestId("user-table").waitFor();
  await page.getByTestId("user-new-name").fill("vera");
  await page.getByTestId("user-new-password").fill("vera-password-123");
  await page.getByTestId("user-new-role").selectOption("viewer");
  await page.getByTestId("user-create-submit").click();
  await page.getByTestId("user-row-vera").waitFor();
  await expect(page.getByTestId("user-role-vera").inputValue()).resolves.toBe("viewer");
  await expect(page.getByTestId("settings-ok").textContent()).resolves.toContain("User 'vera' created as viewer");
  await page.screenshot({ path: "/tmp/settings.png" });

  // An API token: shown once with a copy button; it works with the chosen role.
  await page.getByTestId("settings-tab-tokens").click();
  await page.getByTestId("token-name").fill("wall display");
  await page.getByTestId("token-role").selectOption("viewer");
  await page.getByTestId("token-create").click();
  await page.getByTestId("token-created").waitFor();
  const token = (await page.getByTestId("token-value").textContent())?.trim() ?? "";
  expect(token).toMatch(/^fh_/);
  await page.getByTestId("token-copy").waitFor();
  await page.getByTestId("token-row-wall display").waitFor();
  await page.screenshot({ path: "/tmp/settings-tokens.png" });
  expect((await app.api("GET", "/api/dashboards", undefined, { token })).status).toBe(200);
  expect((await app.api("POST", "/api/monitor/publish", { topic: "a/b", payload: "1" }, { token })).status).toBe(403);

  // The audit log shows the user creation.
  await page.getByTestId("settings-tab-audit").click();
  await page.locator('[data-testid="audit-row"][data-action="user.create"]').first().waitFor();
  await admin.close();

  // The viewer, in a fresh browser context.
  const viewer = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const vp = await viewer.newPage();
  await vp.goto(`${app.url}/`);
  await vp.waitForURL(/\/login/);
  await vp.getByTestId("login-username").fill("vera");
  await vp.getByTestId("login-password").fill("vera-password-123");
  await vp.getByTestId("login-submit").click();
  // The editor is for editors: a viewer lands on the dashboard, read-only.
  await vp.waitForURL((u) => u.pathname === "/dashboard");
  await vp.getByTestId("dash-readonly").waitFor();
  expect(await vp.getByTestId("dash-readonly").textContent()).toMatch(/viewer/);
  expect(await vp.getByTestId("dash-edit").count()).toBe(0);
  expect(await vp.getByTestId("dash-add-widget").count()).toBe(0);
  await vp.screenshot({ path: "/tmp/settings-viewer-dashboard.png" });

  await vp.goto(`${app.url}/`);
  await vp.waitForURL((u) => u.pathname === "/dashboard");

  await vp.goto(`${app.url}/monitor`);
  await vp.getByText("publishing needs the editor or admin role").waitFor();
  expect(await vp.getByTestId("publish-topic").count()).toBe(0);

  await vp.goto(`${app.url}/settings`);
  await vp.getByTestId("settings-tab-account").waitFor();
  expect(await vp.getByTestId("settings-tab-users").count()).toBe(0);
  expect(await vp.getByTestId("settings-tab-tokens").count()).toBe(0);
  await vp.screenshot({ path: "/tmp/settings-viewer-account.png" });
  await viewer.close();
}, 120_000);
