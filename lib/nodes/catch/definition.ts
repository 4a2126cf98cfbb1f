/** catch: receives the errors of nodes in its flow (all, or the listed ones) as msg.error. */
import { z } from "zod";
import { defineNode } from "../types";
import { scopeLabel, scopeSchema } from "../shared/scope";

export const catchConfigSchema = z
  .object({
    scope: scopeSchema,
    uncaught: z
      .preprocess((v) => v === true || v === "true", z.boolean())
      .default(false)
      .meta({ title: "Only uncaught", description: "Kept for Node-RED compatibility; Flowhouse sends every error to every matching catch node." }),
  })
  .loose();

export const catchDefinition = defineNode({
  type: "catch",
  category: "common",
  paletteLabel: "catch",
  color: "#e49191",
  inputs: 0,
  outputs: () => 1,
  config: catchConfigSchema,
  label: (c) => scopeLabel("catch", c.scope),
  help:
    "Receives the errors that nodes in this flow report, as a message with msg.error = {message, source: {id, type, name}} " +
    "and the properties of the message that failed. Scope: all nodes of the flow, or the listed node ids.",
});
