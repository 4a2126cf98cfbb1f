/**
 * socket.io events, typed for server and browser. Payloads are validated with these zod
 * schemas where they come from a client. Namespace "/" with rooms is enough for this slice:
 * every authenticated socket gets status, debug and deploy events.
 */
import { z } from "zod";

export const nodeStatusEventSchema = z.object({
  nodeId: z.string(),
  status: z.object({
    fill: z.enum(["red", "green", "yellow", "blue", "grey"]).optional(),
    shape: z.enum(["dot", "ring"]).optional(),
    text: z.string().optional(),
  }),
});
export type NodeStatusEvent = z.infer<typeof nodeStatusEventSchema>;

export const debugMessageEventSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  nodeName: z.string(),
  flowId: z.string(),
  time: z.number(),
  property: z.string(),
  value: z.unknown(),
  topic: z.string().optional(),
  level: z.enum(["debug", "warn", "error"]),
});
export type DebugMessageEvent = z.infer<typeof debugMessageEventSchema>;

export const deployedEventSchema = z.object({ deploymentId: z.number(), nodes: z.number() });
export type DeployedEvent = z.infer<typeof deployedEventSchema>;

export const brokerStateEventSchema = z.object({ connected: z.boolean(), url: z.string() });
export type BrokerStateEvent = z.infer<typeof brokerStateEventSchema>;

export interface ServerToClientEvents {
  /** Batched status changes (at most every 100 ms); sent in full on connect. */
  "node:status": (events: NodeStatusEvent[]) => void;
  /** Batched debug messages (at most every 100 ms). */
  "debug:messages": (events: DebugMessageEvent[]) => void;
  deployed: (event: DeployedEvent) => void;
  "broker:state": (event: BrokerStateEvent) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}

/**
 * The live topic monitor and the dashboards' live values use their own namespace,
 * "/monitor" (lib/monitor/socket.ts); their events and bodies are in lib/monitor/events.ts.
 */
export type { MonitorClientToServerEvents, MonitorServerToClientEvents } from "../monitor/events";
