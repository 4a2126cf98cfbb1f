/**
 * Search across every flow of the draft: node name (or label), type, topic and any property
 * value, nested or not. Every word typed must be found somewhere in the node (in any field);
 * results are ranked name before type before topic before other properties. Pure.
 */
import type { FlowDocument, FlowNode } from "../../../lib/flow/schema";
import type { AnyNodeDefinition } from "../../../lib/nodes/types";
import { getNodeDefinition } from "../../../lib/nodes/registry";
import { nodeLabel } from "./canvas";

export interface SearchMatch {
  /** "name", "type", "topic", or a property path ("rules.0.v") */
  field: string;
  /** The field's text (cut around the hit when long). */
  text: string;
}

export interface SearchResult {
  nodeId: string;
  flowId: string;
  flowName: string;
  label: string;
  type: string;
  /** The fields where the words were found, best first. */
  matches: SearchMatch[];
  score: number;
}

const MAX_DEPTH = 6;
const SNIPPET = 60;

/** Every string-able leaf of a config as [path, text]. */
function leaves(value: unknown, path: string, out: [string, string][], depth = 0): void {
  if (value === null || value === undefined || depth > MAX_DEPTH) return;
  if (typeof value === "string") {
    if (value !== "") out.push([path, value]);
  } else if (typeof value === "number" || typeof value === "boolean") {
    out.push([path, String(value)]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => leaves(v, path ? `${path}.${i}` : String(i), out, depth + 1));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out, depth + 1);
  }
}

function snippet(text: string, at: number): string {
  if (text.length <= SNIPPET) return text;
  const start = Math.max(0, Math.min(at - 20, text.length - SNIPPET));
  return `${start > 0 ? "…" : ""}${text.slice(start, start + SNIPPET)}${start + SNIPPET < text.length ? "…" : ""}`;
}

/** Search terms: words, or "quoted phrases", lower-cased. */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const m of query.toLowerCase().matchAll(/"([^"]+)"|(\S+)/g)) terms.push((m[1] ?? m[2]).trim());
  return terms.filter(Boolean);
}

interface Field {
  field: string;
  text: string;
  weight: number;
}

function fieldsOf(node: FlowNode, def: AnyNodeDefinition | undefined): Field[] {
  const label = nodeLabel(node, def);
  const fields: Field[] = [
    { field: "name", text: node.name || label, weight: 8 },
    { field: "type", text: node.type, weight: 4 },
    { field: "id", text: node.id, weight: 1 },
  ];
  const config: [string, string][] = [];
  leaves(node.config, "", config);
  for (const [path, text] of config) fields.push({ field: path, text, weight: path === "topic" ? 3 : 2 });
  return fields;
}

/**
 * Nodes matching `query`, best first (at most `limit`). An empty query finds nothing.
 * A node's id matches only exactly or as a prefix (so hex ids do not match random words).
 */
export function searchDocument(
  doc: FlowDocument,
  query: string,
  opts: { limit?: number; lookup?: (type: string) => AnyNodeDefinition | undefined } = {},
): SearchResult[] {
  const terms = searchTerms(query);
  if (terms.length === 0) return [];
  const lookup = opts.lookup ?? getNodeDefinition;
  const results: SearchResult[] = [];
  for (const [flowIndex, flow] of doc.flows.entries()) {
    for (const [nodeIndex, node] of flow.nodes.entries()) {
      const def = lookup(node.type);
      const fields = fieldsOf(node, def);
      let score = 0;
      const matches = new Map<string, SearchMatch & { weight: number }>();
      let all = true;
      for (const term of terms) {
        let best: { f: Field; at: number } | undefined;
        for (const f of fields) {
          const lower = f.text.toLowerCase();
          const at = f.field === "id" ? (lower.startsWith(term) ? 0 : -1) : lower.indexOf(term);
          if (at >= 0 && (!best || f.weight > best.f.weight)) best = { f, at };
        }
        if (!best) {
          all = false;
          break;
        }
        // Whole-field and word-start hits rank above hits inside a word.
        const lower = best.f.text.toLowerCase();
        const exact = lower === term ? 3 : best.at === 0 || /[^a-z0-9]/.test(lower[best.at - 1] ?? "") ? 1 : 0;
        score += best.f.weight * 10 + exact * 5;
        if (!matches.has(best.f.field)) {
          matches.set(best.f.field, { field: best.f.field, text: snippet(best.f.text, best.at), weight: best.f.weight });
        }
      }
      if (!all) continue;
      results.push({
        nodeId: node.id,
        flowId: flow.id,
        flowName: flow.name,
        label: nodeLabel(node, def),
        type: node.type,
        matches: [...matches.values()].sort((a, b) => b.weight - a.weight).map(({ field, text }) => ({ field, text })),
        // Stable order among equals: tab order, then node order.
        score: score - (flowIndex * 1e-3 + nodeIndex * 1e-7),
      });
    }
  }
  results.sort((a, b) => b.score - a.score);
  return results.slice(0, opts.limit ?? 100);
}
