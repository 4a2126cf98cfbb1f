/**
 * Copy and paste in Node-RED's flows.json format, so a selection copied here pastes into
 * Node-RED (Menu → Import) and a selection copied in Node-RED pastes here. Pure.
 *
 * Copy: the selected nodes (wires kept only between them) plus the config nodes they refer
 * to (e.g. the mqtt-broker), as a flows.json array without the tab entry — what Node-RED's
 * own clipboard holds.
 * Paste: fromNodeRed → every flow node gets a fresh id on the target tab, wires between
 * pasted nodes are remapped and wires to nodes that were not pasted are dropped; config
 * nodes that already exist (same id and type) are reused, others are added. The pasted
 * group is moved so its top-left corner is at the pointer, or offset so it does not cover
 * the original.
 */
import type { ConfigNode, FlowDocument, FlowNode } from "../../../lib/flow/schema";
import type { ValidationIssue } from "../../../lib/api/schemas";
import { fromNodeRed, toNodeRed, type NodeRedNode } from "../../../lib/flow/node-red";
import type { DefinitionLookup } from "../../../lib/flow/validate";
import { getNodeDefinition } from "../../../lib/nodes/registry";
import { cryptoRandomHex, newId, type RandomHex } from "./ids";
import { allIds } from "./document-ops";

/** How far a paste without a pointer position moves the copy (px, right and down). */
export const PASTE_OFFSET = 20;

/** Config values naming another node by id (a config node, or link targets). */
function referencedIds(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const v of Object.values(config)) {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) for (const item of v) if (typeof item === "string") out.push(item);
  }
  return out;
}

/**
 * The selection as Node-RED flows.json entries: flow nodes (with `z` = the tab id) in tab
 * order, then the config nodes they use. Empty when nothing on the tab is selected.
 */
export function copyNodes(doc: FlowDocument, flowId: string, nodeIds: Iterable<string>): NodeRedNode[] {
  const flow = doc.flows.find((f) => f.id === flowId);
  if (!flow) return [];
  const wanted = new Set(nodeIds);
  const nodes = flow.nodes
    .filter((n) => wanted.has(n.id))
    .map((n) => ({ ...n, wires: n.wires.map((port) => port.filter((t) => wanted.has(t))) }));
  if (nodes.length === 0) return [];
  const configById = new Map(doc.configNodes.map((c) => [c.id, c]));
  const used = new Map<string, ConfigNode>();
  const visit = (config: Record<string, unknown>) => {
    for (const id of referencedIds(config)) {
      const c = configById.get(id);
      if (c && !used.has(id)) {
        used.set(id, c);
        visit(c.config); // a config node may use another (e.g. a TLS config)
      }
    }
  };
  for (const n of nodes) visit(n.config);
  const sub: FlowDocument = { ...doc, flows: [{ ...flow, nodes }], configNodes: [...used.values()] };
  return toNodeRed(sub).filter((e) => e.type !== "tab");
}

/** Clipboard text for a copy: compact JSON like Node-RED's. */
export function clipboardText(entries: readonly NodeRedNode[]): string {
  return JSON.stringify(entries);
}

export type ParsedClipboard = { ok: true; json: unknown } | { ok: false; message: string };

/** Reads clipboard text as flows.json; says what is wrong when it is not. */
export function parseClipboardText(text: string): ParsedClipboard {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: "The clipboard is empty: copy nodes first (ctrl+C), here or in Node-RED." };
  if (trimmed[0] !== "[" && trimmed[0] !== "{") {
    return { ok: false, message: "The clipboard does not hold nodes: copy nodes here or in Node-RED (Export → Clipboard) and paste again." };
  }
  try {
    return { ok: true, json: JSON.parse(trimmed) };
  } catch (e) {
    return { ok: false, message: `The clipboard text is not valid flows.json (${(e as Error).message}): copy the nodes again.` };
  }
}

export interface PasteOptions {
  /** flow position for the top-left corner of the pasted group (the pointer) */
  at?: { x: number; y: number };
  random?: RandomHex;
  lookup?: DefinitionLookup;
}

export interface PasteResult {
  doc: FlowDocument;
  /** ids of the pasted flow nodes, in order */
  nodeIds: string[];
  /** problems found while reading the flows.json (skipped entries, unknown tabs…) */
  issues: ValidationIssue[];
}

/** Pastes flows.json entries onto a tab. The document is unchanged when nothing pastable is found. */
export function pasteNodes(doc: FlowDocument, flowId: string, flowsJson: unknown, opts: PasteOptions = {}): PasteResult {
  const random = opts.random ?? cryptoRandomHex;
  const target = doc.flows.find((f) => f.id === flowId);
  if (!target) return { doc, nodeIds: [], issues: [{ message: `Flow ${flowId} does not exist: pick a tab and paste again`, severity: "error" }] };
  const imported = fromNodeRed(flowsJson, opts.lookup ?? getNodeDefinition);
  // Warnings about orphaned nodes ("placed on a new flow 'Imported'") do not apply: everything lands on this tab.
  const issues = imported.issues.filter((i) => i.severity === "error");
  const incoming = imported.document.flows.flatMap((f) => f.nodes);
  if (incoming.length === 0) {
    if (issues.length === 0) issues.push({ message: "The clipboard holds no nodes to paste (only tabs or config nodes).", severity: "warning" });
    return { doc, nodeIds: [], issues };
  }

  const taken = allIds(doc);
  const idMap = new Map<string, string>();
  // Config nodes: reuse an existing one with the same id and type, else add it (new id on a clash).
  const existingConfig = new Map(doc.configNodes.map((c) => [c.id, c]));
  const addedConfig: ConfigNode[] = [];
  for (const c of imported.document.configNodes) {
    const existing = existingConfig.get(c.id);
    if (existing && existing.type === c.type) continue;
    let id = c.id;
    if (taken.has(id)) {
      id = newId(taken, random);
      idMap.set(c.id, id);
    }
    taken.add(id);
    addedConfig.push({ ...c, id });
  }
  for (const n of incoming) {
    const id = newId(taken, random);
    taken.add(id);
    idMap.set(n.id, id);
  }
  const remap = (config: Record<string, unknown>) => remapConfigIds(config, idMap);

  let dx = 0;
  let dy = 0;
  const minX = Math.min(...incoming.map((n) => n.x));
  const minY = Math.min(...incoming.map((n) => n.y));
  if (opts.at) {
    dx = opts.at.x - minX;
    dy = opts.at.y - minY;
  } else {
    // Offset until the copy does not sit exactly on nodes already there (repeated pastes step down).
    const occupied = new Set(target.nodes.map((n) => `${Math.round(n.x)},${Math.round(n.y)}`));
    for (let step = 0; step < 50; step++) {
      const collides = incoming.some((n) => occupied.has(`${Math.round(n.x + dx)},${Math.round(n.y + dy)}`));
      if (!collides) break;
      dx += PASTE_OFFSET;
      dy += PASTE_OFFSET;
    }
  }

  const incomingIds = new Set(incoming.map((n) => n.id));
  const pasted: FlowNode[] = incoming.map((n) => ({
    ...n,
    id: idMap.get(n.id) as string,
    x: Math.round(n.x + dx),
    y: Math.round(n.y + dy),
    wires: n.wires.map((port) => port.filter((t) => incomingIds.has(t)).map((t) => idMap.get(t) as string)),
    config: remap(n.config),
  }));
  const next: FlowDocument = {
    ...doc,
    flows: doc.flows.map((f) => (f.id === flowId ? { ...f, nodes: [...f.nodes, ...pasted] } : f)),
    configNodes: addedConfig.length ? [...doc.configNodes, ...addedConfig.map((c) => ({ ...c, config: remap(c.config) }))] : doc.configNodes,
  };
  return { doc: next, nodeIds: pasted.map((n) => n.id), issues };
}

/** ctrl+D: a copy of the selection on the same tab, offset so both stay visible. */
export function duplicateNodes(doc: FlowDocument, flowId: string, nodeIds: Iterable<string>, random: RandomHex = cryptoRandomHex): PasteResult {
  const entries = copyNodes(doc, flowId, nodeIds);
  if (entries.length === 0) return { doc, nodeIds: [], issues: [] };
  return pasteNodes(doc, flowId, entries, { random });
}

/**
 * Config values that name a node being copied (a string id, or an array of ids such as link
 * targets) point to its new id; anything else is kept. Returns `config` itself when nothing
 * changed.
 */
export function remapConfigIds(config: Record<string, unknown>, idMap: ReadonlyMap<string, string>): Record<string, unknown> {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === "string" && idMap.has(v)) {
      out[k] = idMap.get(v);
      changed = true;
    } else if (Array.isArray(v) && v.some((item) => typeof item === "string" && idMap.has(item))) {
      out[k] = v.map((item) => (typeof item === "string" ? (idMap.get(item) ?? item) : item));
      changed = true;
    } else out[k] = v;
  }
  return changed ? out : config;
}
