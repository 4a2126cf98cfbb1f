import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { databaseFileFromUrl, openDatabase, removeDatabaseFiles, tempDatabaseUrl, type OpenedDatabase } from "./client";

const opened: OpenedDatabase[] = [];
const urls: string[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const url of urls.splice(0)) removeDatabaseFiles(url);
});

async function open(url = tempDatabaseUrl()): Promise<OpenedDatabase> {
  urls.push(url);
  const db = await openDatabase(url);
  opened.push(db);
  return db;
}

describe("openDatabase", () => {
  it("creates the folder and a migrated database that Prisma can use at once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-client-"));
    const url = `file:${path.join(dir, "nested", "data", "app.db")}`;
    try {
      const db = await open(url);
      expect(db.file).toBe(path.join(dir, "nested", "data", "app.db"));
      expect(db.appliedMigrations.length).toBeGreaterThan(0);
      await db.prisma.setting.create({ data: { key: "k", value: "v" } });
      expect(await db.prisma.setting.findUnique({ where: { key: "k" } })).toEqual({ key: "k", value: "v" });
    } finally {
      for (const d of opened.splice(0)) await d.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses WAL, foreign keys and a busy timeout on Prisma's connection", async () => {
    const db = await open();
    const journal = await db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    const fk = await db.prisma.$queryRawUnsafe<{ foreign_keys: number | bigint }[]>("PRAGMA foreign_keys");
    const timeout = await db.prisma.$queryRawUnsafe<{ timeout: number | bigint }[]>("PRAGMA busy_timeout");
    expect(journal[0].journal_mode).toBe("wal");
    expect(Number(fk[0].foreign_keys)).toBe(1);
    expect(Number(timeout[0].timeout)).toBe(5000);
  });

  it("applies no migration when the database is already up to date", async () => {
    const url = tempDatabaseUrl();
    const first = await open(url);
    await first.close();
    const second = await open(url);
    expect(second.appliedMigrations).toEqual([]);
  });

  it("names the path and DATABASE_URL when the file cannot be created", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-client-"));
    const blocker = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocker, "");
    const url = `file:${blocker}/app.db`;
    try {
      await expect(openDatabase(url)).rejects.toThrow(
        new RegExp(`Cannot open the database file ${blocker}/app.db \\(DATABASE_URL=file:${blocker}/app.db\\).*Point DATABASE_URL at a writable file`),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("databaseFileFromUrl", () => {
  it("resolves relative file: URLs from the working directory", () => {
    expect(databaseFileFromUrl("file:./data/x.db")).toBe(path.resolve("data/x.db"));
    expect(databaseFileFromUrl("file:/abs/x.db?connection_limit=1")).toBe("/abs/x.db");
    expect(databaseFileFromUrl("file:///abs/x.db")).toBe("/abs/x.db");
  });

  it("rejects URLs that are not SQLite files, saying what to use", () => {
    expect(() => databaseFileFromUrl("postgresql://localhost/db")).toThrow(/DATABASE_URL=postgresql:\/\/localhost\/db is not a SQLite file URL.*file:\.\/data\/flowhouse\.db/);
    expect(() => databaseFileFromUrl("file::memory:")).toThrow(/names no file/);
    expect(() => databaseFileFromUrl("")).toThrow(/DATABASE_URL is empty/);
  });
});

describe("tempDatabaseUrl and removeDatabaseFiles", () => {
  it("gives a fresh file each time and removes it with its -wal and -shm files", async () => {
    const url = tempDatabaseUrl();
    expect(url).not.toBe(tempDatabaseUrl());
    const file = databaseFileFromUrl(url);
    expect(file.startsWith(os.tmpdir())).toBe(true);
    const db = await openDatabase(url);
    await db.prisma.setting.create({ data: { key: "a", value: "b" } });
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    await db.close();
    removeDatabaseFiles(url);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(fs.existsSync(f)).toBe(false);
  });
});
