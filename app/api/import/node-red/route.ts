import { route, json, readJson } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Body: a Node-RED flows.json array. Replaces the draft like a Node-RED full deploy; `?deploy=1` also deploys. */
export const POST = route("editor", async ({ app, req, user }) => {
  const deploy = ["1", "true", "yes"].includes(new URL(req.url).searchParams.get("deploy") ?? "");
  return json(await app.flows.importNodeRed(await readJson(req), { deploy, user }));
});
