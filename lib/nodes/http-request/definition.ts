/**
 * http request: sends an HTTP request and passes the response on (Node-RED
 * 21-httprequest.js). Field names and defaults are Node-RED's; `reqTimeout` (ms) is a
 * Flowhouse addition standing in for Node-RED's global `httpRequestTimeout` setting (default
 * 120000 there too). Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";

export const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "use"] as const;
export const HTTP_RETURNS = ["txt", "bin", "obj"] as const;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export const httpHeaderSchema = z
  .object({
    keyType: z.string().meta({ title: "Header", description: "A header name (Content-Type…), 'other' (name in keyValue) or 'msg' (name from a msg property)." }),
    keyValue: z.string().default("").meta({ title: "Header name", description: "The name when keyType is other, the property when msg." }),
    valueType: z.string().meta({ title: "Value type", description: "'other' (value in valueValue), 'msg' (from a msg property) or a fixed value." }),
    valueValue: z.string().default("").meta({ title: "Value", description: "The value when valueType is other, the property when msg." }),
  })
  .loose();
export type HttpHeaderRow = z.output<typeof httpHeaderSchema>;

const bool = (defaultValue: boolean) =>
  z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(defaultValue));

/** A problem with the configured URL the editor can show; null when fine. */
export function urlProblem(url: string): string | null {
  const u = url.trim();
  if (u === "" || u.includes("{{")) return null;
  if (u.includes("://") && !/^https?:\/\//i.test(u)) return `url '${u}' must use http:// or https://`;
  return null;
}

export const httpRequestConfigSchema = z
  .object({
    method: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "GET" : typeof v === "string" && v !== "use" ? v.toUpperCase() : v),
        z.enum(HTTP_METHODS, {
          error: (iss) => `method must be GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or use (msg.method), got ${JSON.stringify(iss.input)}`,
        }),
      )
      .meta({ title: "Method", description: "The HTTP method, or 'use' to take it from msg.method." }),
    url: z
      .preprocess((v) => (v === undefined || v === null ? "" : v), z.string())
      .meta({
        title: "URL",
        description: "e.g. http://192.168.1.20/api/status. May contain {{payload.id}}-style placeholders. Blank: msg.url is used.",
      }),
    ret: z
      .preprocess(
        (v) => (v === undefined || v === null || v === "" ? "txt" : v),
        z.enum(HTTP_RETURNS, { error: (iss) => `ret must be txt (UTF-8 text), bin (a Buffer) or obj (parsed JSON), got ${JSON.stringify(iss.input)}` }),
      )
      .meta({ title: "Return", description: "txt: a UTF-8 string. bin: a Buffer. obj: a parsed JSON object." }),
    paytoqs: z
      .union([z.boolean(), z.enum(["ignore", "query", "body"])], {
        error: (iss) => `paytoqs must be ignore, query or body, got ${JSON.stringify(iss.input)}`,
      })
      .default(false)
      .meta({ title: "Payload (GET)", description: "ignore: not sent with GET; query: append msg.payload's keys as query parameters." }),
    senderr: bool(false).meta({
      title: "Only send non-2xx responses to Catch node",
      description: "Off (Node-RED's default): a failed request is reported and the message is also sent on with the error text as payload.",
    }),
    headers: z.array(httpHeaderSchema).default([]).meta({ title: "Headers", description: "Headers to set; they override msg.headers." }),
    reqTimeout: z
      .preprocess(
        (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v === "" || v === null ? undefined : v),
        z
          .number({ error: (iss) => `request timeout must be a number of milliseconds, got '${String(iss.input)}'` })
          .int("request timeout must be a whole number of milliseconds")
          .min(1, "request timeout must be at least 1 ms")
          .default(DEFAULT_REQUEST_TIMEOUT_MS),
      )
      .meta({ title: "Timeout", description: "How long to wait for the response (msg.requestTimeout overrides it)." }),
    persist: bool(false).meta({ title: "Enable connection keep-alive", description: "Connections are always reused." }),
    insecureHTTPParser: bool(false).meta({ title: "Insecure HTTP parser", description: "Not supported; ignored." }),
    authType: z.string().default("").meta({ title: "Authentication", description: "Credentials are not imported; put them in the URL or msg.headers.Authorization." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    const problem = urlProblem(config.url);
    if (problem) ctx.addIssue({ code: "custom", path: ["url"], message: problem });
    if (config.paytoqs === "body") {
      ctx.addIssue({
        code: "custom",
        path: ["paytoqs"],
        message: "sending msg.payload as the body of a GET request is not supported; use POST, or 'query' to send it as query parameters",
      });
    }
  });

export type HttpRequestConfig = z.output<typeof httpRequestConfigSchema>;

export const httpRequestDefinition = defineNode({
  type: "http request",
  category: "network",
  paletteLabel: "http request",
  color: "rgb(231, 231, 174)",
  inputs: 1,
  outputs: () => 1,
  config: httpRequestConfigSchema,
  fields: {
    method: {},
    url: {},
    paytoqs: { showWhen: { field: "method", equals: ["GET"] } },
    ret: {},
    reqTimeout: { unit: "ms" },
    headers: {},
    senderr: {},
    persist: { hidden: true },
    insecureHTTPParser: { hidden: true },
    authType: { hidden: true },
  },
  label: () => "http request",
  help: [
    "Sends an HTTP request and sends the response on: msg.payload (the body as text, a Buffer or parsed JSON), msg.statusCode, msg.headers and msg.responseUrl (after redirects).",
    "The URL may contain mustache placeholders such as http://host/api/{{payload.id}}; when it is blank, msg.url is used. The method can come from msg.method when set to 'use'. msg.headers are sent as request headers (the node's own headers win); msg.requestTimeout (ms) overrides the timeout.",
    "For POST, PUT, PATCH and DELETE, msg.payload is the body: text and Buffers as they are, objects as JSON (Content-Type application/json), or form-encoded when Content-Type is application/x-www-form-urlencoded. For GET, 'query' appends the keys of msg.payload to the URL.",
    "A status such as 404 or 500 is not an error: it arrives in msg.statusCode. A refused connection, an unknown host or a timeout is an error naming the URL and the reason; the message is also sent on with that text as payload unless 'only send to Catch' is on.",
    "Not supported: TLS and proxy config nodes, digest authentication, stored credentials (put user:password in the URL, or an Authorization header), a GET body.",
  ].join("\n\n"),
});
