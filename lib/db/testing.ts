/**
 * Test helper: one migrated temporary SQLite database per test file (not :memory:, which the
 * migrator and Prisma could not share). Call at the top level of a test file.
 */
import { afterAll, beforeAll } from "vitest";
import type { PrismaClient } from "../../generated/prisma/client";
import { openDatabase, removeDatabaseFiles, tempDatabaseUrl, type OpenedDatabase } from "./client";

export interface TestDatabase {
  readonly prisma: PrismaClient;
  readonly file: string;
  readonly url: string;
}

export function useTestDatabase(): TestDatabase {
  const url = tempDatabaseUrl();
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    opened = await openDatabase(url);
  });
  afterAll(async () => {
    await opened?.close();
    removeDatabaseFiles(url);
  });
  const current = (): OpenedDatabase => {
    if (!opened) throw new Error("useTestDatabase(): the database is opened in beforeAll; use it inside tests only");
    return opened;
  };
  return {
    url,
    get prisma() {
      return current().prisma;
    },
    get file() {
      return current().file;
    },
  };
}
