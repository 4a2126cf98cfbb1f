import { z } from "zod";
import { route, json, parseBody } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.object({
  broker: z.string().default(""),
  prefix: z.string().default(""),
  q: z.string().max(500).default(""),
  sys: z.enum(["0", "1", "true", "false"]).default("1"),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(50_000).default(1000),
});

/** Snapshot of the topic tree (sorted by topic, paginated) with per-subtree counts of the prefix's children. */
export const GET = route("viewer", async ({ app, req }) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const q = parseBody(querySchema, params);
  return json(app.monitor.tree({ ...q, sys: q.sys === "1" || q.sys === "true" }));
});
