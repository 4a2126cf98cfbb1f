import { z } from "zod";
import { route, json, parseBody, readJson } from "@/lib/server/route-helpers";
import { topicUpdateSchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.object({
  q: z.string().max(500).default(""),
  broker: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The topic catalogue: every topic seen, most recent first (for autocomplete). */
export const GET = route("viewer", async ({ app, req }) => {
  const q = parseBody(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  return json(await app.monitor.listTopics(q));
});

/** Sets a topic's description and unit. */
export const PATCH = route("editor", async ({ app, req }) => {
  const body = parseBody(topicUpdateSchema, await readJson(req));
  return json(await app.monitor.updateTopic(body));
});
