/**
 * Form hints the editor adds for Node-RED's rule lists when a definition does not give its
 * own (a definition's `fields` always win). Node-RED stores rule values as pairs
 * (`to`/`tot`, `v`/`vt`) whose type fields are plain strings in our schemas, so the offered
 * types and when a field matters are written down here, keyed by node type.
 */
import type { FieldHint } from "../../../lib/nodes/types";

const SWITCH_VALUE_OPERATORS = ["eq", "neq", "lt", "lte", "gt", "gte", "btwn", "cont", "regex", "istype", "hask", "head", "tail", "index", "jsonata_exp"];

export const CONVENTIONAL_HINTS: Readonly<Record<string, Readonly<Record<string, FieldHint>>>> = {
  change: {
    "rules[].t": {},
    "rules[].p": { typeField: "pt", types: ["msg"] },
    "rules[].from": { typeField: "fromt", types: ["str", "re", "num", "bool", "msg", "env"], showWhen: { field: "t", equals: ["change"] } },
    "rules[].to": {
      typeField: "tot",
      types: ["str", "num", "bool", "json", "bin", "date", "msg", "env"],
      showWhen: { field: "t", equals: ["set", "change", "move"] },
    },
    "rules[].dc": { showWhen: { field: "t", equals: ["set"] } },
  },
  switch: {
    "rules[].t": {},
    "rules[].v": { typeField: "vt", types: ["str", "num", "bool", "msg", "env", "prev"], showWhen: { field: "t", equals: SWITCH_VALUE_OPERATORS } },
    "rules[].v2": { typeField: "v2t", types: ["num", "str", "msg", "env", "prev"], showWhen: { field: "t", equals: ["btwn"] } },
    "rules[].case": { showWhen: { field: "t", equals: ["regex"] } },
  },
};

/** The definition's hints over the editor's conventional ones. */
export function hintsFor(type: string, own: Readonly<Record<string, FieldHint>> | undefined): Record<string, FieldHint> {
  return { ...(CONVENTIONAL_HINTS[type] ?? {}), ...(own ?? {}) };
}
