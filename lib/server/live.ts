/**
 * Live events to browsers over socket.io: node status and debug messages, batched every
 * 100 ms so a busy flow never floods a browser (status coalesced per node; debug capped per
 * batch with a count of what was dropped). Sockets are authenticated like HTTP requests and
 * need the editor role (viewers have no editor).
 */
import type { Server as IoServer } from "socket.io";
import type { DebugEvent, NodeStatus } from "../runtime/node-api";
import type { BrokerStateEvent, ClientToServerEvents, DebugMessageEvent, NodeStatusEvent, ServerToClientEvents } from "./events";
import { hasRole, type AccessEnded, type AuthService, type Principal } from "./auth";

/** What the namespaces keep on `socket.data` after authenticating. */
export interface SocketPrincipalData {
  principal?: Principal;
}

/** Disconnects the sockets whose session or token just ended (logout elsewhere, demotion, revocation). */
export function disconnectEnded(sockets: Iterable<{ data: unknown; disconnect(close?: boolean): unknown }>, what: AccessEnded): void {
  for (const socket of [...sockets]) {
    const p = (socket.data as SocketPrincipalData | undefined)?.principal;
    if (!p) continue;
    const ended =
      "tokenId" in what ? p.tokenId === what.tokenId : p.userId === what.userId && (what.keepSession === undefined || p.sessionHash !== what.keepSession);
    if (ended) socket.disconnect(true);
  }
}

const FLUSH_MS = 100;
const MAX_DEBUG_PER_FLUSH = 200;

export class LiveHub {
  private readonly statuses = new Map<string, NodeStatus>();
  private pendingStatus = new Map<string, NodeStatus>();
  private pendingDebug: DebugMessageEvent[] = [];
  private droppedDebug = 0;
  private timer: NodeJS.Timeout | null = null;
  private debugSeq = 0;
  private brokerState: BrokerStateEvent = { connected: false, url: "" };

  constructor(
    private readonly io: IoServer<ClientToServerEvents, ServerToClientEvents>,
    auth: AuthService,
  ) {
    // The editor's live events (node status, debug messages) need the editor role.
    io.use((socket, next) => {
      const { cookie, authorization } = socket.request.headers;
      const bearer = typeof socket.handshake.auth?.token === "string" ? `Bearer ${socket.handshake.auth.token}` : undefined;
      auth
        .authenticate({ cookie: cookie ?? null, authorization: authorization ?? bearer ?? null })
        .then((principal) => {
          if (!principal) return next(new Error("unauthorized: log in first (or pass an API token as auth.token)"));
          if (!hasRole(principal.role, "editor")) {
            return next(new Error(`forbidden: the editor's live events need the editor role; you are ${principal.role}`));
          }
          (socket.data as SocketPrincipalData).principal = principal;
          next();
        })
        .catch(() => next(new Error("unauthorized: log in first")));
    });
    // (optional call: unit tests pass a stub without it)
    auth.onAccessEnded?.((what) => disconnectEnded(io.sockets.sockets.values(), what));
    io.on("connection", (socket) => {
      socket.emit(
        "node:status",
        [...this.statuses].map(([nodeId, status]) => ({ nodeId, status })),
      );
      socket.emit("broker:state", this.brokerState);
    });
  }

  status(nodeId: string, status: NodeStatus): void {
    if (!status.fill && !status.text) this.statuses.delete(nodeId);
    else this.statuses.set(nodeId, status);
    this.pendingStatus.set(nodeId, status);
    this.schedule();
  }

  debug(event: DebugEvent): void {
    if (this.pendingDebug.length >= MAX_DEBUG_PER_FLUSH) {
      this.droppedDebug++;
    } else {
      this.pendingDebug.push({ id: `${event.time}-${++this.debugSeq}`, ...event });
    }
    this.schedule();
  }

  deployed(deploymentId: number, nodes: number): void {
    this.io.emit("deployed", { deploymentId, nodes });
  }

  broker(state: BrokerStateEvent): void {
    this.brokerState = state;
    this.io.emit("broker:state", state);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    if (this.pendingStatus.size > 0) {
      const events: NodeStatusEvent[] = [...this.pendingStatus].map(([nodeId, status]) => ({ nodeId, status }));
      this.pendingStatus = new Map();
      this.io.emit("node:status", events);
    }
    if (this.pendingDebug.length > 0) {
      const batch = this.pendingDebug;
      if (this.droppedDebug > 0) {
        const last = batch[batch.length - 1];
        batch.push({
          ...last,
          id: `${last.time}-${++this.debugSeq}`,
          property: "notice",
          value: `${this.droppedDebug} more debug messages in the last ${FLUSH_MS} ms were not shown`,
          level: "warn",
        });
      }
      this.pendingDebug = [];
      this.droppedDebug = 0;
      this.io.emit("debug:messages", batch);
    }
  }
}
