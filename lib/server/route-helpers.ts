/**
 * Helpers for thin route handlers (standard Request/Response, no Next imports): reach the
 * process singletons, read a bounded JSON body, turn known errors into 4xx JSON.
 * A route handler is: parse → authorize → call one app method → respond.
 */
import type { z } from "zod";
import type { FlowhouseApp } from "./app";
import { getApp } from "./registry";
import { isUserInputError } from "./flow-service";
import type { Role } from "./auth";

export const MAX_JSON_BYTES = 5 * 1024 * 1024;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function jsonError(status: number, error: string, details?: unknown): Response {
  return json(details === undefined ? { error } : { error, details }, status);
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON body, bounded in size; throws HttpError 400/413 with a readable message. */
export async function readJson(
  req: Request,
  maxBytes = MAX_JSON_BYTES,
  opts: { optional?: boolean } = {},
): Promise<unknown> {
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new HttpError(413, `Request body too large: the limit is ${maxBytes} bytes`);
  if (text.trim() === "") {
    if (opts.optional) return undefined;
    throw new HttpError(400, "Request body is empty: send JSON");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `Request body is not valid JSON: ${(err as Error).message}`);
  }
}

export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HttpError(
      400,
      "Invalid request body: " + parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** The client's address as server.ts saw it on the socket (never from a client header). */
export function clientIp(req: Request): string {
  return req.headers.get("x-flowhouse-client") ?? "";
}

/** The caller, as server.ts's gate authenticated it. */
export function caller(req: Request): { username: string; role: Role } | null {
  const username = req.headers.get("x-flowhouse-user");
  const role = req.headers.get("x-flowhouse-role") as Role | null;
  return username && role && role in RANK ? { username, role } : null;
}

/**
 * Wraps a handler: 503 until the app is up, role check, and known errors → 4xx JSON.
 * Anything else is logged and answered 500 without internals.
 */
export function route(
  minRole: Role | "public",
  handler: (ctx: { app: FlowhouseApp; req: Request; user: string; role: Role | null; ip: string }) => Promise<Response>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const app = getApp();
    if (!app) return jsonError(503, "Flowhouse is starting or stopping: try again in a moment");
    let user = "";
    let role: Role | null = null;
    if (minRole !== "public") {
      const who = caller(req);
      if (!who) return jsonError(401, "Not logged in: send 'Authorization: Bearer <API token>' or log in at /login");
      if (RANK[who.role] < RANK[minRole]) {
        return jsonError(403, `${req.method} ${new URL(req.url).pathname} needs the ${minRole} role; you are ${who.role === "viewer" ? "a viewer" : `an ${who.role}`}. Ask an admin for more rights.`);
      }
      user = who.username;
      role = who.role;
    }
    try {
      return await handler({ app, req, user, role, ip: clientIp(req) });
    } catch (err) {
      if (err instanceof HttpError) return jsonError(err.status, err.message, err.details);
      if (isUserInputError(err)) return jsonError(err.status, err.message, err.details);
      console.error(`[flowhouse] error: ${req.method} ${new URL(req.url).pathname}: ${(err as Error).stack ?? String(err)}`);
      return jsonError(500, "Internal error: see the server log");
    }
  };
}
