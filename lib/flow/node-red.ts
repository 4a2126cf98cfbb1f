/**
 * Node-RED flows.json import and export. Pure and browser-safe.
 *
 * flows.json is an array: `{type:"tab"}` entries become flows; entries with `z` = a tab id
 * become that flow's nodes; config nodes (definition `isConfig`, e.g. mqtt-broker) and
 * anything else without a tab (subflow definitions and their inner nodes, dashboard config…)
 * become `configNodes`. Node fields `id, type, z, name, x, y, wires, d` are structural;
 * every other field goes into `config` verbatim, so export gives back what was imported.
 * Nothing is dropped silently: unknown types are kept as they are (validateDocument warns
 * about them) and every entry that cannot be imported is reported with its index.
 *
 * Exactness for types Flowhouse does not know (group, junction, function…): when such an
 * entry lacks a structural field (a group has no `wires`, a junction no `name`) or has one
 * of an unexpected shape, the field stays in `config` and its name is listed under
 * `config._nodeRedOmit`, so export writes the entry exactly as it came.
 */
import type { ValidationIssue } from "../api/schemas";
import { getNodeDefinition } from "../nodes/registry";
import { SCHEMA_VERSION, type ConfigNode, type Flow, type FlowDocument, type FlowNode } from "./schema";
import { describeValue } from "./issue-text";
import { parseDocument, validateDocument, type DefinitionLookup } from "./validate";

/** One entry of a Node-RED flows.json array. */
export interface NodeRedNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  x?: number;
  y?: number;
  wires?: string[][];
  d?: boolean;
  [field: string]: unknown;
}

export interface NodeRedImport {
  document: FlowDocument;
  issues: ValidationIssue[];
}

/** Config key listing structural fields the original entry did not have (unknown types only). */
export const NODE_RED_OMIT_KEY = "_nodeRedOmit";

const FLOW_NODE_STRUCTURAL = ["id", "type", "z", "name", "x", "y", "wires", "d"] as const;
const TAB_FIELDS = new Set(["id", "type", "label", "disabled", "info"]);
const MAX_ID_LENGTH = 100;
const MAX_FLOW_NAME = 200;

type Raw = Record<string, unknown>;

function isRecord(v: unknown): v is Raw {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isWires(v: unknown): v is string[][] {
  return Array.isArray(v) && v.every((port) => Array.isArray(port) && port.every((id) => typeof id === "string"));
}

function isEmptySetting(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === "" || (Array.isArray(v) && v.length === 0);
}

/**
 * Maps a Node-RED flows.json (the array, or `{flows: [...]}` as Node-RED's admin API v2
 * returns it) to a flow document. Never throws; problems come back as issues.
 */
export function fromNodeRed(flowsJson: unknown, lookup: DefinitionLookup = getNodeDefinition): NodeRedImport {
  const issues: ValidationIssue[] = [];
  const items: unknown[] | undefined = Array.isArray(flowsJson)
    ? flowsJson
    : isRecord(flowsJson) && Array.isArray(flowsJson.flows)
      ? flowsJson.flows
      : undefined;
  if (!items) {
    issues.push({
      message: `Expected a Node-RED flows.json array (export it in Node-RED with Menu → Export → All flows → JSON), got ${describeValue(flowsJson)}`,
      severity: "error",
    });
    return { document: { schemaVersion: SCHEMA_VERSION, flows: [], configNodes: [] }, issues };
  }

  // Pass 1: keep well-formed entries, report the others by index.
  const entries: Raw[] = [];
  items.forEach((item, index) => {
    const at = `Entry ${index} of the flows.json array`;
    if (!isRecord(item)) {
      issues.push({ message: `${at} is ${describeValue(item)}, not an object: skipped`, severity: "error" });
      return;
    }
    const { id, type } = item;
    if (typeof id !== "string" || id === "") {
      issues.push({
        message: `${at} has no id${typeof type === "string" ? ` (type '${type}')` : ""}: skipped (every entry needs an "id" and a "type")`,
        severity: "error",
      });
      return;
    }
    if (id.length > MAX_ID_LENGTH) {
      issues.push({ nodeId: id, message: `${at} has an id longer than ${MAX_ID_LENGTH} characters: skipped (shorten the id)`, severity: "error" });
      return;
    }
    if (typeof type !== "string" || type === "") {
      issues.push({ nodeId: id, message: `${at} (id '${id}') has no type: skipped (every entry needs an "id" and a "type")`, severity: "error" });
      return;
    }
    entries.push(item);
  });

  // Tabs.
  const flows: Flow[] = [];
  const flowById = new Map<string, Flow>();
  for (const raw of entries) {
    if (raw.type !== "tab") continue;
    const id = raw.id as string;
    let name = typeof raw.label === "string" && raw.label.trim() !== "" ? raw.label : `Flow ${flows.length + 1}`;
    if (name.length > MAX_FLOW_NAME) {
      issues.push({ flowId: id, message: `Flow '${name.slice(0, 40)}…': name is longer than ${MAX_FLOW_NAME} characters and was shortened`, severity: "warning" });
      name = name.slice(0, MAX_FLOW_NAME);
    }
    const flow: Flow = {
      id,
      name,
      disabled: raw.disabled === true,
      info: typeof raw.info === "string" ? raw.info : "",
      nodes: [],
    };
    const dropped = Object.keys(raw).filter((k) => !TAB_FIELDS.has(k) && !isEmptySetting(raw[k]));
    if (dropped.length > 0) {
      issues.push({
        flowId: id,
        message: `Flow '${name}': tab setting(s) ${dropped.map((k) => `'${k}'`).join(", ")} are not supported and were not imported`,
        severity: "warning",
      });
    }
    flows.push(flow);
    if (!flowById.has(id)) flowById.set(id, flow);
  }
  const subflowIds = new Set(entries.filter((r) => r.type === "subflow").map((r) => r.id as string));

  // Nodes.
  const configNodes: ConfigNode[] = [];
  const orphanFlows = new Map<string, Flow>(); // missing tab id (or "" for no z) → created flow
  const orphanFlowFor = (z: string): Flow => {
    let flow = orphanFlows.get(z);
    if (!flow) {
      let id = z === "" ? "imported" : z;
      for (let n = 2; flowById.has(id) || entries.some((r) => r.id === id && r.type !== "tab"); n++) id = `imported-${n}`;
      const name = orphanFlows.size === 0 ? "Imported" : `Imported ${orphanFlows.size + 1}`;
      flow = { id, name, disabled: false, info: "", nodes: [] };
      orphanFlows.set(z, flow);
      flowById.set(id, flow);
      flows.push(flow);
    }
    return flow;
  };

  for (const raw of entries) {
    const type = raw.type as string;
    if (type === "tab") continue;
    const def = lookup(type);
    const z = typeof raw.z === "string" ? raw.z : "";
    if (def?.isConfig || (!def && z === "") || subflowIds.has(z)) {
      configNodes.push(toConfigNode(raw, !def));
      continue;
    }
    const flow = flowById.get(z) ?? orphanFlowFor(z);
    flow.nodes.push(toFlowNode(raw, !def, issues, flow.id));
  }
  for (const [z, flow] of orphanFlows) {
    const count = flow.nodes.length;
    const what = `${count} node${count === 1 ? "" : "s"}`;
    issues.push({
      flowId: flow.id,
      message:
        z === ""
          ? `${what} had no flow (no "z" field): placed on a new flow '${flow.name}' (rename it or move the nodes)`
          : `${what} belonged to flow '${z}', which is not in the file: placed on a new flow '${flow.name}' (rename it or move the nodes)`,
      severity: "warning",
    });
  }

  const parsed = parseDocument({ schemaVersion: SCHEMA_VERSION, flows, configNodes });
  if (!parsed.ok) {
    // Should not happen (entries are sanitized above); report rather than throw.
    issues.push(...parsed.issues);
    return { document: { schemaVersion: SCHEMA_VERSION, flows: [], configNodes: [] }, issues };
  }
  return { document: parsed.document, issues };
}

function toConfigNode(raw: Raw, unknownType: boolean): ConfigNode {
  const config: Raw = {};
  for (const [k, v] of Object.entries(raw)) if (k !== "id" && k !== "type" && k !== "name") config[k] = v;
  const hasName = typeof raw.name === "string";
  if (!hasName) {
    if (raw.name !== undefined) config.name = raw.name;
    if (unknownType) config[NODE_RED_OMIT_KEY] = ["name"];
  }
  return { id: raw.id as string, type: raw.type as string, name: hasName ? (raw.name as string) : "", config };
}

function toFlowNode(raw: Raw, unknownType: boolean, issues: ValidationIssue[], flowId: string): FlowNode {
  const id = raw.id as string;
  const type = raw.type as string;
  const omit: string[] = [];
  const config: Raw = {};
  const wellFormed: Record<string, boolean> = {
    name: typeof raw.name === "string",
    x: typeof raw.x === "number" && Number.isFinite(raw.x),
    y: typeof raw.y === "number" && Number.isFinite(raw.y),
    wires: isWires(raw.wires) && raw.wires.flat().every((t) => t !== "" && t.length <= MAX_ID_LENGTH),
    d: typeof raw.d === "boolean",
  };
  for (const [k, v] of Object.entries(raw)) {
    if (!(FLOW_NODE_STRUCTURAL as readonly string[]).includes(k)) config[k] = v;
  }
  const label = typeof raw.name === "string" && raw.name !== "" ? raw.name : id;
  for (const key of ["name", "x", "y", "wires", "d"] as const) {
    const present = key in raw;
    if (wellFormed[key] || (key === "d" && !present)) continue; // no `d` is the norm: enabled
    if (unknownType) {
      // Keep the entry exactly as it came.
      if (present) config[key] = raw[key];
      omit.push(key);
    } else if (present && key !== "d") {
      issues.push({
        nodeId: id,
        nodeName: typeof raw.name === "string" ? raw.name : undefined,
        nodeType: type,
        flowId,
        field: key,
        message: `Node '${label}' (${type}): ${key} ${key === "wires" ? "is not a list of lists of node ids" : key === "name" ? "is not text" : "is not a number"} (got ${describeValue(raw[key])}): ${key === "wires" ? "kept only the valid wires" : key === "name" ? "converted to text" : "set to 0"}`,
        severity: "warning",
      });
    }
  }
  if (omit.length > 0) config[NODE_RED_OMIT_KEY] = omit;

  let name = "";
  if (wellFormed.name) name = raw.name as string;
  else if (!unknownType && raw.name !== undefined && raw.name !== null) name = String(raw.name);
  let wires: string[][] = [];
  if (wellFormed.wires) wires = raw.wires as string[][];
  else if (!unknownType && Array.isArray(raw.wires)) {
    wires = raw.wires.map((port) =>
      Array.isArray(port) ? port.filter((t): t is string => typeof t === "string" && t !== "" && t.length <= MAX_ID_LENGTH) : [],
    );
  }
  return {
    id,
    type,
    name,
    x: wellFormed.x ? (raw.x as number) : 0,
    y: wellFormed.y ? (raw.y as number) : 0,
    wires,
    disabled: raw.d === true,
    config,
  };
}

function omitted(config: Record<string, unknown>): Set<string> {
  const list = config[NODE_RED_OMIT_KEY];
  return new Set(Array.isArray(list) ? list.filter((k): k is string => typeof k === "string") : []);
}

/**
 * Maps a flow document to a Node-RED flows.json array: tabs first, then each tab's nodes in
 * order, then config nodes. Node-RED can import the result.
 */
export function toNodeRed(doc: FlowDocument): NodeRedNode[] {
  const out: NodeRedNode[] = [];
  for (const flow of doc.flows) {
    out.push({ id: flow.id, type: "tab", label: flow.name, disabled: flow.disabled, info: flow.info, env: [] });
  }
  for (const flow of doc.flows) {
    for (const node of flow.nodes) {
      const omit = omitted(node.config);
      const entry: NodeRedNode = { id: node.id, type: node.type, z: flow.id };
      if (!omit.has("name")) entry.name = node.name;
      if (node.disabled && !omit.has("d")) entry.d = true;
      for (const [k, v] of Object.entries(node.config)) {
        if (k === "id" || k === "type" || k === "z" || k === NODE_RED_OMIT_KEY) continue;
        if ((FLOW_NODE_STRUCTURAL as readonly string[]).includes(k) && !omit.has(k)) continue;
        entry[k] = v;
      }
      if (!omit.has("x")) entry.x = node.x;
      if (!omit.has("y")) entry.y = node.y;
      if (!omit.has("wires")) entry.wires = node.wires.map((port) => [...port]);
      out.push(entry);
    }
  }
  for (const node of doc.configNodes) {
    const omit = omitted(node.config);
    const entry: NodeRedNode = { id: node.id, type: node.type };
    if (!omit.has("name")) entry.name = node.name;
    for (const [k, v] of Object.entries(node.config)) {
      if (k === "id" || k === "type" || k === NODE_RED_OMIT_KEY) continue;
      if (k === "name" && !omit.has("name")) continue;
      entry[k] = v;
    }
    out.push(entry);
  }
  return out;
}

/**
 * Import as the API does it: map the flows.json, then validate the result against the
 * node definitions. Issues = mapping problems followed by validation issues (unknown types,
 * bad configs, broken wires). The document is returned as imported (defaults not applied).
 */
export function importNodeRed(flowsJson: unknown, lookup: DefinitionLookup = getNodeDefinition): NodeRedImport {
  const imported = fromNodeRed(flowsJson, lookup);
  const { issues } = validateDocument(imported.document, lookup);
  return { document: imported.document, issues: [...imported.issues, ...issues] };
}

