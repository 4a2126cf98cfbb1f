/** The audit log: append, read newest first (paged by id), prune the oldest rows. */
import type { PrismaClient } from "../../generated/prisma/client";

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string;
  details: string;
  ip: string;
}

export async function insertAudit(
  prisma: PrismaClient,
  input: { actor: string; action: string; target: string; details: string; ip: string; at?: Date },
): Promise<AuditRow> {
  return prisma.auditEntry.create({ data: input });
}

/**
 * Newest first. `before`: only rows with a smaller id (the next page starts below the last
 * id of the previous one). `action`: exact action, or a prefix ending in "." ("user." → every
 * user change).
 */
export async function listAudit(
  prisma: PrismaClient,
  q: { limit: number; before?: number; action?: string },
): Promise<AuditRow[]> {
  const action = q.action ? (q.action.endsWith(".") ? { startsWith: q.action } : q.action) : undefined;
  return prisma.auditEntry.findMany({
    where: { ...(q.before !== undefined ? { id: { lt: q.before } } : {}), ...(action !== undefined ? { action } : {}) },
    orderBy: { id: "desc" },
    take: q.limit,
  });
}

/** The distinct actions present (for the filter menu). */
export async function auditActions(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.auditEntry.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}

/** Keeps the newest `keep` rows; returns how many were deleted. */
export async function pruneAudit(prisma: PrismaClient, keep: number): Promise<number> {
  const newest = await prisma.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  if (!newest) return 0;
  const { count } = await prisma.auditEntry.deleteMany({ where: { id: { lte: newest.id - keep } } });
  return count;
}

export async function countAudit(prisma: PrismaClient): Promise<number> {
  return prisma.auditEntry.count();
}
