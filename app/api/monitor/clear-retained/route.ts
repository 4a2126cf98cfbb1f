import { route, json, parseBody, readJson } from "@/lib/server/route-helpers";
import { clearRetainedRequestSchema } from "@/lib/monitor/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Lists (dryRun) or clears the retained messages of one topic or a subtree. */
export const POST = route("editor", async ({ app, req }) => {
  const body = parseBody(clearRetainedRequestSchema, await readJson(req));
  return json(await app.monitor.clearRetained(body));
});
