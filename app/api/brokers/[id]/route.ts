import { route, json, readJson } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return route("viewer", async ({ app }) => json(await app.brokers.get(id)))(req);
}

/** Replaces the broker (admin) and reconnects it; a secret left out stays as it is. On a flow's mqtt-broker node: "Save as broker". */
export async function PUT(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return route("admin", async ({ app, req: r, user }) =>
    json(await app.brokers.update(id, await readJson(r, 512 * 1024), { actor: user, ip: r.headers.get("x-flowhouse-client") ?? undefined })),
  )(req);
}

/** Deletes the broker (admin): 409 naming the deployed nodes that still use it. */
export async function DELETE(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return route("admin", async ({ app, req: r, user }) => {
    await app.brokers.remove(id, { actor: user, ip: r.headers.get("x-flowhouse-client") ?? undefined });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  })(req);
}
