/** socket.io connections are authenticated like HTTP: no credentials, no live data. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { io as ioClient, type Socket } from "socket.io-client";
import { startApp, type AppHandle } from "../helpers/app";
import type { ClientToServerEvents, NodeStatusEvent, ServerToClientEvents } from "../../lib/server/events";

let app: AppHandle;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.dispose();
});

function connect(opts: { token?: string; cookie?: string }): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(app.url, {
    transports: ["websocket"],
    reconnection: false,
    auth: opts.token ? { token: opts.token } : undefined,
    extraHeaders: opts.cookie ? { cookie: opts.cookie } : undefined,
  });
  sockets.push(socket);
  return socket;
}

it("refuses a socket without a session or token", async () => {
  const socket = connect({});
  const error = await new Promise<Error>((resolve, reject) => {
    socket.on("connect_error", resolve);
    socket.on("connect", () => reject(new Error("connected without credentials")));
  });
  expect(error.message).toMatch(/unauthorized/);
});

it("accepts the API token and sends the current node statuses on connect", async () => {
  const socket = connect({ token: app.token });
  const statuses = await new Promise<NodeStatusEvent[]>((resolve, reject) => {
    socket.on("node:status", resolve);
    socket.on("connect_error", reject);
  });
  // The example's mqtt nodes show their broker connection.
  expect(statuses.some((s) => s.status.text === "connected")).toBe(true);
});

it("accepts a logged-in browser session cookie", async () => {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: app.adminPassword }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  const socket = connect({ cookie });
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
});
