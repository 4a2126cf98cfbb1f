/**
 * The import/export dialog's logic. Pure.
 *
 * Import reads Node-RED flows.json (an array, or `{flows: [...]}`) or a Flowhouse flow
 * document (`{schemaVersion, flows: [{nodes}]}`) and either
 * - adds it to the draft as new nodes: tabs in the file become new tabs, nodes without a tab
 *   (a Node-RED clipboard export) land on the current tab; every flow node and tab gets a
 *   fresh id, with wires and references (link nodes, config nodes) remapped; config nodes
 *   that already exist with the same id and type are reused, or
 * - replaces the whole draft.
 * Export writes a selection, a tab or everything as Node-RED flows.json or Flowhouse JSON.
 */
import type { ConfigNode, Flow, FlowDocument, FlowNode } from "../../../lib/flow/schema";
import { SCHEMA_VERSION } from "../../../lib/flow/schema";
import type { ValidationIssue } from "../../../lib/api/schemas";
import { fromNodeRed, toNodeRed, type NodeRedNode } from "../../../lib/flow/node-red";
import { parseDocument, validateDocument, type DefinitionLookup } from "../../../lib/flow/validate";
import { getNodeDefinition } from "../../../lib/nodes/registry";
import { copyNodes, pasteNodes, remapConfigIds } from "./clipboard";
import { allIds } from "./document-ops";
import { cryptoRandomHex, newId, type RandomHex } from "./ids";

export type ExchangeFormat = "node-red" | "flowhouse";

export type ParsedImport =
  | { ok: true; format: ExchangeFormat; document: FlowDocument; issues: ValidationIssue[]; hasTabs: boolean; nodeCount: number }
  | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function looksLikeFlowhouse(v: unknown): boolean {
  return isRecord(v) && Array.isArray(v.flows) && ("schemaVersion" in v || v.flows.some((f) => isRecord(f) && Array.isArray(f.nodes)));
}

/** Reads pasted or uploaded text; says what is wrong when it is neither format. */
export function parseImportText(text: string, lookup: DefinitionLookup = getNodeDefinition): ParsedImport {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: "Nothing to import: paste a Node-RED flows.json or a Flowhouse export, or pick a file." };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (e) {
    return { ok: false, message: `This is not valid JSON (${(e as Error).message}): export the flows again and paste all of it.` };
  }
  if (looksLikeFlowhouse(json)) {
    const parsed = parseDocument(json);
    if (!parsed.document) {
      return { ok: false, message: `This Flowhouse export is not valid: ${parsed.issues.map((i) => i.message).join("; ")}` };
    }
    const document = parsed.document;
    return {
      ok: true,
      format: "flowhouse",
      document,
      issues: validateDocument(document, lookup).issues,
      hasTabs: true,
      nodeCount: document.flows.reduce((n, f) => n + f.nodes.length, 0),
    };
  }
  const items = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.flows) ? json.flows : null;
  if (!items) {
    return { ok: false, message: "Expected a Node-RED flows.json array (Node-RED: Menu → Export → JSON) or a Flowhouse export." };
  }
  const imported = fromNodeRed(items, lookup);
  const document = imported.document;
  const nodeCount = document.flows.reduce((n, f) => n + f.nodes.length, 0);
  if (nodeCount === 0 && document.configNodes.length === 0) {
    const why = imported.issues.map((i) => i.message).join("; ");
    return { ok: false, message: `No nodes found to import${why ? `: ${why}` : "."}` };
  }
  const hasTabs = items.some((e) => isRecord(e) && e.type === "tab");
  return { ok: true, format: "node-red", document, issues: [...imported.issues, ...validateDocument(document, lookup).issues], hasTabs, nodeCount };
}

export interface ImportResult {
  doc: FlowDocument;
  /** Tabs added (add mode with tabs) */
  flowIds: string[];
  /** Flow nodes added, in order */
  nodeIds: string[];
  /** Where to look afterwards */
  focusFlowId: string | null;
}


/** Adds the imported document to `doc` as new tabs with fresh ids (see the module comment). */
export function addAsNewFlows(doc: FlowDocument, incoming: FlowDocument, random: RandomHex = cryptoRandomHex): ImportResult {
  const taken = allIds(doc);
  for (const f of doc.flows) taken.add(f.id);
  const idMap = new Map<string, string>();
  const fresh = (old: string) => {
    const id = newId(taken, random);
    taken.add(id);
    idMap.set(old, id);
    return id;
  };
  const existingConfig = new Map(doc.configNodes.map((c) => [c.id, c]));
  const addedConfig: ConfigNode[] = [];
  for (const c of incoming.configNodes) {
    const existing = existingConfig.get(c.id);
    if (existing && existing.type === c.type) continue;
    addedConfig.push({ ...c, id: taken.has(c.id) ? fresh(c.id) : (taken.add(c.id), c.id) });
  }
  for (const f of incoming.flows) {
    fresh(f.id);
    for (const n of f.nodes) fresh(n.id);
  }
  const flows: Flow[] = incoming.flows.map((f) => ({
    ...f,
    id: idMap.get(f.id) as string,
    nodes: f.nodes.map(
      (n): FlowNode => ({
        ...n,
        id: idMap.get(n.id) as string,
        wires: n.wires.map((port) => port.map((t) => idMap.get(t) ?? t)),
        config: remapConfigIds(n.config, idMap),
      }),
    ),
  }));
  const next: FlowDocument = {
    ...doc,
    flows: [...doc.flows, ...flows],
    configNodes: [...doc.configNodes, ...addedConfig.map((c) => ({ ...c, config: remapConfigIds(c.config, idMap) }))],
  };
  return {
    doc: next,
    flowIds: flows.map((f) => f.id),
    nodeIds: flows.flatMap((f) => f.nodes.map((n) => n.id)),
    focusFlowId: flows[0]?.id ?? null,
  };
}

/** Imports into the draft: as new nodes ("add") or instead of everything ("replace"). */
export function importIntoDraft(
  doc: FlowDocument,
  parsed: Extract<ParsedImport, { ok: true }>,
  opts: { mode: "add" | "replace"; currentFlowId: string | null; random?: RandomHex },
): ImportResult {
  if (opts.mode === "replace") {
    const document = parsed.document.flows.length
      ? parsed.document
      : { ...parsed.document, flows: [{ id: newId(new Set(), opts.random), name: "Flow 1", disabled: false, info: "", nodes: [] }] };
    return {
      doc: document,
      flowIds: document.flows.map((f) => f.id),
      nodeIds: document.flows.flatMap((f) => f.nodes.map((n) => n.id)),
      focusFlowId: document.flows[0]?.id ?? null,
    };
  }
  if (!parsed.hasTabs && opts.currentFlowId && doc.flows.some((f) => f.id === opts.currentFlowId)) {
    // A clipboard-style export: the nodes go onto the open tab, like a paste.
    const r = pasteNodes(doc, opts.currentFlowId, toNodeRed(parsed.document).filter((e) => e.type !== "tab"), { random: opts.random });
    return { doc: r.doc, flowIds: [], nodeIds: r.nodeIds, focusFlowId: opts.currentFlowId };
  }
  return addAsNewFlows(doc, parsed.document, opts.random);
}

export type ExportScope = { kind: "selection"; flowId: string; nodeIds: readonly string[] } | { kind: "flow"; flowId: string } | { kind: "all" };

/** The part of the document a scope covers, with the config nodes its nodes use. */
export function exportDocument(doc: FlowDocument, scope: ExportScope): FlowDocument {
  if (scope.kind === "all") return doc;
  const flow = doc.flows.find((f) => f.id === scope.flowId);
  if (!flow) return { schemaVersion: SCHEMA_VERSION, flows: [], configNodes: [] };
  const ids = scope.kind === "flow" ? flow.nodes.map((n) => n.id) : scope.nodeIds;
  // copyNodes keeps wires inside the selection and adds the config nodes used.
  const imported = fromNodeRed(copyNodes(doc, flow.id, ids));
  const nodes = imported.document.flows.flatMap((f) => f.nodes);
  return { schemaVersion: SCHEMA_VERSION, flows: [{ ...flow, nodes }], configNodes: imported.document.configNodes };
}

/** Export text: Node-RED flows.json (tabs included, except for a selection) or a Flowhouse document. */
export function exportText(doc: FlowDocument, scope: ExportScope, format: ExchangeFormat): string {
  const part = exportDocument(doc, scope);
  if (format === "flowhouse") return JSON.stringify(part, null, 2);
  const entries: NodeRedNode[] = toNodeRed(part);
  return JSON.stringify(scope.kind === "selection" ? entries.filter((e) => e.type !== "tab") : entries, null, 2);
}

/** A file name for the download: "flows-garage.json", "flowhouse-all.json". */
export function exportFileName(doc: FlowDocument, scope: ExportScope, format: ExchangeFormat): string {
  const base = format === "node-red" ? "flows" : "flowhouse";
  const flowName = scope.kind === "all" ? "all" : (doc.flows.find((f) => f.id === scope.flowId)?.name ?? "flow");
  const slug = flowName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "flow";
  return `${base}-${slug}${scope.kind === "selection" ? "-selection" : ""}.json`;
}
