/**
 * http request at run time: Node-RED 21-httprequest.js on Node's global fetch. The timeout
 * runs on the node's timers (an AbortController aborts the request), so tests drive it with
 * the fake clock and closing the node aborts what is in flight. Non-2xx statuses are not
 * errors; network failures are, with the URL and the reason.
 */
import { createHash } from "node:crypto";
import querystring from "node:querystring";
import Mustache from "mustache";
import type { NodeFactory, TimerHandle } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath } from "../shared/msg-property";
import { DEFAULT_REQUEST_TIMEOUT_MS, HTTP_METHODS, type HttpHeaderRow, type HttpRequestConfig } from "./definition";

/** Marks msg.headers that are a response's headers, so a second http request does not send them. */
export const RESPONSE_HEADERS_MARK = "x-node-red-request-node";
/** Headers fetch manages itself; copying them from msg.headers (e.g. a previous response) breaks the request. */
const MANAGED_HEADERS = new Set(["content-length", "connection", "keep-alive", "transfer-encoding", "upgrade"]);

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function headersHash(headers: Record<string, unknown>): string {
  const sorted = Object.keys(headers)
    .filter((k) => k !== RESPONSE_HEADERS_MARK)
    .sort()
    .map((k) => [k, headers[k]]);
  return createHash("sha1").update(JSON.stringify(sorted)).digest("hex").slice(0, 8);
}

/** Sets a header case-insensitively (the newest spelling wins); an empty value removes it. */
function updateHeader(headers: Record<string, string>, name: string, value: unknown): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
  if (value === undefined || value === null || value === "") return;
  headers[name] = Array.isArray(value) ? value.map(String).join(", ") : String(value);
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}

/** Node-RED tolerates partly-encoded query strings ("?a=20%"): a lone % becomes %25. */
function normaliseQuery(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const query = url.slice(at + 1).replace(/(%.?.?)/g, (v) => (/^%[a-f0-9]{2}/i.test(v) ? v : v.replace(/%/, "%25")));
  return `${url.slice(0, at)}?${query}`;
}

function parseSetCookies(list: string[]): Record<string, Record<string, string>> {
  const cookies: Record<string, Record<string, string>> = {};
  for (const line of list) {
    const [first, ...attrs] = line.split(";");
    const eq = first.indexOf("=");
    if (eq < 0) continue;
    const name = first.slice(0, eq).trim();
    const entry: Record<string, string> = { value: first.slice(eq + 1).trim() };
    for (const a of attrs) {
      const i = a.indexOf("=");
      if (i > 0) entry[a.slice(0, i).trim()] = a.slice(i + 1).trim();
    }
    cookies[name] = entry;
  }
  return cookies;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused; check the URL and that the server is running",
  ENOTFOUND: "host not found; check the host name in the URL",
  EAI_AGAIN: "host name lookup failed (DNS); check the network and the host name",
  ECONNRESET: "the server closed the connection",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "the server closed the connection",
};

function describeFailure(err: unknown): { code: string; reason: string } {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown; errors?: { code?: unknown }[] } };
  const cause = e?.cause;
  let code = typeof cause?.code === "string" ? cause.code : typeof e?.code === "string" ? e.code : "";
  // An AggregateError (several addresses tried) carries the codes in its list.
  if (!code && Array.isArray(cause?.errors)) code = String(cause.errors.find((x) => typeof x?.code === "string")?.code ?? "");
  const detail = typeof cause?.message === "string" && cause.message !== "" ? cause.message : typeof e?.message === "string" ? e.message : String(err);
  return { code: code || "ERROR", reason: REASONS[code] ?? detail };
}

export const createHttpRequestNode: NodeFactory<HttpRequestConfig> = (config, services) => {
  const nodeUrl = (config.url ?? "").trim();
  const isTemplated = nodeUrl.includes("{{");
  if (isTemplated) Mustache.parse(nodeUrl); // a broken template fails at start, not per message
  const nodeMethod = config.method || "GET";
  if (!(HTTP_METHODS as readonly string[]).includes(nodeMethod)) throw new Error(`method must be one of ${HTTP_METHODS.join(", ")}, got '${nodeMethod}'`);
  const ret = config.ret || "txt";
  const paytoqs = config.paytoqs === true || config.paytoqs === "query";
  if (config.paytoqs === "body") {
    throw new Error("sending msg.payload as the body of a GET request is not supported; use POST, or 'query' to send it as query parameters");
  }
  const timeoutMs = typeof config.reqTimeout === "number" && config.reqTimeout > 0 ? config.reqTimeout : DEFAULT_REQUEST_TIMEOUT_MS;
  const headerRows: HttpHeaderRow[] = Array.isArray(config.headers) ? config.headers : [];
  const raw = config as Record<string, unknown>;
  if (raw.tls) services.warn("TLS config nodes are not supported yet: HTTPS requests use the system's certificate authorities");
  if (raw.proxy) services.warn("proxy config nodes are not supported yet: requests go directly to the server");
  if (config.authType) {
    services.warn(
      `Node-RED credentials (authentication '${config.authType}') are not imported: put user:password in the URL, or set an Authorization header`,
    );
  }

  const inflight = new Set<AbortController>();
  let closed = false;
  let rejectWarned = false;

  const readRow = (type: string, value: string, msg: Msg): unknown => {
    if (type === "other") return value;
    if (type === "msg") {
      try {
        return getProperty(msg, parsePropertyPath(value));
      } catch {
        return undefined;
      }
    }
    return type;
  };

  return {
    async input(msg: Msg) {
      let url = nodeUrl || (typeof msg.url === "string" ? msg.url : "");
      if (typeof msg.url === "string" && msg.url !== "" && nodeUrl && nodeUrl !== msg.url) {
        services.warn("msg.url is ignored because the node has a URL set; clear the node's URL to use msg.url");
      }
      if (isTemplated) url = Mustache.render(nodeUrl, msg);
      if (!url) {
        services.error("No url specified: set the node's URL or send msg.url", msg);
        return;
      }
      if (url.includes("://") && !/^https?:\/\//i.test(url)) {
        services.warn(`non-http transport requested: '${url}'; use an http:// or https:// URL`);
        services.status({ fill: "red", shape: "ring", text: "non-http transport requested" });
        return;
      }
      if (!/^https?:\/\//i.test(url)) url = `http://${url}`;
      url = normaliseQuery(url);

      let method: string = nodeMethod === "use" ? "GET" : nodeMethod;
      if (typeof msg.method === "string" && msg.method !== "") {
        if (nodeMethod === "use") method = msg.method.toUpperCase();
        else services.warn("msg.method is ignored because the node has a method set; choose '- set by msg.method -' to use it");
      }

      let requestTimeout = timeoutMs;
      if (msg.requestTimeout !== undefined) {
        const t = Number(msg.requestTimeout);
        if (Number.isNaN(t)) services.warn("Timeout value is not a valid number, ignoring: msg.requestTimeout must be milliseconds");
        else if (t < 1) services.warn("Timeout value is negative, ignoring: msg.requestTimeout must be at least 1 ms");
        else requestTimeout = t;
      }

      const headers: Record<string, string> = {};
      if (isRecord(msg.headers)) {
        const mark = msg.headers[RESPONSE_HEADERS_MARK];
        if (mark !== undefined && mark === headersHash(msg.headers)) {
          delete msg.headers; // the previous response's headers, unchanged: not request headers
        } else {
          for (const [name, value] of Object.entries(msg.headers)) {
            if (name === RESPONSE_HEADERS_MARK || MANAGED_HEADERS.has(name.toLowerCase())) continue;
            updateHeader(headers, name, value);
          }
        }
      }
      for (const row of headerRows) {
        const name = readRow(row.keyType, row.keyValue ?? "", msg);
        if (typeof name !== "string" || name === "") continue;
        updateHeader(headers, name, readRow(row.valueType, row.valueValue ?? "", msg));
      }
      if (isRecord(msg.cookies)) {
        const pairs: string[] = [];
        for (const [name, c] of Object.entries(msg.cookies)) {
          if (c === null || (isRecord(c) && c.value === null)) continue;
          if (isRecord(c)) pairs.push(`${name}=${c.encode === false ? String(c.value) : encodeURIComponent(String(c.value))}`);
          else pairs.push(`${name}=${encodeURIComponent(String(c))}`);
        }
        const existing = headerValue(headers, "cookie");
        if (pairs.length > 0) updateHeader(headers, "Cookie", [existing, ...pairs].filter(Boolean).join("; "));
      }
      if (hasOwn(msg, "rejectUnauthorized") && !rejectWarned) {
        rejectWarned = true;
        services.warn("msg.rejectUnauthorized is not supported: certificates are always checked");
      }

      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        services.error(`'${url}' is not a valid URL; check the node's URL or msg.url`, msg);
        return;
      }
      if (parsed.username || parsed.password) {
        // fetch refuses credentials in the URL: send them as basic authentication instead.
        if (headerValue(headers, "authorization") === undefined) {
          const user = decodeURIComponent(parsed.username);
          const pass = decodeURIComponent(parsed.password);
          headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
        }
        parsed.username = "";
        parsed.password = "";
        url = parsed.toString();
      }

      let body: string | Buffer | FormData | undefined;
      if (method !== "GET" && method !== "HEAD" && msg.payload !== undefined) {
        const contentType = (headerValue(headers, "content-type") ?? "").toLowerCase();
        const payload = msg.payload;
        if (contentType.startsWith("multipart/form-data") && isRecord(payload)) {
          const form = new FormData();
          for (const [k, v] of Object.entries(payload)) {
            if (v === undefined || v === null) continue;
            if (typeof v === "string") form.append(k, v);
            else if (Buffer.isBuffer(v)) form.append(k, new Blob([new Uint8Array(v)]));
            else if (isRecord(v) && hasOwn(v, "value")) {
              const opts = isRecord(v.options) ? v.options : {};
              const data = Buffer.isBuffer(v.value) ? new Blob([new Uint8Array(v.value)]) : String(v.value);
              if (typeof data === "string") form.append(k, data);
              else form.append(k, data, typeof opts.filename === "string" ? opts.filename : "file");
            } else form.append(k, JSON.stringify(v));
          }
          updateHeader(headers, "content-type", undefined); // fetch sets it with the boundary
          body = form;
        } else if (typeof payload === "string" || Buffer.isBuffer(payload)) {
          body = payload;
        } else if (typeof payload === "number" || typeof payload === "boolean") {
          body = String(payload);
        } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
          body = querystring.stringify(payload as querystring.ParsedUrlQueryInput);
        } else {
          body = JSON.stringify(payload);
          if (!contentType) headers["Content-Type"] = "application/json";
        }
      }
      if (method === "GET" && msg.payload !== undefined && paytoqs) {
        if (!isRecord(msg.payload)) {
          services.error("Invalid payload: to send msg.payload as query parameters it must be an object such as {\"id\": 5}", msg);
          return;
        }
        const qs = querystring.stringify(msg.payload as querystring.ParsedUrlQueryInput);
        url += url.includes("?") ? (url.endsWith("?") ? "" : "&") + qs : `?${qs}`;
      }

      const controller = new AbortController();
      let timedOut = false;
      const timer: TimerHandle = services.timers.setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, requestTimeout);
      inflight.add(controller);
      services.status({ fill: "blue", shape: "dot", text: "requesting" });
      let response: Response;
      let data: Buffer;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body as BodyInit | undefined,
          redirect: hasOwn(msg, "followRedirects") && !msg.followRedirects ? "manual" : "follow",
          signal: controller.signal,
        });
        data = Buffer.from(await response.arrayBuffer());
      } catch (err) {
        if (closed) return;
        const { code, reason } = timedOut
          ? { code: "ETIMEDOUT", reason: `no response from server within ${requestTimeout} ms` }
          : describeFailure(err);
        services.error(`${method} ${url} failed: ${reason} (${code})`, msg);
        services.status({ fill: "red", shape: "ring", text: timedOut ? "no response from server" : code });
        if (config.senderr !== true) {
          msg.payload = `${reason} : ${url}`;
          msg.statusCode = code;
          services.send(msg);
        }
        return;
      } finally {
        services.timers.clearTimeout(timer);
        inflight.delete(controller);
      }
      if (closed) return;

      const responseHeaders: Record<string, unknown> = {};
      response.headers.forEach((value, key) => {
        responseHeaders[key] = value;
      });
      const setCookies = response.headers.getSetCookie();
      if (setCookies.length > 0) {
        responseHeaders["set-cookie"] = setCookies;
        msg.responseCookies = parseSetCookies(setCookies);
      }
      responseHeaders[RESPONSE_HEADERS_MARK] = headersHash(responseHeaders);
      msg.statusCode = response.status;
      msg.headers = responseHeaders;
      msg.responseUrl = response.url || url;
      if (ret === "bin") {
        msg.payload = data;
      } else {
        const text = response.status === 204 && ret === "obj" ? "{}" : data.toString("utf8");
        msg.payload = text;
        if (ret === "obj") {
          try {
            msg.payload = JSON.parse(text);
          } catch (e) {
            services.warn(`JSON parse error: the response from ${url} is not JSON (${(e as Error).message}); msg.payload is the text`);
          }
        }
      }
      if (inflight.size === 0) services.status({});
      services.send(msg);
    },
    close() {
      closed = true;
      for (const c of inflight) c.abort();
      inflight.clear();
    },
  };
};
