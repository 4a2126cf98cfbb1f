import { route, json, readJson } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route("editor", async ({ app }) => json(await app.flows.getDraft()));

/** Replaces the draft (Flowhouse format). Validation problems come back in `issues`. */
export const PUT = route("editor", async ({ app, req }) => json(await app.flows.saveDraft(await readJson(req))));
