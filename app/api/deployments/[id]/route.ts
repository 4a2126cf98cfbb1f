import { route, json, HttpError } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One deployment with its flow document. */
export const GET = route("editor", async ({ app, req }) => {
  const raw = decodeURIComponent(new URL(req.url).pathname.split("/").at(-1) ?? "");
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new HttpError(400, `'${raw}' is not a deployment id: use an id from GET /api/deployments`);
  return json(await app.flows.getDeployment(id));
});
