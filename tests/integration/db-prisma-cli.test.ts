/**
 * The app's own migrator and Prisma's CLI (through scripts/schema-engine-standin.mjs) keep
 * one shared history: a database migrated by either is "up to date" for the other.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, removeDatabaseFiles, tempDatabaseUrl } from "../../lib/db/client";

const prismaBin = path.resolve("node_modules/.bin/prisma");
const urls: string[] = [];
afterAll(() => {
  for (const url of urls) removeDatabaseFiles(url);
});

function prisma(args: string[], databaseUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(prismaBin, args, { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

function freshUrl(): string {
  const url = tempDatabaseUrl("flowhouse-cli");
  urls.push(url);
  return url;
}

describe("Prisma CLI and the app's migrator", () => {
  it("prisma migrate status calls a database migrated by the app up to date", async () => {
    const url = freshUrl();
    const db = await openDatabase(url);
    expect(db.appliedMigrations.length).toBeGreaterThan(0);
    await db.close();
    const status = await prisma(["migrate", "status"], url);
    expect(status.output).toContain("Database schema is up to date!");
    expect(status.code, status.output).toBe(0);
  }, 60_000);

  it("the app applies nothing to a database migrated by prisma migrate deploy", async () => {
    const url = freshUrl();
    const deploy = await prisma(["migrate", "deploy"], url);
    expect(deploy.code, deploy.output).toBe(0);
    const db = await openDatabase(url);
    expect(db.appliedMigrations).toEqual([]);
    await db.prisma.setting.create({ data: { key: "k", value: "v" } });
    await db.close();
  }, 60_000);
});
