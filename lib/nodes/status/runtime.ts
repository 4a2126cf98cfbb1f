import { passThrough } from "../shared/pass-through";
import type { NodeFactory } from "../../runtime/node-api";

/** The runtime routes status changes here (executor.routeStatus). */
export const createStatusNode: NodeFactory<unknown> = passThrough;
