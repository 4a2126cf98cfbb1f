/**
 * The draft: what the editor edits, stored as one Flow row per tab (nodes as JSON) and one
 * ConfigNode row per config node. saveDraft replaces everything in one transaction, so a
 * reader sees the old draft or the new one, never a mix.
 *
 * Unreadable rows (JSON edited by hand, a bad disk) are not skipped silently: getDraft throws
 * DraftReadError naming the flow or config node, so the API can say which tab is broken and
 * the user can replace the draft (PUT /api/flows, an import, or the latest deployment).
 */
import { z } from "zod";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  SCHEMA_VERSION,
  configNodeSchema,
  flowNodeSchema,
  flowSchema,
  type ConfigNode,
  type Flow,
  type FlowDocument,
} from "../flow/schema";

/** A stored draft row that cannot be turned back into a flow or config node. */
export class DraftReadError extends Error {
  override readonly name = "DraftReadError";
  constructor(
    message: string,
    /** Id of the unreadable flow (tab), if a flow row is broken. */
    readonly flowId: string | undefined,
    /** Id of the unreadable config node, if a config node row is broken. */
    readonly configNodeId: string | undefined = undefined,
  ) {
    super(message);
  }
}

const nodesColumn = z.array(flowNodeSchema);
const configColumn = z.record(z.string(), z.unknown());

function parseJsonColumn<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    return { ok: false, reason: `unexpected content${where}: ${first?.message ?? "invalid"}` };
  }
  return { ok: true, value: parsed.data };
}

const RESTORE_HINT = "Replace the draft (save from the editor, import a flows.json, or redeploy the latest deployment).";

/** The whole draft: flows in tab order, then the config nodes in their saved order. */
export async function getDraft(prisma: PrismaClient): Promise<FlowDocument> {
  const [flowRows, configRows] = await Promise.all([
    prisma.flow.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }] }),
    prisma.configNode.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }] }),
  ]);
  const flows: Flow[] = flowRows.map((row) => {
    const nodes = parseJsonColumn(row.nodes, nodesColumn);
    if (!nodes.ok) {
      throw new DraftReadError(`Draft flow '${row.name}' (id ${row.id}) cannot be read: its nodes are ${nodes.reason}. ${RESTORE_HINT}`, row.id);
    }
    const flow = flowSchema.safeParse({ id: row.id, name: row.name, disabled: row.disabled, info: row.info, nodes: nodes.value });
    if (!flow.success) {
      throw new DraftReadError(
        `Draft flow '${row.name}' (id ${row.id}) cannot be read: ${flow.error.issues[0]?.message ?? "invalid"}. ${RESTORE_HINT}`,
        row.id,
      );
    }
    return flow.data;
  });
  const configNodes: ConfigNode[] = configRows.map((row) => {
    const config = parseJsonColumn(row.config, configColumn);
    const node = config.ok ? configNodeSchema.safeParse({ id: row.id, type: row.type, name: row.name, config: config.value }) : null;
    if (!node?.success) {
      const reason = !config.ok ? `its configuration is ${config.reason}` : (node?.error.issues[0]?.message ?? "invalid");
      throw new DraftReadError(
        `Draft config node '${row.name || row.id}' (${row.type}, id ${row.id}) cannot be read: ${reason}. ${RESTORE_HINT}`,
        undefined,
        row.id,
      );
    }
    return node.data;
  });
  return { schemaVersion: SCHEMA_VERSION, flows, configNodes };
}

function firstDuplicate(ids: string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

/** Replaces the whole draft in one transaction: on any error the previous draft stays intact. */
export async function saveDraft(prisma: PrismaClient, doc: FlowDocument): Promise<void> {
  const dupFlow = firstDuplicate(doc.flows.map((f) => f.id));
  if (dupFlow !== undefined) throw new Error(`Two flows share the id '${dupFlow}': give each tab its own id, then save again.`);
  const dupConfig = firstDuplicate(doc.configNodes.map((c) => c.id));
  if (dupConfig !== undefined) {
    throw new Error(`Two config nodes share the id '${dupConfig}': give each config node its own id, then save again.`);
  }
  await prisma.$transaction([
    prisma.flow.deleteMany(),
    prisma.configNode.deleteMany(),
    prisma.flow.createMany({
      data: doc.flows.map((f, position) => ({
        id: f.id,
        name: f.name,
        position,
        disabled: f.disabled,
        info: f.info,
        nodes: JSON.stringify(f.nodes),
      })),
    }),
    prisma.configNode.createMany({
      data: doc.configNodes.map((c, position) => ({
        id: c.id,
        type: c.type,
        name: c.name,
        position,
        config: JSON.stringify(c.config),
      })),
    }),
  ]);
}

/** True when the draft holds at least one flow or config node. */
export async function hasDraft(prisma: PrismaClient): Promise<boolean> {
  const [flows, configNodes] = await Promise.all([prisma.flow.count(), prisma.configNode.count()]);
  return flows + configNodes > 0;
}
