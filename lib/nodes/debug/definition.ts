/**
 * debug: shows messages (or one property of them) in the debug sidebar, optionally on the
 * server console and as a status badge under the node. Node-RED's fields (21-debug.html).
 * Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";

const flag = (defaultValue: boolean) =>
  z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(defaultValue));

export const debugConfigSchema = z
  .object({
    active: flag(true).meta({ title: "Active", description: "Off: the node shows nothing in the sidebar." }),
    tosidebar: flag(true).meta({ title: "To debug sidebar", description: "Show each message in the debug sidebar." }),
    console: flag(false).meta({ title: "To server console", description: "Also write each value to the server's log." }),
    tostatus: flag(false).meta({ title: "Node status", description: "Show the value (or a count) as the badge under the node." }),
    // Node-RED stores "false" (msg.payload), "true" (whole message) or a property path;
    // very old flows have the booleans.
    complete: z
      .preprocess((v) => (typeof v === "boolean" ? String(v) : v), z.string().default("false"))
      .meta({
        title: "Output",
        description: "The property to show (e.g. payload, payload.temperature); \"true\" shows the whole message.",
      }),
    targetType: z
      .string()
      .optional()
      .meta({ title: "Output: type", description: "msg: a property of the message; full: the whole message." }),
    statusVal: z.string().default("").meta({
      title: "Status value",
      description: "The message property shown in the badge when the status type is msg.",
    }),
    statusType: z.string().default("auto").meta({
      title: "Status type",
      description: "auto: the same value as the output; msg: the property above; counter: the number of messages.",
    }),
  })
  .loose();

export type DebugConfig = z.output<typeof debugConfigSchema>;

/** True when the whole message is shown. */
export function showsWholeMessage(config: DebugConfig): boolean {
  return config.targetType === "full" || config.complete === "true";
}

export function debugLabel(config: DebugConfig): string {
  const suffix = config.console ? " ⇲" : "";
  if (config.targetType === "jsonata") return `JSONata${suffix}`;
  if (showsWholeMessage(config)) return `msg${suffix}`;
  const property = !config.complete || config.complete === "false" ? "payload" : config.complete.replace(/^msg\./, "");
  return `msg.${property}${suffix}`;
}

export const debugDefinition = defineNode({
  type: "debug",
  category: "common",
  paletteLabel: "debug",
  color: "#87a980",
  inputs: 1,
  outputs: () => 0,
  config: debugConfigSchema,
  fields: {
    complete: { typeField: "targetType", types: ["msg", "full"] },
    targetType: { hidden: true },
    tosidebar: {},
    console: {},
    tostatus: {},
    statusVal: { typeField: "statusType", types: ["auto", "msg", "counter"], showWhen: { field: "tostatus", equals: [true] } },
    statusType: { hidden: true },
    active: {},
  },
  label: debugLabel,
  help: [
    "Shows each message that reaches it in the debug sidebar, with the node, the time and the topic: by default msg.payload, or a property you name, or the whole message.",
    "Large values are shortened for display (strings after 10,000 characters, buffers after 1,000 bytes, 1,000 items or keys per level, 10 levels deep); circular references show as [Circular].",
    "Optionally writes the value to the server console, and shows it — or a running count of messages — as the badge under the node. Turn \"Active\" off to silence the node without unwiring it.",
  ].join("\n\n"),
});
