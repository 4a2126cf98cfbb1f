import { route, json, jsonError } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The button on an inject node. */
export const POST = route("editor", async ({ app, req }) => {
  const id = decodeURIComponent(new URL(req.url).pathname.split("/").at(-2) ?? "");
  if (!app.runtime.triggerNode(id)) {
    return jsonError(404, `No running inject node '${id}': deploy the flow first`);
  }
  return json({ ok: true });
});
