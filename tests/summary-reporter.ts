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
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedHere++;
        else skipped++;
      }
      // A file that failed to load, or whose beforeAll failed (its tests then show as
      // skipped), counts as one failure even though no single test failed.
      if (mod.state() === "failed" && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    const file = process.env.FLOWHOUSE_TEST_SUMMARY;
    if (file) {
      fs.writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
      return;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
