/** Server-side behaviour of every node type, keyed by type name. Never imported by the browser. */
import type { NodeFactory } from "../runtime/node-api";
import { createMqttInNode } from "./mqtt-in/runtime";
import { createMqttOutNode } from "./mqtt-out/runtime";
import { createTriggerNode } from "./trigger/runtime";
import { createChangeNode } from "./change/runtime";
import { createSwitchNode } from "./switch/runtime";
import { createInjectNode } from "./inject/runtime";
import { createDebugNode } from "./debug/runtime";
import { createCatchNode } from "./catch/runtime";
import { createStatusNode } from "./status/runtime";
import { createCompleteNode } from "./complete/runtime";
import { createLinkInNode } from "./link-in/runtime";
import { createLinkOutNode } from "./link-out/runtime";
import { createLinkCallNode } from "./link-call/runtime";
import { createDelayNode } from "./delay/runtime";
import { createRbeNode } from "./rbe/runtime";
import { createJsonNode } from "./json/runtime";
import { createTemplateNode } from "./template/runtime";
import { createRangeNode } from "./range/runtime";
import { createSplitNode } from "./split/runtime";
import { createJoinNode } from "./join/runtime";
import { createCommentNode } from "./comment/runtime";
import { createHttpRequestNode } from "./http-request/runtime";
import { createTimeWindowNode } from "./time-window/runtime";
import { createFunctionNode } from "./function/runtime";

export const nodeFactories: ReadonlyMap<string, NodeFactory<never>> = new Map<string, NodeFactory<never>>([
  ["mqtt in", createMqttInNode as NodeFactory<never>],
  ["mqtt out", createMqttOutNode as NodeFactory<never>],
  ["trigger", createTriggerNode as NodeFactory<never>],
  ["change", createChangeNode as NodeFactory<never>],
  ["switch", createSwitchNode as NodeFactory<never>],
  ["inject", createInjectNode as NodeFactory<never>],
  ["debug", createDebugNode as NodeFactory<never>],
  ["catch", createCatchNode as NodeFactory<never>],
  ["status", createStatusNode as NodeFactory<never>],
  ["complete", createCompleteNode as NodeFactory<never>],
  ["link in", createLinkInNode as NodeFactory<never>],
  ["link out", createLinkOutNode as NodeFactory<never>],
  ["link call", createLinkCallNode as NodeFactory<never>],
  ["delay", createDelayNode as NodeFactory<never>],
  ["rbe", createRbeNode as NodeFactory<never>],
  ["json", createJsonNode as NodeFactory<never>],
  ["template", createTemplateNode as NodeFactory<never>],
  ["range", createRangeNode as NodeFactory<never>],
  ["split", createSplitNode as NodeFactory<never>],
  ["join", createJoinNode as NodeFactory<never>],
  ["comment", createCommentNode as NodeFactory<never>],
  ["http request", createHttpRequestNode as NodeFactory<never>],
  ["time-window", createTimeWindowNode as NodeFactory<never>],
  ["function", createFunctionNode as NodeFactory<never>],
]);
