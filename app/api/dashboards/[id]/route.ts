import { route, json, readJson } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return route("viewer", async ({ app }) => json(await app.dashboards.get(id)))(req);
}

/** Creates or replaces the dashboard (editor role). */
export async function PUT(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return route("editor", async ({ app, req: r }) => json(await app.dashboards.save(id, await readJson(r))))(req);
}

export async function DELETE(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return route("editor", async ({ app }) => {
    await app.dashboards.delete(id);
    return json({ deleted: true });
  })(req);
}
