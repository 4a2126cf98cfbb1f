/**
 * JSONata expressions as Node-RED uses them (the `jsonata` package, 2.x): compiled once per
 * node config, evaluated per message against the message, with Node-RED's extra functions
 * $flowContext(key), $globalContext(key) and $env(name). $now() and $millis() read the
 * node's clock, so tests and the runtime agree on the time.
 *
 * Browser-safe (jsonata is plain JavaScript): definitions use `jsonataProblem` to show a
 * syntax error while editing; runtimes use `compileJsonata`.
 */
import jsonata from "jsonata";
import { parseContextKey, type ContextReader } from "./typed-value";

/** What an expression can reach. */
export interface JsonataServices {
  now(): number;
  env(name: string): string | undefined;
  context: { flow: ContextReader; global: ContextReader };
}

export class JsonataSyntaxError extends Error {}

export interface CompiledJsonata {
  readonly source: string;
  /** Resolves with the result (undefined when the expression matches nothing). */
  evaluate(msg: Record<string, unknown>, bindings?: Record<string, unknown>): Promise<unknown>;
}

interface JsonataErrorLike {
  message?: string;
  position?: number;
}

/** "line 2, position 4" from jsonata's character offset. */
function where(source: string, position: number | undefined): string {
  if (typeof position !== "number" || !Number.isFinite(position)) return "";
  const before = source.slice(0, Math.max(0, position));
  const line = before.split("\n").length;
  const column = position - (before.lastIndexOf("\n") + 1);
  return `line ${line}, position ${column}: `;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "JSONata expression '$sum(payload' : line 1, position 12: expected ")" before end of expression" */
export function describeJsonataError(source: string, err: unknown): string {
  const e = (err ?? {}) as JsonataErrorLike;
  const message = typeof e.message === "string" && e.message !== "" ? e.message : String(err);
  return `JSONata expression '${source}' : ${where(source, e.position)}${lowerFirst(message)}`;
}

function parse(source: string): jsonata.Expression {
  if (source.trim() === "") throw new JsonataSyntaxError(`JSONata expression is empty: write an expression such as payload.temperature > 25`);
  try {
    return jsonata(source);
  } catch (e) {
    throw new JsonataSyntaxError(describeJsonataError(source, e));
  }
}

/** The syntax problem of an expression, or null when it compiles. For editor validation. */
export function jsonataProblem(source: string): string | null {
  try {
    parse(source);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// Node-RED evaluates against {msg} when the expression names `msg` (pre-0.17 expressions).
const LEGACY_MSG = /(^|[^a-zA-Z0-9_'".])msg([^a-zA-Z0-9_'"]|$)/;
// $now(picture, timezone) is built from $fromMillis so it formats like jsonata's own $now.
let fromMillis: jsonata.Expression | undefined;

/** Compiles once (throws JsonataSyntaxError naming the expression and the position). */
export function compileJsonata(source: string, services: JsonataServices): CompiledJsonata {
  const expr = parse(source);
  const readContext = (scope: ContextReader, key: unknown): unknown => scope.get(parseContextKey(String(key)).key);
  expr.assign("flowContext", (key: unknown) => readContext(services.context.flow, key));
  expr.assign("globalContext", (key: unknown) => readContext(services.context.global, key));
  expr.assign("env", (name: unknown) => services.env(String(name)) ?? "");
  expr.registerFunction("millis", () => services.now(), "<:n>");
  expr.registerFunction(
    "now",
    (picture?: string, timezone?: string) => {
      fromMillis ??= jsonata("$fromMillis($t, $p, $z)");
      return fromMillis.evaluate({}, { t: services.now(), p: picture, z: timezone });
    },
    "<s?s?:s>",
  );
  const legacy = LEGACY_MSG.test(source);
  return {
    source,
    evaluate(msg, bindings) {
      return expr.evaluate(legacy ? { msg } : msg, bindings);
    },
  };
}

/**
 * Wraps a node's input handler so messages are handled strictly one after the other, in
 * arrival order, when the handler is sometimes asynchronous (a JSONata rule): a message that
 * arrives while an earlier one is still being evaluated waits for it. While nothing is
 * pending, a synchronous handler runs synchronously (no promise, no extra tick).
 * The returned promise settles when that message has been handled.
 */
export function orderedInput<T>(handle: (item: T) => void | Promise<void>): (item: T) => void | Promise<void> {
  let tail: Promise<void> | undefined;
  let pending = 0;
  const settle = () => {
    pending--;
    if (pending === 0) tail = undefined;
  };
  return (item) => {
    if (pending === 0) {
      const result = handle(item);
      if (!result || typeof (result as Promise<void>).then !== "function") return;
      pending = 1;
      tail = Promise.resolve(result).finally(settle);
      return tail;
    }
    pending++;
    const run = () => handle(item);
    // Run after the previous message whether it succeeded or failed.
    tail = tail!.then(run, run).finally(settle);
    return tail;
  };
}
