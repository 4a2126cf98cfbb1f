import { beforeEach, describe, expect, it } from "vitest";
import {
  countUsers,
  createSession,
  createUser,
  deleteExpiredSessions,
  deleteSession,
  findSession,
  findUserByName,
  updateUserPassword,
} from "./user-repo";
import { useTestDatabase } from "./testing";

const t = useTestDatabase();

beforeEach(async () => {
  await t.prisma.session.deleteMany();
  await t.prisma.user.deleteMany();
});

const HOUR = 3_600_000;

describe("users", () => {
  it("creates, counts and finds users by name", async () => {
    expect(await countUsers(t.prisma)).toBe(0);
    expect(await findUserByName(t.prisma, "admin")).toBeNull();
    const created = await createUser(t.prisma, { username: "admin", passwordHash: "h1", role: "admin" });
    expect(await countUsers(t.prisma)).toBe(1);
    expect(await findUserByName(t.prisma, "admin")).toEqual(created);
    expect(created).toMatchObject({ username: "admin", passwordHash: "h1", role: "admin" });
    expect(created.createdAt).toBeInstanceOf(Date);
  });

  it("refuses a user name that is taken", async () => {
    await createUser(t.prisma, { username: "ada", passwordHash: "h", role: "editor" });
    await expect(createUser(t.prisma, { username: "ada", passwordHash: "h2", role: "viewer" })).rejects.toThrow(
      "The user name 'ada' is taken",
    );
  });

  it("changes a password", async () => {
    const u = await createUser(t.prisma, { username: "admin", passwordHash: "old", role: "admin" });
    await updateUserPassword(t.prisma, u.id, "new");
    expect((await findUserByName(t.prisma, "admin"))?.passwordHash).toBe("new");
  });
});

describe("sessions", () => {
  it("finds a live session with its user", async () => {
    const u = await createUser(t.prisma, { username: "admin", passwordHash: "h", role: "admin" });
    const expiresAt = new Date(Date.now() + HOUR);
    await createSession(t.prisma, { idHash: "s1", userId: u.id, expiresAt });
    const s = await findSession(t.prisma, "s1");
    expect(s).toMatchObject({ idHash: "s1", userId: u.id, expiresAt, user: { username: "admin", role: "admin" } });
    expect(await findSession(t.prisma, "unknown")).toBeNull();
  });

  it("treats an expired session as logged out and deletes it", async () => {
    const u = await createUser(t.prisma, { username: "admin", passwordHash: "h", role: "admin" });
    await createSession(t.prisma, { idHash: "old", userId: u.id, expiresAt: new Date(Date.now() + HOUR) });
    expect(await findSession(t.prisma, "old", new Date(Date.now() + 2 * HOUR))).toBeNull();
    expect(await t.prisma.session.count()).toBe(0);
  });

  it("logs out one session", async () => {
    const u = await createUser(t.prisma, { username: "admin", passwordHash: "h", role: "admin" });
    await createSession(t.prisma, { idHash: "a", userId: u.id, expiresAt: new Date(Date.now() + HOUR) });
    await createSession(t.prisma, { idHash: "b", userId: u.id, expiresAt: new Date(Date.now() + HOUR) });
    await deleteSession(t.prisma, "a");
    await deleteSession(t.prisma, "a"); // twice is fine
    expect(await findSession(t.prisma, "a")).toBeNull();
    expect(await findSession(t.prisma, "b")).not.toBeNull();
  });

  it("sweeps only expired sessions", async () => {
    const u = await createUser(t.prisma, { username: "admin", passwordHash: "h", role: "admin" });
    const now = Date.now();
    await createSession(t.prisma, { idHash: "gone1", userId: u.id, expiresAt: new Date(now - HOUR) });
    await createSession(t.prisma, { idHash: "gone2", userId: u.id, expiresAt: new Date(now - 1) });
    await createSession(t.prisma, { idHash: "live", userId: u.id, expiresAt: new Date(now + HOUR) });
    expect(await deleteExpiredSessions(t.prisma, new Date(now))).toBe(2);
    expect((await t.prisma.session.findMany()).map((s) => s.id)).toEqual(["live"]);
  });

  it("removes a user's sessions with the user", async () => {
    const u = await createUser(t.prisma, { username: "temp", passwordHash: "h", role: "viewer" });
    await createSession(t.prisma, { idHash: "s", userId: u.id, expiresAt: new Date(Date.now() + HOUR) });
    await t.prisma.user.delete({ where: { id: u.id } });
    expect(await t.prisma.session.count()).toBe(0);
  });
});
