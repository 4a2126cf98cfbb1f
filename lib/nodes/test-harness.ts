/**
 * Runs one node type in isolation for unit tests: a FakeClock, captured sends / statuses /
 * errors / debug events, and an in-memory MqttService with exact-match-free dispatch
 * (filters matched by the real trie once lib/mqtt exists, here by a small matcher).
 * Test-only; never imported by the runtime.
 */
import { FakeClock } from "../runtime/clock";
import { TrackedTimers } from "../runtime/node-timers";
import { newMsgId, type Msg } from "../runtime/message";
import type { DebugEvent, Location, NodeFactory, NodeInstance, NodeServices, NodeStatus, SendArg } from "../runtime/node-api";
import { ContextStore } from "../runtime/context";
import { DurableTimerService, type StoredNodeTimer } from "../runtime/durable-timers";
import type { MqttMessage, MqttService, PublishOptions, QoS } from "../mqtt/service";

export interface Sent {
  /** Output port index. */
  port: number;
  msg: Msg;
  /** Fake-clock time of the send. */
  time: number;
}

export interface Published {
  brokerId: string;
  topic: string;
  payload: string | Buffer;
  options: PublishOptions;
  time: number;
}

function matches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (t[0].startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** In-memory MQTT for node unit tests: `deliver()` plays the broker. */
export class MemoryMqtt implements MqttService {
  readonly published: Published[] = [];
  readonly subscriptions: { brokerId: string; filter: string; qos: QoS; handler: (m: MqttMessage) => void }[] = [];
  connected = true;
  constructor(private readonly clock: FakeClock) {}
  subscribe(brokerId: string, filter: string, qos: QoS, handler: (m: MqttMessage) => void): () => void {
    const entry = { brokerId, filter, qos, handler };
    this.subscriptions.push(entry);
    return () => {
      const i = this.subscriptions.indexOf(entry);
      if (i >= 0) this.subscriptions.splice(i, 1);
    };
  }
  async publish(brokerId: string, topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    this.published.push({ brokerId, topic, payload, options, time: this.clock.now() });
  }
  isConnected(): boolean {
    return this.connected;
  }
  onConnectionChange(): () => void {
    return () => {};
  }
  deliver(topic: string, payload: string | Buffer, opts: { qos?: QoS; retain?: boolean; brokerId?: string } = {}): void {
    const message: MqttMessage = {
      topic,
      payload: typeof payload === "string" ? Buffer.from(payload) : payload,
      qos: opts.qos ?? 0,
      retain: opts.retain ?? false,
    };
    for (const s of [...this.subscriptions]) {
      if ((opts.brokerId ?? s.brokerId) === s.brokerId && matches(s.filter, topic)) s.handler(message);
    }
  }
}

export interface Harness<C> {
  node: NodeInstance;
  /** Node, flow and global context shared by every node run with the same `shared` option. */
  context: ContextStore;
  /** Durable timers as stored (what would survive a restart). */
  storedTimers: Map<string, StoredNodeTimer>;
  /** Messages sent through linkTo / linkReturn. */
  links: { to: readonly string[] | "return"; msg: Msg }[];
  /**
   * Simulates an app restart (or a redeploy of a changed node): the instance is closed
   * without firing anything, then a new one is created from `config` on the same clock and
   * stores, and gets the stored durable timers through restoreDurableTimers.
   */
  restart(config?: C): Harness<C>;
  clock: FakeClock;
  mqtt: MemoryMqtt;
  sent: Sent[];
  statuses: NodeStatus[];
  errors: { error: unknown; msg?: Msg }[];
  warnings: string[];
  debugEvents: DebugEvent[];
  timers: TrackedTimers;
  /** Feed a message (a `_msgid` is added when missing) and wait for async input to settle. */
  input(msg: Partial<Msg>): Promise<void>;
  /** Messages sent on a port, in order. */
  port(index: number): Msg[];
  close(): Promise<void>;
  config: C;
}

export function runNode<C>(
  factory: NodeFactory<C>,
  config: C,
  opts: {
    clock?: FakeClock;
    env?: Record<string, string>;
    configNodes?: Record<string, { type: string; config: Record<string, unknown> }>;
    id?: string;
    location?: Location;
    /** Share context and stored timers with another harness (restart, several nodes). */
    shared?: { context: ContextStore; storedTimers: Map<string, StoredNodeTimer> };
  } = {},
): Harness<C> {
  const clock = opts.clock ?? new FakeClock();
  const context = opts.shared?.context ?? new ContextStore();
  const storedTimers = opts.shared?.storedTimers ?? new Map<string, StoredNodeTimer>();
  const links: { to: readonly string[] | "return"; msg: Msg }[] = [];
  let instance: NodeInstance | null = null;
  const durableService = new DurableTimerService(
    clock,
    {
      save: (t) => void storedTimers.set(`${t.nodeId}\u0000${t.key}`, t),
      delete: (nodeId, key) => void storedTimers.delete(`${nodeId}\u0000${key}`),
    },
    (_nodeId, key, data) => instance?.onDurableTimer?.(key, data),
  );
  const mqtt = new MemoryMqtt(clock);
  const timers = new TrackedTimers(clock);
  const sent: Sent[] = [];
  const statuses: NodeStatus[] = [];
  const errors: { error: unknown; msg?: Msg }[] = [];
  const warnings: string[] = [];
  const debugEvents: DebugEvent[] = [];
  const id = opts.id ?? "n1";
  const pushSend = (port: number, m: Msg | null | undefined) => {
    if (m) sent.push({ port, msg: m, time: clock.now() });
  };
  const services: NodeServices = {
    id,
    name: "",
    flowId: "f1",
    send(msgs: SendArg) {
      if (msgs === null || msgs === undefined) return;
      if (!Array.isArray(msgs)) return pushSend(0, msgs as Msg);
      (msgs as ReadonlyArray<Msg | null | undefined | readonly Msg[]>).forEach((entry, port) => {
        if (Array.isArray(entry)) entry.forEach((m) => pushSend(port, m));
        else pushSend(port, entry as Msg | null | undefined);
      });
    },
    status: (s) => void statuses.push(s),
    error: (error, msg) => void errors.push({ error, msg }),
    warn: (text) => void warnings.push(text),
    debug: (e) => void debugEvents.push({ ...e, nodeId: id, nodeName: "", flowId: "f1", time: clock.now() }),
    clock,
    timers,
    mqtt,
    configNode: (cid) => opts.configNodes?.[cid],
    env: (name) => opts.env?.[name],
    context: context.forNode(id, "f1"),
    durable: durableService.forNode(id),
    location: () => opts.location,
    linkTo: (to, m) => void links.push({ to, msg: m }),
    linkReturn: (m) => {
      links.push({ to: "return", msg: m });
      return true;
    },
  };
  const node = factory(config, services);
  instance = node;
  durableService.load([...storedTimers.values()].filter((t) => t.nodeId === id));
  const restored = durableService.adopt(id);
  if (restored.length > 0) node.restoreDurableTimers?.(restored);
  // start() is left to the test (h.node.start?.()), as the runtime calls it after all nodes exist.
  return {
    node,
    context,
    storedTimers,
    links,
    restart(nextConfig) {
      timers.clearAll();
      durableService.suspendAll();
      instance = null;
      void node.close?.();
      return runNode(factory, nextConfig ?? config, { ...opts, clock, shared: { context, storedTimers } });
    },
    clock,
    mqtt,
    sent,
    statuses,
    errors,
    warnings,
    debugEvents,
    timers,
    config,
    async input(msg) {
      const full = { _msgid: newMsgId(), ...msg } as Msg;
      await node.input?.(full);
    },
    port: (index) => sent.filter((s) => s.port === index).map((s) => s.msg),
    async close() {
      timers.clearAll();
      await node.close?.();
    },
  };
}
