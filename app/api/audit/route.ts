import { route, json, parseBody } from "@/lib/server/route-helpers";
import { auditQuerySchema, type AuditListResponse } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The audit log, newest first: ?limit (≤ 500), ?before=<id> for the next page, ?action= filter ("user." for a group). */
export const GET = route("admin", async ({ app, req }) => {
  const q = parseBody(auditQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
  const body: AuditListResponse = await app.audit.list(q);
  return json(body);
});
