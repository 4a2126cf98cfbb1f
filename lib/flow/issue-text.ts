/**
 * Turns zod issues into sentences a person can act on ("duration must be a number, got
 * \"abc\""). Shared by document parsing and per-node config validation. Pure.
 */
import type { z } from "zod";

type ZodIssue = z.core.$ZodIssue;

/** A value as it appears in a message: short, quoted like JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

/** `["rules", 0, "t"]` → `rules[0].t`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Reads the value at a zod issue path from the original input (before coercion). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
  bigint: "a whole number",
  date: "a date",
  null: "null",
};

/** zod's own default messages (which we rephrase) start like this; custom ones do not. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected|Required)/;

function unitOf(origin: string | undefined, n: number): string {
  if (origin === "string") return n === 1 ? " character" : " characters";
  if (origin === "array" || origin === "set") return n === 1 ? " item" : " items";
  return "";
}

/**
 * The problem part of a message, without the subject: "must be a number, got \"abc\"".
 * `value` is the original input at the issue's path. A message written by the schema's
 * author is kept: one starting with `subject` is returned whole (prefixed with "=" so
 * `sentence` does not repeat the subject).
 */
export function describeProblem(issue: ZodIssue, value: unknown, subject?: string | readonly string[]): string {
  const got = `, got ${describeValue(value)}`;
  if (!DEFAULT_MESSAGE.test(issue.message) && issue.code !== "invalid_union") {
    const msg = issue.message;
    const subjects = subject === undefined ? [] : typeof subject === "string" ? [subject] : subject;
    if (subjects.some((sub) => sub !== "" && msg.toLowerCase().startsWith(`${sub.toLowerCase()} `))) return `=${msg}`;
    return /^(must|is|should|cannot|can|needs|has|may)\b/.test(msg) ? msg : `: ${msg}`;
  }
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return `is missing (expected ${EXPECTED[issue.expected] ?? issue.expected})`;
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}${got}`;
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      return options.length === 1 ? `must be ${options[0]}${got}` : `must be one of ${options.join(", ")}${got}`;
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if ((issue.origin === "string" || issue.origin === "array") && min === 1) return "must not be empty";
      const op = issue.inclusive === false ? "more than" : "at least";
      return `must be ${op} ${min}${unitOf(issue.origin, min)}${got}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      const op = issue.inclusive === false ? "less than" : "at most";
      const len = issue.origin === "string" || issue.origin === "array" ? ` (has ${(value as { length?: number })?.length ?? "?"})` : got;
      return `must be ${op} ${max}${unitOf(issue.origin, max)}${len}`;
    }
    case "invalid_format":
      if (issue.format === "regex" && "pattern" in issue) return `must match ${String(issue.pattern)}${got}`;
      return `must be a valid ${issue.format}${got}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}${got}`;
    case "unrecognized_keys":
      return `has unexpected field(s) ${issue.keys.map((k) => `'${k}'`).join(", ")} (remove them)`;
    case "invalid_union":
      return `is not valid${got}`;
    default:
      return `is not valid (${issue.message})${got}`;
  }
}

/** Joins subject and problem: "duration" + "must be…" → "duration must be…"; ": x" → "duration: x". */
export function sentence(subject: string, problem: string): string {
  if (problem.startsWith("=")) return problem.slice(1);
  return problem.startsWith(":") ? `${subject}${problem}` : `${subject} ${problem}`;
}
