import { route, json } from "@/lib/server/route-helpers";
import { clearedSessionCookie, readCookie, SESSION_COOKIE } from "@/lib/server/session-cookie";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Ends the session server-side (the cookie stops working even if kept). */
export const POST = route("viewer", async ({ app, req, ip }) => {
  const value = readCookie(req.headers.get("cookie") ?? "", SESSION_COOKIE);
  if (value) await app.auth.logout(value, ip);
  return json({ ok: true }, 200, { "set-cookie": clearedSessionCookie() });
});
