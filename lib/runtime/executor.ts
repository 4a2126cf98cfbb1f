/**
 * The executor runs a Plan: creates node instances with their services, delivers messages
 * along wires, reports status and debug events, and stops everything on redeploy.
 *
 * Delivery: a FIFO queue drained in a loop (no recursion, per-wire order kept, a deep
 * chain never grows the stack). Fan-out: the first target gets the message itself, every
 * further target a deep copy (Node-RED's rule), and a single wire copies nothing.
 * Errors: a throw or rejected promise in a node becomes an error event with the node id;
 * it never reaches the process.
 */
import type { Plan, PlannedNode } from "./compile";
import { cloneMsg, type Msg } from "./message";
import type { Clock, DebugEvent, NodeFactory, NodeInstance, NodeServices, NodeStatus, SendArg } from "./node-api";
import { TrackedTimers } from "./node-timers";
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

  constructor(private readonly options: RuntimeOptions) {}

  get currentPlan(): Plan | null {
    return this.plan;
  }

  get nodeCount(): number {
    return this.live.size;
  }

  /** Stops the running plan (if any) and starts `plan`. */
  async deploy(plan: Plan): Promise<void> {
    await this.stop();
    this.plan = plan;
    for (const planned of plan.nodes.values()) this.createNode(planned);
    for (const node of this.live.values()) {
      node.targets = node.planned.wires.map((port) =>
        port.map((id) => this.live.get(id)).filter((n): n is LiveNode => n !== undefined),
      );
    }
    for (const node of this.live.values()) {
      this.guard(node, undefined, () => node.instance.start?.());
    }
    this.options.events.log("info", `runtime: started ${this.live.size} nodes`);
  }

  /** Closes every node (timers cleared, subscriptions removed). */
  async stop(): Promise<void> {
    const nodes = [...this.live.values()];
    this.live = new Map();
    this.queue.length = 0;
    this.queueHead = 0;
    await Promise.all(
      nodes.map(async (node) => {
        node.closed = true;
        node.timers.clearAll();
        try {
          await node.instance.close?.();
        } catch (err) {
          this.reportError(node, err);
        }
        this.options.events.status(node.planned.id, {});
      }),
    );
    this.plan = null;
  }

  /** The editor's button on an inject node. Returns false when no such running node. */
  triggerNode(nodeId: string): boolean {
    const node = this.live.get(nodeId);
    if (!node?.instance.trigger) return false;
    this.guard(node, undefined, () => node.instance.trigger?.());
    return true;
  }

  /** Deliver a message to a node's input as if it arrived on a wire (tests, link nodes). */
  inject(nodeId: string, msg: Msg): boolean {
    const node = this.live.get(nodeId);
    if (!node) return false;
    this.enqueue(node, msg);
    return true;
  }

  private createNode(planned: PlannedNode): void {
    const factory = this.options.factories.get(planned.type);
    if (!factory) return;
    const timers = new TrackedTimers(this.options.clock);
    const live: LiveNode = { planned, instance: {}, timers, targets: [], closed: false };
    const services = this.servicesFor(live);
    try {
      live.instance = (factory as NodeFactory<Record<string, unknown>>)(planned.config, services);
    } catch (err) {
      this.reportError(live, err);
      this.options.events.status(planned.id, { fill: "red", shape: "ring", text: "failed to start" });
    }
    this.live.set(planned.id, live);
  }

  private servicesFor(node: LiveNode): NodeServices {
    const { planned } = node;
    const { events, clock, mqtt } = this.options;
    const plan = () => this.plan;
    return {
      id: planned.id,
      name: planned.name,
      flowId: planned.flowId,
      send: (msgs) => {
        if (!node.closed) this.send(node, msgs);
      },
      status: (status) => {
        if (!node.closed) events.status(planned.id, status);
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
        const c = plan()?.configNodes.get(id);
        return c ? { type: c.type, config: c.config } : undefined;
      },
      env: (name) => this.options.env?.(name),
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
        this.guard(node, msg, () => node.instance.input?.(msg));
      }
    } finally {
      this.queue.length = 0;
      this.queueHead = 0;
      this.draining = false;
    }
  }

  /** Runs node code; a throw or a rejected promise becomes an error event, never a crash. */
  private guard(node: LiveNode, msg: Msg | undefined, fn: () => void | Promise<void> | undefined): void {
    try {
      const result = fn();
      if (result && typeof (result as Promise<void>).then === "function") {
        (result as Promise<void>).catch((err: unknown) => this.reportError(node, err, msg));
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
  }
}
