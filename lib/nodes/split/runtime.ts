/**
 * split at run time (Node-RED 17-split.js without stream mode). Each output message is a
 * copy of the input with the piece in the split property and `msg.parts` describing it; an
 * incoming `msg.parts` is kept underneath (`parts.parts`) so nested split/join pairs work.
 */
import { randomBytes } from "node:crypto";
import type { NodeFactory } from "../../runtime/node-api";
import { cloneMsg, newMsgId, type Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, setProperty, type PropertyPath } from "../shared/msg-property";
import { parseByteList, positiveInt, unescapeSeparator, type SplitConfig } from "./definition";

/** Node-RED's msg.parts. */
export interface Parts {
  id: string;
  type: "string" | "array" | "object" | "buffer";
  index: number;
  count: number;
  ch?: string | number[];
  key?: string;
  len?: number;
  property?: string;
  parts?: unknown;
}

type Splitter =
  | { kind: "str"; separator: string }
  | { kind: "bin"; separator: Buffer; bytes: number[] }
  | { kind: "len"; length: number };

function compileSplitter(config: SplitConfig): Splitter {
  const type = config.spltType || "str";
  if (type === "str") return { kind: "str", separator: unescapeSeparator(config.splt || "\\n") };
  if (type === "bin") {
    const bytes = parseByteList(config.splt);
    if (typeof bytes === "string") throw new Error(`split using bytes: ${bytes}`);
    return { kind: "bin", separator: Buffer.from(bytes), bytes };
  }
  if (type === "len") {
    const length = positiveInt(config.splt);
    if (length === null) throw new Error(`split length must be a whole number of at least 1, got '${config.splt}'`);
    return { kind: "len", length };
  }
  throw new Error(`spltType must be str, bin or len, got ${JSON.stringify(type)}`);
}

function splitBuffer(buffer: Buffer, separator: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  let at = buffer.indexOf(separator, start);
  while (at > -1) {
    pieces.push(buffer.subarray(start, at));
    start = at + separator.length;
    at = buffer.indexOf(separator, start);
  }
  pieces.push(buffer.subarray(start));
  return pieces;
}

function chunks<T extends { length: number; slice(a: number, b: number): T }>(value: T, size: number): T[] {
  const out: T[] = [];
  for (let pos = 0; pos < value.length; pos += size) out.push(value.slice(pos, pos + size));
  return out;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  return `a ${typeof value}`;
}

export const createSplitNode: NodeFactory<SplitConfig> = (config, services) => {
  if (config.stream === true) {
    throw new Error("stream mode (carrying an unfinished piece over to the next message) is not supported yet; turn it off");
  }
  const splitter = compileSplitter(config);
  const arraySplit = positiveInt(config.arraySplt ?? 1);
  if (arraySplit === null) {
    throw new Error(`array split length must be a whole number of at least 1, got '${String(config.arraySplt)}'`);
  }
  const property = config.property || "payload";
  const path = parsePropertyPath(property);
  const addname: PropertyPath | null = config.addname ? parsePropertyPath(config.addname) : null;

  return {
    input(msg: Msg) {
      const value = getProperty(msg, path);
      let type: Parts["type"];
      let pieces: unknown[];
      const extra: Partial<Parts> = {};
      let keys: string[] | null = null;
      if (typeof value === "string") {
        type = "string";
        if (splitter.kind === "len") {
          pieces = value.length === 0 ? [""] : chunks(value, splitter.length);
          extra.ch = "";
          extra.len = splitter.length;
        } else if (splitter.kind === "bin") {
          pieces = value.split(splitter.separator.toString());
          extra.ch = splitter.bytes;
        } else {
          pieces = value.split(splitter.separator);
          extra.ch = splitter.separator;
        }
      } else if (Buffer.isBuffer(value)) {
        type = "buffer";
        if (splitter.kind === "len") {
          pieces = value.length === 0 ? [value] : chunks(value, splitter.length);
          extra.len = splitter.length;
        } else if (splitter.kind === "bin") {
          pieces = splitBuffer(value, splitter.separator);
          extra.ch = splitter.bytes;
        } else {
          pieces = splitBuffer(value, Buffer.from(splitter.separator));
          extra.ch = splitter.separator;
        }
      } else if (Array.isArray(value)) {
        type = "array";
        pieces = arraySplit === 1 ? value : chunks(value, arraySplit);
        extra.len = arraySplit;
      } else if (value !== null && typeof value === "object") {
        type = "object";
        keys = Object.keys(value);
        pieces = keys.map((k) => (value as Record<string, unknown>)[k]);
      } else {
        services.warn(
          value === undefined
            ? `nothing to split: the message has no msg.${property}`
            : `cannot split msg.${property}: it is ${describeType(value)}; only strings, Buffers, arrays and objects can be split`,
        );
        return;
      }

      const base: Msg = { ...msg };
      const previous = Object.prototype.hasOwnProperty.call(msg, "parts") ? msg.parts : undefined;
      const parts: Parts = { id: randomBytes(8).toString("hex"), type, index: 0, count: pieces.length, ...extra };
      if (property !== "payload") parts.property = property;
      const out: Msg[] = [];
      pieces.forEach((piece, index) => {
        // The piece goes in before copying, so each message copies only its own piece.
        setProperty(base, path, piece);
        const m = cloneMsg(base);
        m._msgid = newMsgId();
        const p: Parts = { ...parts, index };
        // An incoming msg.parts goes underneath (each message has its own copy of it).
        if (previous !== undefined) p.parts = m.parts;
        if (keys) {
          p.key = keys[index];
          if (addname) setProperty(m, addname, keys[index]);
        }
        m.parts = p;
        out.push(m);
      });
      if (out.length > 0) services.send([out]);
    },
  };
};
