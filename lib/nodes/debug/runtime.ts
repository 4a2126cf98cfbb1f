/**
 * debug behaviour, following Node-RED's 21-debug.js: the chosen property (or the whole
 * message) goes to the sidebar through services.debug, made JSON-safe and bounded by
 * formatDebugValue; optionally to the console and to the node's status badge.
 */
import { inspect } from "node:util";
import type { NodeFactory, NodeStatus, StatusFill, StatusShape, TimerHandle } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, type PropertyPath } from "../shared/msg-property";
import { debugConfigSchema, showsWholeMessage, type DebugConfig } from "./definition";
import { formatDebugValue } from "./format-value";

/** Node-RED's debugStatusLength. */
const STATUS_MAX_CHARS = 32;
const FILLS: readonly StatusFill[] = ["red", "green", "yellow", "blue", "grey"];
const SHAPES: readonly StatusShape[] = ["dot", "ring"];

export const createDebugNode: NodeFactory<DebugConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (debug)`;
  const parsed = debugConfigSchema.safeParse(rawConfig);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    services.error(new Error(`${who}: invalid configuration — ${problems}. Fix it in the node's properties and deploy again.`));
    return {};
  }
  const config = parsed.data;
  const report = (text: string) => services.error(new Error(`${who}: ${text}`));

  const whole = showsWholeMessage(config);
  const pathOf = (raw: string, what: string): { name: string; path: PropertyPath } => {
    const name = raw.replace(/^msg\./, "");
    try {
      return { name, path: parsePropertyPath(name) };
    } catch (e) {
      report(`${what} "${raw}" is not a valid property path (${(e as Error).message}); showing msg.payload instead.`);
      return { name: "payload", path: ["payload"] };
    }
  };

  let output: { name: string; path: PropertyPath } = { name: "payload", path: ["payload"] };
  if (config.targetType === "jsonata") {
    report("JSONata expressions are not supported yet; showing msg.payload instead. Choose a message property as the output.");
  } else if (!whole && config.complete !== "false" && config.complete !== "") {
    output = pathOf(config.complete, "the output property");
  }

  let statusPath: PropertyPath | undefined;
  if (config.tostatus && config.statusType === "msg") {
    statusPath = pathOf(config.statusVal || (whole ? "payload" : output.name), "the status property").path;
  } else if (config.tostatus && config.statusType === "jsonata") {
    report("JSONata expressions are not supported yet for the status; the badge shows the output value instead.");
  }

  /** Sidebar output on/off: the config's `active`, switched live by the editor's toggle. */
  let active = config.active;

  const useCounter = config.tostatus && config.statusType === "counter";
  let counter = 0;
  let lastCountAt = Number.NEGATIVE_INFINITY;
  let countTimer: TimerHandle | undefined;
  let lastStatus = "";

  function setStatus(status: NodeStatus): void {
    const key = JSON.stringify(status);
    if (key === lastStatus) return;
    lastStatus = key;
    services.status(status);
  }

  if (useCounter) setStatus({ fill: "blue", shape: "ring", text: "0" });
  else if (config.tostatus) setStatus({ fill: "grey", shape: "ring" });

  /** Count messages; at high rates, update the badge at most every 200 ms (as Node-RED). */
  function count(): void {
    counter++;
    const now = services.clock.now();
    const quiet = now - lastCountAt > 100;
    lastCountAt = now;
    if (quiet) {
      if (countTimer) services.timers.clearTimeout(countTimer);
      countTimer = undefined;
      setStatus({ fill: "blue", shape: "ring", text: String(counter) });
    } else if (!countTimer) {
      countTimer = services.timers.setTimeout(() => {
        countTimer = undefined;
        setStatus({ fill: "blue", shape: "ring", text: String(counter) });
      }, 200);
    }
  }

  function showStatus(msg: Msg, shown: unknown): void {
    const value = statusPath ? getProperty(msg, statusPath) : whole ? msg.payload : shown;
    let text = typeof value === "string" ? value : inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 100 });
    let fill: StatusFill = "grey";
    let shape: StatusShape = "dot";
    const candidate = value as { fill?: unknown; shape?: unknown; text?: unknown } | null;
    if (candidate && typeof candidate === "object" && candidate.fill && candidate.shape && candidate.text) {
      // A status object passes through as the badge.
      fill = FILLS.includes(candidate.fill as StatusFill) ? (candidate.fill as StatusFill) : "grey";
      shape = SHAPES.includes(candidate.shape as StatusShape) ? (candidate.shape as StatusShape) : "dot";
      text = String(candidate.text);
    }
    if (config.statusType === "auto") {
      const error = msg.error as { message?: unknown } | undefined;
      if (Object.prototype.hasOwnProperty.call(msg, "error")) {
        fill = "red";
        text = String(error?.message ?? error);
      }
      const status = msg.status as { fill?: unknown; shape?: unknown; text?: unknown } | undefined;
      if (Object.prototype.hasOwnProperty.call(msg, "status") && status && typeof status === "object") {
        fill = FILLS.includes(status.fill as StatusFill) ? (status.fill as StatusFill) : "grey";
        shape = SHAPES.includes(status.shape as StatusShape) ? (status.shape as StatusShape) : "ring";
        text = status.text === undefined ? "" : String(status.text);
      }
    }
    if (text.length > STATUS_MAX_CHARS) text = `${text.slice(0, STATUS_MAX_CHARS)}...`;
    setStatus({ fill, shape, text });
  }

  return {
    input(msg) {
      // A status node reporting this debug node's own badge would loop forever.
      const source = (msg.status as { source?: { id?: unknown } } | undefined)?.source;
      if (source && typeof source === "object" && source.id === services.id) return;

      const shown = whole ? msg : getProperty(msg, output.path);
      if (config.tostatus) {
        if (useCounter) count();
        else showStatus(msg, shown);
      }
      if (config.console) {
        const text = typeof shown === "string" ? shown : inspect(shown, { depth: 10 });
        console.log(`[debug] ${services.name || services.id}: ${text}`);
      }
      if (active && config.tosidebar) {
        services.debug({
          property: whole ? "msg" : output.name,
          value: formatDebugValue(shown),
          topic: typeof msg.topic === "string" ? msg.topic : undefined,
          level: "debug",
        });
      }
    },
    setActive(on) {
      active = on;
    },
    close() {
      if (countTimer) services.timers.clearTimeout(countTimer);
      countTimer = undefined;
    },
  };
};
