/**
 * Read and write message properties by Node-RED path ("payload", "payload.t", "a.b[0]",
 * 'a["x y"]'). Pure. Paths are parsed once per node config (parsePropertyPath), never per
 * message.
 */
export type PropertyPath = readonly (string | number)[];

export class PropertyPathError extends Error {}

export function parsePropertyPath(path: string): PropertyPath {
  const trimmed = path.trim();
  if (trimmed === "") throw new PropertyPathError("property path is empty");
  const out: (string | number)[] = [];
  let i = 0;
  let current = "";
  const flush = () => {
    if (current !== "") out.push(current);
    current = "";
  };
  while (i < trimmed.length) {
    const ch = trimmed[i];
    if (ch === ".") {
      if (current === "" && (out.length === 0 || trimmed[i - 1] === ".")) {
        throw new PropertyPathError(`property path "${path}" has an empty part at position ${i + 1}`);
      }
      flush();
      i++;
    } else if (ch === "[") {
      flush();
      const end = trimmed.indexOf("]", i);
      if (end < 0) throw new PropertyPathError(`property path "${path}" has "[" without a closing "]"`);
      const inner = trimmed.slice(i + 1, end).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) out.push(inner.slice(1, -1));
      else throw new PropertyPathError(`property path "${path}": "[${inner}]" must be a number or a quoted name`);
      i = end + 1;
    } else {
      current += ch;
      i++;
    }
  }
  flush();
  if (out.length === 0) throw new PropertyPathError(`property path "${path}" names no property`);
  return out;
}

export function getProperty(root: unknown, path: PropertyPath): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Sets the value, creating objects/arrays on the way. */
export function setProperty(root: Record<string, unknown>, path: PropertyPath, value: unknown): void {
  let target: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    let next = target[key];
    if (next === null || typeof next !== "object") {
      next = typeof path[i + 1] === "number" ? [] : {};
      target[key] = next;
    }
    target = next as Record<string | number, unknown>;
  }
  target[path[path.length - 1]] = value;
}

export function deleteProperty(root: Record<string, unknown>, path: PropertyPath): void {
  const parent = getProperty(root, path.slice(0, -1));
  if (parent !== null && typeof parent === "object") {
    delete (parent as Record<string | number, unknown>)[path[path.length - 1]];
  }
}
