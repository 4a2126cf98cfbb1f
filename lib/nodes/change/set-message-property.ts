/**
 * Node-RED's RED.util.setMessageProperty semantics, which the change node depends on and
 * which differ from the shared setProperty: setting `undefined` deletes (and creates nothing),
 * a missing parent is created as {} or [], but a parent that exists and is not an object
 * (msg.payload = "on", set payload.level) is left alone and the set is refused. Pure.
 */
import type { PropertyPath } from "../shared/msg-property";

/** Returns false when a non-object value sits on the path (Node-RED warns "cannot set property"). */
export function setMessageProperty(root: Record<string, unknown>, path: PropertyPath, value: unknown): boolean {
  const createMissing = value !== undefined;
  let target = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const next = target[key];
    // An own property holding undefined counts as missing (Node-RED refuses it, which only
    // surprises: a message built with `payload: undefined` could never get payload.x).
    if (next === undefined) {
      if (!createMissing) return true;
      const created = typeof path[i + 1] === "number" ? [] : {};
      target[key] = created;
      target = created as Record<string | number, unknown>;
    } else if (next === null || (typeof next !== "object" && typeof next !== "function")) {
      if (!createMissing) return true;
      return false;
    } else {
      target = next as Record<string | number, unknown>;
    }
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (typeof last === "number" && Array.isArray(target)) {
      if (last < target.length) target.splice(last, 1);
    } else {
      delete target[last];
    }
  } else {
    target[last] = value;
  }
  return true;
}
