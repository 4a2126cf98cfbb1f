import type { NodeFactory } from "../../runtime/node-api";

/**
 * Behaviour of nodes whose messages the runtime produces (catch, status, complete, link in):
 * whatever arrives on the input is sent on output 1.
 */
export const passThrough: NodeFactory<unknown> = (_config, services) => ({
  input: (msg) => services.send(msg),
});
