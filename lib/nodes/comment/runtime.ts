/** comment at run time: nothing to do; a factory returning {} keeps it a known, runnable type. */
import type { NodeFactory } from "../../runtime/node-api";
import type { CommentConfig } from "./definition";

export const createCommentNode: NodeFactory<CommentConfig> = () => ({});
