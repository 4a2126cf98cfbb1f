/**
 * inject behaviour, following Node-RED's 20-inject.js: the editor button (`trigger()`),
 * "once" after `onceDelay` seconds, and `repeat` every N seconds — all timers through
 * services.timers, armed in `start()` so nothing fires before every node of the plan exists.
 */
import type { NodeFactory, TimerHandle } from "../../runtime/node-api";
import { newMsgId, type Msg } from "../../runtime/message";
import { parsePropertyPath, setProperty, type PropertyPath } from "../shared/msg-property";
import { injectConfigSchema, resolveInjectProps, type InjectConfig } from "./definition";
import { compileInjectValue } from "./values";

interface CompiledProp {
  name: string;
  path: PropertyPath;
  evaluate?: () => unknown;
  /** Set when every injection must fail (broken value). */
  fatal?: string;
}

export const createInjectNode: NodeFactory<InjectConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (inject)`;
  const parsed = injectConfigSchema.safeParse(rawConfig);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    services.error(new Error(`${who}: invalid configuration — ${problems}. Fix it in the node's properties and deploy again.`));
    services.status({ fill: "red", shape: "ring", text: "invalid configuration" });
    return {};
  }
  const config = parsed.data;
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
  let started = false;

  function inject(): void {
    const broken = props.filter((p) => p.fatal).map((p) => p.fatal);
    if (broken.length > 0) {
      report(`nothing was injected: ${broken.join("; ")}. Fix the value in the node's properties and deploy again.`);
      return;
    }
    const msg: Msg = { _msgid: newMsgId() };
    try {
      for (const prop of props) {
        if (prop.evaluate) setProperty(msg, prop.path, prop.evaluate());
      }
    } catch (e) {
      services.error(e, msg);
      return;
    }
    services.send(msg);
  }

  function startRepeat(): void {
    if (repeatSeconds > 0) repeatTimer = services.timers.setInterval(inject, repeatSeconds * 1000);
  }

  return {
    start() {
      if (started) return;
      started = true;
      // Node-RED uses the cron schedule only when no repeat interval is set.
      if (repeatSeconds <= 0 && config.crontab.trim() !== "") {
        report(`cron schedules are not supported yet, so "${config.crontab}" never fires. Use "repeat" (seconds) instead, or inject by hand.`);
      }
      if (config.once) {
        onceTimer = services.timers.setTimeout(() => {
          onceTimer = undefined;
          inject();
          startRepeat();
        }, onceDelayMs);
      } else {
        startRepeat();
      }
    },
    trigger() {
      inject();
    },
    close() {
      if (onceTimer) services.timers.clearTimeout(onceTimer);
      if (repeatTimer) services.timers.clearInterval(repeatTimer);
      onceTimer = repeatTimer = undefined;
    },
  };
};
