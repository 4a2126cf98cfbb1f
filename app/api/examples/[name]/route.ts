import { route, json } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One example as a Node-RED flows.json array. */
export const GET = route("editor", async ({ app, req }) => {
  const name = decodeURIComponent(new URL(req.url).pathname.split("/").at(-1) ?? "");
  return json(await app.flows.getExample(name));
});
