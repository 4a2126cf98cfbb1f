import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** No auth: for uptime checks. 200 when the default broker is connected, else 503. */
export const GET = route("public", async ({ app }) => {
  const health = app.health();
  return json(health, health.ok ? 200 : 503);
});
