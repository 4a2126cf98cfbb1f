/**
 * Test fixture (not a test): one "app start" racing others on the same file.
 *   node --import tsx lib/db/migrate-worker.fixture.ts <db file> <migrations dir> <start at, epoch ms>
 * Waits until the start time, opens the file like openDatabase does, migrates, and prints
 * {"applied":[...]} on stdout.
 */
import Database from "better-sqlite3";
import { applyMigrations } from "./migrate";

const [file, dir, startAt] = process.argv.slice(2);
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
const db = new Database(file, { timeout: 5000 });
try {
  db.pragma("journal_mode = WAL");
  const { applied } = applyMigrations(db, dir, { warn: () => {} });
  process.stdout.write(`${JSON.stringify({ applied })}\n`);
} finally {
  db.close();
}
