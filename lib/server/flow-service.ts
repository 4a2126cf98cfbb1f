/**
 * Drafts, deploys and Node-RED import/export: the application logic behind /api/flows,
 * /api/deploy, /api/deployments and /api/import|export/node-red. Route handlers parse and
 * authorize, then call one method here.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../../generated/prisma/client";
import type {
  DeploymentDetail,
  DeploymentSummary,
  DeployPreviewResponse,
  DeployResponse,
  DraftResponse,
  ExampleSummary,
  ImportResponse,
} from "../api/schemas";
import { flowDocumentSchema, type ConfigNode, type FlowDocument } from "../flow/schema";
import { hasErrors, parseDocument, validateDocument } from "../flow/validate";
import { diffDocuments, countNodes, hasChanges } from "../flow/diff";
import { fromNodeRed, toNodeRed, type NodeRedNode } from "../flow/node-red";
import { compile } from "../runtime/compile";
import type { Runtime } from "../runtime/executor";
import { getDraft, saveDraft } from "../db/draft-repo";
import { createDeployment, getDeployment, latestDeployment, listDeployments, toDeploymentSummary } from "../db/deployment-repo";

/**
 * A request the caller got wrong: becomes a 4xx with these details. Recognised by its
 * `userError` brand, not instanceof: route handlers are bundled by Next and hold their own
 * copy of this class, while the instance comes from server.ts's copy.
 */
export class UserInputError extends Error {
  readonly userError = true;
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 422,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "UserInputError";
  }
}

export function isUserInputError(err: unknown): err is UserInputError {
  return (
    err instanceof Error &&
    (err as Partial<UserInputError>).userError === true &&
    typeof (err as Partial<UserInputError>).status === "number"
  );
}

export interface FlowServiceHooks {
  onDeployed(deploymentId: number, nodes: number): void;
  /**
   * Wraps starting a plan: the app holds MQTT subscription changes during the swap (so an
   * unchanged `mqtt in` causes no broker traffic and loses no message) and waits until the
   * broker acknowledged the new ones, so Deploy's answer means "running".
   */
  swap<T>(start: () => Promise<T>): Promise<T>;
  /**
   * The Brokers page's rows as mqtt-broker config nodes (lib/brokers/service.ts): mqtt in/out
   * may reference a row by id, so they are added to a document (unless it has a node with that
   * id) before validating or compiling it, and to Node-RED exports for the rows referenced.
   */
  brokerConfigNodes?(purpose: "compile" | "export"): ConfigNode[];
}

export class FlowService {
  /** Serializes deploys: two at once would interleave stop/start. */
  private deploying: Promise<unknown> = Promise.resolve();
  private deployed: { id: number; document: FlowDocument } | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly runtime: Runtime,
    private readonly hooks: FlowServiceHooks,
    /** Folder of the shipped example flows (Node-RED flows.json files). */
    private readonly examplesDir: string = path.resolve("flows"),
  ) {}

  /** Runs the newest deployment (at start). Returns its id, or null if there is none. */
  async startLatest(): Promise<{ id: number; nodes: number } | null> {
    if (this.deployed) return { id: this.deployed.id, nodes: this.runtime.nodeCount };
    const latest = await latestDeployment(this.prisma);
    if (!latest) return null;
    const { plan, issues } = compile(this.withBrokers(latest.document));
    if (!plan) {
      throw new Error(
        `Deployment #${latest.id} no longer compiles: ${issues.filter((i) => i.severity === "error").map((i) => i.message).join("; ")}`,
      );
    }
    await this.hooks.swap(() => this.runtime.deploy(plan));
    this.deployed = { id: latest.id, document: latest.document };
    return { id: latest.id, nodes: plan.nodes.size };
  }

  get deployedId(): number | null {
    return this.deployed?.id ?? null;
  }

  async getDraft(): Promise<DraftResponse> {
    const document = await getDraft(this.prisma);
    return this.draftResponse(document);
  }

  async saveDraft(input: unknown): Promise<DraftResponse> {
    const document = this.parse(input);
    await saveDraft(this.prisma, document);
    return this.draftResponse(document);
  }

  async deploy(opts: { note: string; user: string }): Promise<DeployResponse> {
    const run = this.deploying.then(() => this.deployNow(opts));
    this.deploying = run.catch(() => undefined);
    return run;
  }

  async listDeployments(): Promise<DeploymentSummary[]> {
    return listDeployments(this.prisma);
  }

  /** What Deploy would change and which problems it would refuse, without deploying or storing anything. */
  async previewDeploy(): Promise<DeployPreviewResponse> {
    const document = await getDraft(this.prisma);
    const { issues } = compile(this.withBrokers(document));
    const before = this.deployed?.document ?? (await latestDeployment(this.prisma))?.document ?? null;
    return { changes: diffDocuments(before, document), issues, deployedId: this.deployedId };
  }

  async getDeployment(id: number): Promise<DeploymentDetail> {
    const record = await getDeployment(this.prisma, id);
    if (!record) throw new UserInputError(`Deployment #${id} does not exist: pick one from GET /api/deployments`, 404);
    const { document, ...summary } = record;
    return { deployment: toDeploymentSummary(summary), document };
  }

  /** Makes deployment `id`'s document the draft (the user then deploys it). Nothing is deployed here. */
  async rollback(id: number): Promise<DraftResponse> {
    const { document } = await this.getDeployment(id);
    await saveDraft(this.prisma, document);
    return this.draftResponse(document);
  }

  /** The shipped example flows: every flows/*.json that is a Node-RED flows.json array. */
  async listExamples(): Promise<ExampleSummary[]> {
    let files: string[];
    try {
      files = (await fs.readdir(this.examplesDir)).filter((f) => f.endsWith(".json")).sort();
    } catch {
      return [];
    }
    const out: ExampleSummary[] = [];
    for (const file of files) {
      const name = file.slice(0, -".json".length);
      const json = await this.readExample(name).catch(() => null);
      if (!Array.isArray(json)) continue; // dashboards and other non-flow files
      const tabs = json.filter((e): e is { label?: unknown; info?: unknown } => isObject(e) && e.type === "tab");
      const title = tabs.map((t) => (typeof t.label === "string" ? t.label : "")).filter(Boolean).join(", ") || name;
      const info = tabs.map((t) => (typeof t.info === "string" ? t.info : "")).find(Boolean) ?? "";
      out.push({ name, title, description: info.split(/\n\s*\n/)[0].trim() });
    }
    return out;
  }

  /** One example's flows.json array. */
  async getExample(name: string): Promise<unknown[]> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes("..")) {
      throw new UserInputError(`'${name}' is not an example name: use a name from GET /api/examples`, 400);
    }
    const json = await this.readExample(name).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") throw new UserInputError(`No example named '${name}': use a name from GET /api/examples`, 404);
      throw err;
    });
    if (!Array.isArray(json)) throw new UserInputError(`'${name}' is not a flow example: use a name from GET /api/examples`, 404);
    return json;
  }

  private async readExample(name: string): Promise<unknown> {
    return JSON.parse(await fs.readFile(path.join(this.examplesDir, `${name}.json`), "utf8")) as unknown;
  }

  async importNodeRed(json: unknown, opts: { deploy: boolean; user: string }): Promise<ImportResponse> {
    const { document, issues } = fromNodeRed(json);
    if (hasErrors(issues) && document.flows.length === 0 && document.configNodes.length === 0) {
      throw new UserInputError("Not a Node-RED flows.json: expected an array of nodes", 400, issues);
    }
    const validation = validateDocument(this.withBrokers(document));
    const allIssues = [...issues, ...validation.issues];
    if (opts.deploy && hasErrors(allIssues)) {
      throw new UserInputError("The imported flows have errors: nothing was imported or deployed", 422, allIssues);
    }
    await saveDraft(this.prisma, document);
    let deployment: DeploymentSummary | null = null;
    if (opts.deploy) deployment = (await this.deploy({ note: "import from Node-RED", user: opts.user })).deployment;
    return { document, issues: allIssues, deployment };
  }

  async exportNodeRed(source: "draft" | "deployed"): Promise<NodeRedNode[]> {
    if (source === "deployed") {
      const latest = await latestDeployment(this.prisma);
      if (!latest) throw new UserInputError("Nothing is deployed yet: deploy first or export the draft", 404);
      return toNodeRed(this.withBrokers(latest.document, true));
    }
    return toNodeRed(this.withBrokers(await getDraft(this.prisma), true));
  }

  private async deployNow(opts: { note: string; user: string }): Promise<DeployResponse> {
    const document = await getDraft(this.prisma);
    const { plan, issues } = compile(this.withBrokers(document));
    if (!plan) {
      throw new UserInputError(
        `The draft has ${issues.filter((i) => i.severity === "error").length} error(s): fix them, then deploy again`,
        422,
        issues,
      );
    }
    const before = this.deployed?.document ?? (await latestDeployment(this.prisma))?.document ?? null;
    const changes = diffDocuments(before, document);
    const nodeCount = countNodes(document);
    // Persist first: if the process dies now, the next start runs exactly this deployment.
    const row = await createDeployment(this.prisma, { document, note: opts.note, createdBy: opts.user, nodeCount });
    await this.hooks.swap(() => this.runtime.deploy(plan));
    this.deployed = { id: row.id, document };
    this.hooks.onDeployed(row.id, plan.nodes.size);
    return {
      deployment: { id: row.id, createdAt: row.createdAt.toISOString(), createdBy: opts.user, note: opts.note, nodeCount },
      changes,
      issues,
    };
  }

  private parse(input: unknown): FlowDocument {
    const parsed = parseDocument(input);
    if (!parsed.document) throw new UserInputError("Invalid flow document", 400, parsed.issues);
    return flowDocumentSchema.parse(parsed.document);
  }

  /**
   * The document plus the Brokers page's rows that its nodes reference, as mqtt-broker config
   * nodes (ids the document already uses win). `forExport`: without Flowhouse's marker.
   */
  private withBrokers(document: FlowDocument, forExport = false): FlowDocument {
    const rows = this.hooks.brokerConfigNodes?.(forExport ? "export" : "compile") ?? [];
    if (rows.length === 0) return document;
    const taken = new Set<string>(document.configNodes.map((c) => c.id));
    const refs = new Set<string>();
    for (const flow of document.flows) {
      for (const node of flow.nodes) {
        taken.add(node.id);
        const ref = node.config.broker;
        if (typeof ref === "string" && ref !== "") refs.add(ref);
      }
    }
    const extra = rows.filter((r) => refs.has(r.id) && !taken.has(r.id));
    return extra.length === 0 ? document : { ...document, configNodes: [...document.configNodes, ...extra] };
  }

  private draftResponse(document: FlowDocument): DraftResponse {
    const { issues } = validateDocument(this.withBrokers(document));
    const deployedDoc = this.deployed?.document ?? null;
    const differs =
      deployedDoc === null
        ? countNodes(document) > 0
        : hasChanges(diffDocuments(deployedDoc, document)) || flowsMetaDiffer(deployedDoc, document);
    return { document, issues, deployedId: this.deployedId, differsFromDeployed: differs };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Tab names, order, info and disabled flags: not node changes, but still undeployed edits. */
function flowsMetaDiffer(a: FlowDocument, b: FlowDocument): boolean {
  const meta = (d: FlowDocument) => JSON.stringify(d.flows.map((f) => [f.id, f.name, f.disabled, f.info]));
  return meta(a) !== meta(b);
}
