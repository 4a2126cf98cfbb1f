/** status: receives the status changes of nodes in its flow as msg.status. */
import { defineNode } from "../types";
import { z } from "zod";
import { scopeLabel, scopeSchema } from "../shared/scope";

export const statusConfigSchema = z.object({ scope: scopeSchema }).loose();

export const statusDefinition = defineNode({
  type: "status",
  category: "common",
  paletteLabel: "status",
  color: "#94c1d0",
  inputs: 0,
  outputs: () => 1,
  config: statusConfigSchema,
  label: (c) => scopeLabel("status", c.scope),
  help: "Sends a message whenever a node of this flow (all, or the listed ids) changes its status: msg.status = {fill, shape, text, source: {id, type, name}}.",
});
