/**
 * First start without FLOWHOUSE_ADMIN_PASSWORD: nothing is editable, every page goes to
 * /setup, which works only from this machine and only once. Listening on every interface
 * (HOST=0.0.0.0) also prints the exposure warning.
 */
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";

let app: AppHandle;

/** A non-loopback IPv4 address of this machine, to reach the app "from the network". */
function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return undefined;
}

beforeAll(async () => {
  app = await startApp({ env: { FLOWHOUSE_ADMIN_PASSWORD: "", HOST: "0.0.0.0" } });
}, 120_000);

afterAll(async () => {
  await app?.dispose();
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: "manual", headers });
const postSetup = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/setup`, { method: "POST", redirect: "manual", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("first start", () => {
  it("prints the setup address and no generated password; warns loudly that the editor is exposed without TLS", () => {
    const out = app.output();
    expect(out).toContain(`http://127.0.0.1:${app.port}/setup`);
    expect(out).not.toMatch(/generated, shown once/);
    expect(out).toMatch(/WARNING: Flowhouse listens on 0\.0\.0\.0:\d+ WITHOUT TLS/);
    expect(out.match(/^!!/gm)?.length ?? 0).toBeGreaterThanOrEqual(5);
  });

  it("sends every page to /setup and answers API calls 401 with what to do", async () => {
    for (const p of ["/", "/monitor", "/dashboard", "/settings", "/login"]) {
      const res = await get(`${app.url}${p}`);
      expect([p, res.status, res.headers.get("location")]).toEqual([p, 302, "/setup"]);
    }
    const api = await get(`${app.url}/api/flows`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: string }).error).toMatch(/not set up yet: open http:\/\/127\.0\.0\.1:\d+\/setup/);
    // The env API token (scripts, benchmarks) still works.
    expect((await app.api("GET", "/api/flows")).status).toBe(200);
  });

  it("refuses /setup from another machine with a page that says what to do", async (ctx) => {
    const lan = lanAddress();
    if (!lan) return ctx.skip();
    const base = `http://${lan}:${app.port}`;
    const page = await get(`${base}/setup`);
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toMatch(/only be created from the machine Flowhouse runs on/);
    expect(html).toMatch(/FLOWHOUSE_ADMIN_PASSWORD/);
    const api = await postSetup(base, { username: "admin", password: "remote-password-1", confirm: "remote-password-1" });
    expect(api.status).toBe(403);
  });

  it("refuses /setup through a reverse proxy on this machine (X-Forwarded-For)", async () => {
    const res = await postSetup(app.url, { username: "admin", password: "proxied-password", confirm: "proxied-password" }, { "x-forwarded-for": "203.0.113.9" });
    expect(res.status).toBe(403);
  });

  it("serves the setup form locally and checks the password (≥ 10 characters, typed twice)", async () => {
    const page = await get(`${app.url}/setup`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Create admin account");
    const short = await postSetup(app.url, { username: "admin", password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: string }).error).toMatch(/at least 10 characters/);
    const differ = await postSetup(app.url, { username: "admin", password: "first-password-1", confirm: "other-password-1" });
    expect(differ.status).toBe(400);
    expect(((await differ.json()) as { error: string }).error).toMatch(/differ/);
    const crossSite = await postSetup(app.url, { username: "admin", password: "first-password-1", confirm: "first-password-1" }, { origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
  });

  it("creates the admin once, logs them in, then answers 410 and sends /setup to /login", async () => {
    const res = await postSetup(app.url, { username: "owner", password: "owner-password-1", confirm: "owner-password-1" }, { origin: app.url });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: { username: "owner", role: "admin" } });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const me = await app.api("GET", "/api/auth/me", undefined, { token: null, headers: { cookie } });
    expect(me.json).toMatchObject({ user: { username: "owner", role: "admin" } });

    const again = await postSetup(app.url, { username: "evil", password: "evil-password-1", confirm: "evil-password-1" });
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: string }).error).toMatch(/already set up/);
    const page = await get(`${app.url}/setup`);
    expect([page.status, page.headers.get("location")]).toEqual([302, "/login"]);
    const home = await get(`${app.url}/`);
    expect(home.headers.get("location")).toBe("/login?next=%2F");

    const users = (await app.api("GET", "/api/users")).json as { users: { username: string }[] };
    expect(users.users.map((u) => u.username)).toEqual(["owner"]);
    const log = (await app.api("GET", "/api/audit?action=setup")).json as { entries: { actor: string; ip: string }[] };
    expect(log.entries[0]).toMatchObject({ actor: "owner", ip: "127.0.0.1" });
  });

  it("stays set up after a restart (the banner shows no setup step, the warning again)", async () => {
    await app.restart();
    const out = app.output();
    const last = out.slice(out.lastIndexOf("--- start"));
    expect(last).not.toContain("/setup");
    expect(last).toMatch(/WITHOUT TLS/);
    expect((await get(`${app.url}/setup`)).status).toBe(302);
    expect((await app.api("POST", "/api/auth/login", { username: "owner", password: "owner-password-1" }, { token: null })).status).toBe(200);
  });
});
