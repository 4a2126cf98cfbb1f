import { route, json } from "@/lib/server/route-helpers";
import type { BrokerListResponse } from "@/lib/monitor/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The brokers the monitor can watch: the default one and the deployment's mqtt-broker config nodes. */
export const GET = route("viewer", async ({ app }) => {
  const body: BrokerListResponse = { brokers: app.monitor.brokers() };
  return json(body);
});
