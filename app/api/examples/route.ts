import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The example flows shipped in flows/ (name, title, description). */
export const GET = route("editor", async ({ app }) => json(await app.flows.listExamples()));
