import { passThrough } from "../shared/pass-through";
import type { NodeFactory } from "../../runtime/node-api";

/** The runtime routes completions here (executor.routeComplete). */
export const createCompleteNode: NodeFactory<unknown> = passThrough;
