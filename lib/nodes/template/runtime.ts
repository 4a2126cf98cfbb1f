/**
 * template at run time (Node-RED 80-template.js): mustache over the message, with
 * {{flow.x}}, {{global.y}} and {{env.Z}} looked up when the message has no such property.
 */
import Mustache from "mustache";
import type { NodeFactory, NodeServices } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { parsePropertyPath, setProperty } from "../shared/msg-property";
import { TEMPLATE_FIELD_TYPES, TEMPLATE_OUTPUTS, TEMPLATE_SYNTAXES, type TemplateConfig } from "./definition";

const CONTEXT_NAME = /^(flow|global)(\[(\w+)\])?\.(.+)/;
const ENV_NAME = /^env\.(.+)/;

/** Escapes message strings so a rendered JSON template stays parseable (Node-RED does the same). */
function escapeForJson(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t")
    .replace(/\r/g, "\\r")
    .replace(/\f/g, "\\f")
    .replace(/[\b]/g, "\\b");
}

/**
 * A mustache context that looks in the message first (and in section views pushed on top of
 * it), then in env / flow / global, and answers "" for anything else, like Node-RED.
 */
class NodeRedContext extends Mustache.Context {
  constructor(
    view: unknown,
    parent: Mustache.Context | undefined,
    private readonly services: NodeServices,
    private readonly escapeStrings: boolean,
  ) {
    super(view, parent);
  }

  override push(view: unknown): Mustache.Context {
    return new NodeRedContext(view, this, this.services, false);
  }

  override lookup(name: string): unknown {
    const value: unknown = super.lookup(name);
    if (value !== undefined) {
      return this.escapeStrings && typeof value === "string" ? escapeForJson(value) : value;
    }
    const env = ENV_NAME.exec(name);
    if (env) return this.services.env(env[1]);
    const ctx = CONTEXT_NAME.exec(name);
    if (ctx) return this.services.context[ctx[1] as "flow" | "global"].get(ctx[4]);
    return "";
  }
}

export const createTemplateNode: NodeFactory<TemplateConfig> = (config, services) => {
  const fieldType = config.fieldType || "msg";
  if (!(TEMPLATE_FIELD_TYPES as readonly string[]).includes(fieldType)) {
    throw new Error(`fieldType must be msg, flow or global, got ${JSON.stringify(fieldType)}`);
  }
  const syntax = config.syntax || "mustache";
  if (!(TEMPLATE_SYNTAXES as readonly string[]).includes(syntax)) {
    throw new Error(`syntax must be "mustache" or "plain", got ${JSON.stringify(syntax)}`);
  }
  const output = config.output || "str";
  if (output === "yaml") {
    throw new Error('output "yaml" (parsed YAML) is not supported yet; use "str" (plain text) or "json" (parsed JSON)');
  }
  if (!(TEMPLATE_OUTPUTS as readonly string[]).includes(output)) {
    throw new Error(`output must be "str" or "json", got ${JSON.stringify(output)}`);
  }
  const field = config.field || "payload";
  const path = fieldType === "msg" ? parsePropertyPath(field) : null;
  const configured = config.template ?? "";

  return {
    input(msg: Msg) {
      // Node-RED: msg.template is used only when the node's own template is empty.
      let template = configured;
      if (template === "" && Object.prototype.hasOwnProperty.call(msg, "template")) {
        template = typeof msg.template === "string" ? msg.template : String(msg.template ?? "");
      }
      let text: string;
      if (syntax === "mustache") {
        try {
          text = Mustache.render(template, new NodeRedContext(msg, undefined, services, output === "json"));
        } catch (e) {
          services.error(`the template does not parse: ${(e as Error).message}; check that every {{ has its }} and every {{#section}} its {{/section}}`, msg);
          return;
        }
      } else {
        text = template;
      }
      let value: unknown = text;
      if (output === "json") {
        try {
          value = JSON.parse(text);
        } catch (e) {
          const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
          services.error(`the result is not valid JSON (${(e as Error).message}): '${preview}'; fix the template or output it as text`, msg);
          return;
        }
      }
      if (path) setProperty(msg, path, value);
      else services.context[fieldType as "flow" | "global"].set(field, value);
      services.send(msg);
    },
  };
};
