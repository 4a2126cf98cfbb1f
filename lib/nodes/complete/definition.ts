/** complete: receives a copy of each message a watched node finished handling. */
import { z } from "zod";
import { defineNode } from "../types";
import { scopeSchema } from "../shared/scope";

export const completeConfigSchema = z
  .object({
    scope: scopeSchema.refine((s) => s !== null && s.length > 0, {
      message: "scope must list at least one node: choose the nodes whose completion you want",
    }),
    uncaught: z.unknown().optional(),
  })
  .loose();

export const completeDefinition = defineNode({
  type: "complete",
  category: "common",
  paletteLabel: "complete",
  color: "#c0edc0",
  inputs: 0,
  outputs: () => 1,
  config: completeConfigSchema,
  label: (c) => `complete: ${c.scope?.length ?? 0}`,
  help: "Sends a copy of each message that one of the listed nodes has finished handling without an error.",
});
