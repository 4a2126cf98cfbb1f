/** Helpers to edit the draft through the API the way the editor does. */
import type { AppHandle } from "./app";
import type { FlowDocument, FlowNode } from "../../lib/flow/schema";

export async function getDraft(app: AppHandle): Promise<FlowDocument> {
  const res = await app.api("GET", "/api/flows");
  if (res.status !== 200) throw new Error(`GET /api/flows → ${res.status}: ${res.text}`);
  return (res.json as { document: FlowDocument }).document;
}

export function findNode(doc: FlowDocument, type: string): FlowNode {
  for (const flow of doc.flows) for (const node of flow.nodes) if (node.type === type) return node;
  throw new Error(`no ${type} node in the draft`);
}

/** Sets the trigger's delay, saves the draft and deploys it. */
export async function setTriggerDelayAndDeploy(app: AppHandle, duration: string, units: "ms" | "s" | "min"): Promise<void> {
  const doc = await getDraft(app);
  const trigger = findNode(doc, "trigger");
  trigger.config = { ...trigger.config, duration, units };
  const put = await app.api("PUT", "/api/flows", doc);
  if (put.status !== 200) throw new Error(`PUT /api/flows → ${put.status}: ${put.text}`);
  const dep = await app.api("POST", "/api/deploy", { note: `delay ${duration} ${units}` });
  if (dep.status !== 200) throw new Error(`POST /api/deploy → ${dep.status}: ${dep.text}`);
}
