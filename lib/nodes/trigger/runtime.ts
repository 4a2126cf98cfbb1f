/**
 * trigger behaviour, following Node-RED's 89-trigger.js: per stream (all messages, or one per
 * value of a message property) send op1 at once, then op2 after a delay / nothing until reset
 * / op1 again every |duration|. Values are compiled once per config; every timer goes through
 * services.timers, so closing the node leaves nothing armed.
 *
 * Messages are handled synchronously in arrival order (Node-RED needs a promise queue for
 * async context reads; Flowhouse has none here, so order is strict by construction).
 */
import type { NodeFactory, NodeStatus, TimerHandle } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, type PropertyPath } from "../shared/msg-property";
import { triggerConfigSchema, type TriggerConfig } from "./definition";
import { compileTriggerValue } from "./values";

const UNIT_MS: Record<TriggerConfig["units"], number> = { ms: 1, s: 1000, min: 60_000, hr: 3_600_000 };

interface Stream {
  /** Timeout (wait mode) or interval (repeat mode); undefined while blocked until reset. */
  timer?: TimerHandle;
  /** op2 evaluated against the first message (str, num, pay, ...). */
  m2?: unknown;
  /** A copy of the latest message of the stream (op2 type `payl`). */
  latest?: Msg;
}

const SHARED_STREAM = "_none";

export const createTriggerNode: NodeFactory<TriggerConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (trigger)`;
  const parsed = triggerConfigSchema.safeParse(rawConfig);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    services.error(new Error(`${who}: invalid configuration — ${problems}. Fix it in the node's properties and deploy again.`));
    services.status({ fill: "red", shape: "ring", text: "invalid configuration" });
    return {};
  }
  const config = parsed.data;
  const report = (text: string) => services.error(new Error(`${who}: ${text}`));

  const op1 = compileTriggerValue("op1", config.op1, config.op1type, services, report);
  const op2 = compileTriggerValue("op2", config.op2, config.op2type, services, report);
  const repeat = config.duration < 0;
  const extend = config.extend && !repeat;
  const durationMs = Math.abs(config.duration) * UNIT_MS[config.units];
  const secondOutput = config.outputs === 2;

  let streamPath: PropertyPath | undefined;
  if (config.bytopic === "topic") {
    try {
      streamPath = parsePropertyPath(config.topic.replace(/^msg\./, ""));
    } catch (e) {
      report(`the stream property "${config.topic}" is not a valid property path (${(e as Error).message}); using msg.topic instead.`);
      streamPath = ["topic"];
    }
  }

  const streams = new Map<string, Stream>();
  let lastStatus = "";

  function updateStatus(): void {
    const n = streams.size;
    const status: NodeStatus = n === 0 ? {} : n === 1 ? { fill: "blue", shape: "dot" } : { fill: "blue", shape: "dot", text: String(n) };
    const key = JSON.stringify(status);
    if (key === lastStatus) return;
    lastStatus = key;
    services.status(status);
  }

  function stop(key: string): void {
    const stream = streams.get(key);
    if (!stream) return;
    if (stream.timer) {
      if (repeat) services.timers.clearInterval(stream.timer);
      else services.timers.clearTimeout(stream.timer);
    }
    streams.delete(key);
  }

  function streamKey(msg: Msg): string {
    if (!streamPath) return SHARED_STREAM;
    const value = getProperty(msg, streamPath);
    // Node-RED: `getMessageProperty(msg, topic) || "_none"`: falsy values share one stream.
    return value ? String(value) : SHARED_STREAM;
  }

  function isReset(msg: Msg): boolean {
    if (Object.prototype.hasOwnProperty.call(msg, "reset")) return true;
    if (config.reset === "") return false;
    const payload = msg.payload;
    return payload !== null && payload !== undefined && String(payload) === config.reset;
  }

  /** The delay for this message: msg.delay (ms) when overriding is on, else the configured one. */
  function delayFor(msg: Msg): number {
    if (!config.overrideDelay || !Object.prototype.hasOwnProperty.call(msg, "delay")) return durationMs;
    const raw = msg.delay;
    const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (Number.isFinite(n) && n >= 0) return n;
    if (typeof raw === "number" || typeof raw === "string") {
      services.warn(`${who}: msg.delay must be a number of milliseconds ≥ 0, got ${JSON.stringify(raw)}; using the configured duration.`);
    }
    return durationMs;
  }

  function sendSecond(msg: Msg): void {
    services.send(secondOutput ? [null, msg] : msg);
  }

  /** The delay of a stream ran out: send op2 (on a copy of `base`) and end the stream. */
  function fire(key: string, stream: Stream, base: Msg): void {
    if (streams.get(key) !== stream) return;
    streams.delete(key);
    updateStatus();
    if (op2.kind === "nothing") return;
    if (op2.kind === "latest") {
      if (stream.latest) sendSecond(stream.latest);
      return;
    }
    try {
      base.payload = op2.kind === "date" ? op2.evaluate(base) : stream.m2;
      sendSecond(base);
    } catch (e) {
      services.error(e, base);
    }
  }

  function start(key: string, msg: Msg, existing: Stream | undefined, delayMs: number): void {
    const stream: Stream = existing ?? {};
    // op2 is taken from the message as it arrived, before op1 changes its payload.
    if (op2.kind === "payload") stream.m2 = cloneMsg(msg.payload);
    else if (op2.kind === "latest") stream.latest = cloneMsg(msg);
    else if (op2.kind === "value") stream.m2 = op2.evaluate(msg);

    const work = cloneMsg(msg);
    if (op1.kind === "value" || op1.kind === "date") work.payload = op1.evaluate(msg);
    streams.set(key, stream);

    if (delayMs === 0) {
      // Block until reset: the stream exists without a timer.
    } else if (repeat) {
      if (stream.timer) services.timers.clearInterval(stream.timer);
      stream.timer = undefined;
      if (op1.kind !== "nothing") {
        const template = cloneMsg(work);
        stream.timer = services.timers.setInterval(() => {
          const again = cloneMsg(template);
          if (op1.kind === "date") again.payload = op1.evaluate(again);
          services.send(again);
        }, delayMs);
      }
    } else {
      stream.timer = services.timers.setTimeout(() => fire(key, stream, work), delayMs);
    }
    updateStatus();
    if (op1.kind !== "nothing") services.send(cloneMsg(work));
  }

  function extendStream(key: string, stream: Stream, msg: Msg, delayMs: number): void {
    if (stream.timer) services.timers.clearTimeout(stream.timer);
    const base = cloneMsg(msg);
    stream.timer = services.timers.setTimeout(() => fire(key, stream, base), delayMs);
  }

  return {
    input(msg) {
      try {
        const key = streamKey(msg);
        if (isReset(msg)) {
          stop(key);
          updateStatus();
          return;
        }
        const delayMs = delayFor(msg);
        const stream = streams.get(key);
        if (!stream || repeat) {
          start(key, msg, stream, delayMs);
        } else {
          if (op2.kind === "latest") stream.latest = cloneMsg(msg);
          if (extend && delayMs > 0) extendStream(key, stream, msg, delayMs);
          // Otherwise the stream is running and this message is dropped.
        }
      } catch (e) {
        services.error(e, msg);
      }
    },
    close() {
      for (const key of [...streams.keys()]) stop(key);
      updateStatus();
    },
  };
};
