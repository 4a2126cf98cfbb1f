/**
 * API tokens. Only the SHA-256 of a token is stored (`tokenHash`), plus its first characters
 * (`prefix`) so people can tell tokens apart; the token itself is shown once at creation.
 */
import type { PrismaClient } from "../../generated/prisma/client";

export interface ApiTokenRecord {
  id: string;
  name: string;
  tokenHash: string;
  prefix: string;
  role: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export async function insertToken(
  prisma: PrismaClient,
  input: { id: string; name: string; tokenHash: string; prefix: string; role: string; createdBy: string },
): Promise<ApiTokenRecord> {
  return prisma.apiToken.create({ data: input });
}

export async function findTokenByHash(prisma: PrismaClient, tokenHash: string): Promise<ApiTokenRecord | null> {
  return prisma.apiToken.findUnique({ where: { tokenHash } });
}

export async function findTokenById(prisma: PrismaClient, id: string): Promise<ApiTokenRecord | null> {
  return prisma.apiToken.findUnique({ where: { id } });
}

/** Every token, newest first (revoked ones included: the list shows them as revoked). */
export async function listTokens(prisma: PrismaClient): Promise<ApiTokenRecord[]> {
  return prisma.apiToken.findMany({ orderBy: { createdAt: "desc" } });
}

export async function revokeToken(prisma: PrismaClient, id: string, at: Date = new Date()): Promise<void> {
  await prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
}

export async function touchToken(prisma: PrismaClient, id: string, at: Date = new Date()): Promise<void> {
  await prisma.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } });
}

/** Sets a token's end of validity (once, at creation). */
export async function setTokenExpiry(prisma: PrismaClient, id: string, expiresAt: Date): Promise<void> {
  await prisma.apiToken.updateMany({ where: { id }, data: { expiresAt } });
}

export async function getTokenExpiry(prisma: PrismaClient, id: string): Promise<Date | null> {
  return (await prisma.apiToken.findUnique({ where: { id }, select: { expiresAt: true } }))?.expiresAt ?? null;
}
