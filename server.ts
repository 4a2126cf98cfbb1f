/**
 * Flowhouse's one process: HTTP server hosting Next.js (pages + route handlers), socket.io,
 * the flow runtime and, unless MQTT_URL is set, the embedded MQTT broker.
 *
 *   node --import tsx server.ts          production (needs `next build`; `npm start` does it)
 *   node --import tsx server.ts --dev    development with hot reload
 *
 * Access control lives here, in front of Next: every /api route except /api/health and
 * /api/auth/login needs a session cookie or the bearer API token; pages redirect to /login.
 */
import http from "node:http";
import next from "next";
import { Server as IoServer } from "socket.io";
import { loadConfig, ConfigError } from "./lib/server/config";
import { startFlowhouse, type FlowhouseApp, type Logger } from "./lib/server/app";
import { setApp } from "./lib/server/registry";
import type { ClientToServerEvents, ServerToClientEvents } from "./lib/server/events";

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const PUBLIC_PATHS = new Set(["/api/health", "/api/auth/login", "/login", "/favicon.ico"]);

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

/** Authenticates and annotates the request; answers itself (401/302/403/413) when it must. */
async function gate(app: FlowhouseApp, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  // Identity headers are set only by this gate, never taken from the client.
  delete req.headers["x-flowhouse-user"];
  delete req.headers["x-flowhouse-role"];
  req.headers["x-flowhouse-client"] = req.socket.remoteAddress ?? "unknown";

  const url = new URL(req.url ?? "/", "http://localhost");
  const pathname = url.pathname;
  const isApi = pathname.startsWith("/api/");
  if (pathname.startsWith("/_next/") || PUBLIC_PATHS.has(pathname)) return true;

  const length = Number(req.headers["content-length"] ?? 0);
  if (length > MAX_BODY_BYTES) {
    sendJson(res, 413, { error: `Request body too large: ${length} bytes, the limit is ${MAX_BODY_BYTES}` });
    return false;
  }
  const principal = await app.auth.authenticate({
    authorization: req.headers.authorization ?? null,
    cookie: req.headers.cookie ?? null,
  });
  if (!principal) {
    if (isApi) {
      sendJson(res, 401, {
        error: "Not logged in: send 'Authorization: Bearer <FLOWHOUSE_API_TOKEN>' or log in at /login",
      });
    } else {
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(pathname + url.search)}` });
      res.end();
    }
    return false;
  }
  // CSRF: a cookie-authenticated change must come from our own origin.
  const mutating = req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS";
  const origin = req.headers.origin;
  if (mutating && principal.via === "session" && origin && new URL(origin).host !== req.headers.host) {
    sendJson(res, 403, { error: `Cross-origin request from ${origin} refused` });
    return false;
  }
  req.headers["x-flowhouse-user"] = principal.username;
  req.headers["x-flowhouse-role"] = principal.role;
  return true;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function printBanner(app: FlowhouseApp): void {
  const { config, secrets } = app;
  const web = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${config.port}`;
  const lines = [
    "",
    "  Flowhouse is running",
    `  Editor:    ${web}  (user: admin)`,
    `  MQTT:      ${app.brokerUrl}${app.broker ? "  (embedded broker)" : ""}`,
    `  Database:  ${config.databaseUrl}`,
    `  Data dir:  ${config.dataDir}`,
  ];
  if (secrets.generatedAdminPassword) {
    lines.push(
      `  Admin password (generated, shown once): ${secrets.generatedAdminPassword}`,
      "    To choose your own, set FLOWHOUSE_ADMIN_PASSWORD and restart.",
    );
  } else {
    lines.push(`  Admin password: ${config.adminPassword ? "from FLOWHOUSE_ADMIN_PASSWORD" : "as set before (set FLOWHOUSE_ADMIN_PASSWORD to reset it)"}`);
  }
  if (secrets.generatedApiToken) {
    lines.push(
      `  API token (generated, shown once): ${secrets.generatedApiToken}`,
      "    Use it as 'Authorization: Bearer <token>'; set FLOWHOUSE_API_TOKEN to choose your own.",
    );
  }
  if (config.host !== "127.0.0.1" && config.host !== "localhost" && config.host !== "::1") {
    lines.push(`  WARNING: listening on ${config.host} without TLS: put a TLS reverse proxy in front.`);
  }
  console.log(lines.join("\n") + "\n");
}

process.on("unhandledRejection", (reason) => log.error(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
process.on("uncaughtException", (err) => log.error(`uncaught exception: ${err.stack ?? String(err)}`));

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`[flowhouse] ${err.message}`);
  else console.error(`[flowhouse] failed to start: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
