/**
 * Starts the real Flowhouse server (server.ts, production build) as a child process on
 * free loopback ports with a temporary database and data dir, for integration and e2e tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports";
import { buildServer } from "../../scripts/build-server.mjs";

export interface AppHandle {
  url: string;
  /** The default broker's URL as the app uses it (embedded or MQTT_URL). */
  mqttUrl: string;
  port: number;
  mqttPort: number;
  dataDir: string;
  token: string;
  adminPassword: string;
  output(): string;
  /** The server process' id (changes on restart), for /proc/<pid>/status and fd counts. */
  pid(): number;
  /** GET/POST/PUT with the bearer token; body as JSON. */
  api(method: string, pathname: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; json: unknown; text: string }>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Stop (SIGTERM) and start again with the same data. */
  restart(): Promise<void>;
  /** Stop and delete the temporary data. */
  dispose(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export async function startApp(
  opts: {
    env?: Record<string, string>;
    dataDir?: string;
    /** "bundle": run what `npm start` runs (dist/server.mjs, built first) instead of server.ts through tsx. */
    entry?: "tsx" | "bundle";
  } = {},
): Promise<AppHandle> {
  if (opts.entry === "bundle") await buildServer();
  const entryArgs = opts.entry === "bundle" ? ["dist/server.mjs"] : ["--import", "tsx", "server.ts"];
  const port = await freePort();
  const mqttPort = await freePort();
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-test-"));
  const token = "test-token-0123456789abcdef";
  const adminPassword = "test-password-123";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    MQTT_PORT: String(mqttPort),
    DATABASE_URL: `file:${path.join(dataDir, "flowhouse.db")}`,
    FLOWHOUSE_DATA_DIR: dataDir,
    FLOWHOUSE_API_TOKEN: token,
    FLOWHOUSE_ADMIN_PASSWORD: adminPassword,
    NODE_ENV: "production",
    ...opts.env,
  };
  const state: { child: ChildProcess | null } = { child: null };
  let output = "";
  const url = `http://127.0.0.1:${port}`;

  const launch = async () => {
    output += `\n--- start ${new Date().toISOString()}\n`;
    const nodeArgs = (process.env.FLOWHOUSE_TEST_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, ...entryArgs], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    state.child = proc;
    proc.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${output}`);
      try {
        const res = await fetch(`${url}/api/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`server not healthy within 90 s:\n${output}`);
  };

  const waitExit = (proc: ChildProcess, signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      proc.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill(signal);
    });

  await launch();
  const handle: AppHandle = {
    url,
    mqttUrl: opts.env?.MQTT_URL ?? `mqtt://127.0.0.1:${mqttPort}`,
    port,
    mqttPort,
    dataDir,
    token,
    adminPassword,
    output: () => output,
    pid: () => {
      if (!state.child?.pid) throw new Error("the server process is not running");
      return state.child.pid;
    },
    async api(method, pathname, body, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const t = o.token === undefined ? token : o.token;
      if (t) headers.authorization = `Bearer ${t}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(url + pathname, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        redirect: "manual",
      });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, json, text };
    },
    async stop() {
      if (state.child) await waitExit(state.child, "SIGTERM");
    },
    async kill() {
      if (state.child) await waitExit(state.child, "SIGKILL");
    },
    async restart() {
      if (state.child) await waitExit(state.child, "SIGTERM");
      await launch();
    },
    async dispose() {
      if (state.child) await waitExit(state.child, "SIGTERM");
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

// ---------- users, tokens and sessions (security tests) ----------

export type TestRole = "admin" | "editor" | "viewer";

/** Creates a user through the API with the env admin token; returns its id. */
export async function createTestUser(app: AppHandle, username: string, role: TestRole, password = `${username}-password-123`): Promise<{ id: number; username: string; password: string }> {
  const res = await app.api("POST", "/api/users", { username, password, role });
  if (res.status !== 201) throw new Error(`creating user ${username} failed: ${res.status} ${res.text}`);
  return { id: (res.json as { id: number }).id, username, password };
}

/** Creates an API token with that role; returns the token (shown once) and its id. */
export async function createTestToken(app: AppHandle, role: TestRole, opts: { name?: string; expiresAt?: string } = {}): Promise<{ token: string; id: string }> {
  const res = await app.api("POST", "/api/tokens", { name: opts.name ?? `${role}-token`, role, expiresAt: opts.expiresAt });
  if (res.status !== 201) throw new Error(`creating a ${role} token failed: ${res.status} ${res.text}`);
  const body = res.json as { token: string; apiToken: { id: string } };
  return { token: body.token, id: body.apiToken.id };
}

/** Logs in through /api/auth/login; returns "flowhouse_session=<value>" for a Cookie header. */
export async function loginCookie(app: AppHandle, username: string, password: string): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0];
}

/** A request with a session cookie, as a browser page of this site sends it (Origin set). */
export function cookieApi(app: AppHandle, cookie: string) {
  return (method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.api(method, pathname, body, { token: null, headers: { cookie, origin: app.url, ...headers } });
}
