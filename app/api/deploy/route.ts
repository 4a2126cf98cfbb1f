import { route, json, readJson, parseBody } from "@/lib/server/route-helpers";
import { deployRequestSchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Deploys the draft: 200 with what changed, or 422 with the validation issues. */
export const POST = route("editor", async ({ app, req, user }) => {
  const body = parseBody(deployRequestSchema, await readJson(req, 10_000, { optional: true }));
  return json(await app.flows.deploy({ note: body.note, user }));
});
