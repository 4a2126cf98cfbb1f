/**
 * The executor runs a Plan: creates node instances with their services, delivers messages
 * along wires, routes errors to catch nodes, statuses to status nodes and completions to
 * complete nodes, and redeploys by diff.
 *
 * Delivery: a FIFO queue drained in a loop (no recursion, per-wire order kept, a deep
 * chain never grows the stack). Fan-out: the first target gets the message itself, every
 * further target a deep copy (Node-RED's rule), and a single wire copies nothing.
 * Errors: a throw or rejected promise in a node becomes an error event with the node id and
 * a message to the flow's catch nodes; it never reaches the process.
 * Redeploy: nodes whose type, name, config and wires are unchanged keep running with their
 * state and timers; changed nodes are re-created and adopt their durable timers; removed
 * nodes lose theirs.
 */
import type { Plan, PlannedNode } from "./compile";
import { cloneMsg, newMsgId, type Msg } from "./message";
import type { Clock, DebugEvent, Location, NodeFactory, NodeInstance, NodeServices, NodeStatus, SendArg } from "./node-api";
import { TrackedTimers } from "./node-timers";
import { ContextStore } from "./context";
import { DurableTimerService, type StoredNodeTimer, type TimerPersistence } from "./durable-timers";
import type { MqttService } from "../mqtt/service";

export interface RuntimeEvents {
  status(nodeId: string, status: NodeStatus): void;
  debug(event: DebugEvent): void;
  log(level: "info" | "warn" | "error", text: string): void;
}

export interface RuntimeOptions {
  mqtt: MqttService;
  clock: Clock;
  factories: ReadonlyMap<string, NodeFactory<never>>;
  events: RuntimeEvents;
  env?: (name: string) => string | undefined;
  /** Node/flow/global context; an in-memory one when omitted (tests). */
  context?: ContextStore;
  /** Where durable timers are stored; nowhere when omitted (tests). */
  timerPersistence?: TimerPersistence;
  location?: () => Location | undefined;
}

export interface DeployResult {
  added: string[];
  changed: string[];
  removed: string[];
  kept: string[];
}

interface LiveNode {
  planned: PlannedNode;
  instance: NodeInstance;
  timers: TrackedTimers;
  targets: LiveNode[][];
  closed: boolean;
}

export class Runtime {
  private live = new Map<string, LiveNode>();
  private plan: Plan | null = null;
  private readonly queue: { node: LiveNode; msg: Msg }[] = [];
  private queueHead = 0;
  private draining = false;
  readonly context: ContextStore;
  private readonly durable: DurableTimerService;
  // Routing tables of the running plan, rebuilt on deploy.
  private catchByFlow = new Map<string, LiveNode[]>();
  private statusByFlow = new Map<string, LiveNode[]>();
  private completeBySource = new Map<string, LiveNode[]>();

  constructor(private readonly options: RuntimeOptions) {
    this.context = options.context ?? new ContextStore();
    this.durable = new DurableTimerService(
      options.clock,
      options.timerPersistence ?? { save: () => {}, delete: () => {} },
      (nodeId, key, data) => {
        const node = this.live.get(nodeId);
        if (node && !node.closed) this.guard(node, undefined, () => node.instance.onDurableTimer?.(key, data));
      },
    );
  }

  get currentPlan(): Plan | null {
    return this.plan;
  }

  get nodeCount(): number {
    return this.live.size;
  }

  /** Durable timers found in storage at start (call before the first deploy). */
  loadTimers(timers: readonly StoredNodeTimer[]): void {
    this.durable.load(timers);
  }

  get armedDurableTimers(): number {
    return this.durable.pendingCount();
  }

  /** Runs `plan`: unchanged nodes keep running, the rest is stopped, re-created or started. */
  async deploy(plan: Plan): Promise<DeployResult> {
    const result: DeployResult = { added: [], changed: [], removed: [], kept: [] };
    const next = new Map<string, LiveNode>();
    const toClose: { node: LiveNode; gone: boolean }[] = [];
    for (const planned of plan.nodes.values()) {
      const old = this.live.get(planned.id);
      if (old && sameNode(old.planned, planned)) {
        old.planned = planned;
        next.set(planned.id, old);
        result.kept.push(planned.id);
      } else {
        if (old) toClose.push({ node: old, gone: old.planned.type !== planned.type });
        (old ? result.changed : result.added).push(planned.id);
      }
    }
    for (const [id, old] of this.live) {
      if (!plan.nodes.has(id)) {
        toClose.push({ node: old, gone: true });
        result.removed.push(id);
      }
    }
    // Messages queued for nodes that stop now go nowhere.
    this.live = next;
    await Promise.all(toClose.map(({ node, gone }) => this.closeNode(node, gone)));

    this.plan = plan;
    const fresh: LiveNode[] = [];
    for (const id of [...result.added, ...result.changed]) fresh.push(this.createNode(plan.nodes.get(id)!));
    this.relink();
    for (const node of fresh) {
      const restored = this.durable.adopt(node.planned.id);
      if (restored.length > 0) this.guard(node, undefined, () => node.instance.restoreDurableTimers?.(restored));
    }
    for (const node of fresh) this.guard(node, undefined, () => node.instance.start?.());
    for (const orphan of this.durable.orphans()) {
      this.options.events.log("warn", `runtime: dropping stored timers of node '${orphan}', which is no longer deployed`);
      this.durable.drop(orphan);
    }
    this.options.events.log(
      "info",
      `runtime: ${this.live.size} nodes running (${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed, ${result.kept.length} kept)`,
    );
    return result;
  }

  /** Closes every node. Durable timers stay stored (they fire after the next start). */
  async stop(): Promise<void> {
    const nodes = [...this.live.values()];
    this.live = new Map();
    this.queue.length = 0;
    this.queueHead = 0;
    this.durable.suspendAll();
    await Promise.all(nodes.map((node) => this.closeNode(node, false)));
    this.plan = null;
  }

  /** The editor's button on an inject node. Returns false when no such running node. */
  triggerNode(nodeId: string): boolean {
    const node = this.live.get(nodeId);
    if (!node?.instance.trigger) return false;
    this.guard(node, undefined, () => node.instance.trigger?.());
    return true;
  }

  /**
   * Turns a running node's output on or off without a deploy (debug node's sidebar toggle).
   * Returns false when no such running node supports it.
   */
  setNodeActive(nodeId: string, active: boolean): boolean {
    const node = this.live.get(nodeId);
    if (!node?.instance.setActive || node.closed) return false;
    this.guard(node, undefined, () => node.instance.setActive?.(active));
    return true;
  }

  /** Deliver a message to a node's input as if it arrived on a wire (tests, link nodes). */
  inject(nodeId: string, msg: Msg): boolean {
    const node = this.live.get(nodeId);
    if (!node) return false;
    this.enqueue(node, msg);
    return true;
  }

  private async closeNode(node: LiveNode, gone: boolean): Promise<void> {
    node.closed = true;
    node.timers.clearAll();
    const id = node.planned.id;
    if (gone) {
      this.durable.drop(id);
      this.context.clearNode(id);
    }
    try {
      await node.instance.close?.();
    } catch (err) {
      this.reportError(node, err);
    }
    if (!this.live.has(id)) this.options.events.status(id, {});
  }

  private createNode(planned: PlannedNode): LiveNode {
    const timers = new TrackedTimers(this.options.clock);
    const live: LiveNode = { planned, instance: {}, timers, targets: [], closed: false };
    this.live.set(planned.id, live);
    const factory = this.options.factories.get(planned.type);
    if (!factory) return live;
    try {
      live.instance = (factory as NodeFactory<Record<string, unknown>>)(planned.config, this.servicesFor(live));
    } catch (err) {
      this.reportError(live, err);
      this.options.events.status(planned.id, { fill: "red", shape: "ring", text: "failed to start" });
    }
    return live;
  }

  private relink(): void {
    this.catchByFlow = new Map();
    this.statusByFlow = new Map();
    this.completeBySource = new Map();
    const add = (map: Map<string, LiveNode[]>, key: string, node: LiveNode) => {
      const list = map.get(key);
      if (list) list.push(node);
      else map.set(key, [node]);
    };
    for (const node of this.live.values()) {
      node.targets = node.planned.wires.map((port) =>
        port.map((id) => this.live.get(id)).filter((n): n is LiveNode => n !== undefined),
      );
      const { type, flowId, config } = node.planned;
      if (type === "catch") add(this.catchByFlow, flowId, node);
      else if (type === "status") add(this.statusByFlow, flowId, node);
      else if (type === "complete") {
        for (const source of Array.isArray(config.scope) ? (config.scope as string[]) : []) add(this.completeBySource, source, node);
      }
    }
  }

  private servicesFor(node: LiveNode): NodeServices {
    const { planned } = node;
    const { events, clock, mqtt } = this.options;
    return {
      id: planned.id,
      name: planned.name,
      flowId: planned.flowId,
      send: (msgs) => {
        if (!node.closed) this.send(node, msgs);
      },
      status: (status) => {
        if (node.closed) return;
        events.status(planned.id, status);
        this.routeStatus(node, status);
      },
      error: (err, msg) => this.reportError(node, err, msg),
      warn: (text) =>
        events.debug({
          nodeId: planned.id,
          nodeName: planned.name,
          flowId: planned.flowId,
          time: clock.now(),
          property: "warning",
          value: text,
          level: "warn",
        }),
      debug: (event) =>
        events.debug({ ...event, nodeId: planned.id, nodeName: planned.name, flowId: planned.flowId, time: clock.now() }),
      clock,
      timers: node.timers,
      mqtt,
      configNode: (id) => {
        const c = this.plan?.configNodes.get(id);
        return c ? { type: c.type, config: c.config } : undefined;
      },
      env: (name) => this.options.env?.(name),
      context: this.context.forNode(planned.id, planned.flowId),
      durable: this.durable.forNode(planned.id),
      location: () => this.options.location?.(),
      linkTo: (ids, msg) => {
        if (node.closed) return;
        let first = true;
        for (const id of ids) {
          const target = this.live.get(id);
          if (!target || target.planned.type !== "link in") continue;
          this.queue.push({ node: target, msg: first ? msg : cloneMsg(msg) });
          first = false;
        }
        this.drain();
      },
      linkReturn: (msg) => {
        const stack = Array.isArray(msg._linkSource) ? (msg._linkSource as { id: string }[]) : [];
        const caller = stack.length > 0 ? this.live.get(stack[stack.length - 1].id) : undefined;
        if (!caller?.instance.linkReturned) return false;
        this.guard(caller, msg, () => caller.instance.linkReturned?.(msg));
        this.drain();
        return true;
      },
    };
  }

  private send(from: LiveNode, msgs: SendArg): void {
    if (msgs === null || msgs === undefined) return;
    if (!Array.isArray(msgs)) {
      this.sendOnPort(from, 0, msgs as Msg);
    } else {
      const ports = msgs as ReadonlyArray<Msg | null | undefined | readonly Msg[]>;
      for (let port = 0; port < ports.length; port++) {
        const entry = ports[port];
        if (entry === null || entry === undefined) continue;
        if (Array.isArray(entry)) for (const m of entry as readonly Msg[]) this.sendOnPort(from, port, m);
        else this.sendOnPort(from, port, entry as Msg);
      }
    }
    this.drain();
  }

  private sendOnPort(from: LiveNode, port: number, msg: Msg | null | undefined): void {
    if (msg === null || msg === undefined || typeof msg !== "object") return;
    const targets = from.targets[port];
    if (!targets || targets.length === 0) return;
    for (let i = 0; i < targets.length; i++) {
      this.queue.push({ node: targets[i], msg: i === 0 ? msg : cloneMsg(msg) });
    }
  }

  private enqueue(node: LiveNode, msg: Msg): void {
    this.queue.push({ node, msg });
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queueHead < this.queue.length) {
        const { node, msg } = this.queue[this.queueHead++];
        if (node.closed) continue;
        const complete = this.completeBySource.get(node.planned.id);
        this.guard(node, msg, () => node.instance.input?.(msg), complete ? () => this.routeComplete(complete, msg) : undefined);
      }
    } finally {
      this.queue.length = 0;
      this.queueHead = 0;
      this.draining = false;
    }
  }

  /** Runs node code; a throw or a rejected promise becomes an error event, never a crash. */
  private guard(
    node: LiveNode,
    msg: Msg | undefined,
    fn: () => void | Promise<void> | undefined,
    onDone?: () => void,
  ): void {
    try {
      const result = fn();
      if (result && typeof (result as Promise<void>).then === "function") {
        (result as Promise<void>).then(
          () => {
            if (onDone) {
              onDone();
              this.drain();
            }
          },
          (err: unknown) => {
            this.reportError(node, err, msg);
            this.drain();
          },
        );
      } else {
        onDone?.();
      }
    } catch (err) {
      this.reportError(node, err, msg);
    }
  }

  private reportError(node: LiveNode, err: unknown, msg?: Msg): void {
    const { planned } = node;
    const text = err instanceof Error ? err.message : String(err);
    const label = planned.name ? `'${planned.name}'` : `'${planned.id}'`;
    this.options.events.log("warn", `Node ${label} (${planned.type}): ${text}`);
    this.options.events.debug({
      nodeId: planned.id,
      nodeName: planned.name,
      flowId: planned.flowId,
      time: this.options.clock.now(),
      property: "error",
      value: text,
      topic: typeof msg?.topic === "string" ? msg.topic : undefined,
      level: "error",
    });
    this.routeError(node, text, msg);
  }

  /** Node-RED's catch: every catch node of the flow whose scope covers the source. */
  private routeError(source: LiveNode, text: string, msg: Msg | undefined): void {
    const catchers = this.catchByFlow.get(source.planned.flowId);
    if (!catchers || source.planned.type === "catch") return;
    const { id, type, name } = source.planned;
    let first = true;
    for (const c of catchers) {
      if (c.closed || !inScope(c.planned.config.scope, id)) continue;
      const base = msg ? (first ? msg : cloneMsg(msg)) : { _msgid: newMsgId() };
      first = false;
      this.queue.push({ node: c, msg: { ...base, error: { message: text, source: { id, type, name } } } });
    }
    this.drain();
  }

  private routeStatus(source: LiveNode, status: NodeStatus): void {
    const watchers = this.statusByFlow.get(source.planned.flowId);
    if (!watchers || source.planned.type === "status") return;
    const { id, type, name } = source.planned;
    for (const w of watchers) {
      if (w.closed || !inScope(w.planned.config.scope, id)) continue;
      this.queue.push({ node: w, msg: { _msgid: newMsgId(), status: { ...status, source: { id, type, name } } } });
    }
    this.drain();
  }

  private routeComplete(watchers: LiveNode[], msg: Msg): void {
    for (const w of watchers) if (!w.closed) this.queue.push({ node: w, msg: cloneMsg(msg) });
  }
}

/** Node-RED's scope: null/undefined/"all" = every node of the flow, an array = those ids. */
function inScope(scope: unknown, nodeId: string): boolean {
  if (Array.isArray(scope)) return scope.includes(nodeId);
  return true;
}

function sameNode(a: PlannedNode, b: PlannedNode): boolean {
  return (
    a.type === b.type &&
    a.name === b.name &&
    a.flowId === b.flowId &&
    JSON.stringify(a.wires) === JSON.stringify(b.wires) &&
    canonical(a.config) === canonical(b.config)
  );
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
