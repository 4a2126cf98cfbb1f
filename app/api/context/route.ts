import { route, json } from "@/lib/server/route-helpers";
import type { ContextResponse } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Node, flow and global context as the runtime holds it (persisted across restarts). */
export const GET = route("editor", async ({ app }) => {
  const values = app.runtime.context.snapshot().sort((a, b) =>
    `${a.scope}/${a.scopeId}/${a.key}`.localeCompare(`${b.scope}/${b.scopeId}/${b.key}`),
  );
  const body: ContextResponse = { values };
  return json(body);
});
