import { passThrough } from "../shared/pass-through";
import type { NodeFactory } from "../../runtime/node-api";

/** The runtime routes errors here (executor.routeError); the node only forwards them. */
export const createCatchNode: NodeFactory<unknown> = passThrough;
