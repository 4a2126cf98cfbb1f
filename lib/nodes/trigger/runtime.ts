/**
 * trigger behaviour, following Node-RED's 89-trigger.js: per stream (all messages, or one per
 * value of a message property) send op1 at once, then op2 after a delay / nothing until reset
 * / op1 again every |duration|. Values are compiled once per config.
 *
 * What survives an app restart or a redeploy of this node (Node-RED loses all of it):
 * - the op2 timer of the wait mode (duration > 0) is a durable timer (services.durable), one
 *   per stream, keyed by the stream key, stored with its absolute due time and what op2 needs
 *   (the message op2 is sent on, op2's value taken from the first message, the latest message).
 *   A new instance rebuilds its streams in restoreDurableTimers; the timer fires once, at its
 *   original time (at once when it fell due while the app was down), and a message with
 *   `extend` after the restart moves it on.
 * - "block until reset" (duration 0, or msg.delay 0): the blocked stream keys are kept in the
 *   node's context (services.context.node), so a restart does not unblock them; reset does.
 * The repeat mode (duration < 0) stays in memory: its interval stops with the node and a
 * restart ends the repetition (resending op1 at a fixed rhythm after a restart would replay
 * stale values).
 *
 * Messages are handled synchronously in arrival order (flow/global context reads are
 * synchronous here, so Node-RED's promise queue is not needed).
 */
import type { NodeFactory, NodeStatus, StoredTimer, TimerHandle } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, type PropertyPath } from "../shared/msg-property";
import { triggerConfigSchema, type TriggerConfig } from "./definition";
import { compileTriggerValue } from "./values";
import { parseNodeConfig } from "../shared/node-config";

const UNIT_MS: Record<TriggerConfig["units"], number> = { ms: 1, s: 1000, min: 60_000, hr: 3_600_000 };

interface Stream {
  /** Wait mode: when the durable op2 timer is due (ms since epoch). */
  dueAt?: number;
  /** Wait mode: the message op2 is sent on (the first message after op1, or the latest with extend). */
  base?: Msg;
  /** Block-until-reset mode: no timer; remembered in node context. */
  blocked?: boolean;
  /** Repeat mode: the in-memory interval. */
  interval?: TimerHandle;
  /** op2 evaluated against the first message (str, num, pay, ...). */
  m2?: unknown;
  /** A copy of the latest message of the stream (op2 type `payl`). */
  latest?: Msg;
}

/** What a durable timer stores: enough to send op2 after a restart. JSON-safe (Buffers are encoded by the runtime). */
export interface StoredTriggerStream {
  /** The stream key (value of the stream property, or "_none"): also the timer's key. */
  stream: string;
  base: Msg;
  m2?: unknown;
  latest?: Msg;
}

const SHARED_STREAM = "_none";
/** Node context key holding the keys of streams blocked until reset. */
export const BLOCKED_STREAMS_KEY = "blockedStreams";

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function storedStream(data: unknown): StoredTriggerStream | undefined {
  if (!isRecord(data) || typeof data.stream !== "string" || !isRecord(data.base)) return undefined;
  return {
    stream: data.stream,
    base: data.base as Msg,
    m2: data.m2,
    latest: isRecord(data.latest) ? (data.latest as Msg) : undefined,
  };
}

export const createTriggerNode: NodeFactory<TriggerConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (trigger)`;
  const parsed = parseNodeConfig(triggerConfigSchema, rawConfig, services, who);
  if (!parsed.ok) return {};
  const config = parsed.config;
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
  let closed = false;

  function updateStatus(): void {
    const n = streams.size;
    const status: NodeStatus = n === 0 ? {} : n === 1 ? { fill: "blue", shape: "dot" } : { fill: "blue", shape: "dot", text: String(n) };
    const key = JSON.stringify(status);
    if (key === lastStatus) return;
    lastStatus = key;
    services.status(status);
  }

  /** Writes the blocked stream keys to node context (only when the set changed). */
  function saveBlocked(): void {
    const keys = [...streams].filter(([, s]) => s.blocked).map(([k]) => k);
    services.context.node.set(BLOCKED_STREAMS_KEY, keys.length > 0 ? keys : undefined);
  }

  /** Arms (or re-arms, or updates the data of) the stream's durable op2 timer. */
  function armDurable(key: string, stream: Stream): void {
    const data: StoredTriggerStream = { stream: key, base: stream.base!, m2: stream.m2 };
    if (stream.latest) data.latest = stream.latest;
    services.durable.set(key, stream.dueAt!, data);
  }

  /** Stops whatever timer the stream has, leaving it in the map. */
  function disarm(key: string, stream: Stream): void {
    if (stream.interval) services.timers.clearInterval(stream.interval);
    stream.interval = undefined;
    if (stream.dueAt !== undefined) services.durable.cancel(key);
    stream.dueAt = undefined;
  }

  function stop(key: string): void {
    const stream = streams.get(key);
    // A stored timer without a stream (should not happen) is cancelled too.
    if (!stream) return services.durable.cancel(key);
    disarm(key, stream);
    streams.delete(key);
    if (stream.blocked) saveBlocked();
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

  /** The delay of a stream ran out: send op2 and end the stream. */
  function fire(key: string, stream: Stream): void {
    streams.delete(key);
    updateStatus();
    if (op2.kind === "nothing") return;
    if (op2.kind === "latest") {
      if (stream.latest) sendSecond(cloneMsg(stream.latest));
      return;
    }
    if (!stream.base) return;
    const out = cloneMsg(stream.base);
    try {
      out.payload = op2.kind === "date" ? op2.evaluate(out) : stream.m2;
      sendSecond(out);
    } catch (e) {
      services.error(e, out);
    }
  }

  function start(key: string, msg: Msg, existing: Stream | undefined, delayMs: number): void {
    const stream: Stream = existing ?? {};
    if (existing) disarm(key, existing);
    const wasBlocked = stream.blocked === true;
    stream.blocked = false;
    // op2 is taken from the message as it arrived, before op1 changes its payload.
    if (op2.kind === "payload") stream.m2 = cloneMsg(msg.payload);
    else if (op2.kind === "latest") stream.latest = cloneMsg(msg);
    else if (op2.kind === "value") stream.m2 = op2.evaluate(msg);

    const work = cloneMsg(msg);
    if (op1.kind === "value" || op1.kind === "date") work.payload = op1.evaluate(msg);
    streams.set(key, stream);

    if (delayMs === 0) {
      // Block until reset: no timer; remembered across restarts.
      stream.blocked = true;
      saveBlocked();
    } else if (repeat) {
      if (op1.kind !== "nothing") {
        const template = cloneMsg(work);
        stream.interval = services.timers.setInterval(() => {
          const again = cloneMsg(template);
          if (op1.kind === "date") again.payload = op1.evaluate(again);
          services.send(again);
        }, delayMs);
      }
    } else {
      stream.base = work;
      stream.dueAt = services.clock.now() + delayMs;
      armDurable(key, stream);
    }
    if (wasBlocked && !stream.blocked) saveBlocked();
    updateStatus();
    if (op1.kind !== "nothing") services.send(cloneMsg(work));
  }

  /** extend: a new message restarts the delay; op2 will be sent on a copy of it. */
  function extendStream(key: string, stream: Stream, msg: Msg, delayMs: number): void {
    stream.base = cloneMsg(msg);
    stream.dueAt = services.clock.now() + delayMs;
    if (stream.blocked) {
      stream.blocked = false;
      saveBlocked();
    }
    armDurable(key, stream);
  }

  // Streams blocked until reset before a restart or redeploy stay blocked.
  const blocked = services.context.node.get(BLOCKED_STREAMS_KEY);
  if (Array.isArray(blocked)) {
    for (const key of blocked) if (typeof key === "string") streams.set(key, { blocked: true });
    updateStatus();
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
          // The latest message must survive a restart too.
          else if (op2.kind === "latest" && stream.dueAt !== undefined) armDurable(key, stream);
          // Otherwise the stream is running and this message is dropped.
        }
      } catch (e) {
        services.error(e, msg);
      }
    },

    restoreDurableTimers(timers: readonly StoredTimer[]) {
      for (const timer of timers) {
        const data = storedStream(timer.data);
        if (!data) {
          services.durable.cancel(timer.key);
          services.warn(`${who}: dropped a stored timer of stream "${timer.key}" that could not be read.`);
          continue;
        }
        streams.set(timer.key, { dueAt: timer.dueAt, base: data.base, m2: data.m2, latest: data.latest });
      }
      updateStatus();
    },

    onDurableTimer(key: string, data: unknown) {
      // A closed instance never sends: its successor (if any) gets the timer.
      if (closed) return;
      let stream = streams.get(key);
      if (!stream || stream.dueAt === undefined) {
        // No wait-mode stream in memory for this timer: it was armed by a previous instance
        // and not restored; send op2 from what was stored.
        const stored = storedStream(data);
        if (!stored || stream) return;
        stream = { base: stored.base, m2: stored.m2, latest: stored.latest };
      }
      fire(key, stream);
    },

    close() {
      closed = true;
      // Durable timers and the blocked-stream list stay stored for the next instance; the
      // runtime drops them if the node was removed. Repeat intervals die with this instance.
      for (const stream of streams.values()) if (stream.interval) services.timers.clearInterval(stream.interval);
      streams.clear();
      updateStatus();
    },
  };
};
