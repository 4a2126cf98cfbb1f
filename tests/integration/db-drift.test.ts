/**
 * The committed migrations must produce exactly prisma/schema.prisma. If this fails, someone
 * changed the schema without a migration: run `npm run db:migrate -- --name <what changed>`
 * (or see /shared/STORAGE.md for the non-interactive route) and commit the new folder.
 */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe("database migrations", () => {
  it("match the Prisma schema (npm run db:check exits 0)", async () => {
    const { code, output } = await run("npm", ["run", "db:check"]);
    expect(output).toContain("No difference detected.");
    expect(code, output).toBe(0);
  }, 60_000);
});
