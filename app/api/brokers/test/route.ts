import { route, json, readJson } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Connects once with the given settings (admin; ≤ 5 s): {ok, ms} or {ok:false, error} in words. */
export const POST = route("admin", async ({ app, req }) => json(await app.brokers.test(await readJson(req, 512 * 1024))));
