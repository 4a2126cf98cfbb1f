import { passThrough } from "../shared/pass-through";
import type { NodeFactory } from "../../runtime/node-api";

/** The runtime delivers link out / link call messages here (services.linkTo). */
export const createLinkInNode: NodeFactory<unknown> = passThrough;
