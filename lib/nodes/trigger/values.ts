/**
 * op1/op2 of the trigger node, compiled once per config into what to do per message.
 * Wraps the shared typed values with the trigger's own types (pay, payl, nul, mustache
 * strings) and Node-RED's quirks (legacy `val` type, blank value = default).
 */
import Mustache from "mustache";
import type { NodeServices } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { compileTypedValue, contextKeyProblem, parseContextKey } from "../shared/typed-value";

export type TriggerValue =
  /** Send nothing (nul; unsupported or broken values after their error was reported). */
  | { kind: "nothing" }
  /** op1: the message passes unchanged; op2: the payload of the stream's first message. */
  | { kind: "payload" }
  /** op2 only: the latest message of the stream, as it arrived. */
  | { kind: "latest" }
  /** A value computed from the message when it arrives (str, num, json, template, ...). */
  | { kind: "value"; evaluate: (msg: Msg) => unknown }
  /** A date, computed when it is sent (so a delayed op2 carries the time it was sent). */
  | { kind: "date"; evaluate: (msg: Msg) => unknown };

const FIELD_LABEL = { op1: "op1 (Send)", op2: "op2 (then send)" } as const;

/**
 * @param report called once, at node start, for values that cannot work; the value then
 *   behaves as "nothing" (or, for an unsupported date format, as a timestamp).
 */
export function compileTriggerValue(
  which: "op1" | "op2",
  rawValue: string,
  rawType: string,
  services: Pick<NodeServices, "clock" | "env" | "context">,
  report: (text: string) => void,
): TriggerValue {
  const label = FIELD_LABEL[which];
  // Node-RED: `this.op1 = n.op1 || "1"` — a blank value is the placeholder shown in its editor.
  let value = rawValue === "" ? (which === "op1" ? "1" : "0") : rawValue;
  let type = rawType || "str";
  // Node-RED < 0.18 stored "val" for str/bool/null values.
  if (type === "val") {
    if (value === "true" || value === "false") type = "bool";
    else if (value === "null") type = "null";
    else type = "str";
  }

  switch (type) {
    case "nul":
      return { kind: "nothing" };
    case "pay":
      return { kind: "payload" };
    case "payl":
      return which === "op2" ? { kind: "latest" } : { kind: "payload" };
    case "null":
      return { kind: "value", evaluate: () => null };
    case "flow":
    case "global": {
      const problem = contextKeyProblem(value);
      if (problem) {
        report(`${label}: ${type} ${problem} ("${value}"); nothing is sent in its place. Fix the key in the node's properties.`);
        return { kind: "nothing" };
      }
      // Read when the message arrives (op2 too, as in Node-RED); the store name is ignored.
      const scope = services.context[type];
      const { key } = parseContextKey(value);
      return { kind: "value", evaluate: () => scope.get(key) };
    }
    case "str": {
      if (!value.includes("{{")) return { kind: "value", evaluate: () => value };
      const template = value;
      try {
        Mustache.parse(template);
      } catch (e) {
        report(`${label}: the mustache template "${template}" is invalid (${(e as Error).message}); it is sent as plain text.`);
        return { kind: "value", evaluate: () => template };
      }
      return { kind: "value", evaluate: (msg) => Mustache.render(template, msg) };
    }
    case "bool": {
      // Node-RED: /^true$/i — anything else is false.
      const b = /^true$/i.test(value);
      return { kind: "value", evaluate: () => b };
    }
    case "bin": {
      let data: unknown;
      try {
        data = JSON.parse(value);
      } catch {
        data = undefined;
      }
      if (!Array.isArray(data) && typeof data !== "string") {
        report(`${label}: a buffer value must be a JSON array of bytes like [1,2,3] or a JSON string, got ${JSON.stringify(value)}; nothing is sent in its place.`);
        return { kind: "nothing" };
      }
      const bytes = data;
      return { kind: "value", evaluate: () => (typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes as number[])) };
    }
    case "date": {
      // Node-RED stores the default "1"/"0" for a date value; it means "timestamp".
      if (value === "1" || value === "0") value = "";
      return { kind: "date", evaluate: compileDate(value, services, (t) => report(`${label}: ${t}`)) };
    }
    case "env": {
      if (/\$\{[^}]+\}/.test(value)) {
        const text = value;
        return { kind: "value", evaluate: () => text.replace(/\$\{([^}]+)\}/g, (_, name: string) => services.env(name.trim()) ?? "") };
      }
      const name = value.trim();
      return { kind: "value", evaluate: () => services.env(name) };
    }
    case "num":
    case "json":
    case "msg": {
      try {
        const fn = compileTypedValue(type, value, { now: () => services.clock.now(), env: (n) => services.env(n) });
        return { kind: "value", evaluate: (msg) => fn(msg) };
      } catch (e) {
        report(`${label}: ${(e as Error).message}; nothing is sent in its place. Fix the value in the node's properties.`);
        return { kind: "nothing" };
      }
    }
    default:
      report(`${label}: the value type "${type}" is not supported by Flowhouse; nothing is sent in its place. Choose str, num, bool, json, bin, date, env, flow, global, pay, payl or nul.`);
      return { kind: "nothing" };
  }
}

/** Node-RED's date values: "" = ms timestamp, "iso" = ISO 8601 text, "object" = a Date. */
export function compileDate(
  format: string,
  services: Pick<NodeServices, "clock">,
  report: (text: string) => void,
): () => unknown {
  switch (format) {
    case "":
      return () => services.clock.now();
    case "iso":
      return () => new Date(services.clock.now()).toISOString();
    case "object":
      return () => new Date(services.clock.now());
    default:
      report(`the date format "${format}" is not supported yet (use a timestamp, "iso" or "object"); a millisecond timestamp is sent instead.`);
      return () => services.clock.now();
  }
}
