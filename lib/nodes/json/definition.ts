/**
 * json: converts a message property between a JSON string and an object, as Node-RED's
 * 70-JSON.js does. Field names and defaults are Node-RED's, so flows.json nodes import
 * unchanged. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";

export const JSON_ACTIONS = ["", "str", "obj"] as const;

function pathProblem(path: string): string | null {
  try {
    parsePropertyPath(path);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? e.message : String(e);
  }
}

export const jsonConfigSchema = z
  .object({
    property: z
      .preprocess((v) => (v === undefined || v === null || v === "" ? "payload" : v), z.string())
      .meta({ title: "Property", description: "The message property to convert, e.g. payload or payload.data." }),
    action: z
      .preprocess(
        (v) => (v === undefined || v === null ? "" : v),
        z.enum(JSON_ACTIONS, {
          error: (iss) =>
            `action must be "" (convert between a JSON string and an object), "str" (always a JSON string) or "obj" (always an object), got ${JSON.stringify(iss.input)}`,
        }),
      )
      .meta({
        title: "Action",
        description: "\"\": a JSON string becomes an object and an object becomes a JSON string. str: always a JSON string. obj: always an object.",
      }),
    pretty: z
      .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(false))
      .meta({ title: "Format JSON string", description: "Indent the JSON text (4 spaces) when converting to a string." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    const p = pathProblem(config.property);
    if (p) ctx.addIssue({ code: "custom", path: ["property"], message: `property: ${p}` });
  });

export type JsonConfig = z.output<typeof jsonConfigSchema>;

export const jsonDefinition = defineNode({
  type: "json",
  category: "function",
  paletteLabel: "json",
  color: "#DEBD5C",
  inputs: 1,
  outputs: () => 1,
  config: jsonConfigSchema,
  fields: {
    action: {},
    property: {},
    pretty: { showWhen: { field: "action", equals: ["", "str"] } },
  },
  label: () => "json",
  help: [
    "Converts a message property (msg.payload by default) between a JSON string and a JavaScript object.",
    "Action \"convert between\": a string is parsed into an object; an object, array, number or boolean becomes a JSON string. \"Always JSON string\" leaves strings alone; \"always object\" leaves objects alone.",
    "Text that is not valid JSON raises an error naming the reason (it can be caught with a catch node) and the message is not sent on. A missing property passes through unchanged; a Buffer is ignored with a warning.",
    "JSON schema validation with msg.schema is not supported yet: such messages pass without validation (you are warned once).",
  ].join("\n\n"),
});
