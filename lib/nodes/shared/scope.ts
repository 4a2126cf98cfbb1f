/** Node-RED's `scope` field of catch / status / complete nodes. Pure. */
import { z } from "zod";

/** null (or "all"/"flow" in old flows) = every node of the flow; an array = those node ids. */
export const scopeSchema = z
  .preprocess((v) => (v === undefined || v === "all" || v === "flow" || v === "" ? null : v), z.array(z.string()).nullable())
  .default(null)
  .meta({ title: "Scope", description: "Empty: every node of this flow. Otherwise the ids of the nodes to watch." });

export function scopeLabel(kind: string, scope: readonly string[] | null): string {
  return scope === null ? `${kind}: all` : `${kind}: ${scope.length}`;
}
