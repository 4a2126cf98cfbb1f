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

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function loginUrl(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return `/login?next=${encodeURIComponent(here)}`;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(`Cannot reach the Flowhouse server (${method} ${path}): is it running?`, 0);
  }
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: reported below with the status
  }
  if (res.status === 401) {
    window.location.assign(loginUrl());
    throw new ApiRequestError("Your session ended: log in again", 401);
  }
  if (!res.ok) {
    const err = data as { error?: string; details?: unknown } | undefined;
    throw new ApiRequestError(
      err?.error ?? `${method} ${path} failed with HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`,
      res.status,
      err?.details,
    );
  }
  return data as T;
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
