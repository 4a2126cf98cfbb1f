/**
 * function: user JavaScript run on every message, with Node-RED's fields (`func`, `outputs`,
 * `timeout`, `initialize`, `finalize`, `libs`, `noerr`) so imported flows keep working.
 * Unlike Node-RED, the code runs in a QuickJS sandbox in a worker thread with time and memory
 * limits (see runtime.ts). Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";

/** Longest time limit a node may ask for: a worker is busy for that long. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 300;
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 1;
export const MAX_FUNCTION_OUTPUTS = 100;

/** Node-RED stores numbers, but hand-written or older flows carry "2" or "". */
const numberish = (fallback: number) =>
  z.preprocess((v) => (v === "" || v === null || v === undefined ? fallback : typeof v === "string" ? Number(v) : v), z.number());

export const functionConfigSchema = z
  .object({
    func: z
      .string()
      .default("\nreturn msg;")
      .meta({
        title: "On Message",
        description: "The body of function (msg) { … }: return msg (or an array, one entry per output), or null to send nothing.",
      }),
    outputs: numberish(1)
      .pipe(
        z
          .number()
          .int({ error: (iss) => `outputs must be a whole number, got ${JSON.stringify(iss.input)}` })
          .min(0, { error: (iss) => `outputs must be 0 or more, got ${JSON.stringify(iss.input)}` })
          .max(MAX_FUNCTION_OUTPUTS, { error: (iss) => `outputs must be at most ${MAX_FUNCTION_OUTPUTS}, got ${JSON.stringify(iss.input)}` }),
      )
      .default(1)
      .meta({ title: "Outputs", description: "Number of output ports." }),
    timeout: numberish(0)
      .pipe(
        z
          .number({ error: (iss) => `timeout must be a number of seconds, got ${JSON.stringify(iss.input)}` })
          .min(0, { error: (iss) => `timeout must be 0 (default: ${DEFAULT_FUNCTION_TIMEOUT_SECONDS} s) or a positive number of seconds, got ${JSON.stringify(iss.input)}` })
          .max(MAX_FUNCTION_TIMEOUT_SECONDS, {
            error: (iss) => `timeout must be at most ${MAX_FUNCTION_TIMEOUT_SECONDS} seconds, got ${JSON.stringify(iss.input)}`,
          }),
      )
      .default(0)
      .meta({ title: "Timeout", description: `Seconds one message may run; 0 means ${DEFAULT_FUNCTION_TIMEOUT_SECONDS} s.` }),
    initialize: z
      .string()
      .default("")
      .meta({ title: "On Start", description: "Code run once when the node starts (same API, no msg)." }),
    finalize: z
      .string()
      .default("")
      .meta({ title: "On Stop", description: "Code run once when the node stops (redeploy, shutdown); node.send is not available." }),
    libs: z
      .array(z.unknown())
      .default([])
      .meta({ title: "Modules", description: "Not supported: the sandbox cannot load modules." }),
    // Node-RED's editor stores how many syntax errors it saw; kept for round trips.
    noerr: z.number().optional(),
  })
  .loose()
  .superRefine((config, ctx) => {
    if (config.libs.length > 0) {
      const names = config.libs
        .map((l) => (l && typeof l === "object" && typeof (l as { module?: unknown }).module === "string" ? (l as { module: string }).module : "?"))
        .join(", ");
      ctx.addIssue({
        code: "custom",
        path: ["libs"],
        message: `function libs are not supported (modules: ${names}): the sandbox cannot load modules; remove them from the node's Setup tab`,
      });
    }
  });

export type FunctionConfig = z.output<typeof functionConfigSchema>;

export const functionDefinition = defineNode({
  type: "function",
  category: "function",
  paletteLabel: "function",
  color: "#fdd0a2",
  inputs: 1,
  outputs: (config) => config.outputs,
  config: functionConfigSchema,
  fields: {
    func: { multiline: true },
    outputs: {},
    timeout: { unit: "s" },
    initialize: { multiline: true },
    finalize: { multiline: true },
    libs: { hidden: true },
    noerr: { hidden: true },
  },
  label: () => "function",
  help: [
    "Runs your JavaScript on every message, like Node-RED's function node. The code is the body of function (msg) { … }: change msg and return it, return an array with one entry per output (an entry may itself be an array of messages, or null for none), or return null to send nothing. await works.",
    "Available: node.send(msg or array), node.warn, node.error(err, msg), node.log, node.status({fill, shape, text}), node.id, node.name; context, flow and global with get(key) / set(key, value) / keys(); env.get('NAME'); RED.util.cloneMessage, getMessageProperty, setMessageProperty; console.log.",
    "The code runs in an isolated sandbox (QuickJS in a worker thread), not in the server: no require, no import, no process, no file or network access. Each message may run for the node's timeout (default 1 s) and use up to 32 MB; an endless loop or a memory bomb stops with an error on this node and the next message runs normally.",
    "Differences from Node-RED: a message runs in a fresh sandbox, so variables do not survive between messages (use context). The function ends when its code returns: setTimeout, setInterval and sends after return are not available (use a delay or trigger node). Messages are copied in and out as JSON: a Buffer appears as {type: 'Buffer', data: [bytes]} with toString() and length, a Date becomes an ISO string. env.get works with a literal name (env.get('HOME_ID')). Modules (libs) are not supported.",
  ].join("\n\n"),
});
