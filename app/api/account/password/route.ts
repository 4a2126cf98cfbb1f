import { route, json, readJson, parseBody, HttpError } from "@/lib/server/route-helpers";
import { passwordChangeSchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Changes the caller's own password (needs the current one); their other sessions end. */
export const POST = route("viewer", async ({ app, req, ip }) => {
  const body = parseBody(passwordChangeSchema, await readJson(req, 10_000));
  const principal = await app.auth.authenticate({ authorization: req.headers.get("authorization"), cookie: req.headers.get("cookie") });
  if (!principal) throw new HttpError(401, "Not logged in: log in at /login");
  await app.auth.changeOwnPassword(principal, body.currentPassword, body.newPassword, ip);
  return json({ ok: true });
});
