import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import { httpRequestDefinition, type HttpRequestConfig } from "./definition";
import { createHttpRequestNode } from "./runtime";

const cfg = (fields: Record<string, unknown> = {}): HttpRequestConfig => httpRequestDefinition.config.parse(fields);
const request = (fields: Record<string, unknown> = {}) => runNode(createHttpRequestNode, cfg(fields));
const issues = (fields: Record<string, unknown>) => httpRequestDefinition.config.safeParse(fields).error?.issues.map((i) => i.message) ?? [];

/** A local test server on 127.0.0.1 (never an outside address). */
let server: http.Server;
let base = "";
/** Resolves when the server has received a request for /slow (that it never answers). */
let slowArrived: () => void = () => {};
const waitForSlow = () => new Promise<void>((resolve) => (slowArrived = resolve));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const path = url.pathname;
      if (path === "/text") return res.end("hello");
      if (path === "/json") {
        res.setHeader("Content-Type", "application/json");
        return res.end('{"temp":21.5,"on":true}');
      }
      if (path === "/echo") {
        res.setHeader("Content-Type", "application/json");
        res.setHeader("Set-Cookie", ["session=abc; Path=/; HttpOnly", "theme=dark"]);
        return res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString(), query: url.search }));
      }
      if (path.startsWith("/status/")) {
        res.statusCode = Number(path.slice(8));
        return res.end(res.statusCode === 204 ? undefined : `status ${res.statusCode}`);
      }
      if (path === "/bytes") return res.end(Buffer.from([0, 1, 254, 255]));
      if (path === "/redirect") {
        res.statusCode = 302;
        res.setHeader("Location", "/text");
        return res.end();
      }
      if (path.startsWith("/items/")) return res.end(`item ${decodeURIComponent(path.slice(7))}`);
      if (path === "/slow") {
        slowArrived();
        return; // never answers
      }
      res.statusCode = 404;
      res.end("unknown");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("http request definition", () => {
  it("fills Node-RED's defaults, with a 120 s timeout like Node-RED's httpRequestTimeout", () => {
    expect(cfg()).toEqual({
      method: "GET", url: "", ret: "txt", paytoqs: false, senderr: false, headers: [], reqTimeout: 120000,
      persist: false, insecureHTTPParser: false, authType: "",
    });
    expect(httpRequestDefinition.label(cfg())).toBe("http request");
  });

  it("refuses bad settings, saying what is expected", () => {
    expect(issues({ method: "FETCH" })[0]).toMatch(/method must be GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or use \(msg\.method\), got "FETCH"/);
    expect(issues({ ret: "xml" })[0]).toMatch(/ret must be txt .*bin .*obj/);
    expect(issues({ url: "ftp://host/file" })).toEqual(["url 'ftp://host/file' must use http:// or https://"]);
    expect(issues({ reqTimeout: "soon" })[0]).toMatch(/request timeout must be a number of milliseconds, got 'soon'/);
    expect(issues({ paytoqs: "body" })[0]).toMatch(/body of a GET request is not supported/);
    expect(cfg({ method: "post" }).method).toBe("POST");
  });

  it("refuses to start with a GET body or a broken URL template, and warns about what it cannot import", () => {
    expect(() => runNode(createHttpRequestNode, { ...cfg(), paytoqs: "body" })).toThrow(/GET request is not supported/);
    expect(() => runNode(createHttpRequestNode, { ...cfg(), url: "http://x/{{payload" })).toThrow(/Unclosed tag/);
    const h = request({ tls: "tls1", proxy: "p1", authType: "digest" });
    expect(h.warnings).toEqual([
      expect.stringMatching(/^TLS config nodes are not supported yet/),
      expect.stringMatching(/^proxy config nodes are not supported yet/),
      expect.stringMatching(/credentials \(authentication 'digest'\) are not imported/),
    ]);
  });
});

describe("http request against a local server", () => {
  it("GET returns the text with status code, headers and response URL; the badge shows the request", async () => {
    const h = request({ url: `${base}/text` });
    await h.input({ payload: "ignored for GET", topic: "t" });
    const out = h.port(0)[0];
    expect(out).toMatchObject({ payload: "hello", statusCode: 200, responseUrl: `${base}/text`, topic: "t" });
    expect((out.headers as Record<string, string>)["content-length"]).toBe("5");
    expect(h.statuses).toEqual([{ fill: "blue", shape: "dot", text: "requesting" }, {}]);
  });

  it("GET with return 'obj' parses JSON", async () => {
    const h = request({ url: `${base}/json`, ret: "obj" });
    await h.input({});
    expect(h.port(0)[0].payload).toEqual({ temp: 21.5, on: true });
  });

  it("return 'obj' with a body that is not JSON keeps the text and warns", async () => {
    const h = request({ url: `${base}/text`, ret: "obj" });
    await h.input({});
    expect(h.port(0)[0].payload).toBe("hello");
    expect(h.warnings[0]).toMatch(/^JSON parse error: the response from .*\/text is not JSON/);
    const empty = request({ url: `${base}/status/204`, ret: "obj" });
    await empty.input({});
    expect(empty.port(0)[0]).toMatchObject({ payload: {}, statusCode: 204 });
  });

  it("return 'bin' gives a Buffer", async () => {
    const h = request({ url: `${base}/bytes`, ret: "bin" });
    await h.input({});
    expect(Buffer.isBuffer(h.port(0)[0].payload)).toBe(true);
    expect([...(h.port(0)[0].payload as Buffer)]).toEqual([0, 1, 254, 255]);
  });

  it("POST sends an object payload as JSON", async () => {
    const h = request({ method: "POST", url: `${base}/echo`, ret: "obj" });
    await h.input({ payload: { light: "on", level: 80 } });
    const echo = h.port(0)[0].payload as { method: string; headers: Record<string, string>; body: string };
    expect(echo.method).toBe("POST");
    expect(echo.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(echo.body)).toEqual({ light: "on", level: 80 });
  });

  it("text, numbers and form-encoded objects are sent as bodies too; msg.headers and node headers are sent", async () => {
    const h = request({
      method: "PUT", url: `${base}/echo`, ret: "obj",
      headers: [{ keyType: "other", keyValue: "X-Room", valueType: "other", valueValue: "garage" }, { keyType: "Accept", keyValue: "", valueType: "msg", valueValue: "accept" }],
    });
    await h.input({ payload: "plain text", headers: { "X-Source": "flowhouse" }, accept: "text/plain" });
    await h.input({ payload: 42 });
    await h.input({ payload: { a: "1", b: "x y" }, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const [text, num, form] = h.port(0).map((m) => m.payload as { body: string; headers: Record<string, string> });
    expect(text.body).toBe("plain text");
    expect(text.headers).toMatchObject({ "x-source": "flowhouse", "x-room": "garage", accept: "text/plain" });
    expect(num.body).toBe("42");
    expect(form.body).toBe("a=1&b=x%20y");
  });

  it("a non-2xx status passes through with its status code and is not an error", async () => {
    const h = request({ url: `${base}/status/404` });
    await h.input({});
    expect(h.port(0)[0]).toMatchObject({ payload: "status 404", statusCode: 404 });
    expect(h.errors).toEqual([]);
    const e = request({ url: `${base}/status/500` });
    await e.input({});
    expect(e.port(0)[0].statusCode).toBe(500);
  });

  it("fills mustache placeholders in the URL from the message", async () => {
    const h = request({ url: `${base}/items/{{payload.id}}` });
    await h.input({ payload: { id: 42 } });
    expect(h.port(0)[0]).toMatchObject({ payload: "item 42", responseUrl: `${base}/items/42` });
  });

  it("uses msg.url when the node has none, adding http:// when the scheme is missing", async () => {
    const h = request();
    await h.input({ url: `${base.replace("http://", "")}/text` });
    expect(h.port(0)[0].payload).toBe("hello");
  });

  it("takes the method from msg.method when set to 'use', and warns when it is ignored", async () => {
    const h = request({ method: "use", url: `${base}/echo`, ret: "obj" });
    await h.input({ method: "delete" });
    expect((h.port(0)[0].payload as { method: string }).method).toBe("DELETE");
    const fixed = request({ url: `${base}/echo`, ret: "obj" });
    await fixed.input({ method: "POST" });
    expect((fixed.port(0)[0].payload as { method: string }).method).toBe("GET");
    expect(fixed.warnings[0]).toMatch(/msg\.method is ignored/);
  });

  it("GET with 'query' sends the payload's keys as query parameters; other payloads are an error", async () => {
    const h = request({ url: `${base}/echo?x=1`, ret: "obj", paytoqs: "query" });
    await h.input({ payload: { room: "hall", on: true } });
    expect((h.port(0)[0].payload as { query: string }).query).toBe("?x=1&room=hall&on=true");
    await h.input({ payload: "text" });
    expect(String(h.errors[0].error)).toMatch(/^Invalid payload: .* must be an object/);
  });

  it("follows redirects and reports the final URL", async () => {
    const h = request({ url: `${base}/redirect` });
    await h.input({});
    expect(h.port(0)[0]).toMatchObject({ payload: "hello", statusCode: 200, responseUrl: `${base}/text` });
  });

  it("response headers are not sent again by a second http request; cookies are parsed", async () => {
    const first = request({ url: `${base}/echo`, ret: "obj" });
    await first.input({});
    const msg = first.port(0)[0];
    expect(msg.responseCookies).toEqual({ session: { value: "abc", Path: "/" }, theme: { value: "dark" } });
    const second = request({ url: `${base}/echo`, ret: "obj" });
    await second.input(msg);
    const sent = (second.port(0)[0].payload as { headers: Record<string, string> }).headers;
    expect(sent["set-cookie"]).toBeUndefined();
    expect(sent["x-node-red-request-node"]).toBeUndefined();
  });

  it("user:password in the URL is sent as basic authentication", async () => {
    const h = request({ url: `${base.replace("http://", "http://ann:s%20cret@")}/echo`, ret: "obj" });
    await h.input({});
    const sent = (h.port(0)[0].payload as { headers: Record<string, string> }).headers;
    expect(sent.authorization).toBe(`Basic ${Buffer.from("ann:s cret").toString("base64")}`);
  });
});

describe("http request failures", () => {
  it("a timeout is an error naming the URL; the message goes on with the error unless 'only to catch'", async () => {
    const h = request({ url: `${base}/slow`, reqTimeout: 2000 });
    const arrived = waitForSlow();
    const pending = h.input({ payload: "x" });
    await arrived;
    h.clock.advance(1999);
    expect(h.sent).toEqual([]);
    h.clock.advance(1);
    await pending;
    expect(String(h.errors[0].error)).toBe(`GET ${base}/slow failed: no response from server within 2000 ms (ETIMEDOUT)`);
    expect(h.port(0)[0]).toMatchObject({ payload: `no response from server within 2000 ms : ${base}/slow`, statusCode: "ETIMEDOUT" });
    expect(h.statuses.at(-1)).toEqual({ fill: "red", shape: "ring", text: "no response from server" });
  });

  it("msg.requestTimeout overrides the timeout; a bad one is ignored with a warning", async () => {
    const h = request({ url: `${base}/slow`, senderr: true });
    const arrived = waitForSlow();
    const pending = h.input({ requestTimeout: 50 });
    await arrived;
    h.clock.advance(50);
    await pending;
    expect(String(h.errors[0].error)).toMatch(/within 50 ms/);
    expect(h.sent).toEqual([]); // senderr: only to catch nodes
    const w = request({ url: `${base}/text` });
    await w.input({ requestTimeout: "soon" });
    await w.input({ requestTimeout: -5 });
    expect(w.warnings).toEqual([expect.stringMatching(/not a valid number, ignoring/), expect.stringMatching(/negative, ignoring/)]);
    expect(w.port(0)).toHaveLength(2);
  });

  it("a refused connection is an error naming the URL and the reason", async () => {
    const closedServer = http.createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, "127.0.0.1", resolve));
    const port = (closedServer.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closedServer.close(() => resolve()));
    const h = request({ url: `http://127.0.0.1:${port}/x` });
    await h.input({});
    expect(String(h.errors[0].error)).toBe(
      `GET http://127.0.0.1:${port}/x failed: connection refused; check the URL and that the server is running (ECONNREFUSED)`,
    );
    expect(h.port(0)[0].statusCode).toBe("ECONNREFUSED");
    expect(h.statuses.at(-1)).toEqual({ fill: "red", shape: "ring", text: "ECONNREFUSED" });
  });

  it("no URL at all, a non-http URL and an unparsable URL are reported", async () => {
    const h = request();
    await h.input({});
    expect(String(h.errors[0].error)).toBe("No url specified: set the node's URL or send msg.url");
    await h.input({ url: "ftp://127.0.0.1/file" });
    expect(h.warnings[0]).toMatch(/^non-http transport requested: 'ftp:\/\/127\.0\.0\.1\/file'/);
    await h.input({ url: "http://exa mple:99999/" });
    expect(String(h.errors[1].error)).toMatch(/is not a valid URL/);
    expect(h.sent).toEqual([]);
  });

  it("closing the node aborts a request in flight and sends nothing", async () => {
    const h = request({ url: `${base}/slow` });
    const arrived = waitForSlow();
    const pending = h.input({});
    await arrived;
    await h.close();
    await pending;
    expect(h.sent).toEqual([]);
    expect(h.errors).toEqual([]);
  });
});

describe("http request: Node-RED import/export", () => {
  it("a Node-RED http request node round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      {
        id: "h1", type: "http request", z: "t1", name: "weather", method: "GET", ret: "obj", paytoqs: "ignore",
        url: "http://192.168.1.20/api/{{topic}}", tls: "", persist: false, proxy: "", insecureHTTPParser: false, authType: "",
        senderr: false, headers: [{ keyType: "Accept", keyValue: "", valueType: "application/json", valueValue: "" }], x: 330, y: 260, wires: [[]],
      },
    ];
    const lookup = (type: string) => (type === "http request" ? httpRequestDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "h1")).toEqual(flows[1]);
  });
});
