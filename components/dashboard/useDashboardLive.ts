"use client";
/**
 * Live values for the shown dashboard over socket.io (namespace /monitor): the page sends
 * the widgets' topic + path bindings ("values:subscribe") and receives the server's batched,
 * per-binding coalesced values, which go into the LiveValueStore. Resubscribes after a
 * reconnect; a refused login sends the browser to /login.
 */
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { MONITOR_NAMESPACE, type LiveValue as WireValue, type MonitorClientToServerEvents, type MonitorServerToClientEvents } from "../../lib/monitor/events";
import { loginUrl } from "./api";
import { bindingKey, type Binding, type LiveValueStore } from "./model/live-values";

export type ConnectionState = "connecting" | "connected" | "disconnected";

export interface LiveStatus {
  state: ConnectionState;
  /** Why the server refused the subscription, if it did. */
  problem: string | null;
}

export function useDashboardLive(store: LiveValueStore, bindings: readonly Binding[]): LiveStatus {
  const [state, setState] = useState<ConnectionState>("connecting");
  const [problem, setProblem] = useState<string | null>(null);
  const socketRef = useRef<Socket<MonitorServerToClientEvents, MonitorClientToServerEvents> | null>(null);
  const bindingsRef = useRef(bindings);

  useEffect(() => {
    const socket: Socket<MonitorServerToClientEvents, MonitorClientToServerEvents> = io(MONITOR_NAMESPACE, { withCredentials: true });
    socketRef.current = socket;
    const put = (values: WireValue[]) => {
      // at 0: the server has never seen the topic (snapshot placeholder), so nothing is known yet.
      for (const v of values) if (v.at > 0) store.set(bindingKey(v), { value: v.value, at: v.at, retained: v.retained });
    };
    const subscribe = () => {
      socket.emit("values:subscribe", { bindings: bindingsRef.current.map((b) => ({ broker: b.broker, topic: b.topic, path: b.path })) }, (reply) => {
        setProblem(reply && reply.ok === false ? `Live values refused: ${reply.error}` : null);
      });
    };
    socket.on("connect", () => {
      setState("connected");
      subscribe();
    });
    socket.on("disconnect", () => setState("disconnected"));
    socket.on("connect_error", (err) => {
      setState("disconnected");
      if (/unauthori[sz]ed|not logged in/i.test(err.message)) {
        socket.disconnect();
        window.location.assign(loginUrl());
      }
    });
    const onReconnectAttempt = () => setState("connecting");
    socket.io.on("reconnect_attempt", onReconnectAttempt);
    socket.on("values:snapshot", put);
    socket.on("values:updates", put);
    return () => {
      socket.removeAllListeners();
      socket.io.off("reconnect_attempt", onReconnectAttempt);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [store]);

  // A different set of widgets (another dashboard, an added widget): replace the subscription.
  const signature = bindings.map(bindingKey).join("\n");
  useEffect(() => {
    bindingsRef.current = bindings;
    store.retain(bindings.map(bindingKey));
    const socket = socketRef.current;
    if (socket?.connected) {
      socket.emit("values:subscribe", { bindings: bindings.map((b) => ({ broker: b.broker, topic: b.topic, path: b.path })) }, (reply) => {
        setProblem(reply && reply.ok === false ? `Live values refused: ${reply.error}` : null);
      });
    }
  }, [signature, store]);

  return { state, problem };
}
