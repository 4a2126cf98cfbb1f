/**
 * Applies prisma/migrations at app start and in tests, without Prisma's CLI or engines.
 *
 * Records each migration in `_prisma_migrations` exactly as Prisma Migrate does, so
 * `prisma migrate status|deploy|dev` agree with what ran here. Concurrent starters serialize on
 * one IMMEDIATE transaction: each migration is applied once, and a failure rolls back the whole
 * batch (the database is left as it was). Foreign keys are off while migrating because SQLite
 * migrations rebuild tables (DROP parent → ON DELETE CASCADE would empty child tables) and
 * `PRAGMA foreign_keys` inside a migration's own script is a no-op within a transaction;
 * `PRAGMA foreign_key_check` verifies the result instead.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";

export interface ApplyMigrationsOptions {
  /** Receives non-fatal problems (edited or unknown migrations). Default: console.warn. */
  warn?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order (empty if already up to date). */
  applied: string[];
  /** The warnings also passed to `options.warn`. */
  warnings: string[];
}

/** The table Prisma Migrate keeps its history in (same DDL as Prisma's SQLite connector). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  started_at: string;
  finished_at: string | null;
}

interface MigrationFile {
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/** Prisma's timestamp text: 2025-01-31T12:00:00.000+00:00 */
function prismaTimestamp(date = new Date()): string {
  return date.toISOString().replace("Z", "+00:00");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function readMigrations(dir: string): MigrationFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(
      `Cannot read the migrations folder ${dir}: ${(err as Error).message}. ` +
        "Ship prisma/migrations with the app and start it from the project folder.",
    );
  }
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) return [];
      const sql = fs.readFileSync(file, "utf8");
      return [{ name, file, sql, checksum: sha256(sql) }];
    });
}

/** Prisma accepts a checksum taken with either line ending. */
function checksumMatches(m: MigrationFile, recorded: string): boolean {
  return (
    recorded === m.checksum ||
    recorded === sha256(m.sql.replace(/\r\n/g, "\n")) ||
    recorded === sha256(m.sql.replace(/\r?\n/g, "\r\n"))
  );
}

/**
 * Applies every migration folder of `dir` (sorted by name) that `_prisma_migrations` does not
 * list yet. Throws, changing nothing, if a migration fails, breaks a foreign key, or a previous
 * Prisma run left a failed migration behind.
 */
export function applyMigrations(
  db: BetterSqlite3.Database,
  dir: string = path.resolve("prisma/migrations"),
  options: ApplyMigrationsOptions = {},
): ApplyMigrationsResult {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const migrations = readMigrations(dir);
  const warnings: string[] = [];
  const applied: string[] = [];

  const run = db.transaction(() => {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const rows = db
      .prepare(
        `SELECT migration_name, checksum, started_at, finished_at FROM "_prisma_migrations"
         WHERE rolled_back_at IS NULL ORDER BY started_at`,
      )
      .all() as MigrationRow[];

    const failed = rows.find((r) => r.finished_at === null);
    if (failed) {
      throw new Error(
        `Database ${db.name}: migration '${failed.migration_name}' failed when it was applied on ${failed.started_at} ` +
          "and never finished, so no further migration will run. Inspect the database, then either undo its " +
          `partial changes and run \`npx prisma migrate resolve --rolled-back ${failed.migration_name}\`, or finish them by hand ` +
          `and run \`npx prisma migrate resolve --applied ${failed.migration_name}\` (with DATABASE_URL pointing at this file).`,
      );
    }

    const recorded = new Map(rows.map((r) => [r.migration_name, r]));
    const known = new Set(migrations.map((m) => m.name));
    for (const row of rows) {
      if (!known.has(row.migration_name)) {
        warnings.push(
          `Database ${db.name} records migration '${row.migration_name}', which is not in ${dir}: ` +
            "was it created by a newer version of the app? The schema may not match this version.",
        );
      }
    }

    const insert = db.prepare(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES (?, ?, ?, ?, ?, 1)`,
    );
    for (const m of migrations) {
      const row = recorded.get(m.name);
      if (row) {
        if (!checksumMatches(m, row.checksum)) {
          warnings.push(
            `Migration '${m.name}' was edited after it was applied to ${db.name} (checksum differs): ` +
              `restore ${m.file} from version control; put changes in a new migration instead.`,
          );
        }
        continue;
      }
      const startedAt = prismaTimestamp();
      try {
        db.exec(m.sql);
      } catch (err) {
        throw new Error(
          `Migration '${m.name}' (${m.file}) failed on ${db.name}: ${(err as Error).message}. ` +
            "Nothing was changed: fix the migration (or the database) and start again.",
        );
      }
      const violations = db.prepare("PRAGMA foreign_key_check").all() as ForeignKeyViolation[];
      if (violations.length > 0) {
        const sample = violations
          .slice(0, 5)
          .map((v) => `${v.table} row ${v.rowid ?? "?"} → ${v.parent}`)
          .join(", ");
        throw new Error(
          `Migration '${m.name}' (${m.file}) would leave ${violations.length} row(s) pointing at missing rows ` +
            `(${sample}) in ${db.name}. Nothing was changed: make the migration fix or delete those rows first.`,
        );
      }
      insert.run(randomUUID(), m.checksum, m.name, startedAt, prismaTimestamp());
      applied.push(m.name);
    }
  });

  // Must be outside any transaction to take effect.
  db.pragma("foreign_keys = OFF");
  try {
    run.immediate();
  } finally {
    db.pragma("foreign_keys = ON");
  }
  for (const w of warnings) warn(w);
  return { applied, warnings };
}
