/**
 * The delay node's rate-limit modes, after Node-RED's 89-delay.js:
 * - rate (queue): the first message passes at once, then one queued message per interval;
 * - rate (drop): a message passes when at least one interval has passed since the last one
 *   that did, otherwise it is dropped (or sent to output 2);
 * - burst: up to `rate` messages pass, each one frees its slot one period later;
 * - queue / timed: the newest message per topic is kept; each interval `queue` releases the
 *   next topic, `timed` all of them.
 * These queues live in memory (they hold messages for seconds, not hours): a restart or a
 * redeploy of the node empties them. They are bounded by `maxQueue`.
 */
import type { NodeServices, TimerHandle } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { burstPeriodMs, rateIntervalMs, type DelayConfig } from "./definition";
import { flushCount, has, isControlOnly, lenientNumber, withoutControl } from "./control";
import type { QueueBound, ThrottledStatus } from "./status";

export interface ModeContext {
  config: DelayConfig;
  services: NodeServices;
  status: ThrottledStatus;
  bound: QueueBound;
}

export interface ModeHandler {
  input(msg: Msg): void;
}

/**
 * setInterval period: at least 1 ms, and at most 2^31-1 ms (~24.8 days), past which Node's
 * timers overflow and fire every millisecond.
 */
function period(ms: number): number {
  return Math.min(2_147_483_647, Math.max(1, ms));
}

/** msg.rate (milliseconds between messages) when the node allows overriding the rate. */
function rateOverride(ctx: ModeContext, msg: Msg): number | undefined {
  if (!ctx.config.allowrate || !has(msg, "rate")) return undefined;
  const n = lenientNumber(msg.rate);
  return Number.isNaN(n) ? undefined : Math.max(0, n);
}

/** Rate limit, all messages, queueing the ones that come too soon. */
export function rateQueueMode(ctx: ModeContext): ModeHandler {
  const { services, status, bound } = ctx;
  const fixedMs = rateIntervalMs(ctx.config);
  let rateMs = fixedMs;
  let buffer: Msg[] = [];
  let interval: TimerHandle | undefined;

  const report = () => status.set({ fill: bound.dropped > 0 ? "yellow" : "blue", shape: "dot", text: bound.text(buffer.length) });
  const stop = () => {
    if (interval) services.timers.clearInterval(interval);
    interval = undefined;
  };
  const tickEvery = (ms: number) => {
    stop();
    interval = services.timers.setInterval(tick, period(ms));
  };
  function tick(): void {
    const next = buffer.shift();
    // An interval that finds the queue empty ends; the next message then passes at once.
    if (!next) stop();
    if (buffer.length === 0) bound.noteEmpty();
    report();
    if (next) services.send(next);
  }

  return {
    input(msg) {
      const m = withoutControl(msg);
      const override = rateOverride(ctx, msg);
      if (!isControlOnly(msg)) {
        if (interval) {
          if (override !== undefined && override !== rateMs) {
            rateMs = override;
            tickEvery(rateMs);
          }
          if (bound.isFull(buffer.length)) {
            buffer.shift();
            bound.noteDrop();
          }
          if (msg.toFront === true) buffer.unshift(m);
          else buffer.push(m);
          report();
        } else {
          if (override !== undefined) rateMs = override;
          if (has(msg, "reset")) {
            // Node-RED: reset + flush on an idle queue releases this message with the flush below.
            if (has(msg, "flush")) buffer.push(m);
          } else {
            services.send(m);
          }
          tickEvery(rateMs);
        }
      }
      if (has(msg, "flush")) {
        const count = Math.min(flushCount(msg), buffer.length);
        if (count === 0) {
          stop();
        } else {
          const batch = buffer.splice(0, count);
          for (const queued of batch) {
            const out = withoutControl(queued);
            if (!isControlOnly(out)) services.send(out);
          }
          tickEvery(rateMs);
        }
        if (buffer.length === 0) bound.noteEmpty();
        report();
      }
      if (has(msg, "reset")) {
        if (!has(msg, "flush")) stop();
        buffer = [];
        bound.noteEmpty();
        if (rateMs !== fixedMs) {
          rateMs = fixedMs;
          if (interval) tickEvery(rateMs);
        }
        status.set({ fill: "blue", shape: "ring", text: "0" });
      }
    },
  };
}

/** Rate limit, all messages, dropping the ones that come too soon (or sending them to output 2). */
export function rateDropMode(ctx: ModeContext): ModeHandler {
  const { services, status, config } = ctx;
  const fixedMs = rateIntervalMs(config);
  let rateMs = fixedMs;
  let lastSent: number | undefined;
  return {
    input(msg) {
      if (has(msg, "reset")) {
        if (!has(msg, "flush")) lastSent = undefined;
        rateMs = fixedMs;
        status.set({ fill: "blue", shape: "ring", text: "0" });
        return;
      }
      if (isControlOnly(msg)) return;
      const override = rateOverride(ctx, msg);
      if (override !== undefined) rateMs = override;
      const now = services.clock.now();
      const m = withoutControl(msg);
      // Node-RED compares nanoseconds with ">"; the clock here counts milliseconds, so a
      // message exactly one interval after the last one passes.
      if (lastSent === undefined || now - lastSent >= rateMs) {
        lastSent = now;
        services.send(m);
      } else if (config.outputs === 2) {
        services.send([null, m]);
      }
    },
  };
}

/** Burst: up to `rate` messages pass at once; each frees its slot one period after it passed. */
export function burstMode(ctx: ModeContext): ModeHandler {
  const { services, status, config } = ctx;
  const periodMs = burstPeriodMs(config);
  const limit = config.rate;
  const slots = new Set<TimerHandle>();
  const open = () => status.set({ fill: "green", shape: "ring", text: "" });
  open();
  return {
    input(msg) {
      if (has(msg, "reset")) {
        for (const slot of slots) services.timers.clearTimeout(slot);
        slots.clear();
        open();
        return;
      }
      if (isControlOnly(msg)) return;
      const m = withoutControl(msg);
      if (slots.size < limit) {
        const slot = services.timers.setTimeout(() => {
          slots.delete(slot);
          open();
        }, periodMs);
        slots.add(slot);
        services.send(m);
      } else {
        status.set({ fill: "red", shape: "dot", text: "" });
        if (config.outputs === 2) services.send([null, m]);
      }
    },
  };
}

const NO_TOPIC = Symbol("no topic");

/** Per topic: keep the newest message of each topic; release one topic (queue) or all (timed) per interval. */
export function topicQueueMode(ctx: ModeContext, releaseAll: boolean): ModeHandler {
  const { services, status, bound, config } = ctx;
  const fixedMs = rateIntervalMs(config);
  let rateMs = fixedMs;
  /** topic → newest message; a Map keeps the order in which topics first arrived. */
  const queue = new Map<unknown, Msg>();

  const report = () => status.set({ fill: bound.dropped > 0 ? "yellow" : "blue", shape: "dot", text: bound.text(queue.size) });
  const sendAside = (m: Msg) => {
    if (config.outputs === 2) services.send([null, m]);
  };
  const takeFirst = (count: number): Msg[] => {
    const out: Msg[] = [];
    for (const [topic, m] of queue) {
      if (out.length >= count) break;
      queue.delete(topic);
      out.push(m);
    }
    return out;
  };
  function tick(): void {
    const batch = takeFirst(releaseAll ? Number.POSITIVE_INFINITY : 1);
    if (queue.size === 0) bound.noteEmpty();
    if (batch.length > 0) report();
    for (const m of batch) services.send(m);
  }
  // As in Node-RED the interval runs from the start, so releases fall on a fixed grid.
  let interval = services.timers.setInterval(tick, period(rateMs));
  const retime = (ms: number) => {
    rateMs = ms;
    services.timers.clearInterval(interval);
    interval = services.timers.setInterval(tick, period(rateMs));
  };

  return {
    input(msg) {
      const override = rateOverride(ctx, msg);
      if (override !== undefined && override !== rateMs) retime(override);
      if (!isControlOnly(msg, ["topic"])) {
        const topic = msg.topic === undefined ? NO_TOPIC : msg.topic;
        const m = withoutControl(msg);
        const replaced = queue.get(topic);
        if (replaced) {
          queue.set(topic, m);
          sendAside(replaced);
        } else {
          let dropped: Msg | undefined;
          if (bound.isFull(queue.size)) {
            dropped = takeFirst(1)[0];
            bound.noteDrop();
          }
          queue.set(topic, m);
          if (dropped) sendAside(dropped);
        }
        report();
      }
      if (has(msg, "flush")) {
        const batch = takeFirst(flushCount(msg));
        if (queue.size === 0) bound.noteEmpty();
        report();
        for (const m of batch) services.send(m);
      }
      if (has(msg, "reset")) {
        queue.clear();
        bound.noteEmpty();
        if (rateMs !== fixedMs) retime(fixedMs);
        status.set({ text: "reset" });
      }
    },
  };
}
