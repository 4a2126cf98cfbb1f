/**
 * inject behaviour, following Node-RED's 20-inject.js: the editor button (`trigger()`),
 * "once" after `onceDelay` seconds, `repeat` every N seconds, and cron / time-of-day
 * schedules (croner computes the next run, a node timer waits for it) — all timers through
 * services.timers, armed in `start()` so nothing fires before every node of the plan exists.
 * Schedules are not durable: the next run is computed again at every start.
 */
import { Cron } from "croner";
import type { NodeFactory, TimerHandle } from "../../runtime/node-api";
import { newMsgId, type Msg } from "../../runtime/message";
import { deleteProperty, parsePropertyPath, setProperty, type PropertyPath } from "../shared/msg-property";
import { injectConfigSchema, injectCronPattern, resolveInjectProps, validTimeZone, type InjectConfig } from "./definition";
import { compileInjectValue } from "./values";
import { parseNodeConfig } from "../shared/node-config";

/**
 * A schedule timer waits at most this long before checking the clock again, so a wall-clock
 * jump (NTP, suspend/resume) delays a cron run by at most this much.
 */
const MAX_SCHEDULE_WAIT_MS = 60 * 60 * 1000;

interface CompiledProp {
  name: string;
  path: PropertyPath;
  evaluate?: (msg: Msg) => unknown;
  /** Set when every injection must fail (broken value). */
  fatal?: string;
}

export const createInjectNode: NodeFactory<InjectConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (inject)`;
  const parsed = parseNodeConfig(injectConfigSchema, rawConfig, services, who);
  if (!parsed.ok) return {};
  const config = parsed.config;
  const report = (text: string) => services.error(new Error(`${who}: ${text}`));

  const props: CompiledProp[] = [];
  for (const prop of resolveInjectProps(config)) {
    const name = prop.p.replace(/^msg\./, "");
    let path: PropertyPath;
    try {
      path = parsePropertyPath(name);
    } catch (e) {
      report(`the property "${prop.p}" is not a valid property path (${(e as Error).message}); it is left out. Fix it in the node's properties.`);
      continue;
    }
    const compiled = compileInjectValue(prop.v, prop.vt, services);
    if (compiled.problem) {
      const consequence = compiled.fatal ? "the node cannot inject until it is fixed" : compiled.evaluate ? "" : "it is left out of the message";
      report(`msg.${name}: ${compiled.problem}${consequence ? `; ${consequence}` : ""}.`);
    }
    props.push({ name, path, evaluate: compiled.evaluate, fatal: compiled.fatal ? `msg.${name}: ${compiled.problem}` : undefined });
  }

  const repeatSeconds = config.repeat.trim() === "" ? 0 : Number(config.repeat);
  const onceDelayMs = (config.onceDelay || 0.1) * 1000;
  let onceTimer: TimerHandle | undefined;
  let repeatTimer: TimerHandle | undefined;
  let cronTimer: TimerHandle | undefined;
  let started = false;

  // The schema has checked the pattern and the time zone; an empty time zone means the
  // process's own, which is what croner uses without one.
  const pattern = injectCronPattern(config);
  let cron: Cron | undefined;
  if (pattern) {
    try {
      cron = new Cron(pattern, validTimeZone(config.timezone) ? { timezone: config.timezone.trim() } : {});
    } catch (e) {
      report(`the schedule "${pattern}" cannot be used (${(e as Error).message}); it never fires. Fix it in the node's properties.`);
    }
  }

  function setValue(msg: Msg, prop: CompiledProp, value: unknown): void {
    // Node-RED's setMessageProperty deletes the property for an undefined value.
    if (value === undefined) deleteProperty(msg, prop.path);
    else setProperty(msg, prop.path, value);
  }

  /**
   * Builds the message property by property, in order (a JSONata value sees the properties
   * set before it), then sends it — or reports every failure with the message and sends
   * nothing, as Node-RED does. Synchronous unless a value is asynchronous (JSONata).
   */
  function inject(): void | Promise<void> {
    const broken = props.filter((p) => p.fatal).map((p) => p.fatal);
    if (broken.length > 0) {
      report(`nothing was injected: ${broken.join("; ")}. Fix the value in the node's properties and deploy again.`);
      return;
    }
    const msg: Msg = { _msgid: newMsgId() };
    const errors: string[] = [];
    const fail = (prop: CompiledProp, e: unknown) => errors.push(`msg.${prop.name}: ${e instanceof Error ? e.message : String(e)}`);
    const finish = () => {
      if (errors.length > 0) services.error(new Error(`${who}: nothing was injected: ${errors.join("; ")}`), msg);
      else services.send(msg);
    };
    const step = (from: number): void | Promise<void> => {
      for (let i = from; i < props.length; i++) {
        const prop = props[i];
        if (!prop.evaluate) continue;
        let value: unknown;
        try {
          value = prop.evaluate(msg);
        } catch (e) {
          fail(prop, e);
          continue;
        }
        if (value instanceof Promise) {
          return value.then(
            (v: unknown) => setValue(msg, prop, v),
            (e: unknown) => void fail(prop, e),
          ).then(() => step(i + 1));
        }
        try {
          setValue(msg, prop, value);
        } catch (e) {
          fail(prop, e);
        }
      }
    };
    const pending = step(0);
    if (pending) return pending.then(finish);
    finish();
  }

  /**
   * Injects, keeping an asynchronous failure from escaping as an unhandled rejection. Returns
   * the pending injection when it is asynchronous (JSONata), so a caller may wait for it.
   */
  function fire(): void | Promise<void> {
    const pending = inject();
    if (pending) return pending.catch((e: unknown) => services.error(e));
  }

  function startRepeat(): void {
    if (repeatSeconds > 0) repeatTimer = services.timers.setInterval(() => void fire(), repeatSeconds * 1000);
    else if (cron) armCron(services.clock.now());
  }

  /**
   * Waits for croner's next run after `after`. croner reads real Dates, so the next run is
   * computed from the node's clock and waited for with a node timer; after each run it is
   * computed again from the run time (never earlier, so a timer that fires a little early
   * cannot run the same time twice).
   */
  function armCron(after: number): void {
    if (!cron) return;
    const next = cron.nextRun(new Date(after));
    if (!next) {
      services.status({ fill: "grey", shape: "ring", text: "schedule has no future runs" });
      return;
    }
    const due = next.getTime();
    const wait = () => {
      const now = services.clock.now();
      if (now < due) {
        cronTimer = services.timers.setTimeout(wait, Math.min(due - now, MAX_SCHEDULE_WAIT_MS));
        return;
      }
      cronTimer = undefined;
      void fire();
      armCron(Math.max(now, due));
    };
    wait();
  }

  return {
    start() {
      if (started) return;
      started = true;
      if (config.once) {
        onceTimer = services.timers.setTimeout(() => {
          onceTimer = undefined;
          void fire();
          startRepeat();
        }, onceDelayMs);
      } else {
        startRepeat();
      }
    },
    trigger() {
      return fire();
    },
    close() {
      if (onceTimer) services.timers.clearTimeout(onceTimer);
      if (repeatTimer) services.timers.clearInterval(repeatTimer);
      if (cronTimer) services.timers.clearTimeout(cronTimer);
      onceTimer = repeatTimer = cronTimer = undefined;
    },
  };
};
