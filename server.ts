/**
 * Flowhouse's one process: HTTP server hosting Next.js (pages + route handlers), socket.io,
 * the flow runtime and, unless MQTT_URL is set, the embedded MQTT broker.
 *
 *   node --import tsx server.ts          production (needs `next build`; `npm start` does it)
 *   node --import tsx server.ts --dev    development with hot reload
 *
 * Access control lives here, in front of Next: every /api route except /api/health,
 * /api/auth/login and /api/setup needs a session cookie or a bearer API token; pages redirect
 * to /login (to /setup, reachable from this machine only, until the first admin exists).
 * Cookie-authenticated changes must carry this site's Origin/Referer (CSRF). Route handlers
 * check the role (route(minRole, ...)); socket.io namespaces check it in lib/server/live.ts and
 * lib/monitor/socket.ts. See /work/briefs/readme-security.md.
 */
import http from "node:http";
import v8 from "node:v8";
import next from "next";
import { Server as IoServer } from "socket.io";
import { loadConfig, ConfigError } from "./lib/server/config";
import { startFlowhouse, type FlowhouseApp, type Logger } from "./lib/server/app";
import { setApp } from "./lib/server/registry";
import type { ClientToServerEvents, ServerToClientEvents } from "./lib/server/events";
import { hasRole, isLoopbackAddress, type Role } from "./lib/server/auth";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

// FLOWHOUSE_HEAP_GROWING_PERCENT=N lets the V8 heap grow only N % over the live data after a
// full GC, instead of up to 4× (V8's default under a high allocation rate). Measured with the
// benchmark's S2 load (130 MB live): 30 → RSS 530 → 330-380 MB, but CPU per message +40 %
// and p99 latency +6 ms from the extra collections. Off by default (latency and CPU matter
// more for rules); for a small machine where memory is tight, set it to 30.
const heapGrowing = Number(process.env.FLOWHOUSE_HEAP_GROWING_PERCENT ?? 0);
if (Number.isInteger(heapGrowing) && heapGrowing > 0) v8.setFlagsFromString(`--heap-growing-percent=${heapGrowing}`);

const log: Logger = {
  info: (t) => console.log(`[flowhouse] ${t}`),
  warn: (t) => console.warn(`[flowhouse] warning: ${t}`),
  error: (t) => console.error(`[flowhouse] error: ${t}`),
};

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const config = loadConfig(process.env, { dev });

  const httpServer = http.createServer();
  const io = new IoServer<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    destroyUpgrade: false,
    maxHttpBufferSize: 1e6,
    // Cross-site WebSocket hijacking: a browser handshake from another site is refused (the
    // SameSite=Strict cookie is not sent there either; this is the second lock).
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const ok = !origin || sameHost(origin, req);
      callback(ok ? null : `cross-origin socket.io connection from ${origin} refused`, ok);
    },
  });
  const nextApp = next({ dev, hostname: config.host, port: config.port, httpServer, dir: process.cwd() });
  const [app] = await Promise.all([startFlowhouse(config, io, log), nextApp.prepare()]);
  setApp(app);
  const handle = nextApp.getRequestHandler();

  httpServer.on("request", (req, res) => {
    // socket.io answers its own requests (it registered its listener first); handing them to
    // Next too would race a second response.
    if (req.url?.startsWith("/socket.io/")) return;
    gate(app, req, res)
      .then((pass) => (pass ? handle(req, res) : undefined))
      .catch((err: unknown) => {
        log.error(`request ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { error: "Internal error: see the server log" });
      });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new ConfigError(`Port ${config.port} on ${config.host} is already in use: stop the other program or set PORT`)
          : err,
      ),
    );
    httpServer.listen(config.port, config.host, resolve);
  });
  printBanner(app);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    io.close();
    httpServer.closeAllConnections?.();
    await app.close();
    setApp(undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * A request that is really from this machine: loopback socket address AND no proxy headers
 * (a reverse proxy on the same machine connects from 127.0.0.1 on behalf of remote clients).
 */
function isLocalRequest(req: http.IncomingMessage): boolean {
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  return !proxied && isLoopbackAddress(req.socket.remoteAddress);
}

/**
 * CSRF: the origin a browser request came from, from Origin or else Referer; null when the
 * request carries neither. Chromium, Firefox and Safari send Origin on every POST, PUT, PATCH
 * and DELETE (same-origin fetches included), so a cookie-authenticated change without either
 * header is not from our pages and is refused.
 */
function requestOrigin(req: http.IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (typeof origin === "string" && origin !== "") return origin;
  const referer = req.headers.referer;
  if (typeof referer === "string" && referer !== "") {
    try {
      return new URL(referer).origin;
    } catch {
      return "null";
    }
  }
  return null;
}

/** Whether `origin` names this server (same host:port as the Host header). */
function sameHost(origin: string, req: http.IncomingMessage): boolean {
  if (origin === "null") return false;
  try {
    return new URL(origin).host.toLowerCase() === String(req.headers.host ?? "").toLowerCase();
  } catch {
    return false;
  }
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Pages and the least role that may open them (others are open to every logged-in user). */
const PAGE_ROLES: Record<string, { role: Role; otherwise: string }> = {
  "/": { role: "editor", otherwise: "/dashboard" },
};

/** Authenticates and annotates the request; answers itself (401/302/403/413) when it must. */
async function gate(app: FlowhouseApp, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  // Identity headers are set only by this gate, never taken from the client.
  delete req.headers["x-flowhouse-user"];
  delete req.headers["x-flowhouse-role"];
  req.headers["x-flowhouse-client"] = req.socket.remoteAddress ?? "unknown";

  const url = new URL(req.url ?? "/", "http://localhost");
  const pathname = url.pathname;
  try {
    decodeURIComponent(pathname);
  } catch {
    // Next would answer a bare 500 for a path it cannot decode (/api/dashboards/%E0%A4%A).
    sendJson(res, 400, { error: "Malformed URL: the path has invalid percent-encoding (e.g. a lone %); encode it with encodeURIComponent" });
    return false;
  }
  const isApi = pathname.startsWith("/api/");
  const method = (req.method ?? "GET").toUpperCase();
  if (pathname.startsWith("/_next/") || pathname === "/favicon.ico" || pathname === "/api/health") return true;

  const length = Number(req.headers["content-length"] ?? 0);
  if (length > MAX_BODY_BYTES) {
    sendJson(res, 413, { error: `Request body too large: ${length} bytes, the limit is ${MAX_BODY_BYTES}` });
    return false;
  }

  // A cross-site browser request never changes anything, logged in or not (login CSRF included).
  const origin = requestOrigin(req);
  if (MUTATING.has(method) && origin !== null && !sameHost(origin, req)) {
    sendJson(res, 403, { error: `Cross-origin request from ${origin} refused: Flowhouse only accepts changes from its own pages (${req.headers.host ?? "this host"})` });
    return false;
  }

  const setupMode = app.auth.setupRequired;
  if (pathname === "/setup" || pathname === "/api/setup") {
    if (!setupMode) {
      if (isApi) return true; // the route answers 410 Gone
      redirect(res, "/login");
      return false;
    }
    if (!isLocalRequest(req)) {
      const message =
        "Flowhouse is not set up yet. For safety the first admin account can only be created from the machine Flowhouse runs on: " +
        `open http://127.0.0.1:${app.config.port}/setup there (e.g. through an SSH tunnel: ssh -L ${app.config.port}:127.0.0.1:${app.config.port} <host>), ` +
        "or set FLOWHOUSE_ADMIN_PASSWORD and restart Flowhouse, then log in as 'admin'.";
      if (isApi) sendJson(res, 403, { error: message });
      else sendHtml(res, 403, "Set up Flowhouse on its own machine", message);
      return false;
    }
    return true;
  }
  if (pathname === "/login" || pathname === "/api/auth/login") {
    if (setupMode && !isApi) {
      redirect(res, "/setup");
      return false;
    }
    return true;
  }

  const principal = await app.auth.authenticate({
    authorization: req.headers.authorization ?? null,
    cookie: req.headers.cookie ?? null,
  });
  if (!principal) {
    if (isApi) {
      sendJson(res, 401, {
        error: setupMode
          ? `Flowhouse is not set up yet: open http://127.0.0.1:${app.config.port}/setup on the machine it runs on (or set FLOWHOUSE_ADMIN_PASSWORD), or send 'Authorization: Bearer <FLOWHOUSE_API_TOKEN>'`
          : "Not logged in: send 'Authorization: Bearer <API token>' or log in at /login",
      });
    } else if (setupMode) {
      redirect(res, "/setup");
    } else {
      redirect(res, `/login?next=${encodeURIComponent(pathname + url.search)}`);
    }
    return false;
  }
  // CSRF: a cookie-authenticated change must name our own origin (checked above when present).
  if (MUTATING.has(method) && principal.via === "session" && origin === null) {
    sendJson(res, 403, {
      error: "Request refused: a change made with a session cookie must carry an Origin or Referer header of this site (browsers send it; scripts should use an API token)",
    });
    return false;
  }
  const page = PAGE_ROLES[pathname];
  if (!isApi && page && !hasRole(principal.role, page.role)) {
    redirect(res, page.otherwise);
    return false;
  }
  req.headers["x-flowhouse-user"] = principal.username;
  req.headers["x-flowhouse-role"] = principal.role;
  return true;
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function sendHtml(res: http.ServerResponse, status: number, title: string, text: string): void {
  const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Flowhouse</title>` +
      `<style>body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1f2328;display:grid;place-items:center;min-height:100vh;margin:0;padding:24px;box-sizing:border-box}` +
      `main{max-width:520px;background:#fff;border:1px solid #d9dce1;border-radius:8px;padding:24px 28px}h1{font-size:20px;margin:0 0 12px}</style></head>` +
      `<body><main data-testid="setup-forbidden"><h1>${esc(title)}</h1><p>${esc(text)}</p></main></body></html>`,
  );
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

function printBanner(app: FlowhouseApp): void {
  const { config, secrets } = app;
  const web = `http://${config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host}:${config.port}`;
  const lines = [
    "",
    "  Flowhouse is running",
    `  Editor:    ${web}`,
    `  MQTT:      ${app.brokerUrl}${app.broker ? "  (embedded broker)" : ""}`,
    `  Database:  ${config.databaseUrl}`,
    `  Data dir:  ${config.dataDir}`,
  ];
  if (secrets.setupRequired) {
    lines.push(
      "",
      "  FIRST START: no admin account exists yet. Nothing can be edited until one is created.",
      `    Open http://127.0.0.1:${config.port}/setup in a browser ON THIS MACHINE to create it`,
      "    (or set FLOWHOUSE_ADMIN_PASSWORD and restart: that creates the user 'admin').",
    );
  } else {
    lines.push(`  Log in:    ${secrets.adminFromEnv ? "user: admin, password from FLOWHOUSE_ADMIN_PASSWORD" : "with your account"} (users and API tokens: Settings)`);
  }
  if (secrets.envToken) lines.push("  API token: FLOWHOUSE_API_TOKEN is set (admin role)");
  console.log(lines.join("\n") + "\n");
  if (!isLoopbackHost(config.host)) {
    const bar = "!".repeat(78);
    console.warn(
      [
        bar,
        `!! WARNING: Flowhouse listens on ${config.host}:${config.port} WITHOUT TLS.`,
        "!! The editor can deploy flows that run code and publish to your devices. Anyone who",
        "!! can reach this port can try to log in, and passwords, session cookies and API",
        "!! tokens cross the network in clear text.",
        "!! Put a TLS reverse proxy (Caddy, nginx, Traefik) in front of it, or set HOST=127.0.0.1",
        "!! and reach it through an SSH tunnel or VPN.",
        bar,
      ].join("\n"),
    );
  }
}

process.on("unhandledRejection", (reason) => log.error(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
process.on("uncaughtException", (err) => log.error(`uncaught exception: ${err.stack ?? String(err)}`));

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`[flowhouse] ${err.message}`);
  else console.error(`[flowhouse] failed to start: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
