import { route, json, parseBody, readJson } from "@/lib/server/route-helpers";
import { publishRequestSchema, type PublishResponse, type PublishedListResponse } from "@/lib/monitor/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Publish a message (topic validated; payload as text, JSON, hex or base64). */
export const POST = route("editor", async ({ app, req, user }) => {
  const body = parseBody(publishRequestSchema, await readJson(req));
  const response: PublishResponse = { published: await app.monitor.publish(body, user) };
  return json(response);
});

/** The last publishes made through the API (newest first). */
export const GET = route("viewer", async ({ app }) => {
  const response: PublishedListResponse = { published: app.monitor.recentPublishes() };
  return json(response);
});
