/**
 * JSONata for inject's `jsonata` value type, prepared like Node-RED's
 * RED.util.prepareJSONataExpression: `$flowContext(key)`, `$globalContext(key)` and `$env(name)`
 * are bound to the node's services, and `$millis()` / `$now()` read the node's clock (so a
 * fake clock in tests, and never Date.now() directly). Server side only.
 */
import jsonata from "jsonata";
import type { NodeServices } from "../../runtime/node-api";

export interface PreparedJsonata {
  /** Evaluates against `input` (the message being built); jsonata 2 is asynchronous. */
  evaluate(input: unknown): Promise<unknown>;
}

/** Node-RED context keys may name a store: "#:(file)::count" → "count" (Flowhouse has one store). */
export function contextKey(key: string): string {
  const m = /^#:\(([^)]*)\)::(.*)$/s.exec(key.trim());
  return (m ? m[2] : key).trim();
}

let fromMillisExpression: ReturnType<typeof jsonata> | undefined;

/** JSONata's own $fromMillis, used for $now(picture, timezone) on the node's clock. */
function formatMillis(ms: number, picture?: unknown, timezone?: unknown): Promise<unknown> {
  fromMillisExpression ??= jsonata("$fromMillis($ms, $picture, $timezone)");
  return fromMillisExpression.evaluate({}, { ms, picture, timezone });
}

/** Throws the parser's error (with its position) when the expression does not compile. */
export function prepareJsonata(
  expression: string,
  services: Pick<NodeServices, "clock" | "env" | "context">,
): PreparedJsonata {
  const compiled = jsonata(expression);
  return {
    evaluate(input) {
      // Bindings per evaluation: $millis/$now are the time of this evaluation.
      const now = services.clock.now();
      return compiled.evaluate(input, {
        flowContext: (key: string) => services.context.flow.get(contextKey(String(key))),
        globalContext: (key: string) => services.context.global.get(contextKey(String(key))),
        env: (name: string) => services.env(String(name)) ?? "",
        millis: () => now,
        now: (picture?: unknown, timezone?: unknown) => formatMillis(now, picture, timezone),
      });
    },
  };
}

/** A JSONata error as a sentence: "Unexpected end of expression (at character 3)". */
export function describeJsonataError(e: unknown): string {
  if (e !== null && typeof e === "object" && "message" in e) {
    const err = e as { message: unknown; position?: unknown };
    const where = typeof err.position === "number" ? ` (at character ${err.position})` : "";
    return `${String(err.message)}${where}`;
  }
  return String(e);
}
