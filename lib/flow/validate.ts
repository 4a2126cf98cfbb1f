/**
 * Validates a flow document against the node definitions, with messages a person can act
 * on: "Node 'Garage light' (trigger): duration must be a number, got \"abc\"". Every issue
 * carries the node and flow id so the editor can select the node. Pure and browser-safe.
 *
 * What is checked:
 *  - ids are unique across flows, flow nodes and config nodes;
 *  - each known node's `config` parses with its definition's schema (`normalized` holds the
 *    parsed configs, defaults applied; configs that fail keep their original value);
 *  - wires: targets exist, are on the same flow and have an input; no wires on ports the
 *    node does not have;
 *  - config node references (fields whose FieldHint has `configNodeType`) point to an
 *    existing config node of that type; "" is accepted when the schema accepts it (for the
 *    MQTT nodes "" means the default broker);
 *  - config-only types sit in `configNodes` and nothing else does; unknown types are
 *    warnings (kept, not run).
 * Disabled nodes and flows are validated like the others: enabling them must not surprise.
 */
import type { z } from "zod";
import type { ValidationIssue } from "../api/schemas";
import type { AnyNodeDefinition } from "../nodes/types";
import { getNodeDefinition } from "../nodes/registry";
import { flowDocumentSchema, type ConfigNode, type FlowDocument, type FlowNode } from "./schema";
import { describeProblem, formatPath, sentence, valueAt } from "./issue-text";

export type DefinitionLookup = (type: string) => AnyNodeDefinition | undefined;

export interface ValidationResult {
  issues: ValidationIssue[];
  normalized: FlowDocument;
}

/** How a node is named in messages: its name, or its id when it has none. */
export function nodeLabel(node: { id: string; name?: string }): string {
  return node.name && node.name.trim() !== "" ? node.name : node.id;
}

/** "Node 'Garage light' (trigger)" */
export function nodeSubject(node: { id: string; name?: string; type: string }): string {
  return `Node '${nodeLabel(node)}' (${node.type})`;
}

/** The title a field has in the form (zod `.meta({title})`), if any. */
export function fieldTitle(def: AnyNodeDefinition, field: string): string | undefined {
  const schema = fieldSchema(def.config, field);
  return schema ? metaTitle(schema) : undefined;
}

type AnySchema = z.ZodType;

/** Steps through wrappers (default, optional, pipe/preprocess…) to the schema inside. */
function unwrapOnce(schema: AnySchema): AnySchema | undefined {
  const def = (schema as unknown as { def?: { type?: string; innerType?: AnySchema; in?: AnySchema; out?: AnySchema } }).def;
  if (!def) return undefined;
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
    case "catch":
    case "readonly":
    case "nonoptional":
      return def.innerType;
    case "pipe":
      // z.preprocess(fn, inner) is a pipe from a transform into `inner`.
      return (def.in as unknown as { def?: { type?: string } })?.def?.type === "transform" ? def.out : def.in;
    default:
      return undefined;
  }
}

function metaTitle(schema: AnySchema): string | undefined {
  for (let s: AnySchema | undefined = schema, depth = 0; s && depth < 8; s = unwrapOnce(s), depth++) {
    const meta = (s as unknown as { meta?: () => Record<string, unknown> | undefined }).meta?.();
    if (meta && typeof meta.title === "string" && meta.title !== "") return meta.title;
  }
  return undefined;
}

function fieldSchema(schema: AnySchema, field: string): AnySchema | undefined {
  for (let s: AnySchema | undefined = schema, depth = 0; s && depth < 8; s = unwrapOnce(s), depth++) {
    const shape = (s as unknown as { shape?: Record<string, AnySchema> }).shape;
    if (shape && typeof shape === "object") return shape[field];
  }
  return undefined;
}

interface Located {
  node: FlowNode | ConfigNode;
  flowId?: string;
  /** On a flow (has wires, position) or in configNodes. */
  where: "flow" | "config";
}

function issueFor(loc: Located, message: string, extra: Partial<ValidationIssue> = {}): ValidationIssue {
  const issue: ValidationIssue = {
    nodeId: loc.node.id,
    nodeName: loc.node.name,
    nodeType: loc.node.type,
    message,
    severity: "error",
    ...extra,
  };
  if (loc.flowId !== undefined) issue.flowId = loc.flowId;
  return issue;
}

export function validateDocument(doc: FlowDocument, lookup: DefinitionLookup = getNodeDefinition): ValidationResult {
  const issues: ValidationIssue[] = [];

  // Index every node; report duplicate ids (flows, flow nodes and config nodes share one id space).
  const byId = new Map<string, Located>();
  const flowIds = new Map<string, string>();
  const claim = (id: string, what: string, report: (message: string) => void) => {
    const previous = flowIds.get(id) ?? (byId.has(id) ? nodeSubject(byId.get(id)!.node) : undefined);
    if (previous !== undefined) {
      report(`${what} has the id '${id}', which ${previous} already uses: every id must be unique (change one of them)`);
      return false;
    }
    return true;
  };
  for (const flow of doc.flows) {
    if (claim(flow.id, `Flow '${flow.name}'`, (message) => issues.push({ flowId: flow.id, message, severity: "error" }))) {
      flowIds.set(flow.id, `flow '${flow.name}'`);
    }
  }
  const all: Located[] = [];
  for (const flow of doc.flows) for (const node of flow.nodes) all.push({ node, flowId: flow.id, where: "flow" });
  for (const node of doc.configNodes) all.push({ node, where: "config" });
  for (const loc of all) {
    if (claim(loc.node.id, nodeSubject(loc.node), (message) => issues.push(issueFor(loc, message, { field: "id" })))) {
      byId.set(loc.node.id, loc);
    }
  }

  // Per-node config, placement and references.
  const parsed = new Map<FlowNode | ConfigNode, Record<string, unknown>>();
  for (const loc of all) {
    const { node } = loc;
    const def = lookup(node.type);
    const subject = nodeSubject(node);
    if (!def) {
      issues.push(
        issueFor(
          loc,
          `Node '${nodeLabel(node)}' has unknown type '${node.type}': kept as is but not run (install support or remove it)`,
          { severity: "warning" },
        ),
      );
      continue;
    }
    if (loc.where === "flow" && def.isConfig) {
      issues.push(issueFor(loc, `${subject} is a configuration node and cannot sit on a flow (move it to the configuration nodes)`));
      continue;
    }
    if (loc.where === "config" && !def.isConfig) {
      // e.g. a node inside a Node-RED subflow: kept for export, never run.
      issues.push(
        issueFor(loc, `${subject} is not on any flow: kept as is but not run (place it on a flow or remove it)`, {
          severity: "warning",
        }),
      );
      continue;
    }

    const result = def.config.safeParse(node.config);
    if (!result.success) {
      for (const zi of result.error.issues) {
        const path = zi.path as PropertyKey[];
        const top = path.length > 0 ? String(path[0]) : undefined;
        // Fields are named as in Node-RED (and in the node's own messages): "duration", "rules[0].t".
        const name = top === undefined ? "configuration" : formatPath(path);
        // A message the definition wrote may start with the field's name or its form title ("output must be…").
        const subjects = top === undefined ? [name] : [name, top, fieldTitle(def, top) ?? ""];
        const problem = describeProblem(zi, valueAt(node.config, path), subjects);
        const extra: Partial<ValidationIssue> = {};
        if (top !== undefined) extra.field = top;
        issues.push(issueFor(loc, `${subject}: ${sentence(name, problem)}`, extra));
      }
      continue;
    }
    parsed.set(node, result.data);

    for (const [field, hint] of Object.entries(def.fields ?? {})) {
      if (!hint.configNodeType) continue;
      const ref = result.data[field];
      if (ref === undefined || ref === null || ref === "") continue; // the schema accepted "empty" (e.g. the default broker)
      if (typeof ref !== "string") continue; // the schema's business
      const target = byId.get(ref);
      if (!target || target.where !== "config") {
        issues.push(
          issueFor(
            loc,
            `${subject}: ${field} refers to ${hint.configNodeType} '${ref}', which does not exist (choose an existing ${hint.configNodeType} or import it)`,
            { field },
          ),
        );
      } else if (target.node.type !== hint.configNodeType) {
        issues.push(
          issueFor(
            loc,
            `${subject}: ${field} refers to '${nodeLabel(target.node)}', a ${target.node.type}, but needs a ${hint.configNodeType} (choose another)`,
            { field },
          ),
        );
      }
    }
  }

  // Wires.
  for (const loc of all) {
    if (loc.where !== "flow") continue;
    const node = loc.node as FlowNode;
    const def = lookup(node.type);
    const config = parsed.get(node);
    const outputs = def && config && !def.isConfig ? safeOutputs(def, config) : undefined;
    const subject = nodeSubject(node);
    node.wires.forEach((targets, port) => {
      if (outputs !== undefined && port >= outputs && targets.length > 0) {
        issues.push(
          issueFor(
            loc,
            `${subject}: output ${port + 1} is wired but the node has ${outputs === 0 ? "no outputs" : outputs === 1 ? "only 1 output" : `only ${outputs} outputs`} (remove the wire from output ${port + 1})`,
            { field: "wires" },
          ),
        );
      }
      for (const targetId of targets) {
        const target = byId.get(targetId);
        if (!target) {
          issues.push(
            issueFor(loc, `${subject}: output ${port + 1} is wired to node '${targetId}', which does not exist (remove the wire)`, {
              field: "wires",
            }),
          );
          continue;
        }
        const targetSubject = nodeSubject(target.node);
        if (target.where !== "flow") {
          issues.push(
            issueFor(loc, `${subject}: output ${port + 1} is wired to ${targetSubject}, a configuration node that takes no messages (remove the wire)`, {
              field: "wires",
            }),
          );
          continue;
        }
        if (target.flowId !== loc.flowId) {
          issues.push(
            issueFor(
              loc,
              `${subject}: output ${port + 1} is wired to ${targetSubject} on another flow: wires cannot cross flows (remove the wire)`,
              { field: "wires" },
            ),
          );
          continue;
        }
        const targetDef = lookup(target.node.type);
        if (targetDef && targetDef.inputs === 0) {
          issues.push(
            issueFor(loc, `${subject}: output ${port + 1} is wired to ${targetSubject}, which has no input (remove the wire)`, {
              field: "wires",
            }),
          );
        }
      }
    });
  }

  const normalized: FlowDocument = {
    ...doc,
    flows: doc.flows.map((flow) => ({
      ...flow,
      nodes: flow.nodes.map((node) => (parsed.has(node) ? { ...node, config: parsed.get(node)! } : node)),
    })),
    configNodes: doc.configNodes.map((node) => (parsed.has(node) ? { ...node, config: parsed.get(node)! } : node)),
  };
  return { issues, normalized };
}

function safeOutputs(def: AnyNodeDefinition, config: Record<string, unknown>): number | undefined {
  try {
    const n = def.outputs(config);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}

export type ParseDocumentResult =
  | { ok: true; document: FlowDocument; issues: ValidationIssue[] }
  | { ok: false; document: null; issues: ValidationIssue[] };

/**
 * Parses untrusted input (an API body, a stored draft) as a flow document. Issues name the
 * path and, inside a node, the node: "flows[0].nodes[3].wires: must be a list, got \"x\"".
 */
export function parseDocument(input: unknown): ParseDocumentResult {
  const result = flowDocumentSchema.safeParse(input);
  if (result.success) return { ok: true, document: result.data, issues: [] };
  const issues = result.error.issues.map((zi): ValidationIssue => {
    const path = zi.path as PropertyKey[];
    const problem = describeProblem(zi, valueAt(input, path));
    const where = path.length === 0 ? "document" : formatPath(path);
    const issue: ValidationIssue = { message: sentence(where, problem), severity: "error" };
    // Name the flow and node the path runs through, when their ids are readable.
    if (path[0] === "flows" && typeof path[1] === "number") {
      const flowId = valueAt(input, ["flows", path[1], "id"]);
      if (typeof flowId === "string") issue.flowId = flowId;
      if (path[2] === "nodes" && typeof path[3] === "number") attachNode(issue, valueAt(input, path.slice(0, 4)), path[4]);
    } else if (path[0] === "configNodes" && typeof path[1] === "number") {
      attachNode(issue, valueAt(input, path.slice(0, 2)), path[2]);
    }
    return issue;
  });
  return { ok: false, document: null, issues };
}

function attachNode(issue: ValidationIssue, raw: unknown, field: PropertyKey | undefined): void {
  if (raw === null || typeof raw !== "object") return;
  const r = raw as Record<string, unknown>;
  if (typeof r.id === "string") issue.nodeId = r.id;
  if (typeof r.name === "string") issue.nodeName = r.name;
  if (typeof r.type === "string") issue.nodeType = r.type;
  if (typeof field === "string") issue.field = field;
}
