/**
 * Every node type's definition (pure, browser-safe). Adding a node type = one folder under
 * lib/nodes/ plus one line here and one in runtime-registry.ts.
 */
import type { AnyNodeDefinition } from "./types";
import { mqttInDefinition } from "./mqtt-in/definition";
import { mqttOutDefinition } from "./mqtt-out/definition";
import { mqttBrokerDefinition } from "./mqtt-broker/definition";
import { triggerDefinition } from "./trigger/definition";
import { changeDefinition } from "./change/definition";
import { switchDefinition } from "./switch/definition";
import { injectDefinition } from "./inject/definition";
import { debugDefinition } from "./debug/definition";
import { catchDefinition } from "./catch/definition";
import { statusDefinition } from "./status/definition";
import { completeDefinition } from "./complete/definition";
import { linkInDefinition } from "./link-in/definition";
import { linkOutDefinition } from "./link-out/definition";
import { linkCallDefinition } from "./link-call/definition";
import { delayDefinition } from "./delay/definition";
import { rbeDefinition } from "./rbe/definition";
import { jsonDefinition } from "./json/definition";
import { templateDefinition } from "./template/definition";
import { rangeDefinition } from "./range/definition";
import { splitDefinition } from "./split/definition";
import { joinDefinition } from "./join/definition";
import { commentDefinition } from "./comment/definition";
import { httpRequestDefinition } from "./http-request/definition";
import { timeWindowDefinition } from "./time-window/definition";
import { functionDefinition } from "./function/definition";

export const nodeDefinitions: readonly AnyNodeDefinition[] = [
  injectDefinition,
  debugDefinition,
  mqttInDefinition,
  mqttOutDefinition,
  triggerDefinition,
  changeDefinition,
  switchDefinition,
  mqttBrokerDefinition,
  catchDefinition,
  statusDefinition,
  completeDefinition,
  linkInDefinition,
  linkOutDefinition,
  linkCallDefinition,
  delayDefinition,
  rbeDefinition,
  jsonDefinition,
  templateDefinition,
  rangeDefinition,
  splitDefinition,
  joinDefinition,
  commentDefinition,
  httpRequestDefinition,
  timeWindowDefinition,
  functionDefinition,
] as unknown as readonly AnyNodeDefinition[];

const byType = new Map(nodeDefinitions.map((d) => [d.type, d]));

export function getNodeDefinition(type: string): AnyNodeDefinition | undefined {
  return byType.get(type);
}
