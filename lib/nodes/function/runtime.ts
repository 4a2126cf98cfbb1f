/**
 * function at run time: each message runs the user's code in a fresh QuickJS sandbox on a
 * worker thread (sandbox-pool.ts), never in the server's own JavaScript context.
 *
 * Per message: the message, a snapshot of the node/flow/global context the code mentions and
 * the env values it names go in as JSON; what the code did (node.send, warn, error, log,
 * status, context sets) and its return value come back as JSON and are replayed here in
 * order, then the return value is sent (Node-RED's rules: a msg → output 1, an array → one
 * entry per output, an entry may be an array of msgs or null, null → nothing). Messages of
 * one node run one at a time, in arrival order.
 *
 * Limits: the node's `timeout` (seconds, 0 = 1 s), 32 MB of sandbox memory, a bounded stack.
 * Known differences from Node-RED: nothing survives between messages except context; the
 * invocation ends when the code's promise settles, so timers and sends after that are not
 * available; env.get needs a literal name; a context snapshot above 1 MB is refused.
 */
import type { Msg } from "../../runtime/message";
import { newMsgId } from "../../runtime/message";
import type { ContextScope, NodeFactory, NodeStatus } from "../../runtime/node-api";
import { DEFAULT_FUNCTION_TIMEOUT_SECONDS, functionConfigSchema, type FunctionConfig } from "./definition";
import { fromSandboxJson, toSandboxJson } from "./message-json";
import {
  DEFAULT_SANDBOX_MEMORY_BYTES,
  DEFAULT_SANDBOX_STACK_BYTES,
  sandboxPool,
  type SandboxCheckError,
  type SandboxFailure,
} from "./sandbox-pool";
import { parseNodeConfig } from "../shared/node-config";

/** Largest context snapshot (node + flow + global, as JSON) handed to the sandbox. */
export const MAX_CONTEXT_SNAPSHOT_BYTES = 1024 * 1024;
/** Largest message (as JSON) handed to the sandbox: it must fit the sandbox's heap twice. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/**
 * Messages one function node keeps waiting for the sandbox. A function slower than its input
 * would otherwise queue without bound (every waiting message held in memory); beyond this
 * the newest is dropped with an error the debug sidebar and catch nodes see.
 */
export const MAX_WAITING_MESSAGES = 1000;
/** Length of the wrapper's header on line 1 (`(async function (msg) {`), for column numbers. */
const WRAPPER_HEADER_LENGTH = "(async function (msg) {".length;

type Mode = "input" | "initialize" | "finalize";
const FILES: Record<Mode, string> = { input: "function.js", initialize: "initialize.js", finalize: "finalize.js" };
const PART_LABEL: Record<string, string> = { "function.js": "", "initialize.js": "On Start code: ", "finalize.js": "On Stop code: " };

/** "(line 3, col 5)" from a QuickJS stack such as "    at <anonymous> (function.js:3:5)". */
export function errorPosition(stack: string | undefined, file: string): string {
  if (!stack) return "";
  const m = new RegExp(`${file.replace(".", "\\.")}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!m) return "";
  const line = Number(m[1]);
  if (m[2] === undefined) return ` (line ${line})`;
  const col = line === 1 ? Math.max(1, Number(m[2]) - WRAPPER_HEADER_LENGTH) : Number(m[2]);
  return ` (line ${line}, col ${col})`;
}

function describeThrown(f: { name?: string; message?: string; stack?: string; thrown?: string }, file: string): string {
  if (f.thrown !== undefined) return f.thrown;
  return `${f.name || "Error"}: ${f.message ?? ""}${errorPosition(f.stack, file)}`;
}

function describeFailure(f: SandboxFailure, file: string, timeoutSeconds: number): string {
  const part = PART_LABEL[file] ?? "";
  switch (f.kind) {
    case "timeout":
      return `${part}function timed out after ${timeoutSeconds} s (infinite loop?); raise the node's timeout if it needs longer`;
    case "memory":
      return `${part}function used more than ${DEFAULT_SANDBOX_MEMORY_BYTES / (1024 * 1024)} MB of memory and was stopped`;
    case "crash":
      return `${part}the function sandbox failed (${f.message ?? "unknown reason"}); the next message runs in a new sandbox`;
    default:
      return `${part}${describeThrown(f, file)}`;
  }
}

/** env.get('NAME') calls with a literal name: only those values are handed to the sandbox. */
function referencedEnvNames(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/env\s*\.\s*get\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g)) names.add(m[2]);
  return [...names];
}

function typeName(value: unknown): string {
  if (Buffer.isBuffer(value)) return "Buffer";
  if (Array.isArray(value)) return "Array";
  return typeof value;
}

function toStatus(value: unknown): NodeStatus {
  if (value === null || typeof value !== "object") return {};
  const s = value as Record<string, unknown>;
  const out: NodeStatus = {};
  if (typeof s.fill === "string" && ["red", "green", "yellow", "blue", "grey"].includes(s.fill)) out.fill = s.fill as NodeStatus["fill"];
  if (s.shape === "dot" || s.shape === "ring") out.shape = s.shape;
  if (s.text !== undefined && s.text !== null) out.text = typeof s.text === "string" ? s.text : JSON.stringify(s.text);
  return out;
}

function errorText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const e = value as { name?: string; message?: string; thrown?: string };
    if (e.thrown !== undefined) return e.thrown;
    if (e.message !== undefined) return e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message;
  }
  return JSON.stringify(value) ?? String(value);
}

export const createFunctionNode: NodeFactory<FunctionConfig> = (rawConfig, services) => {
  const who = `Node '${services.name || services.id}' (function)`;
  const parsed = parseNodeConfig(functionConfigSchema, rawConfig, services, who);
  if (!parsed.ok) return {};
  const config = parsed.config;
  const timeoutSeconds = config.timeout > 0 ? config.timeout : DEFAULT_FUNCTION_TIMEOUT_SECONDS;
  const pool = sandboxPool();
  const sources = { input: config.func, initialize: config.initialize.trim(), finalize: config.finalize.trim() };
  const allCode = `${sources.input}\n${sources.initialize}\n${sources.finalize}`;

  const env: Record<string, string | undefined> = {
    NR_NODE_ID: services.id,
    NR_NODE_NAME: services.name,
    NR_FLOW_ID: services.flowId,
  };
  for (const name of referencedEnvNames(allCode)) if (!(name in env)) env[name] = services.env(name);
  const envJson = toSandboxJson(env);
  const nodeJson = toSandboxJson({ id: services.id, name: services.name, outputs: config.outputs });
  // Scopes the code can name; the others are passed empty (a snapshot costs a copy per message).
  const scopes: [keyof typeof services.context, ContextScope, boolean][] = [
    ["node", services.context.node, /\bcontext\b/.test(allCode)],
    ["flow", services.context.flow, /\bflow\b/.test(allCode)],
    ["global", services.context.global, /\bglobal\b/.test(allCode)],
  ];

  let broken = false;
  let closed = false;

  function contextSnapshot(): string {
    const snapshot: Record<string, Record<string, unknown>> = {};
    for (const [name, scope, used] of scopes) {
      const values: Record<string, unknown> = {};
      if (used) for (const key of scope.keys()) values[key] = scope.get(key);
      snapshot[name] = values;
    }
    const json = toSandboxJson(snapshot);
    if (json.length > MAX_CONTEXT_SNAPSHOT_BYTES) {
      throw new Error(
        `the node, flow and global context together are ${(json.length / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_CONTEXT_SNAPSHOT_BYTES / 1024 / 1024} MB a function can read; store less in context`,
      );
    }
    return json;
  }

  function deliver(value: unknown, msgId: () => string): void {
    if (value === null || value === undefined) return;
    const ports = Array.isArray(value) ? value : [value];
    const out: (Msg[] | null)[] = [];
    for (const entry of ports) {
      if (entry === null || entry === undefined) {
        out.push(null);
        continue;
      }
      const msgs: Msg[] = [];
      for (const m of Array.isArray(entry) ? entry : [entry]) {
        if (m === null || m === undefined) continue;
        if (typeof m !== "object" || Array.isArray(m) || Buffer.isBuffer(m)) {
          services.error(
            new Error(`function tried to send a message of type ${typeName(m)}: send message objects such as msg, or an array of them with one entry per output`),
          );
          continue;
        }
        (m as Msg)._msgid = msgId();
        msgs.push(m as Msg);
      }
      out.push(msgs.length > 0 ? msgs : null);
    }
    if (out.some((p) => p !== null)) services.send(out);
  }

  function replay(kind: string, json: string, msgId: () => string, original: Msg | undefined): void {
    const value = fromSandboxJson(json);
    switch (kind) {
      case "send":
        deliver(value, msgId);
        break;
      case "warn":
        services.warn(typeof value === "string" ? value : JSON.stringify(value));
        break;
      case "log":
        services.debug({ property: "node.log", value, level: "debug" });
        break;
      case "status":
        services.status(toStatus(value));
        break;
      case "error": {
        const { e, m } = value as { e: unknown; m: unknown };
        const msg = m && typeof m === "object" && !Array.isArray(m) ? ({ _msgid: original?._msgid ?? newMsgId(), ...(m as object) } as Msg) : undefined;
        services.error(new Error(errorText(e)), msg);
        break;
      }
      case "ctx": {
        const { s, k, v, d } = value as { s: keyof typeof services.context; k: string; v: unknown; d: boolean };
        services.context[s]?.set(k, d ? undefined : v);
        break;
      }
    }
  }

  async function invoke(mode: Mode, msg: Msg | undefined): Promise<void> {
    const file = FILES[mode];
    let input: string;
    try {
      const msgJson = toSandboxJson(msg ?? null);
      if (msgJson.length > MAX_MESSAGE_BYTES) {
        throw new Error(`it is ${(msgJson.length / 1024 / 1024).toFixed(1)} MB as JSON, more than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`);
      }
      input = `{"mode":"${mode}","msg":${msgJson},"context":${contextSnapshot()},"env":${envJson},"node":${nodeJson}}`;
    } catch (err) {
      services.error(new Error(`${PART_LABEL[file]}the message or context cannot be passed to the function: ${(err as Error).message}`), msg);
      return;
    }
    const outcome = await pool.run({
      file,
      code: sources[mode],
      input,
      timeoutMs: timeoutSeconds * 1000,
      memoryBytes: DEFAULT_SANDBOX_MEMORY_BYTES,
      stackBytes: DEFAULT_SANDBOX_STACK_BYTES,
    });
    const msgId = msg ? () => msg._msgid : newMsgId;
    for (const [kind, json] of outcome.events) {
      try {
        replay(kind, json, msgId, msg);
      } catch (err) {
        services.error(new Error(`${PART_LABEL[file]}${(err as Error).message}`), msg);
      }
    }
    if (outcome.failure) {
      services.error(new Error(describeFailure(outcome.failure, file, timeoutSeconds)), msg);
      return;
    }
    if (mode === "input" && outcome.result !== undefined) deliver(fromSandboxJson(outcome.result), msgId);
  }

  function reportSyntax(errors: SandboxCheckError[]): void {
    broken = true;
    for (const e of errors) {
      const part = PART_LABEL[e.file] ?? "";
      services.error(new Error(`${part}${describeThrown(e, e.file)}; fix the code and deploy again`));
    }
    const first = errors[0];
    const line = errorPosition(first.stack, first.file).match(/line (\d+)/)?.[1];
    services.status({ fill: "red", shape: "ring", text: line ? `syntax error, line ${line}` : "syntax error" });
  }

  async function prepare(): Promise<void> {
    const toCheck = (Object.keys(FILES) as Mode[])
      .filter((mode) => mode === "input" || sources[mode] !== "")
      .map((mode) => ({ file: FILES[mode], code: sources[mode] }));
    const errors = await pool.check(toCheck);
    if (errors.length > 0) return reportSyntax(errors);
    if (sources.initialize !== "" && !closed) await invoke("initialize", undefined);
  }

  // One message at a time, in order, after the code was checked (and On Start ran).
  let chain: Promise<void> = prepare().catch((err: unknown) => services.error(err));

  function enqueue(task: () => Promise<void>): Promise<void> {
    const next = chain.then(task);
    chain = next.catch((err: unknown) => services.error(err));
    return chain;
  }
  let waiting = 0;
  let droppedSinceReport = 0;

  return {
    input(msg) {
      if (waiting >= MAX_WAITING_MESSAGES) {
        // Report once per burst, not once per dropped message.
        if (droppedSinceReport++ === 0) {
          services.error(
            new Error(
              `${MAX_WAITING_MESSAGES} messages are already waiting for this function (its code is slower than its input): further messages are dropped until it catches up`,
            ),
            msg,
          );
        }
        return Promise.resolve();
      }
      waiting++;
      return enqueue(async () => {
        waiting--;
        if (waiting === 0 && droppedSinceReport > 0) {
          services.warn(`function: dropped ${droppedSinceReport} messages while ${MAX_WAITING_MESSAGES} were waiting`);
          droppedSinceReport = 0;
        }
        if (!closed && !broken) await invoke("input", msg);
      });
    },
    async close() {
      closed = true;
      await enqueue(async () => {
        if (!broken && sources.finalize !== "") await invoke("finalize", undefined);
      });
    },
  };
};

