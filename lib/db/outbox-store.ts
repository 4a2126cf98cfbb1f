/**
 * The MQTT outbox (lib/mqtt/outbox.ts) on the `OutboxMessage` table, with better-sqlite3
 * prepared statements on a connection of its own (like state-store.ts: Prisma would cost
 * ~0.7 ms of CPU per row on this per-message path; a prepared insert costs a few µs).
 *
 * Durability: WAL with synchronous=NORMAL. A committed row survives a killed process
 * (SIGKILL); only a power loss can lose the last transactions. The outbox groups the inserts
 * of one event-loop turn into one `append` call, i.e. one transaction.
 */
import Database from "better-sqlite3";
import type { OutboxRecord, OutboxStore, StoredOutboxMessage } from "../mqtt/outbox";
import { BUSY_TIMEOUT_MS } from "./client";

export function openOutboxStore(file: string): OutboxStore {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(
    `INSERT INTO "OutboxMessage" ("brokerId","topic","payload","qos","retain","createdAt") VALUES (?,?,?,?,?,?)`,
  );
  const del = db.prepare(`DELETE FROM "OutboxMessage" WHERE "id"=?`);
  const list = db.prepare(
    `SELECT "id","brokerId","topic","payload","qos","retain" FROM "OutboxMessage" WHERE "brokerId"=? ORDER BY "id"`,
  );
  const count = db.prepare(`SELECT COUNT(*) AS n FROM "OutboxMessage" WHERE "brokerId"=?`);
  const brokers = db.prepare(`SELECT DISTINCT "brokerId" FROM "OutboxMessage"`);

  const appendAll = db.transaction((records: readonly OutboxRecord[]) => {
    const now = new Date().toISOString(); // as state-store.ts writes DateTime columns
    const ids: number[] = [];
    for (const r of records) {
      ids.push(Number(insert.run(r.brokerId, r.topic, r.payload, r.qos, r.retain ? 1 : 0, now).lastInsertRowid));
    }
    return ids;
  });
  const removeAll = db.transaction((ids: readonly number[]) => {
    for (const id of ids) del.run(id);
  });
  let closed = false;

  return {
    append: (records) => (records.length === 0 ? [] : appendAll(records)),
    list(brokerId) {
      const rows = list.all(brokerId) as { id: number; brokerId: string; topic: string; payload: Buffer; qos: number; retain: number }[];
      return rows.map(
        (r): StoredOutboxMessage => ({
          id: r.id,
          brokerId: r.brokerId,
          topic: r.topic,
          payload: r.payload,
          qos: r.qos === 2 ? 2 : 1,
          retain: r.retain === 1,
        }),
      );
    },
    remove(ids) {
      if (ids.length > 0) removeAll(ids);
    },
    count: (brokerId) => (count.get(brokerId) as { n: number }).n,
    brokerIds: () => (brokers.all() as { brokerId: string }[]).map((r) => r.brokerId),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
