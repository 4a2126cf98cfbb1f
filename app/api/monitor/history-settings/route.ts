import { route, json, parseBody, readJson } from "@/lib/server/route-helpers";
import { historySettingsInputSchema } from "@/lib/monitor/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route("viewer", async ({ app }) => json(app.monitor.historySettings()));

/** Changes which numeric topics are recorded, the retention and the bucket size (fields left out stay). */
export const PUT = route("editor", async ({ app, req }) => {
  const body = parseBody(historySettingsInputSchema, await readJson(req));
  return json(await app.monitor.setHistorySettings(body));
});
