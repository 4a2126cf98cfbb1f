/**
 * Which nodes a deploy adds, changes or removes, by node id over flow nodes and config
 * nodes. Moving a node (x/y) is not a change; its name, type, config, wires, disabled flag,
 * its flow's disabled flag or moving it to another flow are. Renaming a flow is not a node
 * change. Like Node-RED's diff, a config node change does not mark the nodes using it:
 * callers that restart nodes follow references themselves. Pure.
 */
import type { FlowDocument } from "./schema";

export interface DocumentDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What matters to the runtime about one node, as canonical JSON. */
function fingerprints(doc: FlowDocument | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!doc) return out;
  for (const flow of doc.flows) {
    for (const node of flow.nodes) {
      out.set(
        node.id,
        canonicalJson({
          kind: "node",
          flow: flow.id,
          flowDisabled: flow.disabled,
          type: node.type,
          name: node.name,
          disabled: node.disabled,
          wires: node.wires,
          config: node.config,
        }),
      );
    }
  }
  for (const node of doc.configNodes) {
    out.set(node.id, canonicalJson({ kind: "config", type: node.type, name: node.name, config: node.config }));
  }
  return out;
}

export function diffDocuments(before: FlowDocument | null, after: FlowDocument): DocumentDiff {
  const old = fingerprints(before);
  const now = fingerprints(after);
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [id, print] of now) {
    const previous = old.get(id);
    if (previous === undefined) added.push(id);
    else if (previous !== print) changed.push(id);
  }
  for (const id of old.keys()) if (!now.has(id)) removed.push(id);
  return { added, changed, removed };
}

export function hasChanges(diff: DocumentDiff): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length > 0;
}

/** Flow nodes plus config nodes (flows/tabs themselves are not counted). */
export function countNodes(doc: FlowDocument): number {
  return doc.flows.reduce((sum, flow) => sum + flow.nodes.length, 0) + doc.configNodes.length;
}

/** JSON with object keys sorted, so key order never counts as a change. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
