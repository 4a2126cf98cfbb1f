/**
 * Mapping between the flow document and what the canvas draws: a label and port count per
 * node, an edge per wire. Pure; the React Flow objects are built in FlowCanvas.
 */
import type { FlowNode } from "../../../lib/flow/schema";
import type { AnyNodeDefinition } from "../../../lib/nodes/types";

export interface WireRef {
  source: string;
  port: number;
  target: string;
}

export function edgeId(w: WireRef): string {
  return `${w.source}:${w.port}>${w.target}`;
}

export function parseEdgeId(id: string): WireRef | undefined {
  const m = /^(.*):(\d+)>(.*)$/.exec(id);
  return m ? { source: m[1], port: Number(m[2]), target: m[3] } : undefined;
}

export function wiresOf(nodes: readonly FlowNode[]): WireRef[] {
  const ids = new Set(nodes.map((n) => n.id));
  const out: WireRef[] = [];
  for (const n of nodes) {
    n.wires.forEach((targets, port) => {
      for (const target of targets) if (ids.has(target)) out.push({ source: n.id, port, target });
    });
  }
  return out;
}

export function portFromHandle(handle: string | null | undefined): number {
  const m = /^out-(\d+)$/.exec(handle ?? "");
  return m ? Number(m[1]) : 0;
}

/** The parsed config when valid, else the raw one (labels and outputs still work mostly). */
export function effectiveConfig(def: AnyNodeDefinition, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = def.config.safeParse(config);
  return parsed.success ? parsed.data : config;
}

export function nodeLabel(node: FlowNode, def: AnyNodeDefinition | undefined): string {
  if (!def) return `unknown: ${node.type}`;
  if (node.name.trim()) return node.name;
  try {
    return def.label(effectiveConfig(def, node.config)) || def.paletteLabel;
  } catch {
    return def.paletteLabel;
  }
}

/** Output ports to draw: the definition's count, or enough for the wires an unknown node has. */
export function outputCount(node: FlowNode, def: AnyNodeDefinition | undefined): number {
  if (!def) return Math.max(1, node.wires.length);
  try {
    const n = def.outputs(effectiveConfig(def, node.config));
    return Number.isInteger(n) && n >= 0 ? n : node.wires.length;
  } catch {
    return node.wires.length;
  }
}

export const NODE_HEIGHT_PER_PORT = 16;

export function nodeHeight(outputs: number): number {
  return Math.max(32, outputs * NODE_HEIGHT_PER_PORT + 8);
}

/** "mqtt in" → "mqtt-in": the palette's test id and CSS-safe form of a type. */
export function typeSlug(type: string): string {
  return type.replace(/\s+/g, "-");
}
