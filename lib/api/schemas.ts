/**
 * Request and response bodies of the HTTP API, shared by route handlers, the editor and
 * tests. Paths are contracts (scripts and benchmarks depend on them):
 *   GET  /api/health                → HealthResponse (no auth)
 *   GET  /api/flows                 → DraftResponse
 *   PUT  /api/flows                 ← FlowDocumentInput  → DraftResponse
 *   POST /api/deploy                ← DeployRequest      → DeployResponse (422 + ValidationIssue[] if invalid)
 *   POST /api/deploy?dryRun=1       → DeployPreviewResponse (nothing stored or deployed)
 *   GET  /api/deployments           → DeploymentSummary[]
 *   GET  /api/deployments/:id       → DeploymentDetail (summary + document)
 *   POST /api/deployments/:id/rollback → DraftResponse (that document becomes the draft)
 *   GET  /api/examples              → ExampleSummary[] (flows/*.json)
 *   GET  /api/examples/:name        → Node-RED flows.json array
 *   POST /api/nodes/:id/active      ← NodeActiveRequest → {ok, active} (debug node sidebar output)
 *   POST /api/import/node-red[?deploy=1] ← flows.json array → ImportResponse
 *   GET  /api/export/node-red       → flows.json array
 *   POST /api/auth/login            ← LoginRequest → {user}; sets the session cookie
 *   POST /api/auth/logout
 *   POST /api/nodes/:id/trigger     → press an inject node's button
 *   GET  /api/context               → ContextResponse (node, flow and global context)
 * Errors: ApiError with a 4xx status; never a stack trace.
 */
import { z } from "zod";
import { flowDocumentSchema } from "../flow/schema";

export const apiErrorSchema = z.object({
  error: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** One problem found in a draft, precise enough for the editor to select the node. */
export const validationIssueSchema = z.object({
  nodeId: z.string().optional(),
  nodeName: z.string().optional(),
  nodeType: z.string().optional(),
  flowId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  severity: z.enum(["error", "warning"]),
});
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

export const healthResponseSchema = z.object({
  ok: z.boolean(),
  broker: z.object({ connected: z.boolean(), url: z.string(), embedded: z.boolean() }),
  deployment: z.object({ id: z.number().nullable(), nodes: z.number() }),
  /** Every broker's connection (the default "" first, then the Brokers page's rows, then the flows' mqtt-broker nodes). */
  brokers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      connected: z.boolean(),
      /** The last connection error in words, null after a successful connect. */
      lastError: z.string().nullable(),
      reconnects: z.number().int(),
      /** QoS 1/2 publishes waiting for this broker. */
      outbox: z.number().int(),
    }),
  ),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const draftResponseSchema = z.object({
  document: flowDocumentSchema,
  /** Warnings (unknown node types, ...) and errors found in the draft. */
  issues: z.array(validationIssueSchema),
  /** Id of the deployment the draft was last compared with, and whether it differs. */
  deployedId: z.number().nullable(),
  differsFromDeployed: z.boolean(),
});
export type DraftResponse = z.infer<typeof draftResponseSchema>;

export const deployRequestSchema = z
  .object({ note: z.string().max(500).default("") })
  .default({ note: "" });

export const nodeChangeSummarySchema = z.object({
  added: z.array(z.string()),
  changed: z.array(z.string()),
  removed: z.array(z.string()),
});
export type NodeChangeSummary = z.infer<typeof nodeChangeSummarySchema>;

export const deploymentSummarySchema = z.object({
  id: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  note: z.string(),
  nodeCount: z.number(),
});
export type DeploymentSummary = z.infer<typeof deploymentSummarySchema>;

export const deployResponseSchema = z.object({
  deployment: deploymentSummarySchema,
  changes: nodeChangeSummarySchema,
  issues: z.array(validationIssueSchema),
});
export type DeployResponse = z.infer<typeof deployResponseSchema>;

/** What a deploy would do, computed without deploying (POST /api/deploy?dryRun=1). */
export const deployPreviewResponseSchema = z.object({
  changes: nodeChangeSummarySchema,
  issues: z.array(validationIssueSchema),
  /** Id of the deployment the draft was compared with (null: nothing deployed yet). */
  deployedId: z.number().nullable(),
});
export type DeployPreviewResponse = z.infer<typeof deployPreviewResponseSchema>;

export const deploymentDetailSchema = z.object({
  deployment: deploymentSummarySchema,
  document: flowDocumentSchema,
});
export type DeploymentDetail = z.infer<typeof deploymentDetailSchema>;

/** A shipped example flow in flows/ (importable from the editor's menu). */
export const exampleSummarySchema = z.object({
  /** File name without .json: the :name of GET /api/examples/:name */
  name: z.string(),
  title: z.string(),
  description: z.string(),
});
export type ExampleSummary = z.infer<typeof exampleSummarySchema>;

export const nodeActiveRequestSchema = z.object({ active: z.boolean() });
export type NodeActiveRequest = z.infer<typeof nodeActiveRequestSchema>;

export const importResponseSchema = z.object({
  document: flowDocumentSchema,
  issues: z.array(validationIssueSchema),
  deployment: deploymentSummarySchema.nullable(),
});
export type ImportResponse = z.infer<typeof importResponseSchema>;

export const loginRequestSchema = z.object({
  username: z.string().min(1, "enter a user name").max(100),
  password: z.string().min(1, "enter the password").max(1000),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const contextEntrySchema = z.object({
  scope: z.enum(["node", "flow", "global"]),
  /** node id, flow id, or "" for global */
  scopeId: z.string(),
  key: z.string(),
  value: z.unknown(),
});
export type ContextEntry = z.infer<typeof contextEntrySchema>;

export const contextResponseSchema = z.object({ values: z.array(contextEntrySchema) });
export type ContextResponse = z.infer<typeof contextResponseSchema>;

/**
 * The topic catalogue (issue: monitor). Contract used by the monitor, the dashboard and the
 * editor's topic autocomplete:
 *   GET   /api/topics?q=<substring>&broker=<id>&limit=<n≤500>  → TopicListResponse (most recent first)
 *   PATCH /api/topics  ← TopicUpdate                             → TopicSummary
 */
export const topicSummarySchema = z.object({
  brokerId: z.string(),
  topic: z.string(),
  messages: z.number(),
  /** ISO time */
  lastSeen: z.string(),
  retained: z.boolean(),
  description: z.string(),
  unit: z.string(),
});
export type TopicSummary = z.infer<typeof topicSummarySchema>;

export const topicListResponseSchema = z.object({ topics: z.array(topicSummarySchema) });
export type TopicListResponse = z.infer<typeof topicListResponseSchema>;

export const topicUpdateSchema = z.object({
  brokerId: z.string().default(""),
  topic: z.string().min(1),
  description: z.string().max(1000).optional(),
  unit: z.string().max(20).optional(),
});
export type TopicUpdate = z.infer<typeof topicUpdateSchema>;
