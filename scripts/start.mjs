#!/usr/bin/env node
// `npm start`: builds the web UI when the build is missing or older than the sources,
// bundles server.ts into plain JavaScript (scripts/build-server.mjs, ~0.2 s, every start) and
// runs it in production mode. One command from a fresh install.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "next.config.js", "package.json", "package-lock.json", "tsconfig.json"];
const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (builtAt < changedAt) {
  console.log(builtAt ? "[flowhouse] sources changed since the last build: building the web UI…" : "[flowhouse] first start: building the web UI (about a minute)…");
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const result = spawnSync(npx, ["next", "build"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("[flowhouse] the build failed (see above): fix the error and run `npm start` again");
    process.exit(result.status ?? 1);
  }
}

const dev = process.argv.includes("--dev");
let entry = ["--import", "tsx", "server.ts"];
if (!dev) {
  const { buildServer } = await import("./build-server.mjs");
  await buildServer();
  entry = ["dist/server.mjs"];
}
const child = spawn(process.execPath, [...entry, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
