/**
 * Authentication: one admin account (password from FLOWHOUSE_ADMIN_PASSWORD or generated at
 * first start and printed once), browser sessions in an httpOnly SameSite=Strict cookie
 * (stored hashed, invalidated on logout), and a bearer API token for scripts
 * (FLOWHOUSE_API_TOKEN, or generated at first start and printed once; stored hashed).
 */
import type { PrismaClient } from "../../generated/prisma/client";
import { countUsers, createSession, createUser, deleteSession, findSession, findUserByName, updateUserPassword } from "../db/user-repo";
import { getSetting, setSetting } from "../db/settings-repo";
import { hashPassword, randomToken, sameDigest, sha256, verifyPassword } from "./passwords";

export const SESSION_COOKIE = "flowhouse_session";
const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const API_TOKEN_SETTING = "apiTokenSha256";

export type Role = "admin" | "editor" | "viewer";
export interface Principal {
  username: string;
  role: Role;
  via: "session" | "token";
}

export interface StartupSecrets {
  /** Set only when the admin password was generated now: print it once. */
  generatedAdminPassword?: string;
  /** Set only when the API token was generated now: print it once. */
  generatedApiToken?: string;
}

/** Fixed-window login limiter per client address: 10 failures per minute. */
class LoginLimiter {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();
  constructor(private readonly max = 10, private readonly windowMs = 60_000) {}
  blocked(key: string, now: number): number {
    const f = this.failures.get(key);
    if (!f || now - f.windowStart >= this.windowMs) return 0;
    return f.count >= this.max ? Math.ceil((f.windowStart + this.windowMs - now) / 1000) : 0;
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

export class AuthService {
  private apiTokenDigest: string | null = null;
  private readonly limiter = new LoginLimiter();

  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the admin account and API token on first start; env values always win. */
  async init(opts: { adminPassword?: string; apiToken?: string }): Promise<StartupSecrets> {
    const secrets: StartupSecrets = {};
    const admin = await findUserByName(this.prisma, "admin");
    if (opts.adminPassword) {
      const hash = await hashPassword(opts.adminPassword);
      if (admin) await updateUserPassword(this.prisma, admin.id, hash);
      else await createUser(this.prisma, { username: "admin", passwordHash: hash, role: "admin" });
    } else if (!admin && (await countUsers(this.prisma)) === 0) {
      const password = randomToken(12);
      await createUser(this.prisma, { username: "admin", passwordHash: await hashPassword(password), role: "admin" });
      secrets.generatedAdminPassword = password;
    }
    if (opts.apiToken) {
      this.apiTokenDigest = sha256(opts.apiToken);
    } else {
      const stored = await getSetting(this.prisma, API_TOKEN_SETTING);
      if (stored) this.apiTokenDigest = stored;
      else {
        const token = `fh_${randomToken(24)}`;
        this.apiTokenDigest = sha256(token);
        await setSetting(this.prisma, API_TOKEN_SETTING, this.apiTokenDigest);
        secrets.generatedApiToken = token;
      }
    }
    return secrets;
  }

  async login(username: string, password: string, clientKey: string): Promise<LoginResult> {
    const now = Date.now();
    const wait = this.limiter.blocked(clientKey, now);
    if (wait > 0) return { ok: false, status: 429, error: `Too many failed logins: try again in ${wait} s` };
    const user = await findUserByName(this.prisma, username);
    const ok = user ? await verifyPassword(password, user.passwordHash) : false;
    if (!user || !ok) {
      this.limiter.fail(clientKey, now);
      return { ok: false, status: 401, error: "Wrong user name or password" };
    }
    this.limiter.succeed(clientKey);
    const cookieValue = randomToken(32);
    const expiresAt = new Date(now + SESSION_TTL_MS);
    await createSession(this.prisma, { idHash: sha256(cookieValue), userId: user.id, expiresAt });
    return { ok: true, cookieValue, expiresAt, principal: { username: user.username, role: toRole(user.role), via: "session" } };
  }

  async logout(cookieValue: string): Promise<void> {
    await deleteSession(this.prisma, sha256(cookieValue));
  }

  /** Who is calling, from the Authorization header or the session cookie; null if nobody. */
  async authenticate(headers: { authorization?: string | null; cookie?: string | null }): Promise<Principal | null> {
    const auth = headers.authorization;
    if (auth && /^Bearer\s+/i.test(auth)) {
      const token = auth.replace(/^Bearer\s+/i, "").trim();
      if (this.apiTokenDigest && sameDigest(sha256(token), this.apiTokenDigest)) {
        return { username: "api-token", role: "admin", via: "token" };
      }
      return null;
    }
    const cookieValue = readCookie(headers.cookie ?? "", SESSION_COOKIE);
    if (!cookieValue) return null;
    const session = await findSession(this.prisma, sha256(cookieValue));
    if (!session) return null;
    return { username: session.user.username, role: toRole(session.user.role), via: "session" };
  }
}

function toRole(role: string): Role {
  return role === "viewer" || role === "editor" ? role : "admin";
}

export function readCookie(header: string, name: string): string | null {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function sessionCookie(value: string, expiresAt: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Expires=${expiresAt.toUTCString()}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
