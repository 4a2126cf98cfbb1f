"use client";
/** socket.io on the same origin (the session cookie authenticates it). */
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type {
  BrokerStateEvent,
  ClientToServerEvents,
  DebugMessageEvent,
  DeployedEvent,
  NodeStatusEvent,
  ServerToClientEvents,
} from "../../lib/server/events";
import { loginUrl } from "./api";
import type { SocketState } from "./TopBar";

export interface LiveHandlers {
  onStatus: (events: NodeStatusEvent[]) => void;
  onDebug: (events: DebugMessageEvent[]) => void;
  onDeployed: (event: DeployedEvent) => void;
  onBroker: (event: BrokerStateEvent) => void;
}

export function useLiveEvents(handlers: LiveHandlers): SocketState {
  const [state, setState] = useState<SocketState>("connecting");
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ withCredentials: true });
    socket.on("connect", () => setState("connected"));
    socket.on("disconnect", () => setState("disconnected"));
    socket.on("connect_error", (err) => {
      setState("disconnected");
      if (/unauthori[sz]ed/i.test(err.message)) {
        socket.disconnect();
        window.location.assign(loginUrl());
      }
    });
    const onReconnectAttempt = () => setState("connecting");
    // The Manager is shared by sockets to the same origin: touch only our own listener.
    socket.io.on("reconnect_attempt", onReconnectAttempt);
    socket.on("node:status", (e) => ref.current.onStatus(e));
    socket.on("debug:messages", (e) => ref.current.onDebug(e));
    socket.on("deployed", (e) => ref.current.onDeployed(e));
    socket.on("broker:state", (e) => ref.current.onBroker(e));
    return () => {
      socket.removeAllListeners();
      socket.io.off("reconnect_attempt", onReconnectAttempt);
      socket.disconnect();
    };
  }, []);
  return state;
}
