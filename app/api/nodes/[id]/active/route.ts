import { route, json, jsonError, readJson, parseBody } from "@/lib/server/route-helpers";
import { nodeActiveRequestSchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Turns a running debug node's sidebar output on or off without a deploy (Node-RED's
 * debug toggle). The draft's `config.active` is the editor's business.
 */
export const POST = route("editor", async ({ app, req }) => {
  const id = decodeURIComponent(new URL(req.url).pathname.split("/").at(-2) ?? "");
  const body = parseBody(nodeActiveRequestSchema, await readJson(req, 1000));
  if (!app.runtime.setNodeActive(id, body.active)) {
    return jsonError(404, `No running debug node '${id}': deploy the flow first (the toggle is saved in the draft either way)`);
  }
  return json({ ok: true, active: body.active });
});
