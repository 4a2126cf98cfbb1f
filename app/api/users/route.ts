import { route, json, readJson, parseBody } from "@/lib/server/route-helpers";
import { userCreateSchema, type UserListResponse } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route("admin", async ({ app }) => {
  const body: UserListResponse = { users: await app.auth.listUsers() };
  return json(body);
});

/** Creates a user with a role and an initial password (≥ 10 characters). */
export const POST = route("admin", async ({ app, req, user, ip }) => {
  const body = parseBody(userCreateSchema, await readJson(req, 10_000));
  return json(await app.auth.createUser(body, user, ip), 201);
});
