import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route("editor", async ({ app }) => json(await app.flows.listDeployments()));
