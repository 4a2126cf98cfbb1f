/**
 * Every route file under app/api (read from the filesystem, every exported method) and every
 * socket.io namespace checks credentials and the role: no credentials → 401, a viewer token
 * on an editor/admin route → 403, an editor token on an admin route → 403, a cross-origin
 * cookie POST → 403.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as ioClient, type Socket } from "socket.io-client";
import { createTestToken, createTestUser, loginCookie, startApp, type AppHandle } from "../helpers/app";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const API_DIR = path.join(ROOT, "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
type Declared = "public" | "viewer" | "editor" | "admin";
const RANK: Record<Exclude<Declared, "public">, number> = { viewer: 0, editor: 1, admin: 2 };

interface Endpoint {
  file: string;
  path: string;
  method: string;
  role: Declared | "unknown";
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name === "route.ts" ? [p] : [];
  });
}

/** Every exported method of every route file, with the role its route(...) call declares. */
function endpoints(): Endpoint[] {
  const list: Endpoint[] = [];
  for (const file of walk(API_DIR)) {
    const src = fs.readFileSync(file, "utf8");
    const rel = path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/");
    const urlPath = "/api/" + rel.replace(/\[[^\]]+\]/g, "1");
    const re = new RegExp(`export\\s+(?:const\\s+(${METHODS.join("|")})\\s*=|(?:async\\s+)?function\\s+(${METHODS.join("|")})\\b)`, "g");
    for (const m of src.matchAll(re)) {
      const method = m[1] ?? m[2];
      const after = src.slice(m.index);
      const role = /route\(\s*"(public|viewer|editor|admin)"/.exec(after)?.[1] as Declared | undefined;
      list.push({ file: path.relative(ROOT, file), path: urlPath, method, role: role ?? "unknown" });
    }
  }
  return list.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

const PUBLIC = new Set(["GET /api/health", "POST /api/auth/login", "POST /api/setup"]);
/** The only changes a viewer may make: its own session and password. */
const VIEWER_WRITES = new Set(["POST /api/auth/logout", "POST /api/account/password"]);
/** Reads that expose flows, deployments, context or security data: never for viewers. */
const AT_LEAST_EDITOR = ["/api/flows", "/api/export/node-red", "/api/deployments", "/api/deployments/1", "/api/context", "/api/examples"];
const ADMIN_ONLY = ["/api/users", "/api/users/1", "/api/tokens", "/api/tokens/1", "/api/audit"];

let app: AppHandle;
let viewerToken: string;
let editorToken: string;
const all = endpoints();

beforeAll(async () => {
  app = await startApp();
  viewerToken = (await createTestToken(app, "viewer")).token;
  editorToken = (await createTestToken(app, "editor")).token;
}, 120_000);

afterAll(async () => {
  await app?.dispose();
});

async function call(e: Endpoint, token: string | null, headers: Record<string, string> = {}) {
  const body = e.method === "GET" || e.method === "HEAD" || e.method === "DELETE" ? undefined : {};
  return app.api(e.method, e.path, body, { token, headers });
}

describe("route inventory", () => {
  it("finds the route files and every handler declares its role through route()", () => {
    expect(all.length).toBeGreaterThan(30);
    const undeclared = all.filter((e) => e.role === "unknown").map((e) => `${e.method} ${e.path} (${e.file})`);
    expect(undeclared, "handlers without route(minRole, ...)").toEqual([]);
  });

  it("only /api/health, /api/auth/login and /api/setup are public", () => {
    const pub = all.filter((e) => e.role === "public").map((e) => `${e.method} ${e.path}`);
    expect(pub.sort()).toEqual([...PUBLIC].sort());
  });

  it("a viewer may change nothing but its own session and password", () => {
    const viewerWrites = all.filter((e) => e.role === "viewer" && e.method !== "GET" && e.method !== "HEAD").map((e) => `${e.method} ${e.path}`);
    expect(viewerWrites.filter((w) => !VIEWER_WRITES.has(w))).toEqual([]);
  });

  it("flows, deployments and context need the editor role; users, tokens and the audit log need admin", () => {
    for (const e of all) {
      if (AT_LEAST_EDITOR.includes(e.path)) expect([e.method, e.path, e.role]).toEqual([e.method, e.path, expect.stringMatching(/^(editor|admin)$/)]);
      if (ADMIN_ONLY.includes(e.path)) expect([e.method, e.path, e.role]).toEqual([e.method, e.path, "admin"]);
    }
  });
});

describe("HTTP routes", () => {
  it("answer 401 without credentials (except the public ones)", async () => {
    const wrong: string[] = [];
    for (const e of all) {
      const res = await call(e, null);
      const key = `${e.method} ${e.path}`;
      if (PUBLIC.has(key)) {
        if (res.status === 401) wrong.push(`${key}: public but answered 401`);
      } else if (res.status !== 401) {
        wrong.push(`${key}: ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answer 401 with a wrong token", async () => {
    const wrong: string[] = [];
    for (const e of all.filter((x) => x.role !== "public")) {
      const res = await call(e, "fh_not-a-real-token-0000000000000000");
      if (res.status !== 401) wrong.push(`${e.method} ${e.path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("answer 403 with a readable message to a viewer token on every editor and admin route", async () => {
    const wrong: string[] = [];
    for (const e of all.filter((x) => x.role === "editor" || x.role === "admin")) {
      const res = await call(e, viewerToken);
      if (res.status !== 403) wrong.push(`${e.method} ${e.path}: ${res.status}`);
      else if (!/needs the (editor|admin) role; you are a viewer/.test((res.json as { error: string }).error)) wrong.push(`${e.method} ${e.path}: ${res.text}`);
    }
    expect(wrong).toEqual([]);
  });

  it("answer 403 to an editor token on every admin route", async () => {
    const wrong: string[] = [];
    for (const e of all.filter((x) => x.role === "admin")) {
      const res = await call(e, editorToken);
      if (res.status !== 403) wrong.push(`${e.method} ${e.path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("let a viewer token read every viewer route (never 401/403)", async () => {
    const wrong: string[] = [];
    for (const e of all.filter((x) => x.role === "viewer" && x.method === "GET")) {
      const res = await call(e, viewerToken);
      if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(`${e.method} ${e.path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("let an editor token read every editor route (never 401/403)", async () => {
    const wrong: string[] = [];
    for (const e of all.filter((x) => x.role === "editor" && x.method === "GET")) {
      const res = await call(e, editorToken);
      if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(`${e.method} ${e.path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("CSRF", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await loginCookie(app, "admin", app.adminPassword);
  });

  it("refuses a cross-origin POST with the session cookie (403) and changes nothing", async () => {
    const before = (await app.api("GET", "/api/deployments")).json as unknown[];
    const res = await app.api("POST", "/api/deploy", {}, { token: null, headers: { cookie, origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    expect((res.json as { error: string }).error).toMatch(/Cross-origin request from http:\/\/evil\.example refused/);
    expect(((await app.api("GET", "/api/deployments")).json as unknown[]).length).toBe(before.length);
  });

  it("refuses a cross-site Referer, a 'null' Origin, and a cookie POST with neither header", async () => {
    const viaReferer = await app.api("POST", "/api/monitor/publish", { topic: "x/y", payload: "1" }, { token: null, headers: { cookie, referer: "http://evil.example/page" } });
    expect(viaReferer.status).toBe(403);
    const nullOrigin = await app.api("POST", "/api/deploy", {}, { token: null, headers: { cookie, origin: "null" } });
    expect(nullOrigin.status).toBe(403);
    const bare = await app.api("PUT", "/api/flows", {}, { token: null, headers: { cookie } });
    expect(bare.status).toBe(403);
    expect((bare.json as { error: string }).error).toMatch(/Origin or Referer/);
  });

  it("refuses a cross-origin login (login CSRF)", async () => {
    const res = await app.api("POST", "/api/auth/login", { username: "admin", password: app.adminPassword }, { token: null, headers: { origin: "http://evil.example" } });
    expect(res.status).toBe(403);
  });

  it("accepts the same change from our own origin (Origin or Referer)", async () => {
    const viaOrigin = await app.api("POST", "/api/deploy?dryRun=1", undefined, { token: null, headers: { cookie, origin: app.url } });
    expect(viaOrigin.status).toBe(200);
    const viaReferer = await app.api("POST", "/api/deploy?dryRun=1", undefined, { token: null, headers: { cookie, referer: `${app.url}/` } });
    expect(viaReferer.status).toBe(200);
  });
});

describe("socket.io namespaces", () => {
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  // Every namespace the server registers: "/" (lib/server/live.ts) and those opened with io.of().
  function namespaces(): string[] {
    const found = new Set(["/"]);
    const libFiles = walkTs(path.join(ROOT, "lib"));
    for (const f of libFiles) {
      const src = fs.readFileSync(f, "utf8");
      if (/\bio\.of\(/.test(src) || /\.of\(MONITOR_NAMESPACE\)/.test(src)) {
        for (const m of src.matchAll(/\.of\(\s*"([^"]+)"/g)) found.add(m[1]);
        if (src.includes(".of(MONITOR_NAMESPACE)")) found.add("/monitor");
      }
    }
    return [...found];
  }
  function walkTs(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walkTs(p) : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
    });
  }

  function connect(ns: string, opts: { token?: string; cookie?: string; origin?: string } = {}): Socket {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.origin) headers.origin = opts.origin;
    const s = ioClient(app.url + (ns === "/" ? "" : ns), {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      auth: opts.token ? { token: opts.token } : undefined,
      extraHeaders: headers,
    });
    sockets.push(s);
    return s;
  }
  function outcome(s: Socket): Promise<{ ok: true } | { ok: false; error: string }> {
    return new Promise((resolve) => {
      s.on("connect", () => resolve({ ok: true }));
      s.on("connect_error", (err) => resolve({ ok: false, error: err.message }));
    });
  }

  it("knows both namespaces", () => {
    expect(namespaces().sort()).toEqual(["/", "/monitor"]);
  });

  it("refuses every namespace without credentials", async () => {
    for (const ns of namespaces()) {
      const r = await outcome(connect(ns));
      expect(r, ns).toEqual({ ok: false, error: expect.stringMatching(/unauthorized/) });
    }
  });

  it("refuses the editor's live events to a viewer with a readable error, lets an editor in", async () => {
    const viewer = await outcome(connect("/", { token: viewerToken }));
    expect(viewer).toEqual({ ok: false, error: expect.stringMatching(/need the editor role; you are viewer/) });
    expect(await outcome(connect("/", { token: editorToken }))).toEqual({ ok: true });
  });

  it("lets a viewer watch /monitor but refuses its write events", async () => {
    const s = connect("/monitor", { token: viewerToken });
    expect(await outcome(s)).toEqual({ ok: true });
    const subscribed = await new Promise<unknown>((resolve) => s.emit("tree:subscribe", { broker: "" }, resolve));
    expect(subscribed).toEqual({ ok: true });
    const publish = await new Promise<{ ok: boolean; error?: string }>((resolve) =>
      (s as unknown as { emit: (e: string, body: unknown, ack: (r: { ok: boolean; error?: string }) => void) => void }).emit("publish", { topic: "a/b", payload: "1" }, resolve),
    );
    expect(publish).toEqual({ ok: false, error: expect.stringMatching(/'publish' needs the editor role; you are viewer/) });
  });

  it("refuses a cross-origin browser handshake even with a valid session", async () => {
    const cookie = await loginCookie(app, "admin", app.adminPassword);
    const r = await outcome(connect("/monitor", { cookie, origin: "http://evil.example" }));
    expect(r.ok).toBe(false);
    expect(await outcome(connect("/monitor", { cookie, origin: app.url }))).toEqual({ ok: true });
  });

  it("disconnects a token's live sockets when it is revoked", async () => {
    const t = await createTestToken(app, "editor", { name: "short-lived" });
    const s = connect("/", { token: t.token });
    expect(await outcome(s)).toEqual({ ok: true });
    const gone = new Promise<string>((resolve) => s.on("disconnect", resolve));
    expect((await app.api("DELETE", `/api/tokens/${t.id}`)).status).toBe(200);
    expect(await gone).toBe("io server disconnect");
  });

  it("a user created as viewer gets the same answers through a session cookie", async () => {
    const v = await createTestUser(app, "route-viewer", "viewer");
    const cookie = await loginCookie(app, v.username, v.password);
    const r = await outcome(connect("/", { cookie }));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/editor role/) });
    const publish = await app.api("POST", "/api/monitor/publish", { topic: "a/b", payload: "1" }, { token: null, headers: { cookie, origin: app.url } });
    expect(publish.status).toBe(403);
    const dash = await app.api("PUT", "/api/dashboards/x", {}, { token: null, headers: { cookie, origin: app.url } });
    expect(dash.status).toBe(403);
  });
});

// For the report: how many endpoints were checked, by declared role.
it("covers every endpoint", () => {
  const byRole = all.reduce<Record<string, number>>((acc, e) => ((acc[e.role] = (acc[e.role] ?? 0) + 1), acc), {});
  console.log(`security-routes: ${all.length} endpoints in ${new Set(all.map((e) => e.file)).size} route files`, byRole);
  expect(Object.keys(byRole).every((r) => r === "public" || r in RANK)).toBe(true);
});
