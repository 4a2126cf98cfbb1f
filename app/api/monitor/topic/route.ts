import { z } from "zod";
import { route, json, parseBody, HttpError } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.object({
  broker: z.string().default(""),
  topic: z.string().min(1, "give ?topic=<topic name>"),
});

/** One topic's stats and history ring. */
export const GET = route("viewer", async ({ app, req }) => {
  const q = parseBody(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  const detail = await app.monitor.topicDetail(q.broker, q.topic);
  if (!detail) throw new HttpError(404, `No message on '${q.topic}' has been seen since the server started`);
  return json(detail);
});
