/**
 * json at run time (Node-RED 70-JSON.js): toggles a property between JSON text and a value.
 * Invalid JSON is an error with the parser's reason and the message stops here.
 */
import type { NodeFactory } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import { getProperty, parsePropertyPath, setProperty } from "../shared/msg-property";
import { JSON_ACTIONS, type JsonConfig } from "./definition";

/** A short, single-line preview of text for error messages. */
export function previewText(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export const createJsonNode: NodeFactory<JsonConfig> = (config, services) => {
  const property = config.property || "payload";
  const path = parsePropertyPath(property);
  const action = config.action ?? "";
  if (!(JSON_ACTIONS as readonly string[]).includes(action)) {
    throw new Error(`action must be "", "str" or "obj", got ${JSON.stringify(action)}`);
  }
  const indent = config.pretty === true ? 4 : 0;
  const where = `msg.${property}`;
  let schemaWarned = false;

  return {
    input(msg: Msg) {
      if (msg.schema !== undefined && !schemaWarned) {
        schemaWarned = true;
        services.warn(
          "JSON schema validation (msg.schema) is not supported yet: messages pass without being validated. Remove msg.schema, or check the values with a switch or function node.",
        );
      }
      const value = getProperty(msg, path);
      if (value === undefined) {
        services.send(msg); // Node-RED: nothing to convert, pass it on.
        return;
      }
      if (typeof value === "string") {
        if (action === "str") {
          services.send(msg);
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch (e) {
          services.error(`${where} is not valid JSON (${(e as Error).message}): '${previewText(value)}'`, msg);
          return;
        }
        setProperty(msg, path, parsed);
        services.send(msg);
        return;
      }
      if (typeof value === "object" || typeof value === "boolean" || typeof value === "number") {
        if (action === "obj") {
          services.send(msg);
          return;
        }
        if (Buffer.isBuffer(value)) {
          services.warn(
            `Ignored non-object payload: ${where} is a Buffer; turn it into text first (e.g. mqtt in with output "a UTF-8 string").`,
          );
          return;
        }
        let text: string;
        try {
          text = JSON.stringify(value, null, indent);
        } catch (e) {
          services.error(`Failed to convert ${where} to JSON: ${(e as Error).message}`, msg);
          return;
        }
        setProperty(msg, path, text);
        services.send(msg);
        return;
      }
      services.warn(`Ignored unsupported payload type: ${where} is a ${typeof value}; only strings, objects, arrays, numbers and booleans convert.`);
    },
  };
};
