/**
 * filter (rbe) behaviour, following Node-RED's rbe.js. The last value per topic is kept in
 * the node's context (one key per topic), read back when the node is created, so a restart
 * or a redeploy does not let an unchanged value through (Node-RED forgets on every deploy).
 */
import type { NodeFactory } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, type PropertyPath } from "../shared/msg-property";
import { rbeConfigSchema, type RbeConfig } from "./definition";
import { decodeTopicKey, encodeTopicKey } from "./topic-key";
import { valuesEqual } from "./values-equal";

/** Node-RED's key for messages without a topic (or with topics turned off). */
const NO_TOPIC = "_no_topic";

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : Buffer.isBuffer(value) ? "a Buffer" : "an object";
}

/** Node-RED's parseFloat(value): 21, "21.5 °C" → numbers; true, "warm", {} → NaN. */
function numberIn(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === null || value === undefined || typeof value === "boolean") return Number.NaN;
  return Number.parseFloat(String(value));
}

export const createRbeNode: NodeFactory<RbeConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (filter)`;
  const parsed = rbeConfigSchema.safeParse(rawConfig);
  let property: PropertyPath | undefined;
  let topicPath: PropertyPath | undefined;
  const problems: string[] = [];
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`));
  } else {
    try {
      property = parsePropertyPath(parsed.data.property.replace(/^msg\./, ""));
    } catch (e) {
      problems.push(`property: ${(e as Error).message}`);
    }
    try {
      topicPath = parsePropertyPath(parsed.data.topi.replace(/^msg\./, ""));
    } catch (e) {
      problems.push(`topic property: ${(e as Error).message}`);
    }
  }
  if (!parsed.success || !property || !topicPath) {
    services.error(new Error(`${who}: invalid configuration — ${problems.join("; ")}. Fix it in the node's properties and deploy again.`));
    services.status({ fill: "red", shape: "ring", text: "invalid configuration" });
    return {};
  }
  const config = parsed.data;
  const valuePath = property;
  const topicProperty = topicPath;
  const func = config.func;
  const numeric = func !== "rbe" && func !== "rbei";
  const percent = config.gap.endsWith("%");
  const gapSetting = Number.parseFloat(config.gap) || 0;
  const start = config.start === "" ? undefined : Number(config.start);

  // Last value per topic: in memory for speed, written through to the node's context.
  const store = services.context.node;
  const previous = new Map<string, unknown>();
  for (const key of store.keys()) previous.set(decodeTopicKey(key), store.get(key));

  function remember(topic: string, value: unknown): void {
    previous.set(topic, value);
    store.set(encodeTopicKey(topic), value);
  }
  function forget(topic: string): void {
    previous.delete(topic);
    store.set(encodeTopicKey(topic), undefined);
  }
  function forgetAll(): void {
    previous.clear();
    for (const key of store.keys()) store.set(key, undefined);
  }

  function topicOf(msg: Msg): unknown {
    try {
      return getProperty(msg, topicProperty);
    } catch {
      return undefined;
    }
  }

  function keyOf(topic: unknown): string {
    if (!config.septopics || !topic) return NO_TOPIC;
    return typeof topic === "object" ? JSON.stringify(topic) : String(topic);
  }

  function byChange(msg: Msg, key: string, value: unknown): void {
    const known = previous.has(key);
    if (known && valuesEqual(value, previous.get(key))) return;
    remember(key, cloneMsg(value));
    // rbei: the first value of a topic is only remembered.
    if (func === "rbe" || known) services.send(msg);
  }

  function byBand(msg: Msg, key: string, value: unknown): void {
    const n = numberIn(value);
    if (Number.isNaN(n)) {
      services.warn(
        `${who}: value is not numeric: no number found in msg.${config.property.replace(/^msg\./, "")} (got ${describe(value)}). The ${func} mode compares numbers: send a number (or a string starting with one), or use the mode "block unless value changes".`,
      );
      return;
    }
    const stored = previous.get(key);
    // A value left by another mode (a string from rbe) is no reference for a band.
    let reference = typeof stored === "number" && Number.isFinite(stored) ? stored : undefined;
    if (reference === undefined && (func === "narrowband" || func === "narrowbandEq")) reference = start ?? n;
    const gap = percent ? Math.abs(((reference ?? Number.NaN) * gapSetting) / 100) || 0 : gapSetting;
    // Deadband without a reference: the first value always passes.
    if (reference === undefined) reference = n - gap - 1;

    const change = Math.abs(n - reference);
    let pass: boolean;
    if (change === gap) pass = func === "deadbandEq" || func === "narrowband";
    else if (change > gap) pass = func === "deadband" || func === "deadbandEq";
    else pass = func === "narrowband" || func === "narrowbandEq";

    let next = reference;
    if (config.inout === "in" || pass) next = n;
    if (next !== stored) remember(key, next);
    if (pass) services.send(msg);
  }

  return {
    input(msg) {
      try {
        const topic = topicOf(msg);
        if (Object.prototype.hasOwnProperty.call(msg, "reset")) {
          if (config.septopics && typeof topic === "string" && topic !== "") forget(keyOf(topic));
          else forgetAll();
        }
        let value: unknown;
        try {
          value = getProperty(msg, valuePath);
        } catch {
          value = undefined;
        }
        // A message without the property (a bare reset, say) is ignored.
        if (value === undefined) return;
        const key = keyOf(topic);
        if (numeric) byBand(msg, key, value);
        else byChange(msg, key, value);
      } catch (e) {
        services.error(e, msg);
      }
    },
  };
};
