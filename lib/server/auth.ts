/**
 * Authentication and user administration.
 *
 * - First start: with no user and no FLOWHOUSE_ADMIN_PASSWORD, Flowhouse is in *setup mode*:
 *   nothing is editable until the admin account is created on /setup (loopback only, once;
 *   server.ts enforces the loopback rule). FLOWHOUSE_ADMIN_PASSWORD, when set, creates the
 *   "admin" user or resets its password at every start.
 * - Users have a role: admin (everything), editor (flows, deploy, dashboards, monitor
 *   publish), viewer (monitor and dashboards, read-only). Passwords: scrypt (passwords.ts).
 * - Browser sessions: random cookie value in an httpOnly SameSite=Strict cookie, stored as
 *   SHA-256; logout, deleting or demoting a user and resetting a password end sessions
 *   server-side.
 * - Bearer tokens: FLOWHOUSE_API_TOKEN (env, admin role; scripts and tests use it) or an
 *   ApiToken row created in Settings (stored as SHA-256, role from the row, revocable,
 *   optional expiry; lastUsedAt written at most once a minute).
 * - Login is rate-limited per client address and per user name.
 * - Every login (ok and failed), logout, setup, user/token change and password change goes to
 *   the audit log.
 */
import type { PrismaClient } from "../../generated/prisma/client";
import {
  countUsers,
  countUsersWithRole,
  createSession,
  createUser,
  deleteSession,
  deleteSessionsOfUser,
  deleteUser,
  findSession,
  findUserById,
  findUserByName,
  listUsers,
  updateUserPassword,
  updateUserRole,
  type UserRecord,
} from "../db/user-repo";
import { findTokenByHash, findTokenById, getTokenExpiry, insertToken, listTokens, revokeToken, setTokenExpiry, touchToken, type ApiTokenRecord } from "../db/token-repo";
import { hashPassword, randomToken, sameDigest, sha256, verifyPassword } from "./passwords";
import { readCookie, SESSION_COOKIE } from "./session-cookie";

export { SESSION_COOKIE, readCookie, sessionCookie, clearedSessionCookie } from "./session-cookie";
import type { AuditService } from "./audit";
import type { TokenView, UserView } from "../api/schemas";

const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const TOKEN_TOUCH_MS = 60_000;
export const MIN_PASSWORD_LENGTH = 10;

export type Role = "admin" | "editor" | "viewer";
export const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
export function isRole(value: unknown): value is Role {
  return value === "admin" || value === "editor" || value === "viewer";
}
/** True when `role` may do what needs `min`. */
export function hasRole(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

/** Socket address of a client on this machine (127.0.0.0/8, ::1, IPv4-mapped 127.x). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith("::ffff:") ? address.slice(7) : address;
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export interface Principal {
  username: string;
  role: Role;
  via: "session" | "token";
  /** Set for a user's session. */
  userId?: number;
  /** Set for an ApiToken row ("env" for FLOWHOUSE_API_TOKEN). */
  tokenId?: string;
  /** SHA-256 of the session cookie (the caller's own session). */
  sessionHash?: string;
}

export interface StartupSecrets {
  /** No user exists and no FLOWHOUSE_ADMIN_PASSWORD: open /setup on this machine. */
  setupRequired: boolean;
  /** The admin password came from FLOWHOUSE_ADMIN_PASSWORD. */
  adminFromEnv: boolean;
  /** FLOWHOUSE_API_TOKEN is set (an admin token). */
  envToken: boolean;
}

/** An error the caller caused: route() turns it into a 4xx JSON answer (matched by brand). */
export class AuthInputError extends Error {
  readonly userError = true;
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 410 | 422,
  ) {
    super(message);
  }
}

/** Fixed-window failure counter per key. */
class FailureLimiter {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
  ) {}
  /** Seconds to wait, 0 when not blocked. */
  blocked(key: string, now: number): number {
    const f = this.failures.get(key);
    if (!f || now - f.windowStart >= this.windowMs) return 0;
    return f.count >= this.max ? Math.max(1, Math.ceil((f.windowStart + this.windowMs - now) / 1000)) : 0;
  }
  fail(key: string, now: number): void {
    const f = this.failures.get(key);
    if (!f || now - f.windowStart >= this.windowMs) this.failures.set(key, { count: 1, windowStart: now });
    else f.count++;
    if (this.failures.size > 10_000) this.failures.clear();
  }
  succeed(key: string): void {
    this.failures.delete(key);
  }
}

export type LoginResult =
  | { ok: true; cookieValue: string; expiresAt: Date; principal: Principal }
  | { ok: false; status: 401 | 429; error: string };

/** What ended: every session of a user, or one token. Live sockets of it are disconnected. */
export type AccessEnded = { userId: number; keepSession?: string } | { tokenId: string };

export interface AuthOptions {
  now?: () => number;
  /** Failed logins per client address per minute (default 10). */
  maxFailuresPerClient?: number;
  /** Failed logins per user name per minute (default 20). */
  maxFailuresPerUser?: number;
}

export class AuthService {
  private envTokenDigest: string | null = null;
  private readonly byClient: FailureLimiter;
  private readonly byUser: FailureLimiter;
  private readonly now: () => number;
  private setupNeeded = false;
  private setupLock: Promise<unknown> = Promise.resolve();
  private readonly touched = new Map<string, number>();
  private readonly expiries = new Map<string, Date | null>();
  private readonly endedListeners = new Set<(what: AccessEnded) => void>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit?: AuditService,
    opts: AuthOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.byClient = new FailureLimiter(opts.maxFailuresPerClient ?? 10);
    this.byUser = new FailureLimiter(opts.maxFailuresPerUser ?? 20);
  }

  /** Env values win: FLOWHOUSE_ADMIN_PASSWORD (re)sets "admin"; FLOWHOUSE_API_TOKEN is an admin token. */
  async init(opts: { adminPassword?: string; apiToken?: string }): Promise<StartupSecrets> {
    if (opts.adminPassword) {
      const hash = await hashPassword(opts.adminPassword);
      const admin = await findUserByName(this.prisma, "admin");
      if (admin) {
        await updateUserPassword(this.prisma, admin.id, hash);
        if (admin.role !== "admin") await updateUserRole(this.prisma, admin.id, "admin");
      } else {
        await createUser(this.prisma, { username: "admin", passwordHash: hash, role: "admin" });
      }
    }
    this.envTokenDigest = opts.apiToken ? sha256(opts.apiToken) : null;
    this.setupNeeded = (await countUsers(this.prisma)) === 0;
    return { setupRequired: this.setupNeeded, adminFromEnv: Boolean(opts.adminPassword), envToken: Boolean(opts.apiToken) };
  }

  /** True until the first admin exists (setup mode: every page goes to /setup). */
  get setupRequired(): boolean {
    return this.setupNeeded;
  }

  /** Called when sessions or a token end, so live sockets can be closed. */
  onAccessEnded(listener: (what: AccessEnded) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Creates the first admin (once) and logs them in. 410 when a user exists already. */
  async setup(input: { username: string; password: string }, ip: string): Promise<LoginResult> {
    const run = this.setupLock.then(async (): Promise<LoginResult> => {
      if ((await countUsers(this.prisma)) > 0) {
        this.setupNeeded = false;
        throw new AuthInputError("Flowhouse is already set up: log in at /login", 410);
      }
      checkPassword(input.password);
      const user = await createUser(this.prisma, { username: input.username, passwordHash: await hashPassword(input.password), role: "admin" });
      this.setupNeeded = false;
      await this.audit?.record({ actor: user.username, action: "setup", target: `user:${user.username}`, details: { role: "admin" }, ip });
      return this.startSession(user);
    });
    this.setupLock = run.catch(() => undefined);
    return run;
  }

  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const now = this.now();
    const userKey = username.toLowerCase();
    const wait = Math.max(this.byClient.blocked(ip, now), this.byUser.blocked(userKey, now));
    if (wait > 0) {
      await this.audit?.record({ actor: username, action: "login.blocked", target: `user:${username}`, details: { retryInSeconds: wait }, ip });
      return { ok: false, status: 429, error: `Too many failed logins: try again in ${wait} s` };
    }
    const user = await findUserByName(this.prisma, username);
    const ok = user ? await verifyPassword(password, user.passwordHash) : false;
    if (!user || !ok) {
      this.byClient.fail(ip, now);
      this.byUser.fail(userKey, now);
      await this.audit?.record({
        actor: username,
        action: "login.failed",
        target: `user:${username}`,
        details: { reason: user ? "wrong password" : "unknown user" },
        ip,
      });
      return { ok: false, status: 401, error: "Wrong user name or password" };
    }
    this.byClient.succeed(ip);
    this.byUser.succeed(userKey);
    await this.audit?.record({ actor: user.username, action: "login", target: `user:${user.username}`, details: { role: user.role }, ip });
    return this.startSession(user);
  }

  async logout(cookieValue: string, ip = ""): Promise<void> {
    const idHash = sha256(cookieValue);
    const session = await findSession(this.prisma, idHash);
    await deleteSession(this.prisma, idHash);
    if (session) await this.audit?.record({ actor: session.user.username, action: "logout", target: `user:${session.user.username}`, ip });
  }

  /** Who is calling, from the Authorization header or the session cookie; null if nobody. */
  async authenticate(headers: { authorization?: string | null; cookie?: string | null }): Promise<Principal | null> {
    const auth = headers.authorization;
    if (auth && /^Bearer\s+/i.test(auth)) {
      const token = auth.replace(/^Bearer\s+/i, "").trim();
      if (!token || token.length > 500) return null;
      const digest = sha256(token);
      if (this.envTokenDigest && sameDigest(digest, this.envTokenDigest)) {
        return { username: "api-token", role: "admin", via: "token", tokenId: "env" };
      }
      const row = await findTokenByHash(this.prisma, digest);
      if (!row || row.revokedAt || !isRole(row.role)) return null;
      const expiresAt = await this.expiryOf(row.id);
      const now = this.now();
      if (expiresAt && expiresAt.getTime() <= now) return null;
      const last = this.touched.get(row.id) ?? row.lastUsedAt?.getTime() ?? 0;
      if (now - last >= TOKEN_TOUCH_MS) {
        this.touched.set(row.id, now);
        await touchToken(this.prisma, row.id, new Date(now)).catch(() => undefined);
      }
      return { username: `token:${row.name}`, role: row.role, via: "token", tokenId: row.id };
    }
    const cookieValue = readCookie(headers.cookie ?? "", SESSION_COOKIE);
    if (!cookieValue || cookieValue.length > 200) return null;
    const idHash = sha256(cookieValue);
    const session = await findSession(this.prisma, idHash);
    if (!session) return null;
    return { username: session.user.username, role: toRole(session.user.role), via: "session", userId: session.user.id, sessionHash: idHash };
  }

  // ---------- users ----------

  async listUsers(): Promise<UserView[]> {
    return (await listUsers(this.prisma)).map(userView);
  }

  async createUser(input: { username: string; password: string; role: Role }, actor: string, ip: string): Promise<UserView> {
    checkPassword(input.password);
    if (await findUserByName(this.prisma, input.username)) {
      throw new AuthInputError(`The user name '${input.username}' is taken: choose another one`, 409);
    }
    const user = await createUser(this.prisma, { username: input.username, passwordHash: await hashPassword(input.password), role: input.role });
    this.setupNeeded = false;
    await this.audit?.record({ actor, action: "user.create", target: `user:${user.username}`, details: { role: input.role }, ip });
    return userView(user);
  }

  /** Changes role and/or password. Demoting or a new password ends the user's sessions. */
  async updateUser(id: number, change: { role?: Role; password?: string }, actor: string, ip: string): Promise<UserView> {
    const user = await this.userOr404(id);
    const details: Record<string, unknown> = {};
    let endSessions = false;
    if (change.role !== undefined && change.role !== user.role) {
      if (user.role === "admin" && (await countUsersWithRole(this.prisma, "admin")) <= 1) {
        throw new AuthInputError(`'${user.username}' is the last admin: make another user admin first, then change this one`, 409);
      }
      await updateUserRole(this.prisma, id, change.role);
      details.role = { from: user.role, to: change.role };
      // Fewer rights: the open sessions must not keep the old role's live connections.
      if (ROLE_RANK[change.role] < ROLE_RANK[toRole(user.role)]) endSessions = true;
    }
    if (change.password !== undefined) {
      checkPassword(change.password);
      await updateUserPassword(this.prisma, id, await hashPassword(change.password));
      details.passwordReset = true;
      endSessions = true;
    }
    if (endSessions) {
      details.sessionsEnded = await deleteSessionsOfUser(this.prisma, id);
      this.emitEnded({ userId: id });
    }
    if (Object.keys(details).length > 0) {
      await this.audit?.record({ actor, action: "user.update", target: `user:${user.username}`, details, ip });
    }
    return userView((await findUserById(this.prisma, id)) ?? user);
  }

  async deleteUser(id: number, actor: string, ip: string): Promise<void> {
    const user = await this.userOr404(id);
    if (user.role === "admin" && (await countUsersWithRole(this.prisma, "admin")) <= 1) {
      throw new AuthInputError(`'${user.username}' is the last admin and cannot be deleted: make another user admin first`, 409);
    }
    const sessions = await deleteSessionsOfUser(this.prisma, id);
    await deleteUser(this.prisma, id);
    this.emitEnded({ userId: id });
    await this.audit?.record({ actor, action: "user.delete", target: `user:${user.username}`, details: { role: user.role, sessionsEnded: sessions }, ip });
  }

  /** A user changes their own password; their other sessions end, this one stays. */
  async changeOwnPassword(who: Principal, currentPassword: string, newPassword: string, ip: string): Promise<void> {
    if (who.userId === undefined) {
      throw new AuthInputError("API tokens have no password: log in as a user to change your password", 400);
    }
    const user = await this.userOr404(who.userId);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.audit?.record({ actor: user.username, action: "password.change.failed", target: `user:${user.username}`, details: { reason: "wrong current password" }, ip });
      throw new AuthInputError("The current password is wrong: type the password you logged in with", 403);
    }
    checkPassword(newPassword);
    await updateUserPassword(this.prisma, user.id, await hashPassword(newPassword));
    const ended = await deleteSessionsOfUser(this.prisma, user.id, who.sessionHash);
    this.emitEnded({ userId: user.id, keepSession: who.sessionHash });
    await this.audit?.record({ actor: user.username, action: "password.change", target: `user:${user.username}`, details: { otherSessionsEnded: ended }, ip });
  }

  // ---------- API tokens ----------

  async listTokens(): Promise<TokenView[]> {
    const rows = await listTokens(this.prisma);
    return Promise.all(rows.map(async (r) => this.tokenView(r, await this.expiryOf(r.id))));
  }

  /** Creates a token; the returned `token` is the only time it is ever visible. */
  async createToken(input: { name: string; role: Role; expiresAt?: string | null }, actor: string, ip: string): Promise<{ token: string; apiToken: TokenView }> {
    let expiresAt: Date | null = null;
    if (input.expiresAt) {
      expiresAt = new Date(input.expiresAt);
      if (Number.isNaN(expiresAt.getTime())) throw new AuthInputError(`expiresAt '${input.expiresAt}' is not a date`, 400);
      if (expiresAt.getTime() <= this.now()) throw new AuthInputError("expiresAt is in the past: pick a future date or leave it empty for no expiry", 400);
    }
    const token = `fh_${randomToken(30)}`;
    const id = randomToken(9).replace(/[^A-Za-z0-9]/g, "x");
    const row = await insertToken(this.prisma, { id, name: input.name, tokenHash: sha256(token), prefix: token.slice(0, 10), role: input.role, createdBy: actor });
    if (expiresAt) await setTokenExpiry(this.prisma, id, expiresAt);
    this.expiries.set(id, expiresAt);
    await this.audit?.record({
      actor,
      action: "token.create",
      target: `token:${input.name}`,
      details: { id, role: input.role, prefix: row.prefix, expiresAt: expiresAt?.toISOString() ?? null },
      ip,
    });
    return { token, apiToken: this.tokenView(row, expiresAt) };
  }

  async revokeToken(id: string, actor: string, ip: string): Promise<void> {
    const row = await findTokenById(this.prisma, id);
    if (!row) throw new AuthInputError(`No API token with id '${id}': see GET /api/tokens`, 404);
    if (row.revokedAt) return;
    await revokeToken(this.prisma, id, new Date(this.now()));
    this.emitEnded({ tokenId: id });
    await this.audit?.record({ actor, action: "token.revoke", target: `token:${row.name}`, details: { id, role: row.role, prefix: row.prefix }, ip });
  }

  // ---------- internals ----------

  private async startSession(user: UserRecord): Promise<LoginResult> {
    const cookieValue = randomToken(32);
    const expiresAt = new Date(this.now() + SESSION_TTL_MS);
    await createSession(this.prisma, { idHash: sha256(cookieValue), userId: user.id, expiresAt });
    return {
      ok: true,
      cookieValue,
      expiresAt,
      principal: { username: user.username, role: toRole(user.role), via: "session", userId: user.id, sessionHash: sha256(cookieValue) },
    };
  }

  private async userOr404(id: number): Promise<UserRecord> {
    const user = await findUserById(this.prisma, id);
    if (!user) throw new AuthInputError(`No user with id ${id}: see GET /api/users`, 404);
    return user;
  }

  private async expiryOf(id: string): Promise<Date | null> {
    if (this.expiries.has(id)) return this.expiries.get(id) ?? null;
    const e = await getTokenExpiry(this.prisma, id);
    if (this.expiries.size > 10_000) this.expiries.clear();
    this.expiries.set(id, e);
    return e;
  }

  private tokenView(r: ApiTokenRecord, expiresAt: Date | null): TokenView {
    const status = r.revokedAt ? "revoked" : expiresAt && expiresAt.getTime() <= this.now() ? "expired" : "active";
    return {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      role: toRole(r.role),
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      expiresAt: expiresAt?.toISOString() ?? null,
      status,
    };
  }

  private emitEnded(what: AccessEnded): void {
    for (const l of this.endedListeners) {
      try {
        l(what);
      } catch {
        // a listener's failure must not undo the change
      }
    }
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AuthInputError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`, 400);
  }
}

function toRole(role: string): Role {
  return isRole(role) ? role : "viewer";
}

function userView(u: UserRecord): UserView {
  return { id: u.id, username: u.username, role: toRole(u.role), createdAt: u.createdAt.toISOString() };
}
