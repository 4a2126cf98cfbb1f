import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The draft as a Node-RED flows.json array (`?source=deployed` for the running deployment). */
export const GET = route("editor", async ({ app, req }) => {
  const source = new URL(req.url).searchParams.get("source") === "deployed" ? "deployed" : "draft";
  return json(await app.flows.exportNodeRed(source), 200, {
    "content-disposition": `attachment; filename="flows.json"`,
  });
});
