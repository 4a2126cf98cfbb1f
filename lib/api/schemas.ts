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

/**
 * Users, API tokens, audit log, first-start setup (issue 8, security). Roles: admin
 * (everything), editor (flows, deploy, dashboards, monitor publish), viewer (monitor and
 * dashboards, read-only).
 *   GET    /api/auth/me             → MeResponse (any role)
 *   POST   /api/setup               ← SetupRequest → {user} + session cookie (loopback only, once; 410 after)
 *   GET    /api/users               → UserListResponse (admin)
 *   POST   /api/users               ← UserCreate → UserView (admin)
 *   PATCH  /api/users/:id           ← UserUpdate → UserView (admin; ends the user's sessions on demote/reset)
 *   DELETE /api/users/:id           → {deleted:true} (admin; never the last admin)
 *   POST   /api/account/password    ← PasswordChange → {ok:true} (any role, own password)
 *   GET    /api/tokens              → TokenListResponse (admin)
 *   POST   /api/tokens              ← TokenCreate → TokenCreatedResponse (token shown once)
 *   DELETE /api/tokens/:id          → {revoked:true} (admin)
 *   GET    /api/audit?limit&before&action → AuditListResponse (admin, newest first)
 */
export const roleSchema = z.enum(["admin", "editor", "viewer"]);
export type RoleName = z.infer<typeof roleSchema>;

export const MIN_PASSWORD_LENGTH = 10;
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `the password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1000, "the password must be at most 1000 characters");

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "enter a user name")
  .max(64, "the user name must be at most 64 characters")
  .regex(/^[A-Za-z0-9._@-]+$/, "the user name may contain letters, digits and . _ @ - only");

export const setupRequestSchema = z
  .object({
    username: usernameSchema.default("admin"),
    password: newPasswordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "the two passwords differ: type the same password twice", path: ["confirm"] });
export type SetupRequest = z.input<typeof setupRequestSchema>;

export const userViewSchema = z.object({
  id: z.number(),
  username: z.string(),
  role: roleSchema,
  /** ISO time */
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userViewSchema>;
export const userListResponseSchema = z.object({ users: z.array(userViewSchema) });
export type UserListResponse = z.infer<typeof userListResponseSchema>;

export const userCreateSchema = z.object({ username: usernameSchema, password: newPasswordSchema, role: roleSchema });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .object({ role: roleSchema.optional(), password: newPasswordSchema.optional() })
  .refine((v) => v.role !== undefined || v.password !== undefined, { message: "send a new role or a new password" });
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const passwordChangeSchema = z
  .object({ currentPassword: z.string().min(1, "enter your current password").max(1000), newPassword: newPasswordSchema, confirm: z.string().optional() })
  .refine((v) => v.confirm === undefined || v.confirm === v.newPassword, { message: "the two new passwords differ", path: ["confirm"] });
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

export const tokenCreateSchema = z.object({
  name: z.string().trim().min(1, "give the token a name (what uses it)").max(100, "the name must be at most 100 characters"),
  role: roleSchema,
  /** ISO time; omit or null for a token that never expires. Must be in the future. */
  expiresAt: z.iso.datetime({ offset: true, message: "expiresAt must be an ISO date-time, e.g. 2030-01-31T00:00:00Z" }).nullable().optional(),
});
export type TokenCreate = z.infer<typeof tokenCreateSchema>;

export const tokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the token, e.g. "fh_Ab12Cd". */
  prefix: z.string(),
  role: roleSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  status: z.enum(["active", "revoked", "expired"]),
});
export type TokenView = z.infer<typeof tokenViewSchema>;
export const tokenListResponseSchema = z.object({ tokens: z.array(tokenViewSchema) });
export type TokenListResponse = z.infer<typeof tokenListResponseSchema>;
export const tokenCreatedResponseSchema = z.object({
  /** The token itself: shown this once, never stored or retrievable again. */
  token: z.string(),
  apiToken: tokenViewSchema,
});
export type TokenCreatedResponse = z.infer<typeof tokenCreatedResponseSchema>;

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int("limit must be a whole number").min(1, "limit must be at least 1").max(500, "limit must be at most 500").default(50),
  before: z.coerce.number().int("before must be an entry id").min(1).optional(),
  action: z.string().trim().max(100).optional().transform((v) => (v ? v : undefined)),
});
export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string(),
});
export type AuditEntryResponse = z.infer<typeof auditEntrySchema>;
export const auditListResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as ?before= for the next (older) page; null on the last page. */
  next: z.number().nullable(),
  /** Every action present in the log (for the filter). */
  actions: z.array(z.string()),
});
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;

export const meResponseSchema = z.object({
  user: z.object({ username: z.string(), role: roleSchema }),
  via: z.enum(["session", "token"]),
});
export type MeResponse = z.infer<typeof meResponseSchema>;
