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
}

export type NodeFactory<C = Record<string, unknown>> = (config: C, services: NodeServices) => NodeInstance;
