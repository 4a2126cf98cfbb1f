/** Node/flow/global context rows (ContextValue). Values are JSON via lib/runtime/json-safe. */
import type { PrismaClient } from "../../generated/prisma/client";
import { decodeStored, encodeStored } from "../runtime/json-safe";
import type { ScopeKind, StoredContextValue } from "../runtime/context";
import { WriteBehind } from "./write-behind";

export async function loadContext(prisma: PrismaClient, warn: (text: string) => void): Promise<StoredContextValue[]> {
  const rows = await prisma.contextValue.findMany();
  const out: StoredContextValue[] = [];
  for (const row of rows) {
    try {
      out.push({ scope: row.scope as ScopeKind, scopeId: row.scopeId, key: row.key, value: decodeStored(row.value) });
    } catch {
      warn(`context ${row.scope}${row.scopeId ? ` '${row.scopeId}'` : ""} key '${row.key}' is not valid JSON: ignored`);
    }
  }
  return out;
}

export type ContextWriter = WriteBehind<{ scope: ScopeKind; scopeId: string; key: string }, unknown>;

export function contextWriter(prisma: PrismaClient, onError: (err: unknown) => void): ContextWriter {
  return new WriteBehind(
    async (batch) => {
      await prisma.$transaction(
        batch.map(({ key: k, value }) => {
          const where = { scope_scopeId_key: { scope: k.scope, scopeId: k.scopeId, key: k.key } };
          if (value === undefined) return prisma.contextValue.deleteMany({ where: { scope: k.scope, scopeId: k.scopeId, key: k.key } });
          const text = encodeStored(value);
          return prisma.contextValue.upsert({ where, create: { ...k, value: text }, update: { value: text } });
        }),
      );
    },
    (k) => `${k.scope}\u0000${k.scopeId}\u0000${k.key}`,
    onError,
  );
}
