/**
 * Users and browser sessions. A session row's id is the SHA-256 of the cookie value (hashing
 * is the caller's job), so the database never holds a usable cookie.
 */
import type { PrismaClient } from "../../generated/prisma/client";

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: string;
  createdAt: Date;
}

export interface SessionRecord {
  idHash: string;
  userId: number;
  createdAt: Date;
  expiresAt: Date;
  user: UserRecord;
}

export async function findUserByName(prisma: PrismaClient, username: string): Promise<UserRecord | null> {
  return prisma.user.findUnique({ where: { username } });
}

export async function createUser(
  prisma: PrismaClient,
  input: { username: string; passwordHash: string; role?: string },
): Promise<UserRecord> {
  if (await findUserByName(prisma, input.username)) {
    throw new Error(`The user name '${input.username}' is taken: choose another one.`);
  }
  return prisma.user.create({ data: { username: input.username, passwordHash: input.passwordHash, role: input.role ?? "admin" } });
}

export async function updateUserPassword(prisma: PrismaClient, userId: number, passwordHash: string): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { passwordHash } });
}

export async function countUsers(prisma: PrismaClient): Promise<number> {
  return prisma.user.count();
}

export async function createSession(
  prisma: PrismaClient,
  input: { idHash: string; userId: number; expiresAt: Date },
): Promise<void> {
  await prisma.session.create({ data: { id: input.idHash, userId: input.userId, expiresAt: input.expiresAt } });
}

/** The live session with its user; null if unknown or expired (an expired one is deleted). */
export async function findSession(prisma: PrismaClient, idHash: string, now: Date = new Date()): Promise<SessionRecord | null> {
  const row = await prisma.session.findUnique({ where: { id: idHash }, include: { user: true } });
  if (!row) return null;
  if (row.expiresAt.getTime() <= now.getTime()) {
    await prisma.session.deleteMany({ where: { id: idHash } });
    return null;
  }
  return { idHash: row.id, userId: row.userId, createdAt: row.createdAt, expiresAt: row.expiresAt, user: row.user };
}

/** Logs a session out (no error if it is already gone). */
export async function deleteSession(prisma: PrismaClient, idHash: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: idHash } });
}

/** Deletes every session that expired at or before `now`; returns how many. */
export async function deleteExpiredSessions(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

/** Every user, oldest first. */
export async function listUsers(prisma: PrismaClient): Promise<UserRecord[]> {
  return prisma.user.findMany({ orderBy: { id: "asc" } });
}

export async function findUserById(prisma: PrismaClient, id: number): Promise<UserRecord | null> {
  return prisma.user.findUnique({ where: { id } });
}

export async function updateUserRole(prisma: PrismaClient, userId: number, role: string): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { role } });
}

export async function deleteUser(prisma: PrismaClient, userId: number): Promise<void> {
  await prisma.user.deleteMany({ where: { id: userId } });
}

export async function countUsersWithRole(prisma: PrismaClient, role: string): Promise<number> {
  return prisma.user.count({ where: { role } });
}

/** Ends every session of a user, except optionally one (the caller's own); returns how many. */
export async function deleteSessionsOfUser(prisma: PrismaClient, userId: number, exceptIdHash?: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({
    where: exceptIdHash ? { userId, NOT: { id: exceptIdHash } } : { userId },
  });
  return count;
}
