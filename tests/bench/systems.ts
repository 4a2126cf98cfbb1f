/**
 * The systems under test, behind one interface: Flowhouse (server.ts as a child process,
 * flows loaded through its Node-RED import API) and the baseline relay (its own child
 * process, restarted per scenario). Also the cleanup registry that stops every child on
 * normal exit, errors and Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { buildServer } from "../../scripts/build-server.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import type { NodeRedNode } from "../../lib/flow/node-red";
import { freePort } from "../helpers/ports";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

// ---- cleanup -------------------------------------------------------------------------------

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers something to undo on exit; runs last-registered first. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

let cleaning: Promise<void> | null = null;
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn?.();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/** Sends `signal`, waits for exit, SIGKILL after graceMs. */
export function stopChild(proc: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill(signal);
  });
}

// ---- systems -------------------------------------------------------------------------------

export type SystemName = "baseline" | "flowhouse";

export interface ScenarioSetup {
  /** S1…S4 (selects the baseline's logic). */
  scenario: string;
  qos: 0 | 1;
  /** Node-RED flows.json for Flowhouse. */
  flows: NodeRedNode[];
  fanOutInputs: number;
  motionDelayMs: number;
}

export interface SystemUnderTest {
  readonly name: SystemName;
  /** pid of the process doing the work (only valid after prepare()). */
  pid(): number;
  /** Makes the system run the scenario; resolves when its subscriptions are live. */
  prepare(setup: ScenarioSetup): Promise<void>;
  /** Stops handling the scenario's topics (so the other system can be measured alone). */
  idle(): Promise<void>;
}

// ---- Flowhouse -----------------------------------------------------------------------------

export interface Flowhouse extends SystemUnderTest {
  url: string;
  /** POST a flows.json to /api/import/node-red?deploy=1; the request's duration in ms. */
  deploy(flows: NodeRedNode[]): Promise<number>;
  output(): string;
}

/**
 * Runs `next build` if there is no production build yet (server.ts needs one). When another
 * `next build` is running (it removes .next/BUILD_ID while it works), waits for it instead.
 */
export async function ensureNextBuild(): Promise<void> {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (fs.existsSync(buildId)) return;
  console.log("No production build (.next/BUILD_ID): running `npx next build` first…");
  const res = spawnSync("npx", ["next", "build"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  if (res.status === 0) return;
  if (/Another next build process is already running/.test(output)) {
    console.log("Another `next build` is running: waiting up to 5 minutes for it to finish…");
    const deadline = Date.now() + 5 * 60_000;
    while (Date.now() < deadline) {
      if (fs.existsSync(buildId)) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error("waited 5 minutes for another `next build` to finish: run the benchmark again when it has");
  }
  console.error(output);
  throw new Error("`npx next build` failed: fix the build errors above, then run the benchmark again");
}

export async function startFlowhouse(mqttUrl: string, extraNodeArgs: string[] = []): Promise<Flowhouse> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-bench-"));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const token = "bench-token-0123456789abcdef";
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  // What `npm start` runs: the bundled server (scripts/build-server.mjs), no TypeScript loader.
  // FLOWHOUSE_BENCH_NODE_ARGS adds node flags (e.g. "--max-old-space-size=256") to compare.
  await buildServer();
  const nodeArgs = (process.env.FLOWHOUSE_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const proc = spawn(process.execPath, [...extraNodeArgs, ...nodeArgs, "dist/server.mjs"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      MQTT_URL: mqttUrl,
      DATABASE_URL: `file:${path.join(dataDir, "flowhouse.db")}`,
      FLOWHOUSE_DATA_DIR: dataDir,
      FLOWHOUSE_API_TOKEN: token,
      FLOWHOUSE_ADMIN_PASSWORD: "bench-password-123",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(() => stopChild(proc));
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);

  const api = async (method: string, pathname: string, body?: unknown) => {
    const res = await fetch(url + pathname, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`Flowhouse exited with code ${proc.exitCode} while starting:\n${output}`);
    if (Date.now() > deadline) throw new Error(`Flowhouse did not answer /api/health within 120 s:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) {
        const health = (await res.json()) as { broker?: { connected?: boolean } };
        if (health.broker?.connected) break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const deploy = async (flows: NodeRedNode[]) => {
    const t0 = performance.now();
    const res = await api("POST", "/api/import/node-red?deploy=1", flows);
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`Flowhouse: POST /api/import/node-red?deploy=1 → ${res.status}: ${res.text.slice(0, 2000)}`);
    return ms;
  };

  return {
    name: "flowhouse",
    url,
    pid: () => proc.pid ?? -1,
    deploy,
    output: () => output,
    async prepare(setup) {
      await deploy(setup.flows);
    },
    async idle() {
      await deploy([]);
    },
  };
}

// ---- baseline relay ------------------------------------------------------------------------

/** baseline-relay.ts as plain JavaScript: run with `node --eval`, it resolves `mqtt` from the repo root. */
function baselineSource(): string {
  const source = fs.readFileSync(path.join(ROOT, "tests/bench/baseline-relay.ts"), "utf8");
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/** profileDir: write a CPU profile of each baseline run there (baseline-<scenario>-q<qos>.cpuprofile). */
export function baselineRelay(mqttUrl: string, profileDir: string | null = null): SystemUnderTest {
  let proc: ChildProcess | null = null;
  const code = baselineSource();
  const stop = async () => {
    if (proc) await stopChild(proc, "SIGTERM", 3000);
    proc = null;
  };
  onCleanup(stop);
  return {
    name: "baseline",
    pid: () => proc?.pid ?? -1,
    async prepare(setup) {
      await stop();
      const child = spawn(
        process.execPath,
        [
          ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=baseline-${setup.scenario}-q${setup.qos}.cpuprofile`] : []),
          "--input-type=module",
          "--eval",
          code,
          mqttUrl,
          setup.scenario,
          String(setup.qos),
          String(setup.fanOutInputs),
          String(setup.motionDelayMs),
        ],
        { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] },
      );
      proc = child;
      let out = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`baseline relay not ready within 20 s: ${out}`)), 20_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          if (out.includes("ready")) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout?.on("data", onData);
        child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`baseline relay exited with code ${code}: ${out}`));
        });
      });
    },
    idle: stop,
  };
}
