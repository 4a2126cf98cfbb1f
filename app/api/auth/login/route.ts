import { route, json, jsonError, readJson, parseBody } from "@/lib/server/route-helpers";
import { loginRequestSchema } from "@/lib/api/schemas";
import { sessionCookie } from "@/lib/server/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route("public", async ({ app, req }) => {
  const body = parseBody(loginRequestSchema, await readJson(req, 10_000));
  const client = req.headers.get("x-flowhouse-client") ?? "unknown";
  const result = await app.auth.login(body.username, body.password, client);
  if (!result.ok) return jsonError(result.status, result.error);
  const secure = new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  return json(
    { user: { username: result.principal.username, role: result.principal.role } },
    200,
    { "set-cookie": sessionCookie(result.cookieValue, result.expiresAt, secure) },
  );
});
