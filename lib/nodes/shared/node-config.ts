/**
 * A node's factory re-checks its config with its own schema: the runtime normally hands it
 * a config the deploy already validated, but a node must never run on a config it cannot
 * read. On failure the problem is reported once, with every field, and the badge says so.
 */
import type { z } from "zod";
import type { NodeServices } from "../../runtime/node-api";

export type ParsedNodeConfig<T> = { ok: true; config: T } | { ok: false; error: Error };

/** `who` is the node as people know it: "Node 'Garage light' (trigger)". */
export function parseNodeConfig<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  services: NodeServices,
  who: string,
): ParsedNodeConfig<z.output<S>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
  const error = new Error(`${who}: invalid configuration — ${problems}. Fix it in the node's properties and deploy again.`);
  services.error(error);
  services.status({ fill: "red", shape: "ring", text: "invalid configuration" });
  return { ok: false, error };
}
