import { route, json } from "@/lib/server/route-helpers";
import type { MeResponse } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Who is calling: user name, role, and whether through a session or a token. */
export const GET = route("viewer", async ({ app, req, user, role }) => {
  const principal = await app.auth.authenticate({ authorization: req.headers.get("authorization"), cookie: req.headers.get("cookie") });
  const body: MeResponse = { user: { username: user, role: role ?? "viewer" }, via: principal?.via ?? "session" };
  return json(body);
});
