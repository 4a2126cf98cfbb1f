/**
 * join at run time (Node-RED 17-split.js JoinNode, auto and custom modes). Groups live in
 * memory: a group is keyed by msg.parts.id (auto, or custom with a blank count and
 * msg.parts) or "_" (custom). The custom-mode timeout runs on the node's timers, so it is
 * cancelled on close like Node-RED's. Bounded: MAX_PARTS_PER_GROUP parts per group and
 * MAX_OPEN_GROUPS unfinished groups.
 */
import type { NodeFactory, TimerHandle } from "../../runtime/node-api";
import { cloneMsg, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, setProperty, type PropertyPath } from "../shared/msg-property";
import { unescapeSeparator } from "../split/definition";
import {
  JOIN_BUILDS,
  joinerBytes,
  MAX_OPEN_GROUPS,
  MAX_PARTS_PER_GROUP,
  optionalNumber,
  type JoinConfig,
} from "./definition";

type Build = (typeof JOIN_BUILDS)[number];

interface Group {
  /** How the parts are added (merged adds keys of object payloads). */
  build: Build;
  /** Parts by index (string/array/buffer) or by key (object/merged). */
  parts: unknown[] | Record<string, unknown>;
  currentCount: number;
  targetCount: number;
  joinChar?: unknown;
  arrayLen?: number;
  /** The message the result is sent on: the first one, with later messages' properties over it. */
  msg: Msg;
  /** Where the result goes. */
  prop: PropertyPath;
  timer?: TimerHandle;
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function joinCharText(ch: unknown): string {
  if (typeof ch === "string") return ch;
  if (Buffer.isBuffer(ch)) return ch.toString();
  // A bin separator from split arrives as a list of bytes (Node-RED would join with "13,10").
  if (Array.isArray(ch)) return Buffer.from(ch as number[]).toString();
  return ch === undefined || ch === null ? "" : String(ch);
}

/** Array.join's text for a part, except that objects become JSON rather than "[object Object]". */
function partText(p: unknown): string {
  if (p === undefined || p === null) return "";
  if (typeof p === "string") return p;
  if (Buffer.isBuffer(p)) return p.toString();
  if (typeof p === "object") return JSON.stringify(p);
  return String(p);
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === "string") return Buffer.from(value);
  return Buffer.from(value as number[]);
}

export const createJoinNode: NodeFactory<JoinConfig> = (config, services) => {
  const mode = config.mode || "auto";
  if (mode === "reduce") {
    throw new Error("reduce mode is not supported yet; use automatic or manual (custom) mode, or reduce in a function node after a join");
  }
  if (mode !== "auto" && mode !== "custom") throw new Error(`mode must be auto or custom, got ${JSON.stringify(mode)}`);
  const build: Build = config.build || "object";
  if (!(JOIN_BUILDS as readonly string[]).includes(build)) {
    throw new Error(`build must be string, array, buffer, object or merged, got ${JSON.stringify(build)}`);
  }
  const full = config.propertyType === "full";
  const propertyName = full ? "payload" : config.property || "payload";
  const propertyPath = parsePropertyPath(propertyName);
  const keyPath = parsePropertyPath(config.key || "topic");
  const countSetting = optionalNumber(config.count);
  const timeoutSetting = optionalNumber(config.timeout);
  if (mode === "custom" && Number.isNaN(countSetting)) throw new Error(`count must be a number of messages or blank, got '${String(config.count)}'`);
  if (mode === "custom" && Number.isNaN(timeoutSetting)) throw new Error(`timeout must be a number of seconds or blank, got '${String(config.timeout)}'`);
  const countBlank = countSetting === null;
  const count = countSetting ?? 0;
  const timeoutMs = mode === "custom" ? (timeoutSetting ?? 0) * 1000 : 0;
  let joiner: string | Buffer = config.joiner ?? "";
  if (config.joinerType === "bin") {
    const bytes = joinerBytes(String(config.joiner ?? ""));
    if (typeof bytes === "string") throw new Error(`joined using bytes: ${bytes}`);
    joiner = Buffer.from(bytes);
  } else {
    joiner = unescapeSeparator(joiner);
  }
  const useparts = config.useparts === true;
  const accumulate = config.accumulate === true || config.accumulate === "true";

  const groups = new Map<string, Group>();

  function dropGroup(id: string): void {
    const g = groups.get(id);
    if (g?.timer) services.timers.clearTimeout(g.timer);
    groups.delete(id);
  }

  function startTimer(id: string, group: Group): void {
    if (timeoutMs > 0) group.timer = services.timers.setTimeout(() => completeSend(id), timeoutMs);
  }

  function completeSend(id: string): void {
    const group = groups.get(id);
    if (!group) return;
    if (group.timer) services.timers.clearTimeout(group.timer);
    group.timer = undefined;
    const keep = mode === "custom" && accumulate && !hasOwn(group.msg, "complete");
    if (!keep) groups.delete(id);
    let result: unknown;
    if (group.build === "object" || group.build === "merged") {
      result = { ...(group.parts as Record<string, unknown>) };
    } else {
      // A part that never came (timeout or msg.complete first) stays an undefined entry, as in
      // Node-RED; only a Buffer leaves it out.
      const list = Array.from(group.parts as unknown[]);
      if (group.build === "array") {
        result = group.arrayLen !== undefined && group.arrayLen > 1 ? list.flatMap((p) => (Array.isArray(p) ? p : [p])) : list;
      } else if (group.build === "string") {
        result = list.map(partText).join(joinCharText(group.joinChar));
      } else {
        const buffers = list.filter((p) => p !== undefined && p !== null).map(toBuffer);
        if (group.joinChar !== undefined) {
          const sep = toBuffer(group.joinChar);
          const withSep: Buffer[] = [];
          buffers.forEach((b, i) => {
            if (i > 0) withSep.push(sep);
            withSep.push(b);
          });
          result = Buffer.concat(withSep);
        } else {
          result = Buffer.concat(buffers);
        }
      }
    }
    const out = cloneMsg(group.msg);
    setProperty(out, group.prop, keep ? cloneMsg(result) : result);
    if (isRecord(out.parts) && hasOwn(out.parts, "parts")) out.parts = out.parts.parts;
    else delete out.parts;
    delete out.complete;
    services.send(out);
  }

  return {
    input(msg: Msg) {
      let property: unknown = full ? msg : getProperty(msg, propertyPath);
      let id = "_";
      const parts = isRecord(msg.parts) ? msg.parts : undefined;

      if (mode === "auto" && !(parts && hasOwn(parts, "id"))) {
        if (hasOwn(msg, "reset")) {
          for (const gid of [...groups.keys()]) dropGroup(gid);
        } else {
          services.warn("Message missing msg.parts property - cannot join in 'auto' mode: put a split node before this join, or use manual mode");
        }
        return;
      }
      if (mode === "custom" && hasOwn(msg, "parts") && !useparts) {
        if (parts && hasOwn(parts, "parts")) msg.parts = { parts: parts.parts };
        else delete msg.parts;
      }
      const ownParts = isRecord(msg.parts) ? msg.parts : undefined;

      let payloadType: Build;
      let propertyKey: unknown;
      let targetCount: number;
      let joinChar: unknown;
      let arrayLen: number | undefined;
      let propertyIndex: unknown;
      let prop: PropertyPath = propertyPath;
      if (mode === "auto") {
        const p = parts as Record<string, unknown>;
        id = String(p.id);
        const type = p.type;
        payloadType = type === "string" || type === "array" || type === "buffer" || type === "object" ? type : "array";
        targetCount = typeof p.count === "number" ? p.count : 0;
        joinChar = p.ch;
        propertyKey = p.key;
        arrayLen = typeof p.len === "number" ? p.len : undefined;
        propertyIndex = p.index;
        if (typeof p.property === "string" && p.property !== "") {
          try {
            prop = parsePropertyPath(p.property);
          } catch (e) {
            services.error(`msg.parts.property is not a property path (${(e as Error).message})`, msg);
            return;
          }
        } else {
          prop = parsePropertyPath("payload");
        }
        property = getProperty(msg, prop);
      } else {
        payloadType = build;
        targetCount = count;
        joinChar = joiner;
        if (countBlank && ownParts) {
          targetCount = typeof ownParts.count === "number" ? ownParts.count : 0;
          if (hasOwn(ownParts, "id")) id = String(ownParts.id);
        }
        if (build === "object") propertyKey = getProperty(msg, keyPath);
      }

      if (hasOwn(msg, "restartTimeout")) {
        const g = groups.get(id);
        if (g) {
          if (g.timer) services.timers.clearTimeout(g.timer);
          g.timer = undefined;
          startTimer(id, g);
        }
      }
      if (hasOwn(msg, "reset")) {
        dropGroup(id);
        return;
      }
      if (payloadType === "object" && (propertyKey === null || propertyKey === undefined || propertyKey === "")) {
        if (mode === "auto") {
          services.warn("Message missing 'msg.parts.key' property - cannot add to object");
        } else if (hasOwn(msg, "complete")) {
          const g = groups.get(id);
          if (g) {
            g.msg.complete = msg.complete;
            completeSend(id);
          }
        } else {
          services.warn(`Message missing key property 'msg.${config.key || "topic"}' - cannot add to object; set msg.${config.key || "topic"} on each message`);
        }
        return;
      }

      let group = groups.get(id);
      if (!group) {
        if (groups.size >= MAX_OPEN_GROUPS) {
          const oldest = groups.keys().next().value as string;
          dropGroup(oldest);
          services.error(
            `more than ${MAX_OPEN_GROUPS} unfinished groups: dropped the oldest (msg.parts.id ${oldest}); check that every part of a sequence reaches this join, or set a timeout`,
            msg,
          );
        }
        group = {
          build: payloadType,
          parts: payloadType === "object" || payloadType === "merged" ? {} : [],
          currentCount: 0,
          targetCount,
          msg: cloneMsg(msg),
          prop: mode === "auto" ? prop : propertyPath,
        };
        if (payloadType === "string" || payloadType === "buffer") group.joinChar = joinChar;
        if (payloadType === "array") group.arrayLen = arrayLen;
        groups.set(id, group);
        startTimer(id, group);
      }

      if (payloadType === "buffer" && property !== undefined) {
        if (!(Buffer.isBuffer(property) || typeof property === "string" || Array.isArray(property))) {
          const what = property === null ? "null" : typeof property;
          services.error(`Cannot join ${what} to buffer: msg.${propertyName} must be a Buffer, a string or an array of bytes`, msg);
          return;
        }
      }

      if (payloadType === "object") {
        (group.parts as Record<string, unknown>)[String(propertyKey)] = property;
        group.currentCount = Object.keys(group.parts).length;
      } else if (payloadType === "merged") {
        if (!isRecord(property)) {
          if (!hasOwn(msg, "complete")) services.warn(`Cannot merge non-object types: msg.${propertyName} must be an object`);
        } else {
          for (const k of Object.keys(property)) {
            if (k !== "_msgid") (group.parts as Record<string, unknown>)[k] = property[k];
          }
          group.currentCount = Object.keys(group.parts).length;
        }
      } else {
        const list = group.parts as unknown[];
        if (typeof propertyIndex === "number" && Number.isInteger(propertyIndex) && propertyIndex >= 0) {
          if (propertyIndex >= MAX_PARTS_PER_GROUP) {
            dropGroup(id);
            services.error(`msg.parts.index ${propertyIndex} is beyond the limit of ${MAX_PARTS_PER_GROUP} parts per group: the group was dropped`, msg);
            return;
          }
          if (list[propertyIndex] === undefined) group.currentCount++;
          list[propertyIndex] = property;
        } else if (property !== undefined) {
          list.push(property);
          group.currentCount++;
        }
      }
      if (group.currentCount > MAX_PARTS_PER_GROUP) {
        dropGroup(id);
        services.error(
          `a group holds more than ${MAX_PARTS_PER_GROUP} parts: it was dropped without sending; set a count or a timeout, or send msg.complete sooner`,
          msg,
        );
        return;
      }

      group.msg = Object.assign(group.msg, msg);
      let tcnt = group.targetCount;
      if (hasOwn(msg, "parts") && isRecord(msg.parts)) {
        tcnt = group.targetCount || (typeof msg.parts.count === "number" ? msg.parts.count : 0);
        group.targetCount = tcnt;
      }
      if ((tcnt > 0 && group.currentCount >= tcnt) || hasOwn(msg, "complete")) completeSend(id);
    },
  };
};
