/**
 * The monitor page's HTTP calls (contract: lib/monitor/events.ts, lib/api/schemas.ts).
 * A 401 sends the browser to /login and back to the monitor; other errors carry the
 * server's own message, or say that the server cannot be reached.
 */
import { topicListResponseSchema, type TopicSummary } from "../../lib/api/schemas";
import {
  brokerListResponseSchema,
  clearRetainedResponseSchema,
  historyResponseSchema,
  publishResponseSchema,
  type BrokerInfo,
  type ClearRetainedRequest,
  type ClearRetainedResponse,
  type HistoryResponse,
  type PublishRequest,
  type PublishResponse,
} from "../../lib/monitor/events";
import type { z } from "zod";
import { ApiRequestError, requestJson } from "../ui/http";

export { ApiRequestError as MonitorApiError, loginUrl } from "../ui/http";

async function request<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const data = await requestJson(method, path, body, signal);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiRequestError(`The server's answer to ${method} ${path.split("?")[0]} is not what this page expects: reload the page after an update`, 500, parsed.error.issues);
  return parsed.data;
}

export const monitorApi = {
  async brokers(): Promise<BrokerInfo[]> {
    return (await request(brokerListResponseSchema, "GET", "/api/monitor/brokers")).brokers;
  },
  publish(body: PublishRequest): Promise<PublishResponse> {
    return request(publishResponseSchema, "POST", "/api/monitor/publish", body);
  },
  clearRetained(body: ClearRetainedRequest): Promise<ClearRetainedResponse> {
    return request(clearRetainedResponseSchema, "POST", "/api/monitor/clear-retained", body);
  },
  history(q: { broker: string; topic: string; path: string; fromMs: number; toMs: number; points?: number }, signal?: AbortSignal): Promise<HistoryResponse> {
    const p = new URLSearchParams({ topic: q.topic, from: String(Math.floor(q.fromMs)), to: String(Math.ceil(q.toMs)), points: String(q.points ?? 600) });
    if (q.path) p.set("path", q.path);
    if (q.broker) p.set("broker", q.broker);
    return request(historyResponseSchema, "GET", `/api/history?${p}`, undefined, signal);
  },
  async topics(q: string, broker: string, signal?: AbortSignal): Promise<TopicSummary[]> {
    const p = new URLSearchParams({ q, limit: "20" });
    if (broker) p.set("broker", broker);
    return (await request(topicListResponseSchema, "GET", `/api/topics?${p}`, undefined, signal)).topics;
  },
};
