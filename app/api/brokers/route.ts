import { route, json, readJson } from "@/lib/server/route-helpers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Every broker with its health and warnings (viewer). Secrets are never returned. */
export const GET = route("viewer", async ({ app }) => json(await app.brokers.list()));

/** Adds a broker (admin): BrokerInput (lib/brokers/schema.ts) → BrokerView, 201. Connects at once. */
export const POST = route("admin", async ({ app, req, user }) =>
  json(await app.brokers.create(await readJson(req, 512 * 1024), { actor: user, ip: req.headers.get("x-flowhouse-client") ?? undefined }), 201),
);
