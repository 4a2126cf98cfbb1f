/** link call: calls a link in node's flow and waits for a link out in return mode to answer. */
import { z } from "zod";
import { defineNode } from "../types";

export const linkCallConfigSchema = z
  .object({
    links: z.array(z.string()).default([]).meta({ title: "Target", description: "The id of the link in node to call." }),
    linkType: z
      .literal("static", { message: "linkType 'dynamic' (target from msg.target) is not supported yet: choose a fixed target" })
      .default("static")
      .meta({ title: "Target type" }),
    timeout: z
      .preprocess((v) => (v === "" || v === undefined ? 30 : typeof v === "string" ? Number(v) : v), z.number().positive("timeout must be a positive number of seconds"))
      .meta({ title: "Timeout", description: "Seconds to wait for the answer before reporting an error." }),
  })
  .loose()
  .superRefine((c, ctx) => {
    if (c.links.length !== 1) ctx.addIssue({ code: "custom", path: ["links"], message: "links must name exactly one link in node to call" });
  });

export type LinkCallConfig = z.output<typeof linkCallConfigSchema>;

export const linkCallDefinition = defineNode({
  type: "link call",
  category: "common",
  paletteLabel: "link call",
  color: "#dddddd",
  inputs: 1,
  outputs: () => 1,
  config: linkCallConfigSchema,
  fields: { timeout: { unit: "s" } },
  label: () => "link call",
  help: "Sends the message to a link in node and waits until a link out node in return mode sends it back; then sends it on. Like calling a function made of nodes.",
});
