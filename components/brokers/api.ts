/**
 * The Brokers page's HTTP calls (contract: lib/brokers/schema.ts). Errors carry the server's
 * message and, for 400s, the field issues ({path, message}[]) in `details`.
 */
import { z } from "zod";
import { brokerTestResultSchema, brokerViewSchema, type BrokerInput, type BrokerTestResult, type BrokerView } from "../../lib/brokers/schema";
import { ApiRequestError, requestJson } from "../ui/http";

export { ApiRequestError } from "../ui/http";

async function request<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
  const data = await requestJson(method, path, body);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiRequestError(`The server's answer to ${method} ${path} is not what this page expects: reload the page after an update`, 500, parsed.error.issues);
  }
  return parsed.data;
}

const enc = (id: string) => encodeURIComponent(id);

export const brokersApi = {
  list: (): Promise<BrokerView[]> => request(z.array(brokerViewSchema), "GET", "/api/brokers"),
  create: (input: BrokerInput): Promise<BrokerView> => request(brokerViewSchema, "POST", "/api/brokers", input),
  update: (id: string, input: BrokerInput): Promise<BrokerView> => request(brokerViewSchema, "PUT", `/api/brokers/${enc(id)}`, input),
  remove: async (id: string): Promise<void> => {
    await requestJson("DELETE", `/api/brokers/${enc(id)}`);
  },
  test: (input: BrokerInput & { id?: string }): Promise<BrokerTestResult> => request(brokerTestResultSchema, "POST", "/api/brokers/test", input),
};

/** Field issues from a 400 answer, if any. */
export function issuesOf(err: unknown): { path: string; message: string }[] {
  if (!(err instanceof ApiRequestError) || !Array.isArray(err.details)) return [];
  return err.details.filter(
    (d): d is { path: string; message: string } => typeof d === "object" && d !== null && typeof (d as { path?: unknown }).path === "string" && typeof (d as { message?: unknown }).message === "string",
  );
}
