/**
 * The dashboard page's HTTP calls. Dashboards: GET /api/dashboards, PUT/DELETE
 * /api/dashboards/:id; publishing: POST /api/monitor/publish; chart history: GET
 * /api/history; topic autocomplete: GET /api/topics (lib/api/schemas.ts). A 401 sends the
 * browser to /login and back here.
 */
import { dashboardListSchema, type Dashboard } from "../../lib/dashboard/schema";
import type { TopicListResponse } from "../../lib/api/schemas";
import { historyResponseSchema, type HistoryResponse, type PublishRequest, type PublishResponse } from "../../lib/monitor/events";
import type { Point } from "./model/series";
import { ApiRequestError, requestJson } from "../ui/http";

export { ApiRequestError as DashApiError, loginUrl } from "../ui/http";

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return (await requestJson(method, path, body, signal)) as T;
}

export interface PublishInput {
  topic: string;
  payload: string;
  broker: string;
  retain: boolean;
}

export interface HistoryQuery {
  topic: string;
  path: string;
  broker: string;
  fromMs: number;
  toMs: number;
}

/** Chart points from a history answer: the bucket average at the bucket's start. */
export function pointsFromHistory(body: HistoryResponse): Point[] {
  return body.points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.avg)).map((p) => ({ t: p.t, v: p.avg }));
}

export const dashApi = {
  async list(): Promise<Dashboard[]> {
    const body = await request<unknown>("GET", "/api/dashboards");
    const parsed = dashboardListSchema.safeParse(body);
    if (!parsed.success) throw new ApiRequestError("The server sent dashboards this page does not understand (GET /api/dashboards)", 500, parsed.error.issues);
    return parsed.data.dashboards;
  },
  save: (d: Dashboard) => request<unknown>("PUT", `/api/dashboards/${encodeURIComponent(d.id)}`, d),
  remove: (id: string) => request<unknown>("DELETE", `/api/dashboards/${encodeURIComponent(id)}`),
  publish: (p: PublishInput) => {
    // Commands go at QoS 1 so a device's command is not lost on a busy broker.
    const body: PublishRequest = { topic: p.topic, payload: p.payload, format: "text", qos: 1, retain: p.retain, broker: p.broker };
    return request<PublishResponse>("POST", "/api/monitor/publish", body);
  },
  async history(q: HistoryQuery, signal?: AbortSignal): Promise<Point[]> {
    const params = new URLSearchParams({ topic: q.topic, from: String(Math.floor(q.fromMs)), to: String(Math.ceil(q.toMs)), points: "1000" });
    if (q.path) params.set("path", q.path);
    if (q.broker) params.set("broker", q.broker);
    const body = historyResponseSchema.safeParse(await request<unknown>("GET", `/api/history?${params}`, undefined, signal));
    if (!body.success) throw new ApiRequestError(`The server sent history this page does not understand (GET /api/history for ${q.topic})`, 500, body.error.issues);
    return pointsFromHistory(body.data);
  },
  topics: (q: string, signal?: AbortSignal) => request<TopicListResponse>("GET", `/api/topics?q=${encodeURIComponent(q)}&limit=20`, undefined, signal),
  logout: () => request<unknown>("POST", "/api/auth/logout"),
};
