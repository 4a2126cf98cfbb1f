/** The `outputs` field of nodes with an optional second output (trigger, delay). Pure. */
import { z } from "zod";

/** Node-RED stores it as a number or a numeric string; 1 or 2, default 1. */
export function oneOrTwoOutputs(description: string) {
  return z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
      z
        .number({ error: (issue) => `outputs must be 1 or 2, got '${String(issue.input)}'` })
        .int("outputs must be 1 or 2")
        .min(1, "outputs must be 1 or 2")
        .max(2, "outputs must be 1 or 2")
        .default(1),
    )
    .meta({ title: "Outputs", description });
}
