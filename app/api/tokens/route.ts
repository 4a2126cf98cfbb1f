import { route, json, readJson, parseBody } from "@/lib/server/route-helpers";
import { tokenCreateSchema, type TokenCreatedResponse, type TokenListResponse } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route("admin", async ({ app }) => {
  const body: TokenListResponse = { tokens: await app.auth.listTokens() };
  return json(body);
});

/** Creates an API token; the answer holds the token itself, the only time it is visible. */
export const POST = route("admin", async ({ app, req, user, ip }) => {
  const body = parseBody(tokenCreateSchema, await readJson(req, 10_000));
  const created: TokenCreatedResponse = await app.auth.createToken(body, user, ip);
  return json(created, 201);
});
