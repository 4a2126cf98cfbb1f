import { route, json, readJson, parseBody } from "@/lib/server/route-helpers";
import { deployRequestSchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function isDryRun(req: Request): boolean {
  const v = new URL(req.url).searchParams.get("dryRun");
  return v !== null && v !== "0" && v !== "false";
}

/**
 * Deploys the draft: 200 with what changed, or 422 with the validation issues.
 * `?dryRun=1`: 200 with what would change and the issues; nothing is stored or deployed.
 */
export const POST = route("editor", async ({ app, req, user, ip }) => {
  if (isDryRun(req)) return json(await app.flows.previewDeploy());
  const body = parseBody(deployRequestSchema, await readJson(req, 10_000, { optional: true }));
  const result = await app.flows.deploy({ note: body.note, user });
  await app.audit.record({
    actor: user,
    action: "deploy",
    target: `deployment:${result.deployment.id}`,
    details: { deploymentId: result.deployment.id, nodes: result.deployment.nodeCount, note: body.note, added: result.changes.added.length, changed: result.changes.changed.length, removed: result.changes.removed.length },
    ip,
  });
  return json(result);
});
