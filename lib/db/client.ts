/**
 * Opens the SQLite database: resolves DATABASE_URL, creates the folder, sets the pragmas,
 * applies prisma/migrations (lib/db/migrate.ts) on a short-lived better-sqlite3 connection,
 * then creates the PrismaClient on the better-sqlite3 driver adapter (no native engine).
 * Create it once per process (server.ts); tests use tempDatabaseUrl() + removeDatabaseFiles().
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client";
import { applyMigrations, type ApplyMigrationsOptions } from "./migrate";

/** How long a writer waits for another connection's lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenedDatabase {
  prisma: PrismaClient;
  /** Absolute path of the SQLite file. */
  file: string;
  /** Migrations applied while opening (empty if the file was up to date). */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export interface OpenDatabaseOptions extends ApplyMigrationsOptions {
  /** Folder of Prisma migrations. Default: prisma/migrations under the working directory. */
  migrationsDir?: string;
}

/**
 * `file:./data/x.db` → absolute path, relative paths from process.cwd() (as Prisma's CLI does
 * from the project root). Accepts `file:/abs`, `file:///abs`, a query string (ignored) and a
 * bare path. Throws for other schemes, naming DATABASE_URL.
 */
export function databaseFileFromUrl(databaseUrl: string): string {
  const url = databaseUrl.trim();
  if (url === "") {
    throw new Error("DATABASE_URL is empty: set it to a SQLite file URL such as file:./data/flowhouse.db");
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "file" && scheme.length > 1) {
    throw new Error(
      `DATABASE_URL=${databaseUrl} is not a SQLite file URL: Flowhouse stores its data in SQLite. ` +
        "Use e.g. file:./data/flowhouse.db",
    );
  }
  let rest = scheme === "file" ? url.slice("file:".length) : url;
  rest = rest.split("?")[0];
  if (rest.startsWith("//")) rest = rest.replace(/^\/\/(localhost)?/, "");
  if (rest === "" || rest === ":memory:") {
    throw new Error(
      `DATABASE_URL=${databaseUrl} names no file: the app needs a file on disk ` +
        "(an in-memory database would not be shared between the migrator and Prisma). Use e.g. file:./data/flowhouse.db",
    );
  }
  return path.resolve(decodeURIComponent(rest));
}

/** Opens (creating if needed) the database, migrates it and returns a ready PrismaClient. */
export async function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const file = databaseFileFromUrl(databaseUrl);
  let appliedMigrations: string[];
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (err) {
    throw unusable(file, databaseUrl, err);
  }
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw unusable(file, databaseUrl, err);
  }
  try {
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma("journal_mode = WAL");
      db.pragma("foreign_keys = ON");
    } catch (err) {
      throw unusable(file, databaseUrl, err);
    }
    appliedMigrations = applyMigrations(db, options.migrationsDir ?? path.resolve("prisma/migrations"), options).applied;
  } finally {
    db.close();
  }
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }) });
  let closed = false;
  return {
    prisma,
    file,
    appliedMigrations,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
    },
  };
}

function unusable(file: string, databaseUrl: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(
    `Cannot open the database file ${file} (DATABASE_URL=${databaseUrl}): ${reason}. ` +
      "Point DATABASE_URL at a writable file, e.g. file:./data/flowhouse.db",
  );
}

/** A fresh `file:` URL under the OS temp folder, for one test suite. */
export function tempDatabaseUrl(prefix = "flowhouse-test"): string {
  return `file:${path.join(os.tmpdir(), `${prefix}-${randomUUID()}.db`)}`;
}

/** Deletes a database file and its -wal, -shm and -journal companions (missing ones are fine). */
export function removeDatabaseFiles(fileOrUrl: string): void {
  const file = fileOrUrl.startsWith("file:") ? databaseFileFromUrl(fileOrUrl) : fileOrUrl;
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}
