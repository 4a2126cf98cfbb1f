import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Revokes a token: it stops working at once (its live sockets are disconnected). */
export const DELETE = route("admin", async ({ app, req, user, ip }) => {
  const id = decodeURIComponent(new URL(req.url).pathname.split("/").at(-1) ?? "");
  await app.auth.revokeToken(id, user, ip);
  return json({ revoked: true });
});
