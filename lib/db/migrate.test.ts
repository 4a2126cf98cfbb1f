import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";

const run = promisify(execFile);
const MIGRATIONS = path.resolve("prisma/migrations");
const shipped = fs
  .readdirSync(MIGRATIONS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(MIGRATIONS, e.name, "migration.sql")))
  .map((e) => e.name)
  .sort();

const cleanup: string[] = [];
afterEach(() => {
  for (const p of cleanup.splice(0)) fs.rmSync(p, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-migrate-"));
  cleanup.push(dir);
  return dir;
}

function openTemp(): { db: Database.Database; file: string } {
  const file = path.join(tempDir(), "test.db");
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  return { db, file };
}

/** A migrations folder with the given scripts, named 001_a, 002_b, ... in order. */
function migrationsDir(scripts: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, sql] of Object.entries(scripts)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: string;
  finished_at: string | null;
  applied_steps_count: number;
}
const history = (db: Database.Database) => db.prepare('SELECT * FROM "_prisma_migrations" ORDER BY migration_name').all() as Row[];

describe("applyMigrations", () => {
  it("gives a fresh database every table of the schema", () => {
    const { db } = openTemp();
    const { applied } = applyMigrations(db, MIGRATIONS);
    expect(applied).toEqual(shipped);
    expect(tables(db)).toEqual(["ApiToken", "AuditEntry", "Broker", "ConfigNode", "ContextValue", "Dashboard", "Deployment", "Flow", "MetricSample", "OutboxMessage", "PendingTimer", "Session", "Setting", "Topic", "User", "_prisma_migrations"]);
    db.close();
  });

  it("records migrations the way Prisma Migrate does, so `prisma migrate status` agrees", () => {
    const { db } = openTemp();
    applyMigrations(db, MIGRATIONS);
    const rows = history(db);
    expect(rows.map((r) => r.migration_name)).toEqual(shipped);
    for (const r of rows) {
      const sql = fs.readFileSync(path.join(MIGRATIONS, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(r.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(r.finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(r.applied_steps_count).toBe(1);
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    db.close();
  });

  it("applies nothing on the second start", () => {
    const { db } = openTemp();
    applyMigrations(db, MIGRATIONS);
    expect(applyMigrations(db, MIGRATIONS)).toEqual({ applied: [], warnings: [] });
    expect(history(db)).toHaveLength(shipped.length);
    db.close();
  });

  it("leaves foreign keys on afterwards", () => {
    const { db } = openTemp();
    applyMigrations(db, MIGRATIONS);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    db.close();
  });

  it("applies each migration exactly once when four app processes start at the same time", async () => {
    const { db, file } = openTemp();
    // An existing, empty history: each starter reads it before writing, the case where
    // transactions that do not start IMMEDIATE collide ("database is locked").
    applyMigrations(db, migrationsDir({}));
    db.close();
    const startAt = String(Date.now() + 1500);
    const worker = path.resolve("lib/db/migrate-worker.fixture.ts");
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(() => run(process.execPath, ["--import", "tsx", worker, file, MIGRATIONS, startAt], { timeout: 30_000 })),
    );
    const applied = outputs.map((o) => (JSON.parse(o.stdout.trim()) as { applied: string[] }).applied);
    expect(applied.flat().sort()).toEqual(shipped);
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    const check = new Database(file);
    expect(history(check).map((r) => r.migration_name)).toEqual(shipped);
    check.close();
  }, 30_000);

  it("refuses to start after a failed Prisma migration and says how to resolve it", () => {
    const { db, file } = openTemp();
    applyMigrations(db, MIGRATIONS);
    db.prepare('UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = ?').run(shipped[0]);
    expect(() => applyMigrations(db, MIGRATIONS)).toThrow(
      new RegExp(`${file}.*migration '${shipped[0]}' failed.*prisma migrate resolve --rolled-back ${shipped[0]}`),
    );
    db.close();
  });

  it("warns when an applied migration file was edited afterwards", () => {
    const { db } = openTemp();
    applyMigrations(db, MIGRATIONS);
    db.prepare('UPDATE "_prisma_migrations" SET checksum = ? WHERE migration_name = ?').run("0".repeat(64), shipped[0]);
    const warnings: string[] = [];
    const result = applyMigrations(db, MIGRATIONS, { warn: (m) => warnings.push(m) });
    expect(result.applied).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`Migration '${shipped[0]}' was edited after it was applied`));
    db.close();
  });

  it("warns about a recorded migration this version does not ship", () => {
    const { db } = openTemp();
    const dir = migrationsDir({ "001_a": 'CREATE TABLE "A" (id INTEGER PRIMARY KEY);' });
    applyMigrations(db, dir);
    const warnings: string[] = [];
    applyMigrations(db, migrationsDir({}), { warn: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(/records migration '001_a', which is not in .*newer version/);
    db.close();
  });

  it("changes nothing when a migration fails, and names it", () => {
    const { db } = openTemp();
    const dir = migrationsDir({
      "001_ok": 'CREATE TABLE "A" (id INTEGER PRIMARY KEY);',
      "002_bad": 'CREATE TABLE "B" (id INTEGER PRIMARY KEY);\nCREATE TABLE oops oops;',
    });
    expect(() => applyMigrations(db, dir)).toThrow(/Migration '002_bad' .*failed.*syntax error.*Nothing was changed/);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it("keeps child rows when a migration rebuilds a parent table (no cascading delete)", () => {
    const { db } = openTemp();
    const dir = migrationsDir({
      "001_init": `CREATE TABLE "Parent" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);
CREATE TABLE "Child" ("id" INTEGER NOT NULL PRIMARY KEY, "parentId" INTEGER NOT NULL,
  CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
INSERT INTO "Parent" VALUES (1, 'p');
INSERT INTO "Child" VALUES (1, 1), (2, 1);`,
      // What `prisma migrate diff` writes for a changed SQLite table.
      "002_rebuild": `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Parent" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "extra" TEXT NOT NULL DEFAULT '');
INSERT INTO "new_Parent" ("id", "name") SELECT "id", "name" FROM "Parent";
DROP TABLE "Parent";
ALTER TABLE "new_Parent" RENAME TO "Parent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;`,
    });
    expect(applyMigrations(db, dir).applied).toEqual(["001_init", "002_rebuild"]);
    expect(db.prepare('SELECT count(*) AS n FROM "Child"').get()).toEqual({ n: 2 });
    db.close();
  });

  it("refuses a migration that leaves rows pointing at missing parents", () => {
    const { db } = openTemp();
    const dir = migrationsDir({
      "001_init": `CREATE TABLE "Parent" ("id" INTEGER NOT NULL PRIMARY KEY);
CREATE TABLE "Child" ("id" INTEGER NOT NULL PRIMARY KEY, "parentId" INTEGER NOT NULL REFERENCES "Parent" ("id"));`,
      "002_orphan": 'INSERT INTO "Child" VALUES (1, 42);',
    });
    expect(() => applyMigrations(db, dir)).toThrow(/Migration '002_orphan' .*1 row\(s\) pointing at missing rows \(Child row 1 → Parent\)/);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it("explains a missing migrations folder", () => {
    const { db } = openTemp();
    expect(() => applyMigrations(db, "/nonexistent/prisma/migrations")).toThrow(
      /Cannot read the migrations folder \/nonexistent\/prisma\/migrations.*Ship prisma\/migrations/,
    );
    db.close();
  });
});
