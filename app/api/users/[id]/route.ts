import { route, json, readJson, parseBody, HttpError } from "@/lib/server/route-helpers";
import { userUpdateSchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function userId(req: Request): number {
  const raw = decodeURIComponent(new URL(req.url).pathname.split("/").at(-1) ?? "");
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new HttpError(400, `'${raw}' is not a user id: use an id from GET /api/users`);
  return id;
}

/** Changes a user's role and/or resets the password (demoting or resetting ends their sessions). */
export const PATCH = route("admin", async ({ app, req, user, ip }) => {
  const id = userId(req);
  const body = parseBody(userUpdateSchema, await readJson(req, 10_000));
  return json(await app.auth.updateUser(id, body, user, ip));
});

/** Deletes a user and ends their sessions; never the last admin. */
export const DELETE = route("admin", async ({ app, req, user, ip }) => {
  await app.auth.deleteUser(userId(req), user, ip);
  return json({ deleted: true });
});
