/**
 * template: fills a mustache template from the message (and flow/global context, env) and
 * writes the result into a message property or a context variable, as Node-RED's
 * 80-template.js does. Field names and defaults are Node-RED's. Pure and browser-safe.
 */
import { z } from "zod";
import { defineNode } from "../types";
import { parsePropertyPath, PropertyPathError } from "../shared/msg-property";

export const TEMPLATE_FIELD_TYPES = ["msg", "flow", "global"] as const;
export const TEMPLATE_SYNTAXES = ["mustache", "plain"] as const;
export const TEMPLATE_OUTPUTS = ["str", "json", "yaml"] as const;
/** Editor highlighting modes Node-RED offers; they do not change what is produced. */
export const TEMPLATE_FORMATS = ["handlebars", "html", "json", "javascript", "css", "markdown", "python", "sql", "yaml", "text"] as const;

function pathProblem(path: string): string | null {
  try {
    parsePropertyPath(path);
    return null;
  } catch (e) {
    return e instanceof PropertyPathError ? e.message : String(e);
  }
}

/** Node-RED writes "" for unset selects; blank means the default. */
const withDefault = (value: string) => (v: unknown) => (v === undefined || v === null || v === "" ? value : v);

export const templateConfigSchema = z
  .object({
    field: z
      .preprocess(withDefault("payload"), z.string())
      .meta({ title: "Set property", description: "Where the result goes: a message property (payload), or a flow/global context variable." }),
    fieldType: z
      .preprocess(
        withDefault("msg"),
        z.enum(TEMPLATE_FIELD_TYPES, {
          error: (iss) => `fieldType must be msg, flow or global, got ${JSON.stringify(iss.input)}`,
        }),
      )
      .meta({ title: "Set property: type", description: "msg, flow or global." }),
    format: z
      .preprocess(withDefault("handlebars"), z.string())
      .meta({ title: "Format", description: "Syntax highlighting in the editor only (Node-RED's 'format'); it does not change the result." }),
    syntax: z
      .preprocess(
        withDefault("mustache"),
        z.enum(TEMPLATE_SYNTAXES, {
          error: (iss) => `syntax must be "mustache" or "plain", got ${JSON.stringify(iss.input)}`,
        }),
      )
      .meta({ title: "Syntax", description: "mustache: {{payload}} is replaced. plain: the text is used as it is." }),
    template: z
      .preprocess((v) => (v === undefined || v === null ? "This is the payload: {{payload}} !" : v), z.string())
      .meta({ title: "Template", description: "Text with {{placeholders}}: {{payload}}, {{topic}}, {{payload.temp}}, {{flow.x}}, {{global.y}}, {{env.NAME}}." }),
    output: z
      .preprocess(
        withDefault("str"),
        z.enum(TEMPLATE_OUTPUTS, {
          error: (iss) => `output must be "str" (plain text) or "json" (parsed JSON), got ${JSON.stringify(iss.input)}`,
        }),
      )
      .meta({ title: "Output as", description: "str: the text. json: the text parsed as JSON (an object)." }),
  })
  .loose()
  .superRefine((config, ctx) => {
    const p = pathProblem(config.field);
    if (p) ctx.addIssue({ code: "custom", path: ["field"], message: `set property: ${p}` });
    if (config.output === "yaml") {
      ctx.addIssue({
        code: "custom",
        path: ["output"],
        message: 'output "yaml" (parsed YAML) is not supported yet; use "str" (plain text) or "json" (parsed JSON)',
      });
    }
  });

export type TemplateConfig = z.output<typeof templateConfigSchema>;

export const templateDefinition = defineNode({
  type: "template",
  category: "function",
  paletteLabel: "template",
  color: "rgb(243, 181, 103)",
  inputs: 1,
  outputs: () => 1,
  config: templateConfigSchema,
  fields: {
    field: { typeField: "fieldType", types: TEMPLATE_FIELD_TYPES },
    fieldType: { hidden: true },
    format: {},
    template: { multiline: true },
    syntax: {},
    output: {},
  },
  label: () => "template",
  help: [
    "Sets a property from a template. With mustache syntax, {{payload}}, {{topic}} or {{payload.temp}} are replaced by message values; {{flow.name}} and {{global.name}} by context variables; {{env.NAME}} by an environment variable. Sections ({{#payload.on}}…{{/payload.on}}) and inverted sections work as in mustache.",
    "{{x}} escapes HTML characters (& < > \" '); use {{{x}}} for the raw text. A value that is missing becomes empty text.",
    "Output as parsed JSON parses the result (strings from the message are escaped so they stay valid JSON). The result goes into a message property (msg.payload by default) or a flow/global context variable.",
    "When the template is empty, msg.template is used instead. Plain text syntax uses the template as it is.",
  ].join("\n\n"),
});
