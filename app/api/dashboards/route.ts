import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route("viewer", async ({ app }) => json(await app.dashboards.list()));
