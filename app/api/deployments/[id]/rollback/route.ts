import { route, json, HttpError } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** That deployment's document becomes the draft; deploy it to run it. */
export const POST = route("editor", async ({ app, req, user, ip }) => {
  const raw = decodeURIComponent(new URL(req.url).pathname.split("/").at(-2) ?? "");
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new HttpError(400, `'${raw}' is not a deployment id: use an id from GET /api/deployments`);
  const draft = await app.flows.rollback(id);
  await app.audit.record({ actor: user, action: "rollback", target: `deployment:${id}`, details: { deploymentId: id, note: "the deployment's flows are now the draft" }, ip });
  return json(draft);
});
