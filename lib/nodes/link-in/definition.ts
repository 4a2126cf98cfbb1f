/** link in: the receiving end of link out / link call, across flows, without a wire. */
import { z } from "zod";
import { defineNode } from "../types";

export const linkInConfigSchema = z
  .object({
    links: z.array(z.string()).default([]).meta({ title: "Links", description: "Ids of the link out nodes that send here (kept for Node-RED)." }),
  })
  .loose();

export const linkInDefinition = defineNode({
  type: "link in",
  category: "common",
  paletteLabel: "link in",
  color: "#dddddd",
  inputs: 0,
  outputs: () => 1,
  config: linkInConfigSchema,
  label: () => "link in",
  help: "Receives the messages of the link out and link call nodes that name it, and sends them on.",
});
