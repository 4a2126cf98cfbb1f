import fs from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the plain closing line CI reads: "N passed, N failed, N skipped". Under
 * scripts/test.mjs (FLOWHOUSE_TEST_SUMMARY set) it writes the counts to that file instead,
 * and the script prints one final line that also counts its lint/type/build steps.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but must count as a failure.
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed++;
    }
    const file = process.env.FLOWHOUSE_TEST_SUMMARY;
    if (file) {
      fs.writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
      return;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
