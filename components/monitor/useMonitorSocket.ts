"use client";
/**
 * The monitor's live connection (socket.io namespace /monitor, contract in
 * lib/monitor/events.ts): subscribes to the whole tree of the chosen broker, follows the
 * selected topic, and keeps both in browser-side models. Pausing is done here, in the
 * browser, so the page can say how many updates are waiting: batches keep arriving and are
 * coalesced per topic until resume applies them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  MONITOR_NAMESPACE,
  type BrokerInfo,
  type MonitorClientToServerEvents,
  type MonitorMessage,
  type MonitorServerToClientEvents,
  type TopicDetail,
  type TopicRow,
} from "../../lib/monitor/events";
import { loginUrl } from "./api";
import { SMALL_TREE_TOPICS } from "./model/flatten";
import { appendMessages } from "./model/messages";
import { PendingUpdates } from "./model/pending";
import { TopicTree } from "./model/topic-tree";

export type SocketState = "connecting" | "connected" | "disconnected";

export interface SelectedTopic {
  topic: string;
  /** From the last snapshot or message batch. */
  row: TopicRow | null;
  messages: MonitorMessage[];
  /** Messages that were not sent (the ring overflowed between batches). */
  skipped: number;
  description: string;
  unit: string;
  loading: boolean;
}

export interface MonitorLive {
  tree: TopicTree;
  /** Changes whenever the tree or the selection changed (drives re-renders). */
  version: number;
  socket: SocketState;
  /** Whether the server's connection to the broker is up (null: not known yet). */
  brokerConnected: boolean | null;
  brokers: BrokerInfo[];
  selected: SelectedTopic | null;
  /** The first snapshot arrived. */
  ready: boolean;
  /** The tree was small when first shown (open all levels). */
  smallAtStart: boolean;
  /** The server sent fewer topics than match (its snapshot limit). */
  truncated: { shown: number; total: number } | null;
  waiting: { topics: number; messages: number };
  problem: string | null;
}

type MonitorSocket = Socket<MonitorServerToClientEvents, MonitorClientToServerEvents>;

/** Renders are batched to at most one per animation frame. */
function useFrameBump(): [number, () => void] {
  const [version, setVersion] = useState(0);
  const frame = useRef(0);
  const bump = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setVersion((v) => v + 1);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  return [version, bump];
}

export function useMonitorSocket(broker: string, selectedTopic: string | null, paused: boolean): MonitorLive {
  const tree = useMemo(() => new TopicTree(), []);
  const pending = useMemo(() => new PendingUpdates(), []);
  const [version, bump] = useFrameBump();
  const [socketState, setSocketState] = useState<SocketState>("connecting");
  const [brokerConnected, setBrokerConnected] = useState<boolean | null>(null);
  const [brokers, setBrokers] = useState<BrokerInfo[]>([]);
  const [ready, setReady] = useState(false);
  const [smallAtStart, setSmallAtStart] = useState(false);
  const [truncated, setTruncated] = useState<{ shown: number; total: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [waiting, setWaiting] = useState({ topics: 0, messages: 0 });
  const selectedRef = useRef<SelectedTopic | null>(null);
  const [selected, setSelected] = useState<SelectedTopic | null>(null);
  /** A snapshot that arrived while paused (after a reconnect): applied on resume. */
  const pendingSnapshot = useRef<TopicRow[] | null>(null);
  const pausedRef = useRef(paused);
  const brokerRef = useRef(broker);
  const topicRef = useRef(selectedTopic);
  const socketRef = useRef<MonitorSocket | null>(null);
  const firstSnapshot = useRef(true);

  const setSel = useCallback((s: SelectedTopic | null) => {
    selectedRef.current = s;
    setSelected(s);
  }, []);

  const countWaiting = useCallback(() => {
    setWaiting({ topics: pending.topicCount + (pendingSnapshot.current ? 1 : 0), messages: pending.messageCount((t) => tree.row(t)?.messages) });
  }, [pending, tree]);

  const subscribeTree = useCallback((socket: MonitorSocket) => {
    socket.emit("tree:subscribe", { broker: brokerRef.current, sys: true }, (reply) => {
      if (reply && reply.ok === false) setProblem(`The monitor refused broker '${brokerRef.current || "default"}': ${reply.error}`);
      else setProblem(null);
    });
  }, []);

  const selectTopic = useCallback((socket: MonitorSocket) => {
    socket.emit("topic:select", { broker: brokerRef.current, topic: topicRef.current }, (reply) => {
      if (reply && reply.ok === false) setProblem(`Could not follow ${topicRef.current}: ${reply.error}`);
    });
  }, []);

  // One socket for the page's lifetime.
  useEffect(() => {
    const socket: MonitorSocket = io(MONITOR_NAMESPACE, { withCredentials: true });
    socketRef.current = socket;
    socket.on("connect", () => {
      setSocketState("connected");
      subscribeTree(socket);
      if (topicRef.current) selectTopic(socket);
    });
    socket.on("disconnect", () => setSocketState("disconnected"));
    socket.on("connect_error", (err) => {
      setSocketState("disconnected");
      if (/unauthori[sz]ed|not logged in|401/i.test(err.message)) {
        socket.disconnect();
        window.location.assign(loginUrl());
      }
    });
    const onReconnectAttempt = () => setSocketState("connecting");
    socket.io.on("reconnect_attempt", onReconnectAttempt);

    socket.on("monitor:brokers", (list) => setBrokers(list));

    socket.on("tree:snapshot", (snap) => {
      if (snap.broker !== brokerRef.current) return;
      setBrokerConnected(snap.connected);
      setTruncated(snap.truncated ? { shown: snap.topics.length, total: snap.total } : null);
      if (firstSnapshot.current) {
        firstSnapshot.current = false;
        setSmallAtStart(snap.topics.length <= SMALL_TREE_TOPICS);
      }
      setReady(true);
      if (pausedRef.current && tree.size > 0) {
        pendingSnapshot.current = snap.topics;
        pending.clear();
        countWaiting();
        return;
      }
      tree.reset(snap.topics);
      bump();
    });

    socket.on("tree:updates", (u) => {
      if (u.broker !== brokerRef.current) return;
      setBrokerConnected(u.connected);
      if (u.topics.length === 0 && u.removed.length === 0) return;
      if (pausedRef.current) {
        pending.addTree(u.topics, u.removed);
        countWaiting();
        return;
      }
      tree.apply(u.topics, u.removed);
      bump();
    });

    socket.on("topic:snapshot", (d: TopicDetail) => {
      if (d.broker !== brokerRef.current || d.topic !== topicRef.current) return;
      setSel({ topic: d.topic, row: d.row.messages > 0 ? d.row : null, messages: d.history, skipped: 0, description: d.description, unit: d.unit, loading: false });
    });

    socket.on("topic:messages", (b) => {
      const cur = selectedRef.current;
      if (b.broker !== brokerRef.current || !cur || b.topic !== cur.topic) return;
      if (pausedRef.current) {
        pending.addMessages(b.messages);
        return;
      }
      setSel({ ...cur, row: b.row, messages: appendMessages(cur.messages, b.messages), skipped: cur.skipped + b.skipped });
    });

    return () => {
      socket.removeAllListeners();
      socket.io.off("reconnect_attempt", onReconnectAttempt);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [tree, pending, bump, countWaiting, subscribeTree, selectTopic, setSel]);

  // Another broker: a new tree.
  useEffect(() => {
    if (brokerRef.current === broker) return;
    brokerRef.current = broker;
    tree.clear();
    pending.clear();
    pendingSnapshot.current = null;
    firstSnapshot.current = true;
    setReady(false);
    setBrokerConnected(null);
    setTruncated(null);
    countWaiting();
    bump();
    const socket = socketRef.current;
    if (socket?.connected) {
      subscribeTree(socket);
      if (topicRef.current) selectTopic(socket);
    }
  }, [broker, tree, pending, bump, countWaiting, subscribeTree, selectTopic]);

  // Another selected topic.
  useEffect(() => {
    topicRef.current = selectedTopic;
    pending.messages = [];
    setSel(selectedTopic ? { topic: selectedTopic, row: tree.row(selectedTopic), messages: [], skipped: 0, description: "", unit: "", loading: true } : null);
    const socket = socketRef.current;
    if (socket?.connected) selectTopic(socket);
  }, [selectedTopic, tree, pending, selectTopic, setSel]);

  // Pause and resume.
  useEffect(() => {
    pausedRef.current = paused;
    if (paused) return;
    const snap = pendingSnapshot.current;
    pendingSnapshot.current = null;
    const out = pending.drain();
    if (snap) tree.reset(snap);
    tree.apply(out.rows, out.removed);
    const cur = selectedRef.current;
    if (cur && out.messages.length) {
      setSel({ ...cur, row: tree.row(cur.topic) ?? cur.row, messages: appendMessages(cur.messages, out.messages) });
    }
    countWaiting();
    bump();
  }, [paused, pending, tree, bump, countWaiting, setSel]);

  return { tree, version, socket: socketState, brokerConnected, brokers, selected, ready, smallAtStart, truncated, waiting, problem };
}
