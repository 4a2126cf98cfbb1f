/**
 * The editor's HTTP calls (contract: lib/api/schemas.ts). A 401 means the session ended:
 * the browser goes to /login and comes back here afterwards.
 */
import type { FlowDocument } from "../../lib/flow/schema";
import type {
  ContextResponse,
  DeployPreviewResponse,
  DeployResponse,
  DeploymentDetail,
  DeploymentSummary,
  DraftResponse,
  ExampleSummary,
  TopicListResponse,
  ValidationIssue,
} from "../../lib/api/schemas";
import { ApiRequestError, requestJson } from "../ui/http";

export { ApiRequestError, loginUrl } from "../ui/http";

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await requestJson(method, path, body)) as T;
}

export const api = {
  loadDraft: () => request<DraftResponse>("GET", "/api/flows"),
  saveDraft: (doc: FlowDocument) => request<DraftResponse>("PUT", "/api/flows", doc),
  deploy: (note = "") => request<DeployResponse>("POST", "/api/deploy", { note }),
  deployments: () => request<DeploymentSummary[]>("GET", "/api/deployments"),
  pressButton: (nodeId: string) => request<unknown>("POST", `/api/nodes/${encodeURIComponent(nodeId)}/trigger`),
  logout: () => request<unknown>("POST", "/api/auth/logout"),
  context: () => request<ContextResponse>("GET", "/api/context"),
  /** What Deploy would change and the problems it would refuse; nothing is deployed. */
  previewDeploy: () => request<DeployPreviewResponse>("POST", "/api/deploy?dryRun=1"),
  deployment: (id: number) => request<DeploymentDetail>("GET", `/api/deployments/${id}`),
  /** That deployment's document becomes the draft (deploy it to run it). */
  rollback: (id: number) => request<DraftResponse>("POST", `/api/deployments/${id}/rollback`),
  examples: () => request<ExampleSummary[]>("GET", "/api/examples"),
  example: (name: string) => request<unknown[]>("GET", `/api/examples/${encodeURIComponent(name)}`),
  /**
   * Turns a running debug node's sidebar output on or off at once, without a deploy.
   * Resolves false when the node is not deployed (yet): the draft's toggle still applies
   * at the next deploy.
   */
  setDebugActive: async (nodeId: string, active: boolean): Promise<boolean> => {
    try {
      await request<unknown>("POST", `/api/nodes/${encodeURIComponent(nodeId)}/active`, { active });
      return true;
    } catch (e) {
      if (e instanceof ApiRequestError && e.status === 404) return false;
      throw e;
    }
  },
  /** Topics the broker has seen, most recent first; null when the catalogue is not available. */
  topics: async (q: string, limit = 20): Promise<TopicListResponse | null> => {
    try {
      return await request<TopicListResponse>("GET", `/api/topics?q=${encodeURIComponent(q)}&limit=${limit}`);
    } catch (e) {
      if (e instanceof ApiRequestError && (e.status === 404 || e.status === 503 || e.status === 0)) return null;
      throw e;
    }
  },
};

/** A last-chance save when the tab closes: keepalive lets the request outlive the page. */
export function saveDraftOnUnload(doc: FlowDocument): void {
  try {
    void fetch("/api/flows", {
      method: "PUT",
      keepalive: true,
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(doc),
    });
  } catch {
    // nothing more can be done while the page unloads
  }
}

export function isValidationIssueList(value: unknown): value is ValidationIssue[] {
  return Array.isArray(value) && value.every((v) => v && typeof v === "object" && typeof (v as ValidationIssue).message === "string");
}
