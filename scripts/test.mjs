#!/usr/bin/env node
// `npm test`: every check and test, in order, ending with the plain line
// "N passed, N failed" that CI reads.
//   1. lint (ESLint with the import-direction rules) and the type check
//   2. the production build (integration and e2e tests run the built app)
//   3. vitest: unit, integration (real aedes + mosquitto), e2e (Chromium)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const args = process.argv.slice(2);

function run(label, cmd, cmdArgs) {
  console.log(`\n=== ${label}: ${cmd} ${cmdArgs.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit" });
  console.log(`=== ${label}: ${r.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

const steps = [
  ["lint", "npx", ["eslint", "."]],
  ["typecheck", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]],
  ["build", "npx", ["next", "build"]],
];
let failedSteps = 0;
for (const [label, cmd, cmdArgs] of steps) if (!run(label, cmd, cmdArgs)) failedSteps++;

// vitest's summary reporter writes its counts to a file; failed steps above are added so
// CI's count includes them.
const summaryFile = path.join(os.tmpdir(), `flowhouse-test-summary-${process.pid}.json`);
fs.rmSync(summaryFile, { force: true });
console.log(`\n=== tests: npx vitest run ${args.join(" ")}`);
const vitest = spawnSync("npx", ["vitest", "run", ...args], {
  stdio: "inherit",
  env: { ...process.env, FLOWHOUSE_TEST_SUMMARY: summaryFile },
});
let counts = { passed: 0, failed: vitest.status === 0 ? 0 : 1, skipped: 0 };
try {
  counts = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
} catch {
  console.log("=== tests: vitest wrote no summary (it failed before running tests)");
}
fs.rmSync(summaryFile, { force: true });
const failed = counts.failed + failedSteps + (vitest.status !== 0 && counts.failed === 0 ? 1 : 0);
if (failedSteps) console.log(`=== ${failedSteps} step(s) before the tests failed: each counts as one failure`);
console.log(`\n${counts.passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);
