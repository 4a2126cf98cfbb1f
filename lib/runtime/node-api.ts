/**
 * The contract between the runtime and a node's behaviour (`lib/nodes/<type>/runtime.ts`).
 * A node never reads globals, env or Date.now(): everything arrives through NodeServices,
 * so tests drive a node with a fake clock and a fake send.
 */
import type { Msg } from "./message";
import type { MqttService } from "../mqtt/service";

export type StatusFill = "red" | "green" | "yellow" | "blue" | "grey";
export type StatusShape = "dot" | "ring";
/** Node-RED's status object; `{}` clears the badge. */
export interface NodeStatus {
  fill?: StatusFill;
  shape?: StatusShape;
  text?: string;
}

/** What `send` accepts, as in Node-RED: one msg for port 0, or an array indexed by port whose
 * entries are a msg, null (nothing on that port) or an array of msgs (several, in order). */
export type SendArg = Msg | null | undefined | ReadonlyArray<Msg | null | undefined | readonly Msg[]>;

export interface TimerHandle {
  readonly id: number;
}

/** Time source. The real one wraps Date.now/setTimeout; tests use FakeClock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** Timers of one node instance: everything still armed is cancelled when the node closes. */
export interface NodeTimers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export interface DebugEvent {
  nodeId: string;
  nodeName: string;
  flowId: string;
  /** ms since epoch */
  time: number;
  /** Which property was shown ("payload", "msg" for the whole message, ...). */
  property: string;
  /** The value, made JSON-safe and size-bounded by the runtime. */
  value: unknown;
  topic?: string;
  level: "debug" | "warn" | "error";
}

/** One context scope (Node-RED's context / flow / global). Reads are synchronous from memory;
 * writes are persisted to the database in the background and survive a restart. Values must
 * be JSON-serialisable; `set(key, undefined)` deletes. Keys may be property paths ("a.b"). */
export interface ContextScope {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  keys(): string[];
}

export interface NodeContextApi {
  /** This node's private context. */
  node: ContextScope;
  /** Shared by the nodes of this node's flow (tab). */
  flow: ContextScope;
  /** Shared by all flows. */
  global: ContextScope;
}

export interface StoredTimer {
  key: string;
  /** ms since epoch */
  dueAt: number;
  data: unknown;
}

/**
 * Timers stored with their absolute due time: they survive a restart of the app and a
 * redeploy, and fire once (at once if they fell due while the app was down). When one is
 * due the runtime calls the node's `onDurableTimer(key, data)`. `data` must be JSON-safe
 * (messages with Buffers are encoded by the runtime).
 */
export interface DurableTimers {
  /** Arms (or re-arms) timer `key` of this node. */
  set(key: string, dueAt: number, data: unknown): void;
  cancel(key: string): void;
  /** Keys of this node's armed durable timers. */
  keys(): string[];
}

/** Where the installation is, for sun times (from FLOWHOUSE_LATITUDE / FLOWHOUSE_LONGITUDE). */
export interface Location {
  latitude: number;
  longitude: number;
}

export interface NodeServices {
  readonly id: string;
  readonly name: string;
  readonly flowId: string;
  /** Send messages downstream (Node-RED semantics; fan-out clones lazily). */
  send(msgs: SendArg): void;
  /** Set the badge under the node in the editor. */
  status(status: NodeStatus): void;
  /** Report an error: to the debug sidebar with the node id (and catch nodes later). */
  error(err: unknown, msg?: Msg): void;
  warn(text: string): void;
  /** Post to the debug sidebar (debug node). */
  debug(event: Omit<DebugEvent, "nodeId" | "nodeName" | "flowId" | "time">): void;
  readonly clock: Clock;
  readonly timers: NodeTimers;
  readonly mqtt: MqttService;
  /** Look up a config node of the deployment by id (e.g. the mqtt-broker a node uses). */
  configNode(id: string): { type: string; config: Record<string, unknown> } | undefined;
  /** Value of an environment variable (for `env` value types). */
  env(name: string): string | undefined;
  /** Node, flow and global context, persisted. */
  readonly context: NodeContextApi;
  /** Timers that survive restart and redeploy. */
  readonly durable: DurableTimers;
  /** The installation's location for sun times, if configured. */
  location(): Location | undefined;
  /** Send to the input of `link in` nodes by id (link out / link call). */
  linkTo(nodeIds: readonly string[], msg: Msg): void;
  /** Return a message to the `link call` node that called this flow (link out in return mode). */
  linkReturn(msg: Msg): boolean;
}

export interface NodeInstance {
  /** Called for every message arriving on the node's input, in order. May be async. */
  input?(msg: Msg): void | Promise<void>;
  /** Called once when the node stops (redeploy, shutdown). Timers are cleared by the runtime. */
  close?(): void | Promise<void>;
  /** The editor's button on the node (inject). */
  trigger?(): void;
  /** Called once after every node of the plan exists (inject's "once at start"). */
  start?(): void;
  /** A durable timer of this node is due (see DurableTimers). */
  onDurableTimer?(key: string, data: unknown): void;
  /**
   * Called after creation and before start() with the durable timers a previous instance of
   * this node (same id and type: before a restart or a redeploy) left armed, so the node can
   * rebuild its state (e.g. trigger's streams). The runtime keeps them armed either way.
   */
  restoreDurableTimers?(timers: readonly StoredTimer[]): void;
  /** A message came back from a `link out` in return mode (link call only). */
  linkReturned?(msg: Msg): void;
  /**
   * Turns the node's output on or off while it runs, without a deploy (the debug node's
   * sidebar toggle, like Node-RED's POST /debug/:id/enable|disable).
   */
  setActive?(active: boolean): void;
}

export type NodeFactory<C = Record<string, unknown>> = (config: C, services: NodeServices) => NodeInstance;
