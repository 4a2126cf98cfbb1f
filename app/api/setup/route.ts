import { route, json, readJson, parseBody } from "@/lib/server/route-helpers";
import { setupRequestSchema } from "@/lib/api/schemas";
import { sessionCookie } from "@/lib/server/session-cookie";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * First start: creates the admin account once and logs it in. server.ts lets this through
 * only from the machine itself (loopback, no proxy headers); afterwards it answers 410.
 */
export const POST = route("public", async ({ app, req, ip }) => {
  if (!app.auth.setupRequired) return json({ error: "Flowhouse is already set up: log in at /login" }, 410);
  const body = parseBody(setupRequestSchema, await readJson(req, 10_000));
  const result = await app.auth.setup({ username: body.username, password: body.password }, ip);
  if (!result.ok) return json({ error: result.error }, result.status);
  const secure = new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  return json(
    { user: { username: result.principal.username, role: result.principal.role } },
    201,
    { "set-cookie": sessionCookie(result.cookieValue, result.expiresAt, secure) },
  );
});
