import { z } from "zod";
import { route, json, parseBody } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const time = z
  .string()
  .transform((v, ctx) => {
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: "custom", message: `'${v}' is not a time: give milliseconds since 1970 or an ISO date` });
      return z.NEVER;
    }
    return n;
  })
  .optional();

const querySchema = z.object({
  broker: z.string().default(""),
  topic: z.string().min(1, "give ?topic=<topic name>"),
  path: z.string().default(""),
  from: time,
  to: time,
  points: z.coerce.number().int().min(1).max(5000).default(500),
});

/** Downsampled numeric history of a topic (or a JSON path in it), including the current bucket. */
export const GET = route("viewer", async ({ app, req }) => {
  const q = parseBody(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 24 * 3600_000;
  return json(await app.monitor.readHistory({ broker: q.broker, topic: q.topic, path: q.path, from, to, points: q.points }));
});
