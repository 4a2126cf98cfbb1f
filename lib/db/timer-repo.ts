/** Durable timers (PendingTimer rows): absolute due time + JSON data, per node and key. */
import type { PrismaClient } from "../../generated/prisma/client";
import { decodeStored, encodeStored } from "../runtime/json-safe";
import type { StoredNodeTimer, TimerPersistence } from "../runtime/durable-timers";
import { WriteBehind } from "./write-behind";

export async function loadTimers(prisma: PrismaClient, warn: (text: string) => void): Promise<StoredNodeTimer[]> {
  const rows = await prisma.pendingTimer.findMany({ orderBy: { dueAt: "asc" } });
  const out: StoredNodeTimer[] = [];
  for (const row of rows) {
    try {
      out.push({ nodeId: row.nodeId, key: row.key, dueAt: row.dueAt.getTime(), data: decodeStored(row.data) });
    } catch {
      warn(`stored timer '${row.key}' of node '${row.nodeId}' is not valid JSON: dropped`);
    }
  }
  return out;
}

export interface TimerStore extends TimerPersistence {
  flush(): Promise<void>;
}

export function timerStore(prisma: PrismaClient, onError: (err: unknown) => void): TimerStore {
  const writer = new WriteBehind<{ nodeId: string; key: string }, StoredNodeTimer>(
    async (batch) => {
      await prisma.$transaction(
        batch.map(({ key: k, value }) => {
          if (value === undefined) return prisma.pendingTimer.deleteMany({ where: { nodeId: k.nodeId, key: k.key } });
          const row = { dueAt: new Date(value.dueAt), data: encodeStored(value.data) };
          return prisma.pendingTimer.upsert({
            where: { nodeId_key: { nodeId: k.nodeId, key: k.key } },
            create: { nodeId: k.nodeId, key: k.key, ...row },
            update: row,
          });
        }),
      );
    },
    (k) => `${k.nodeId}\u0000${k.key}`,
    onError,
  );
  return {
    save: (timer) => writer.put({ nodeId: timer.nodeId, key: timer.key }, timer),
    delete: (nodeId, key) => writer.put({ nodeId, key }, undefined),
    flush: () => writer.flush(),
  };
}
