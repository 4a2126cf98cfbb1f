/**
 * The "/monitor" socket.io namespace: authenticated like HTTP (session cookie, or an API
 * token as `auth: { token }`); any role may connect and subscribe, every other event needs
 * the editor role. Requests are validated with the contract's zod
 * schemas and answered through the optional ack callback.
 */
import type { Namespace, Server as IoServer } from "socket.io";
import type { z } from "zod";
import { hasRole, type AuthService } from "../server/auth";
import { disconnectEnded, type SocketPrincipalData } from "../server/live";
import {
  MONITOR_NAMESPACE,
  pauseRequestSchema,
  topicSelectSchema,
  treeSubscribeSchema,
  valuesSubscribeSchema,
  type AckReply,
  type MonitorClientToServerEvents,
  type MonitorServerToClientEvents,
} from "./events";
import type { MonitorService } from "./service";

/** Events any role may send (they only shape what this socket receives). */
const READ_ONLY_EVENTS = new Set(["tree:subscribe", "tree:unsubscribe", "topic:select", "pause", "values:subscribe"]);

type MonitorNamespace = Namespace<MonitorClientToServerEvents, MonitorServerToClientEvents>;

export function attachMonitorNamespace(io: IoServer, auth: AuthService, monitor: MonitorService): MonitorNamespace {
  const ns = io.of(MONITOR_NAMESPACE) as unknown as MonitorNamespace;
  ns.use((socket, next) => {
    const { cookie, authorization } = socket.request.headers;
    const token = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    const bearer = typeof token === "string" ? `Bearer ${token}` : undefined;
    auth
      .authenticate({ cookie: cookie ?? null, authorization: authorization ?? bearer ?? null })
      .then((principal) => {
        if (!principal) return next(new Error("unauthorized: log in first (or pass an API token as auth.token)"));
        (socket.data as SocketPrincipalData).principal = principal;
        next();
      })
      .catch(() => next(new Error("unauthorized: log in first")));
  });
  auth.onAccessEnded?.((what) => disconnectEnded(ns.sockets.values(), what));
  ns.on("connection", (socket) => {
    const id = socket.id;
    // Role check for every incoming event: the read-only ones (subscriptions of this socket's
    // own view) are open to viewers; anything else (a publish or any other change, including
    // events added later) needs the editor role and is answered with a readable error.
    socket.use(([event, ...args], next) => {
      if (READ_ONLY_EVENTS.has(event)) return next();
      const principal = (socket.data as SocketPrincipalData).principal;
      if (principal && hasRole(principal.role, "editor")) return next();
      const ack = args[args.length - 1];
      const error = `'${event}' needs the editor role; you are ${principal?.role ?? "not logged in"}`;
      // Not handled; the ack (every client→server event takes one) carries the reason.
      if (typeof ack === "function") (ack as (r: AckReply) => void)({ ok: false, error });
    });
    monitor.stream.add(id, (event, ...args) => {
      socket.emit(event, ...args);
    });
    socket.emit("monitor:brokers", monitor.brokers());

    const handle = <S extends z.ZodType>(schema: S, ack: unknown, run: (value: z.output<S>) => void | Promise<void>, raw: unknown) => {
      const reply = (r: AckReply) => {
        if (typeof ack === "function") (ack as (r: AckReply) => void)(r);
      };
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: "Invalid request: " + parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") });
        return;
      }
      Promise.resolve()
        .then(() => run(parsed.data))
        .then(
          () => reply({ ok: true }),
          (err: unknown) => reply({ ok: false, error: (err as Error).message }),
        );
    };

    socket.on("tree:subscribe", (req, ack) => handle(treeSubscribeSchema, ack, (r) => monitor.stream.subscribeTree(id, r), req));
    socket.on("tree:unsubscribe", (ack) => {
      monitor.stream.unsubscribeTree(id);
      if (typeof ack === "function") ack({ ok: true });
    });
    socket.on("topic:select", (req, ack) => handle(topicSelectSchema, ack, (r) => monitor.stream.select(id, r.broker, r.topic), req));
    socket.on("pause", (req, ack) => handle(pauseRequestSchema, ack, (r) => monitor.stream.pause(id, r.paused), req));
    socket.on("values:subscribe", (req, ack) =>
      handle(valuesSubscribeSchema, ack, (r) => monitor.stream.subscribeValues(id, r.bindings), req),
    );
    socket.on("disconnect", () => monitor.stream.remove(id));
  });
  return ns;
}
