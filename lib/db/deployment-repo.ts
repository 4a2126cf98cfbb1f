/**
 * Deployments: immutable snapshots of the whole draft, one row per deploy (the version
 * history). The document is stored as JSON exactly as deployed and read back through the
 * flow document schema.
 */
import type { PrismaClient } from "../../generated/prisma/client";
import type { DeploymentSummary } from "../api/schemas";
import { flowDocumentSchema, type FlowDocument } from "../flow/schema";

export interface DeploymentRecord {
  id: number;
  createdAt: Date;
  createdBy: string;
  note: string;
  nodeCount: number;
  document: FlowDocument;
}

export interface NewDeployment {
  document: FlowDocument;
  note: string;
  createdBy: string;
  nodeCount: number;
}

/** A stored deployment whose document cannot be read back. */
export class DeploymentReadError extends Error {
  override readonly name = "DeploymentReadError";
  constructor(
    message: string,
    readonly deploymentId: number,
  ) {
    super(message);
  }
}

interface DeploymentRow {
  id: number;
  createdAt: Date;
  createdBy: string;
  note: string;
  nodeCount: number;
  document: string;
}

function toRecord(row: DeploymentRow): DeploymentRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(row.document);
  } catch (err) {
    throw new DeploymentReadError(
      `Deployment #${row.id} cannot be read: its document is not valid JSON (${(err as Error).message}). Deploy the draft again to replace it.`,
      row.id,
    );
  }
  const parsed = flowDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DeploymentReadError(
      `Deployment #${row.id} cannot be read: ${first ? `${first.path.join(".") || "document"}: ${first.message}` : "invalid document"}. Deploy the draft again to replace it.`,
      row.id,
    );
  }
  return {
    id: row.id,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    note: row.note,
    nodeCount: row.nodeCount,
    document: parsed.data,
  };
}

export function toDeploymentSummary(d: Omit<DeploymentRecord, "document">): DeploymentSummary {
  return { id: d.id, createdAt: d.createdAt.toISOString(), createdBy: d.createdBy, note: d.note, nodeCount: d.nodeCount };
}

export async function createDeployment(prisma: PrismaClient, input: NewDeployment): Promise<DeploymentRecord> {
  const row = await prisma.deployment.create({
    data: {
      document: JSON.stringify(input.document),
      note: input.note,
      createdBy: input.createdBy,
      nodeCount: input.nodeCount,
    },
  });
  return { ...row, document: input.document };
}

/** The newest deployment, or null before the first deploy. */
export async function latestDeployment(prisma: PrismaClient): Promise<DeploymentRecord | null> {
  const row = await prisma.deployment.findFirst({ orderBy: { id: "desc" } });
  return row ? toRecord(row) : null;
}

/** Summaries (no documents), newest first. */
export async function listDeployments(prisma: PrismaClient, limit = 100): Promise<DeploymentSummary[]> {
  const rows = await prisma.deployment.findMany({
    orderBy: { id: "desc" },
    take: Math.max(0, Math.floor(limit)),
    select: { id: true, createdAt: true, createdBy: true, note: true, nodeCount: true },
  });
  return rows.map(toDeploymentSummary);
}

export async function getDeployment(prisma: PrismaClient, id: number): Promise<DeploymentRecord | null> {
  const row = await prisma.deployment.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}
