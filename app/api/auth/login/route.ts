import { route, json, jsonError, readJson, parseBody } from "@/lib/server/route-helpers";
import { loginRequestSchema } from "@/lib/api/schemas";
import { sessionCookie } from "@/lib/server/session-cookie";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Logs in (rate-limited per address and per user name; audited) and sets the session cookie. */
export const POST = route("public", async ({ app, req, ip }) => {
  const body = parseBody(loginRequestSchema, await readJson(req, 10_000));
  const result = await app.auth.login(body.username, body.password, ip || "unknown");
  if (!result.ok) return jsonError(result.status, result.error);
  const secure = new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  return json(
    { user: { username: result.principal.username, role: result.principal.role } },
    200,
    { "set-cookie": sessionCookie(result.cookieValue, result.expiresAt, secure) },
  );
});
