/**
 * comment: a note on the canvas (Node-RED 90-comment). No ports, no behaviour; `info` holds
 * the longer text (markdown in Node-RED). Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";

export const commentConfigSchema = z
  .object({
    info: z
      .preprocess((v) => (v === undefined || v === null ? "" : v), z.string())
      .meta({ title: "Text", description: "Notes shown in the node's help panel (markdown in Node-RED)." }),
  })
  .loose();

export type CommentConfig = z.output<typeof commentConfigSchema>;

export const commentDefinition = defineNode({
  type: "comment",
  category: "common",
  paletteLabel: "comment",
  color: "#ffffff",
  inputs: 0,
  outputs: () => 0,
  config: commentConfigSchema,
  fields: { info: { multiline: true } },
  label: () => "comment",
  help: "A note on the canvas, to explain a flow. Its name is shown on the canvas, the text in the help panel. It does nothing when the flow runs.",
});
