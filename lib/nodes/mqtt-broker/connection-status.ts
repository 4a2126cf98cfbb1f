/**
 * What mqtt in and mqtt out share at run time: resolving the broker reference and keeping the
 * node's badge in step with the broker connection (green dot "connected", red ring
 * "disconnected", like Node-RED). Server side only.
 */
import type { NodeServices, NodeStatus } from "../../runtime/node-api";

export const CONNECTED: NodeStatus = { fill: "green", shape: "dot", text: "connected" };
export const DISCONNECTED: NodeStatus = { fill: "red", shape: "ring", text: "disconnected" };

/**
 * The broker id to hand to services.mqtt: "" (default broker) or the id of an mqtt-broker
 * config node of the deployment. Throws a readable error for a dangling reference.
 */
export function resolveBrokerId(broker: unknown, services: NodeServices): string {
  const id = typeof broker === "string" ? broker.trim() : "";
  if (id === "") return "";
  const node = services.configNode(id);
  if (!node) {
    throw new Error(
      `broker '${id}' does not exist in this deployment: choose a broker in the node's settings, or leave it empty for the default broker`,
    );
  }
  if (node.type !== "mqtt-broker") {
    throw new Error(`'${id}' is a ${node.type} node, not an mqtt-broker: choose an MQTT broker in the node's settings`);
  }
  return id;
}

/** Shows the connection state now and on every change; returns the function that stops it. */
export function trackConnectionStatus(services: NodeServices, brokerId: string): () => void {
  const show = (connected: boolean) => services.status(connected ? CONNECTED : DISCONNECTED);
  show(services.mqtt.isConnected(brokerId));
  return services.mqtt.onConnectionChange(brokerId, show);
}
