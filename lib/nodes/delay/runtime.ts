/**
 * delay behaviour, following Node-RED's 89-delay.js. The delay modes (fixed, random,
 * msg.delay) hold each message in a durable timer, so held messages survive a restart and a
 * redeploy (see held-messages.ts); the rate-limit modes are in rate-modes.ts.
 *
 * Control messages in every mode: msg.reset clears what is held without sending it;
 * msg.flush releases n (a number) or all held messages at once. A message carrying only
 * control properties is never held or sent itself.
 */
import type { NodeFactory, NodeStatus } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { delayConfigSchema, TIME_UNIT_MS, type DelayConfig } from "./definition";
import { flushCount, has, isControlOnly, lenientNumber, withoutControl } from "./control";
import { HeldMessages } from "./held-messages";
import { burstMode, rateDropMode, rateQueueMode, topicQueueMode, type ModeContext, type ModeHandler } from "./rate-modes";
import { QueueBound, ThrottledStatus } from "./status";
import { parseNodeConfig } from "../shared/node-config";

/** Node-RED shows the held count only for delays long enough to be watched. */
const STATUS_MIN_DELAY_MS = 1000;

export const createDelayNode: NodeFactory<DelayConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (delay)`;
  const parsed = parseNodeConfig(delayConfigSchema, rawConfig, services, who);
  if (!parsed.ok) return {};
  const config = parsed.config;
  const status = new ThrottledStatus(services);
  const isDelayMode = config.pauseType === "delay" || config.pauseType === "delayv" || config.pauseType === "random";
  const queueName = isDelayMode ? "the delay queue" : config.pauseType === "rate" ? "the rate-limit queue" : "the topic queue";
  const bound = new QueueBound(config.maxQueue, (text) => services.warn(`${who}: ${text}`), queueName);

  const timeoutMs = config.timeout * TIME_UNIT_MS[config.timeoutUnits];
  const randomFirstMs = config.randomFirst * TIME_UNIT_MS[config.randomUnits];
  const randomLastMs = config.randomLast * TIME_UNIT_MS[config.randomUnits];
  const showHeldCount =
    config.pauseType === "delayv" ||
    (config.pauseType === "delay" && timeoutMs > STATUS_MIN_DELAY_MS) ||
    (config.pauseType === "random" && randomLastMs > STATUS_MIN_DELAY_MS);

  // Messages held in durable timers. Also kept in the rate modes: after a redeploy from a
  // delay mode to a rate mode, messages held before still go out, and reset/flush reach them.
  const held = new HeldMessages(services, bound, who, () => {
    if (!isDelayMode || (!showHeldCount && bound.dropped === 0)) return;
    const s: NodeStatus =
      held.size === 0 && bound.dropped === 0
        ? {}
        : { fill: bound.dropped > 0 ? "yellow" : "blue", shape: "dot", text: bound.text(held.size) };
    status.set(s);
  });

  function delayFor(msg: Msg): number {
    if (config.pauseType === "random") return randomFirstMs + (randomLastMs - randomFirstMs) * Math.random();
    if (config.pauseType === "delayv" && has(msg, "delay") && msg.delay !== undefined && msg.delay !== null) {
      const n = lenientNumber(msg.delay);
      if (!Number.isNaN(n)) return Math.max(0, n);
      services.warn(
        `${who}: msg.delay must be a number of milliseconds, got ${JSON.stringify(msg.delay) ?? String(msg.delay)}; using the configured delay of ${timeoutMs} ms.`,
      );
    }
    return timeoutMs;
  }

  const delayHandler: ModeHandler = {
    input(msg) {
      if (has(msg, "reset")) {
        held.clear();
        status.set({ fill: "blue", shape: "ring", text: "0" });
        return;
      }
      if (!isControlOnly(msg)) held.hold(withoutControl(msg), delayFor(msg));
      if (has(msg, "flush")) held.flush(flushCount(msg));
    },
  };

  const ctx: ModeContext = { config, services, status, bound };
  let handler: ModeHandler;
  switch (config.pauseType) {
    case "rate":
      handler = config.drop ? rateDropMode(ctx) : rateQueueMode(ctx);
      break;
    case "burst":
      handler = burstMode(ctx);
      break;
    case "queue":
    case "timed":
      handler = topicQueueMode(ctx, config.pauseType === "timed");
      break;
    default:
      handler = delayHandler;
  }

  return {
    input(msg) {
      try {
        if (!isDelayMode && held.size > 0) {
          if (has(msg, "reset")) held.clear();
          else if (has(msg, "flush")) held.flush(flushCount(msg));
        }
        handler.input(msg);
      } catch (e) {
        services.error(e, msg);
      }
    },
    onDurableTimer(key, data) {
      held.due(key, data);
    },
    restoreDurableTimers(timers) {
      held.restore(timers);
    },
    // close(): nothing to do. In-memory timers are cleared by the runtime; the durable ones
    // must stay armed so held messages survive the restart or redeploy.
  };
};
