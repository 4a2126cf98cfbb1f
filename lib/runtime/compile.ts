/**
 * compile(document) → Plan. Pure: no I/O, no timers, no MQTT. The executor runs a Plan.
 *
 * What compile decides:
 * - which nodes run: enabled nodes of enabled flows whose type has a behaviour;
 *   unknown types are kept in the document but skipped here, with a reason;
 * - each node's parsed config (defaults applied) and its wires, pruned to running nodes;
 * - the MQTT subscriptions per broker as a topic-filter trie (filter → node ids), used for
 *   reporting and tests; the connection manager keeps the live trie.
 */
import type { FlowDocument } from "../flow/schema";
import { validateDocument } from "../flow/validate";
import type { ValidationIssue } from "../api/schemas";
import type { AnyNodeDefinition } from "../nodes/types";
import { getNodeDefinition } from "../nodes/registry";
import { TopicTrie } from "../mqtt/trie";

export interface PlannedNode {
  id: string;
  type: string;
  name: string;
  flowId: string;
  config: Record<string, unknown>;
  /** wires[port] = ids of running nodes that port sends to. */
  wires: string[][];
  outputs: number;
}

export interface PlannedConfigNode {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
}

export interface Plan {
  nodes: ReadonlyMap<string, PlannedNode>;
  configNodes: ReadonlyMap<string, PlannedConfigNode>;
  /** Per broker id ("" = default broker): filter → ids of the mqtt in nodes on it. */
  subscriptions: ReadonlyMap<string, TopicTrie<string>>;
  skipped: readonly { nodeId: string; reason: string }[];
}

export interface CompileResult {
  /** null when the document has errors: an invalid draft is never run. */
  plan: Plan | null;
  issues: ValidationIssue[];
}

export interface CompileOptions {
  lookup?: (type: string) => AnyNodeDefinition | undefined;
  /** Whether the runtime has a behaviour for this type (default: every defined non-config type). */
  runnable?: (type: string) => boolean;
}

export function compile(document: FlowDocument, options: CompileOptions = {}): CompileResult {
  const lookup = options.lookup ?? getNodeDefinition;
  const { issues, normalized } = validateDocument(document, lookup);
  if (issues.some((i) => i.severity === "error")) return { plan: null, issues };

  const runnable = options.runnable ?? ((type: string) => {
    const def = lookup(type);
    return def !== undefined && !def.isConfig;
  });
  const skipped: { nodeId: string; reason: string }[] = [];
  const nodes = new Map<string, PlannedNode>();
  for (const flow of normalized.flows) {
    for (const node of flow.nodes) {
      if (flow.disabled) {
        skipped.push({ nodeId: node.id, reason: `flow '${flow.name}' is disabled` });
        continue;
      }
      if (node.disabled) {
        skipped.push({ nodeId: node.id, reason: "node is disabled" });
        continue;
      }
      const def = lookup(node.type);
      if (!def || !runnable(node.type)) {
        skipped.push({ nodeId: node.id, reason: `unknown node type '${node.type}'` });
        continue;
      }
      nodes.set(node.id, {
        id: node.id,
        type: node.type,
        name: node.name,
        flowId: flow.id,
        config: node.config,
        wires: node.wires,
        outputs: def.outputs(node.config),
      });
    }
  }
  // Wires to skipped nodes go nowhere.
  for (const node of nodes.values()) {
    node.wires = node.wires.map((port) => port.filter((target) => nodes.has(target)));
  }

  const configNodes = new Map<string, PlannedConfigNode>();
  for (const c of normalized.configNodes) configNodes.set(c.id, { id: c.id, type: c.type, name: c.name, config: c.config });

  const subscriptions = new Map<string, TopicTrie<string>>();
  for (const node of nodes.values()) {
    if (node.type !== "mqtt in") continue;
    const brokerId = typeof node.config.broker === "string" ? node.config.broker : "";
    const filter = String(node.config.topic ?? "");
    let trie = subscriptions.get(brokerId);
    if (!trie) subscriptions.set(brokerId, (trie = new TopicTrie<string>()));
    trie.add(filter, node.id);
  }
  return { plan: { nodes, configNodes, subscriptions, skipped }, issues };
}
