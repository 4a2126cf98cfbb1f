/** link out: sends to link in nodes (mode "link") or back to the calling link call ("return"). */
import { z } from "zod";
import { defineNode } from "../types";

export const linkOutConfigSchema = z
  .object({
    mode: z.enum(["link", "return"]).default("link").meta({
      title: "Mode",
      description: "link: send to the listed link in nodes; return: send back to the link call node that called this flow.",
    }),
    links: z.array(z.string()).default([]).meta({ title: "Links", description: "Ids of the link in nodes to send to." }),
  })
  .loose();

export type LinkOutConfig = z.output<typeof linkOutConfigSchema>;

export const linkOutDefinition = defineNode({
  type: "link out",
  category: "common",
  paletteLabel: "link out",
  color: "#dddddd",
  inputs: 1,
  outputs: () => 0,
  config: linkOutConfigSchema,
  fields: { links: { showWhen: { field: "mode", equals: ["link"] } } },
  label: (c) => (c.mode === "return" ? "link return" : "link out"),
  help: "Sends each message to the listed link in nodes, on any flow, without a wire. In return mode it sends the message back to the link call node that started this path.",
});
