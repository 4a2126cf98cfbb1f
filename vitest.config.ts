import { defineConfig } from "vitest/config";

// Three levels, one runner. `npm test` (scripts/test.mjs) runs them all and prints the
// closing "N passed, N failed" line CI reads.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    environment: "node",
    reporters: ["default", "./tests/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "tests/unit/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
