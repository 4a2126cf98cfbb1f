/**
 * range at run time (Node-RED 16-range.js). Node-RED only logs a non-number and converts
 * booleans, null and "" with Number() (true → 1); Flowhouse accepts numbers and numeric text
 * only and reports anything else as an error, so a wrong payload shows up in the debug
 * sidebar and catch nodes.
 */
import type { NodeFactory } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, setProperty } from "../shared/msg-property";
import { RANGE_ACTIONS, type RangeConfig } from "./definition";

function bound(config: RangeConfig, key: "minin" | "maxin" | "minout" | "maxout"): number {
  const text = String(config[key] ?? "");
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new Error(`${key} must be a number, got '${text}'`);
  return n;
}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (Buffer.isBuffer(value)) return "a Buffer";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

export const createRangeNode: NodeFactory<RangeConfig> = (config, services) => {
  const minin = bound(config, "minin");
  const maxin = bound(config, "maxin");
  const minout = bound(config, "minout");
  const maxout = bound(config, "maxout");
  if (minin === maxin) throw new Error(`the input range is empty: minin and maxin are both ${minin}; give two different numbers`);
  const action = config.action || "scale";
  if (!(RANGE_ACTIONS as readonly string[]).includes(action)) {
    throw new Error(`action must be scale, clamp, roll or drop, got ${JSON.stringify(action)}`);
  }
  const property = config.property || "payload";
  const path = parsePropertyPath(property);
  const round = config.round === true;
  const lo = Math.min(minin, maxin);
  const hi = Math.max(minin, maxin);

  return {
    input(msg: Msg) {
      const value = getProperty(msg, path);
      if (value === undefined) {
        services.send(msg); // Node-RED: nothing to scale, pass it on.
        return;
      }
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      if (!Number.isFinite(n)) {
        services.error(`Not a number: msg.${property} is ${describe(value)}; send a number or numeric text`, msg);
        return;
      }
      let x = n;
      if (action === "drop" && (x < lo || x > hi)) return;
      if (action === "clamp") x = Math.min(hi, Math.max(lo, x));
      if (action === "roll") {
        const divisor = maxin - minin;
        x = (((x - minin) % divisor) + divisor) % divisor + minin;
      }
      let out = ((x - minin) / (maxin - minin)) * (maxout - minout) + minout;
      if (round) out = Math.round(out);
      setProperty(msg, path, out);
      services.send(msg);
    },
  };
};
