/**
 * What a node type declares (pure, browser-safe). One folder per type under lib/nodes/
 * holds `definition.ts` (exports a NodeDefinition), `runtime.ts` (exports a NodeFactory,
 * server only) and tests. Registries: `registry.ts` (definitions) and
 * `runtime-registry.ts` (factories).
 */
import type { z } from "zod";

export type NodeCategory = "network" | "common" | "function" | "config";

/**
 * Per-field hints for the generated property form, keyed by config field name. Anything not
 * listed here is still rendered from the zod schema (string → text, number → number,
 * boolean → checkbox, enum → select); `title`/`description` come from zod `.meta()`.
 */
export interface FieldHint {
  /** Render as a "typed input": this field holds the value, `typeField` holds its type. */
  typeField?: string;
  /** Types offered in the typed-input select, in order (Node-RED names: str, num, msg, ...). */
  types?: readonly string[];
  /** Show only when another field has one of these values. */
  showWhen?: { field: string; equals: readonly (string | number | boolean)[] };
  /** Rendered as a select of config nodes of this type (e.g. "mqtt-broker"). */
  configNodeType?: string;
  /** Hide from the form (the value is kept). */
  hidden?: boolean;
  /** A topic field: the editor offers autocomplete. "filter" allows wildcards. */
  topic?: "filter" | "publish";
  /** The unit shown after the input ("s", "ms"). */
  unit?: string;
  multiline?: boolean;
}

export interface NodeDefinition<S extends z.ZodType = z.ZodType> {
  /** Node-RED's type name, kept for flows.json compatibility: "mqtt in", "trigger". */
  type: string;
  category: NodeCategory;
  /** Palette label. */
  paletteLabel: string;
  /** CSS colour of the node body. */
  color: string;
  inputs: 0 | 1;
  /** Number of output ports, possibly depending on config (switch rules, trigger outputs). */
  outputs: (config: z.output<S>) => number;
  /** Config schema with defaults for every field; `.loose()` so unknown Node-RED fields survive. */
  config: S;
  /** Form layout: fields in this order first, with hints. */
  fields?: Readonly<Record<string, FieldHint>>;
  /** Label on the canvas when the node has no name. */
  label: (config: z.output<S>) => string;
  /** Help text shown in the editor (plain text, paragraphs separated by blank lines). */
  help: string;
  /** True for config nodes (mqtt-broker): not placed on a tab. */
  isConfig?: boolean;
  /** The node has a button on the canvas (inject). */
  button?: boolean;
}

/** A NodeDefinition whose schema type was erased for the registry. */
export type AnyNodeDefinition = NodeDefinition<z.ZodType<Record<string, unknown>>>;

export function defineNode<S extends z.ZodType<Record<string, unknown>>>(
  def: NodeDefinition<S>,
): NodeDefinition<S> {
  return def;
}
