/**
 * What a deploy (or a rollback) changes, described for people: node names and tabs instead
 * of ids, and for a changed node which of its settings changed. Built on lib/flow/diff.ts
 * (the same notion of "changed" the runtime uses to restart nodes). Pure.
 */
import type { ConfigNode, FlowDocument, FlowNode } from "../../../lib/flow/schema";
import { canonicalJson, diffDocuments, type DocumentDiff } from "../../../lib/flow/diff";
import type { AnyNodeDefinition } from "../../../lib/nodes/types";
import { getNodeDefinition } from "../../../lib/nodes/registry";
import { fieldTitle } from "../../../lib/flow/validate";
import { nodeLabel } from "./canvas";

export type ChangeKind = "added" | "changed" | "removed";

export interface FieldChange {
  /** "name", "disabled", "wires", "flow" (moved to another tab), "flow disabled", or a config key */
  field: string;
  /** The field's form title where the node definition names it ("Delay" for "duration"). */
  title: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  kind: ChangeKind;
  id: string;
  type: string;
  label: string;
  /** Tab name ("" for config nodes such as a broker). */
  flowName: string;
  flowId: string | null;
  /** Only for "changed": what differs. */
  fields: FieldChange[];
}

interface Located {
  node: FlowNode | ConfigNode;
  flowId: string | null;
  flowName: string;
  flowDisabled: boolean;
}

type Lookup = (type: string) => AnyNodeDefinition | undefined;

function index(doc: FlowDocument | null): Map<string, Located> {
  const out = new Map<string, Located>();
  if (!doc) return out;
  for (const flow of doc.flows) {
    for (const node of flow.nodes) out.set(node.id, { node, flowId: flow.id, flowName: flow.name, flowDisabled: flow.disabled });
  }
  for (const node of doc.configNodes) out.set(node.id, { node, flowId: null, flowName: "", flowDisabled: false });
  return out;
}

function isFlowNode(n: FlowNode | ConfigNode): n is FlowNode {
  return "wires" in n;
}

function labelOf(n: FlowNode | ConfigNode, lookup: Lookup): string {
  if (isFlowNode(n)) return nodeLabel(n, lookup(n.type));
  if (n.name) return n.name;
  const url = n.config.broker ?? n.config.url;
  return typeof url === "string" && url ? `${n.type} ${url}` : n.type;
}

function titleOf(def: AnyNodeDefinition | undefined, key: string): string {
  if (!def) return key;
  try {
    return fieldTitle(def, key) ?? key;
  } catch {
    return key;
  }
}

/** Which settings differ between two versions of one node (config compared key by key). */
export function fieldChanges(before: Located, after: Located, lookup: Lookup = getNodeDefinition): FieldChange[] {
  const out: FieldChange[] = [];
  const def = lookup(after.node.type);
  const push = (field: string, title: string, a: unknown, b: unknown) => {
    if (canonicalJson(a) !== canonicalJson(b)) out.push({ field, title, before: a, after: b });
  };
  push("type", "type", before.node.type, after.node.type);
  push("name", "name", before.node.name, after.node.name);
  if (isFlowNode(before.node) && isFlowNode(after.node)) {
    if (before.flowId !== after.flowId) out.push({ field: "flow", title: "tab", before: before.flowName, after: after.flowName });
    else push("flow disabled", "tab disabled", before.flowDisabled, after.flowDisabled);
    push("disabled", "disabled", before.node.disabled, after.node.disabled);
    push("wires", "wires", before.node.wires, after.node.wires);
  }
  const keys = new Set([...Object.keys(before.node.config), ...Object.keys(after.node.config)]);
  for (const key of [...keys].sort()) push(key, titleOf(def, key), before.node.config[key], after.node.config[key]);
  return out;
}

/** Every node change between two documents, with names and (for changed nodes) the fields. */
export function describeDiff(
  before: FlowDocument | null,
  after: FlowDocument,
  diff: DocumentDiff = diffDocuments(before, after),
  lookup: Lookup = getNodeDefinition,
): NodeChange[] {
  const old = index(before);
  const now = index(after);
  const out: NodeChange[] = [];
  const entry = (kind: ChangeKind, id: string, loc: Located | undefined, fields: FieldChange[] = []): NodeChange =>
    loc
      ? { kind, id, type: loc.node.type, label: labelOf(loc.node, lookup), flowName: loc.flowName, flowId: loc.flowId, fields }
      : // The server knew a node the documents here do not (an id in `diff` only): still list it.
        { kind, id, type: "", label: id, flowName: "", flowId: null, fields };
  for (const id of diff.added) out.push(entry("added", id, now.get(id)));
  for (const id of diff.changed) {
    const a = old.get(id);
    const b = now.get(id);
    out.push(entry("changed", id, b, a && b ? fieldChanges(a, b, lookup) : []));
  }
  for (const id of diff.removed) out.push(entry("removed", id, old.get(id)));
  return out;
}

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
}

export function countChanges(changes: readonly NodeChange[]): ChangeCounts {
  const c = { added: 0, changed: 0, removed: 0 };
  for (const ch of changes) c[ch.kind]++;
  return c;
}

/** "2 added, 1 changed" or "no node changes". */
export function summarize(counts: ChangeCounts): string {
  const parts = (["added", "changed", "removed"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return parts.length ? parts.join(", ") : "no node changes";
}

/** A short, one-line rendering of a config value for the diff view. */
export function shortValue(v: unknown, max = 60): string {
  if (v === undefined) return "(not set)";
  const text = typeof v === "string" ? JSON.stringify(v) : canonicalJson(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
