/**
 * Pure operations on the flow document the editor edits. Each returns a new document (the
 * input is never mutated) so React state and undo stay simple. Wires follow Node-RED:
 * `node.wires[port]` lists the ids the output `port` sends to.
 */
import type { ConfigNode, Flow, FlowDocument, FlowNode } from "../../../lib/flow/schema";
import { newId, type RandomHex, cryptoRandomHex } from "./ids";

export interface NodeLocation {
  flow: Flow;
  flowIndex: number;
  node: FlowNode;
}

export function allIds(doc: FlowDocument): Set<string> {
  const ids = new Set<string>();
  for (const flow of doc.flows) {
    ids.add(flow.id);
    for (const node of flow.nodes) ids.add(node.id);
  }
  for (const c of doc.configNodes) ids.add(c.id);
  return ids;
}

export function findNode(doc: FlowDocument, nodeId: string): NodeLocation | undefined {
  for (let flowIndex = 0; flowIndex < doc.flows.length; flowIndex++) {
    const flow = doc.flows[flowIndex];
    const node = flow.nodes.find((n) => n.id === nodeId);
    if (node) return { flow, flowIndex, node };
  }
  return undefined;
}

function mapFlow(doc: FlowDocument, flowId: string, fn: (flow: Flow) => Flow): FlowDocument {
  let found = false;
  const flows = doc.flows.map((f) => {
    if (f.id !== flowId) return f;
    found = true;
    return fn(f);
  });
  return found ? { ...doc, flows } : doc;
}

function mapNode(doc: FlowDocument, flowId: string, nodeId: string, fn: (node: FlowNode) => FlowNode): FlowDocument {
  return mapFlow(doc, flowId, (flow) => {
    let changed = false;
    const nodes = flow.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const next = fn(n);
      if (next !== n) changed = true;
      return next;
    });
    return changed ? { ...flow, nodes } : flow;
  });
}

/** Adds an empty flow tab named "Flow N" (first free N) unless a name is given. */
export function addFlow(
  doc: FlowDocument,
  name?: string,
  random: RandomHex = cryptoRandomHex,
): { doc: FlowDocument; flowId: string } {
  const id = newId(allIds(doc), random);
  let flowName = name?.trim();
  if (!flowName) {
    const names = new Set(doc.flows.map((f) => f.name));
    let n = doc.flows.length + 1;
    while (names.has(`Flow ${n}`)) n++;
    flowName = `Flow ${n}`;
  }
  const flow: Flow = { id, name: flowName, disabled: false, info: "", nodes: [] };
  return { doc: { ...doc, flows: [...doc.flows, flow] }, flowId: id };
}

export function renameFlow(doc: FlowDocument, flowId: string, name: string): FlowDocument {
  const trimmed = name.trim();
  if (!trimmed) return doc;
  return mapFlow(doc, flowId, (f) => (f.name === trimmed ? f : { ...f, name: trimmed }));
}

export interface NewNodeInput {
  type: string;
  x: number;
  y: number;
  config: Record<string, unknown>;
  name?: string;
  outputs: number;
}

/** Adds a node to a flow and returns its id. Positions are rounded to whole pixels. */
export function addNode(
  doc: FlowDocument,
  flowId: string,
  input: NewNodeInput,
  random: RandomHex = cryptoRandomHex,
): { doc: FlowDocument; nodeId: string } {
  const id = newId(allIds(doc), random);
  const node: FlowNode = {
    id,
    type: input.type,
    name: input.name ?? "",
    x: Math.round(input.x),
    y: Math.round(input.y),
    wires: Array.from({ length: Math.max(0, input.outputs) }, () => []),
    disabled: false,
    config: input.config,
  };
  const next = mapFlow(doc, flowId, (f) => ({ ...f, nodes: [...f.nodes, node] }));
  if (next === doc) throw new Error(`flow ${flowId} does not exist`);
  return { doc: next, nodeId: id };
}

/** Removes nodes and every wire that pointed at them. */
export function removeNodes(doc: FlowDocument, flowId: string, nodeIds: readonly string[]): FlowDocument {
  if (nodeIds.length === 0) return doc;
  const gone = new Set(nodeIds);
  return mapFlow(doc, flowId, (flow) => ({
    ...flow,
    nodes: flow.nodes
      .filter((n) => !gone.has(n.id))
      .map((n) =>
        n.wires.some((port) => port.some((t) => gone.has(t)))
          ? { ...n, wires: n.wires.map((port) => port.filter((t) => !gone.has(t))) }
          : n,
      ),
  }));
}

/** Wires output `port` of `sourceId` to `targetId`; a duplicate wire is ignored. */
export function connect(doc: FlowDocument, flowId: string, sourceId: string, port: number, targetId: string): FlowDocument {
  const flow = doc.flows.find((f) => f.id === flowId);
  if (!flow || !flow.nodes.some((n) => n.id === targetId)) return doc;
  return mapNode(doc, flowId, sourceId, (node) => {
    if (node.wires[port]?.includes(targetId)) return node;
    const wires = node.wires.map((p) => [...p]);
    while (wires.length <= port) wires.push([]);
    wires[port].push(targetId);
    return { ...node, wires };
  });
}

export function disconnect(doc: FlowDocument, flowId: string, sourceId: string, port: number, targetId: string): FlowDocument {
  return mapNode(doc, flowId, sourceId, (node) => {
    if (!node.wires[port]?.includes(targetId)) return node;
    return { ...node, wires: node.wires.map((p, i) => (i === port ? p.filter((t) => t !== targetId) : p)) };
  });
}

export function moveNode(doc: FlowDocument, flowId: string, nodeId: string, x: number, y: number): FlowDocument {
  const rx = Math.round(x);
  const ry = Math.round(y);
  return mapNode(doc, flowId, nodeId, (n) => (n.x === rx && n.y === ry ? n : { ...n, x: rx, y: ry }));
}

export function renameNode(doc: FlowDocument, flowId: string, nodeId: string, name: string): FlowDocument {
  return mapNode(doc, flowId, nodeId, (n) => (n.name === name ? n : { ...n, name }));
}

/**
 * Replaces a node's config. `outputs` is the port count the new config implies: wires of
 * ports that no longer exist are dropped, new ports start unwired.
 */
export function updateConfig(
  doc: FlowDocument,
  flowId: string,
  nodeId: string,
  config: Record<string, unknown>,
  outputs?: number,
): FlowDocument {
  return mapNode(doc, flowId, nodeId, (n) => {
    let wires = n.wires;
    if (outputs !== undefined && outputs !== wires.length) {
      wires = Array.from({ length: Math.max(0, outputs) }, (_, i) => n.wires[i] ?? []);
    }
    return { ...n, config, wires };
  });
}

export function setNodeDisabled(doc: FlowDocument, flowId: string, nodeId: string, disabled: boolean): FlowDocument {
  return mapNode(doc, flowId, nodeId, (n) => (n.disabled === disabled ? n : { ...n, disabled }));
}

export function configNodesOfType(doc: FlowDocument, type: string): ConfigNode[] {
  return doc.configNodes.filter((c) => c.type === type);
}

/** Makes sure there is at least one flow tab to draw on. */
export function ensureFlow(doc: FlowDocument, random: RandomHex = cryptoRandomHex): FlowDocument {
  return doc.flows.length > 0 ? doc : addFlow(doc, "Flow 1", random).doc;
}

/* ---- Flow tabs ---- */

/** Deletes a tab and its nodes (undo brings them back). Keeps at least one tab. */
export function removeFlow(doc: FlowDocument, flowId: string, random: RandomHex = cryptoRandomHex): FlowDocument {
  if (!doc.flows.some((f) => f.id === flowId)) return doc;
  return ensureFlow({ ...doc, flows: doc.flows.filter((f) => f.id !== flowId) }, random);
}

/** Moves a tab to `toIndex` (clamped); the other tabs keep their order. */
export function moveFlow(doc: FlowDocument, flowId: string, toIndex: number): FlowDocument {
  const from = doc.flows.findIndex((f) => f.id === flowId);
  if (from < 0) return doc;
  const to = Math.max(0, Math.min(doc.flows.length - 1, Math.round(toIndex)));
  if (to === from) return doc;
  const flows = [...doc.flows];
  const [flow] = flows.splice(from, 1);
  flows.splice(to, 0, flow);
  return { ...doc, flows };
}

/** A disabled tab stays in the document but none of its nodes run after the next deploy. */
export function setFlowDisabled(doc: FlowDocument, flowId: string, disabled: boolean): FlowDocument {
  return mapFlow(doc, flowId, (f) => (f.disabled === disabled ? f : { ...f, disabled }));
}

export function setFlowInfo(doc: FlowDocument, flowId: string, info: string): FlowDocument {
  return mapFlow(doc, flowId, (f) => (f.info === info ? f : { ...f, info }));
}

/* ---- Canvas helpers ---- */

/** Moves several nodes at once (a multi-node drag or arrow-key nudge). */
export function moveNodes(doc: FlowDocument, flowId: string, moves: readonly { id: string; x: number; y: number }[]): FlowDocument {
  if (moves.length === 0) return doc;
  const byId = new Map(moves.map((m) => [m.id, { x: Math.round(m.x), y: Math.round(m.y) }]));
  return mapFlow(doc, flowId, (flow) => {
    let changed = false;
    const nodes = flow.nodes.map((n) => {
      const m = byId.get(n.id);
      if (!m || (m.x === n.x && m.y === n.y)) return n;
      changed = true;
      return { ...n, x: m.x, y: m.y };
    });
    return changed ? { ...flow, nodes } : flow;
  });
}

/** Snaps the given nodes (all of the tab when none are given) to the nearest grid point. */
export function alignToGrid(doc: FlowDocument, flowId: string, grid: number, nodeIds?: Iterable<string>): FlowDocument {
  const flow = doc.flows.find((f) => f.id === flowId);
  if (!flow || grid <= 0) return doc;
  const only = nodeIds ? new Set(nodeIds) : null;
  const moves = flow.nodes
    .filter((n) => !only || only.has(n.id))
    .map((n) => ({ id: n.id, x: Math.round(n.x / grid) * grid, y: Math.round(n.y / grid) * grid }));
  return moveNodes(doc, flowId, moves);
}

/** Disconnects several wires of one tab. */
export function disconnectAll(doc: FlowDocument, flowId: string, wires: readonly { source: string; port: number; target: string }[]): FlowDocument {
  return wires.reduce((d, w) => disconnect(d, flowId, w.source, w.port, w.target), doc);
}
