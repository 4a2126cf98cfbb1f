/**
 * The Flowhouse flow document: what the editor edits, what the draft stores and what a
 * Deployment snapshots. Pure (no Node APIs): imported by the browser and the server.
 *
 * Node configuration keeps Node-RED's field names (`op1`, `duration`, `bytopic`, ...) so a
 * flows.json node maps to a FlowNode by moving its fields into `config`, and back.
 * The document schema accepts any `type` and any config: per-type validation happens in
 * `validate.ts` against each node definition, so an unknown type is preserved, not dropped.
 */
import { z } from "zod";

export const SCHEMA_VERSION = 1;

export const nodeIdSchema = z
  .string()
  .min(1, "node id must not be empty")
  .max(100, "node id is longer than 100 characters");

export const flowNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1, "node type must not be empty"),
  name: z.string().default(""),
  x: z.number().finite().default(0),
  y: z.number().finite().default(0),
  /** wires[port] = ids of the nodes that port sends to (Node-RED's layout). */
  wires: z.array(z.array(nodeIdSchema)).default([]),
  disabled: z.boolean().default(false),
  /** Type-specific configuration, Node-RED field names. Validated per type in validate.ts. */
  config: z.record(z.string(), z.unknown()).default({}),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

/** A node that lives outside any tab (e.g. `mqtt-broker`) and is referenced by id. */
export const configNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1),
  name: z.string().default(""),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type ConfigNode = z.infer<typeof configNodeSchema>;

export const flowSchema = z.object({
  id: nodeIdSchema,
  name: z.string().min(1, "flow name must not be empty").max(200),
  disabled: z.boolean().default(false),
  info: z.string().default(""),
  nodes: z.array(flowNodeSchema).default([]),
});
export type Flow = z.infer<typeof flowSchema>;

export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION).default(SCHEMA_VERSION),
  flows: z.array(flowSchema),
  configNodes: z.array(configNodeSchema).default([]),
});
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
/** Input form (defaults not yet applied): what API clients may send. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;

export function emptyDocument(): FlowDocument {
  return { schemaVersion: SCHEMA_VERSION, flows: [], configNodes: [] };
}
