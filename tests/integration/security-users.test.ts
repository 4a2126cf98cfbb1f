/**
 * Users, roles, API tokens, sessions, login rate limits and the audit log, through the real
 * server and its SQLite database.
 */
import http from "node:http";
import path from "node:path";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieApi, createTestToken, createTestUser, loginCookie, startApp, type AppHandle } from "../helpers/app";

let app: AppHandle;

beforeAll(async () => {
  app = await startApp();
}, 120_000);

afterAll(async () => {
  await app?.dispose();
});

function db(): Database.Database {
  return new Database(path.join(app.dataDir, "flowhouse.db"), { readonly: true, fileMustExist: true });
}
const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");

interface Audit {
  entries: { id: number; actor: string; action: string; target: string; details: Record<string, unknown>; ip: string }[];
  next: number | null;
  actions: string[];
}
async function audit(query = ""): Promise<Audit> {
  const res = await app.api("GET", `/api/audit${query}`);
  expect(res.status).toBe(200);
  return res.json as Audit;
}

/** POST /api/auth/login from a chosen loopback address (127.0.0.x), for per-address limits. */
function loginFrom(localAddress: string, username: string, password: string): Promise<number> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${app.url}/api/auth/login`,
      { method: "POST", localAddress, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("users and roles", () => {
  it("an admin creates users with roles; each sees its own role in /api/auth/me", async () => {
    const ed = await createTestUser(app, "erin", "editor");
    const vi = await createTestUser(app, "victor", "viewer");
    const list = (await app.api("GET", "/api/users")).json as { users: { username: string; role: string }[] };
    expect(list.users.map((u) => [u.username, u.role])).toEqual(expect.arrayContaining([["admin", "admin"], ["erin", "editor"], ["victor", "viewer"]]));
    expect(JSON.stringify(list)).not.toMatch(/scrypt|passwordHash/);
    const me = await cookieApi(app, await loginCookie(app, vi.username, vi.password))("GET", "/api/auth/me");
    expect(me.json).toEqual({ user: { username: "victor", role: "viewer" }, via: "session" });
    const edMe = await cookieApi(app, await loginCookie(app, ed.username, ed.password))("GET", "/api/auth/me");
    expect(edMe.json).toEqual({ user: { username: "erin", role: "editor" }, via: "session" });
  });

  it("stores passwords as scrypt hashes", () => {
    const d = db();
    const row = d.prepare("SELECT passwordHash FROM User WHERE username = ?").get("victor") as { passwordHash: string };
    d.close();
    expect(row.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row.passwordHash).not.toContain("victor-password-123");
  });

  it("refuses bad input with readable 4xx messages", async () => {
    const short = await app.api("POST", "/api/users", { username: "sam", password: "short", role: "viewer" });
    expect(short.status).toBe(400);
    expect((short.json as { error: string }).error).toMatch(/at least 10 characters/);
    const role = await app.api("POST", "/api/users", { username: "sam", password: "long-enough-pass", role: "root" });
    expect(role.status).toBe(400);
    expect((role.json as { error: string }).error).toMatch(/role/);
    const taken = await app.api("POST", "/api/users", { username: "victor", password: "long-enough-pass", role: "viewer" });
    expect(taken.status).toBe(409);
    expect((taken.json as { error: string }).error).toMatch(/'victor' is taken/);
    const none = await app.api("PATCH", "/api/users/9999", { role: "viewer" });
    expect(none.status).toBe(404);
    const bad = await app.api("PATCH", "/api/users/abc", { role: "viewer" });
    expect(bad.status).toBe(400);
    const empty = await app.api("PATCH", "/api/users/1", {});
    expect(empty.status).toBe(400);
    expect((empty.json as { error: string }).error).toMatch(/new role or a new password/);
  });

  it("never deletes or demotes the last admin", async () => {
    const users = ((await app.api("GET", "/api/users")).json as { users: { id: number; username: string }[] }).users;
    const admin = users.find((u) => u.username === "admin")!;
    const del = await app.api("DELETE", `/api/users/${admin.id}`);
    expect(del.status).toBe(409);
    expect((del.json as { error: string }).error).toMatch(/last admin/);
    const demote = await app.api("PATCH", `/api/users/${admin.id}`, { role: "editor" });
    expect(demote.status).toBe(409);
  });

  it("demoting a user ends their sessions at once", async () => {
    const u = await createTestUser(app, "dora", "editor");
    const cookie = await loginCookie(app, u.username, u.password);
    expect((await cookieApi(app, cookie)("GET", "/api/flows")).status).toBe(200);
    expect((await app.api("PATCH", `/api/users/${u.id}`, { role: "viewer" })).status).toBe(200);
    expect((await cookieApi(app, cookie)("GET", "/api/auth/me")).status).toBe(401);
    // Logging in again gives the new role.
    const again = await loginCookie(app, u.username, u.password);
    expect((await cookieApi(app, again)("GET", "/api/flows")).status).toBe(403);
  });

  it("resetting a password ends the user's sessions; the old password stops working", async () => {
    const u = await createTestUser(app, "rita", "viewer");
    const cookie = await loginCookie(app, u.username, u.password);
    expect((await app.api("PATCH", `/api/users/${u.id}`, { password: "brand-new-password" })).status).toBe(200);
    expect((await cookieApi(app, cookie)("GET", "/api/auth/me")).status).toBe(401);
    expect((await app.api("POST", "/api/auth/login", { username: "rita", password: u.password }, { token: null })).status).toBe(401);
    await loginCookie(app, "rita", "brand-new-password");
  });

  it("deleting a user ends their sessions", async () => {
    const u = await createTestUser(app, "dan", "editor");
    const cookie = await loginCookie(app, u.username, u.password);
    expect((await app.api("DELETE", `/api/users/${u.id}`)).status).toBe(200);
    expect((await cookieApi(app, cookie)("GET", "/api/auth/me")).status).toBe(401);
    const d = db();
    expect((d.prepare("SELECT COUNT(*) AS n FROM Session WHERE userId = ?").get(u.id) as { n: number }).n).toBe(0);
    d.close();
  });

  it("a user changes their own password; other sessions end, this one stays", async () => {
    const u = await createTestUser(app, "paula", "viewer");
    const mine = await loginCookie(app, u.username, u.password);
    const other = await loginCookie(app, u.username, u.password);
    const wrong = await cookieApi(app, mine)("POST", "/api/account/password", { currentPassword: "nope-nope-nope", newPassword: "paula-new-password" });
    expect(wrong.status).toBe(403);
    expect((wrong.json as { error: string }).error).toMatch(/current password is wrong/);
    const ok = await cookieApi(app, mine)("POST", "/api/account/password", { currentPassword: u.password, newPassword: "paula-new-password", confirm: "paula-new-password" });
    expect(ok.status).toBe(200);
    expect((await cookieApi(app, mine)("GET", "/api/auth/me")).status).toBe(200);
    expect((await cookieApi(app, other)("GET", "/api/auth/me")).status).toBe(401);
    await loginCookie(app, "paula", "paula-new-password");
  });

  it("logout invalidates the session server-side (the kept cookie no longer works)", async () => {
    const u = await createTestUser(app, "leo", "viewer");
    const cookie = await loginCookie(app, u.username, u.password);
    const hash = sha256(decodeURIComponent(cookie.split("=")[1]));
    const d = db();
    expect(d.prepare("SELECT id FROM Session WHERE id = ?").get(hash)).toBeTruthy();
    d.close();
    expect((await cookieApi(app, cookie)("POST", "/api/auth/logout")).status).toBe(200);
    expect((await cookieApi(app, cookie)("GET", "/api/auth/me")).status).toBe(401);
    const d2 = db();
    expect(d2.prepare("SELECT id FROM Session WHERE id = ?").get(hash)).toBeUndefined();
    d2.close();
  });
});

describe("API tokens", () => {
  it("shows a new token once, stores only its SHA-256, and lists prefix, role and last use", async () => {
    const created = await app.api("POST", "/api/tokens", { name: "backup script", role: "editor" });
    expect(created.status).toBe(201);
    const { token, apiToken } = created.json as { token: string; apiToken: { id: string; prefix: string; role: string; status: string } };
    expect(token).toMatch(/^fh_[A-Za-z0-9_-]{30,}$/);
    expect(apiToken).toMatchObject({ role: "editor", status: "active", prefix: token.slice(0, 10) });

    const list = await app.api("GET", "/api/tokens");
    expect(list.text).not.toContain(token);
    const d = db();
    const rows = d.prepare("SELECT * FROM ApiToken").all() as Record<string, unknown>[];
    d.close();
    const row = rows.find((r) => r.id === apiToken.id)!;
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    expect((await app.api("GET", "/api/flows", undefined, { token })).status).toBe(200);
    expect((await app.api("GET", "/api/users", undefined, { token })).status).toBe(403);
    const me = await app.api("GET", "/api/auth/me", undefined, { token });
    expect(me.json).toEqual({ user: { username: "token:backup script", role: "editor" }, via: "token" });
    const after = ((await app.api("GET", "/api/tokens")).json as { tokens: { id: string; lastUsedAt: string | null }[] }).tokens.find((t) => t.id === apiToken.id)!;
    expect(after.lastUsedAt).not.toBeNull();
  });

  it("a revoked token answers 401 at once", async () => {
    const t = await createTestToken(app, "viewer", { name: "to revoke" });
    expect((await app.api("GET", "/api/dashboards", undefined, { token: t.token })).status).toBe(200);
    expect((await app.api("DELETE", `/api/tokens/${t.id}`)).status).toBe(200);
    expect((await app.api("GET", "/api/dashboards", undefined, { token: t.token })).status).toBe(401);
    const listed = ((await app.api("GET", "/api/tokens")).json as { tokens: { id: string; status: string; revokedAt: string | null }[] }).tokens.find((x) => x.id === t.id)!;
    expect(listed.status).toBe("revoked");
    expect((await app.api("DELETE", "/api/tokens/does-not-exist")).status).toBe(404);
  });

  it("an expired token answers 401", async () => {
    const t = await createTestToken(app, "viewer", { name: "short", expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await app.api("GET", "/api/dashboards", undefined, { token: t.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await app.api("GET", "/api/dashboards", undefined, { token: t.token })).status).toBe(401);
    const listed = ((await app.api("GET", "/api/tokens")).json as { tokens: { id: string; status: string }[] }).tokens.find((x) => x.id === t.id)!;
    expect(listed.status).toBe("expired");
    const past = await app.api("POST", "/api/tokens", { name: "past", role: "viewer", expiresAt: "2001-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect((past.json as { error: string }).error).toMatch(/in the past/);
  });

  it("FLOWHOUSE_API_TOKEN keeps working as an admin token", async () => {
    const me = await app.api("GET", "/api/auth/me");
    expect(me.json).toEqual({ user: { username: "api-token", role: "admin" }, via: "token" });
  });
});

describe("audit log", () => {
  it("records logins (ok and failed, with user name and address), deploys and rollbacks, newest first", async () => {
    await app.api("POST", "/api/auth/login", { username: "admin", password: "wrong-password-x" }, { token: null });
    await loginCookie(app, "admin", app.adminPassword);
    const deploy = await app.api("POST", "/api/deploy", { note: "audit test" });
    expect(deploy.status).toBe(200);
    const dep = (deploy.json as { deployment: { id: number; nodeCount: number } }).deployment;
    expect((await app.api("POST", `/api/deployments/${dep.id}/rollback`)).status).toBe(200);

    const log = await audit("?limit=20");
    const actions = log.entries.map((e) => e.action);
    expect(actions.slice(0, 4)).toEqual(["rollback", "deploy", "login", "login.failed"]);
    const ids = log.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const [rollback, dp, login, failed] = log.entries;
    expect(failed).toMatchObject({ actor: "admin", ip: "127.0.0.1", details: { reason: "wrong password" } });
    expect(login).toMatchObject({ actor: "admin", ip: "127.0.0.1" });
    expect(dp).toMatchObject({ actor: "api-token", target: `deployment:${dep.id}`, details: { deploymentId: dep.id, nodes: dep.nodeCount, note: "audit test" } });
    expect(rollback).toMatchObject({ action: "rollback", details: { deploymentId: dep.id } });
  });

  it("records user and token changes and password changes; filters by action and pages", async () => {
    const u = await createTestUser(app, "audrey", "viewer");
    await app.api("PATCH", `/api/users/${u.id}`, { role: "editor" });
    await app.api("DELETE", `/api/users/${u.id}`);
    const creates = await audit("?action=user.create");
    expect(creates.entries.every((e) => e.action === "user.create")).toBe(true);
    expect(creates.entries[0]).toMatchObject({ actor: "api-token", target: "user:audrey", details: { role: "viewer" } });
    const userChanges = await audit("?action=user.");
    expect(userChanges.entries.slice(0, 3).map((e) => e.action)).toEqual(["user.delete", "user.update", "user.create"]);
    expect(userChanges.entries[1].details).toMatchObject({ role: { from: "viewer", to: "editor" } });
    const all = await audit("?limit=500");
    expect(all.actions).toEqual(expect.arrayContaining(["login", "login.failed", "logout", "deploy", "rollback", "user.create", "user.update", "user.delete", "token.create", "token.revoke", "password.change"]));
    // Paging: two pages of 3 continue without overlap.
    const p1 = await audit("?limit=3");
    const p2 = await audit(`?limit=3&before=${p1.next}`);
    expect(p2.entries[0].id).toBeLessThan(p1.entries[2].id);
    const bad = await app.api("GET", "/api/audit?limit=abc");
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/limit/);
  });
});

describe("login rate limit", () => {
  it("blocks an address after 10 failed logins in a minute (429), other addresses still log in", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push(await loginFrom("127.0.0.2", "admin", `wrong-${i}-xxxxxx`));
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Even the right password is refused from that address until the minute is over.
    expect(await loginFrom("127.0.0.2", "admin", app.adminPassword)).toBe(429);
    expect(await loginFrom("127.0.0.3", "admin", app.adminPassword)).toBe(200);
  });

  it("blocks a user name after 20 failed logins from several addresses", async () => {
    const u = await createTestUser(app, "target", "viewer");
    for (let i = 0; i < 20; i++) expect(await loginFrom(`127.0.1.${(i % 4) + 1}`, "target", `guess-${i}-xxxxx`)).toBe(401);
    expect(await loginFrom("127.0.2.1", "target", u.password)).toBe(429);
    const blocked = (await audit("?action=login.blocked")).entries[0];
    expect(blocked).toMatchObject({ actor: "target", ip: "127.0.2.1" });
  });
});
