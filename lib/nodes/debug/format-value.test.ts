import { describe, expect, it } from "vitest";
import { CIRCULAR, formatDebugValue } from "./format-value";

/** The value survives a JSON round trip unchanged: it is JSON-safe. */
function jsonSafe(v: unknown): boolean {
  return JSON.stringify(JSON.parse(JSON.stringify(v))) === JSON.stringify(v);
}

describe("formatDebugValue", () => {
  it("keeps plain JSON values as they are", () => {
    const v = { a: 1, b: "x", c: [true, null, { d: 2.5 }] };
    expect(formatDebugValue(v)).toEqual(v);
    expect(formatDebugValue("hello")).toBe("hello");
    expect(formatDebugValue(42)).toBe(42);
    expect(formatDebugValue(null)).toBe(null);
  });

  it("shows a Buffer as its length and first 1000 bytes", () => {
    const big = Buffer.alloc(5000, 7);
    const out = formatDebugValue(big) as { type: string; length: number; data: number[] };
    expect(out.type).toBe("Buffer");
    expect(out.length).toBe(5000);
    expect(out.data).toHaveLength(1000);
    expect(out.data[0]).toBe(7);
    expect(formatDebugValue(Buffer.from("hi"))).toEqual({ type: "Buffer", length: 2, data: [104, 105] });
  });

  it("cuts strings longer than 10,000 characters with a note", () => {
    const out = formatDebugValue("x".repeat(12_345)) as string;
    expect(out.startsWith("x".repeat(10_000))).toBe(true);
    expect(out.endsWith("… [2345 more characters]")).toBe(true);
    expect(formatDebugValue("y".repeat(10_000))).toBe("y".repeat(10_000));
  });

  it("keeps the first 1000 items of a long array and says how many are left out", () => {
    const out = formatDebugValue(Array.from({ length: 1500 }, (_, i) => i)) as unknown[];
    expect(out).toHaveLength(1001);
    expect(out[999]).toBe(999);
    expect(out[1000]).toBe("[… 500 more items]");
  });

  it("keeps the first 1000 keys of a wide object and says how many are left out", () => {
    const wide = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`k${i}`, i]));
    const out = formatDebugValue(wide) as Record<string, unknown>;
    expect(Object.keys(out)).toHaveLength(1001);
    expect(out.k999).toBe(999);
    expect(out["…"]).toBe("[200 more keys]");
  });

  it("replaces values nested deeper than 10 levels with a marker", () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 15; i++) deep = { next: deep };
    let out = formatDebugValue(deep) as Record<string, unknown>;
    let levels = 0;
    while (typeof out === "object" && out !== null) {
      out = out.next as Record<string, unknown>;
      levels++;
    }
    expect(levels).toBe(10);
    expect(out).toBe("[Object]");
    expect(formatDebugValue([[[1, 2]]], { maxDepth: 2 })).toEqual([["[Array(2)]"]]);
  });

  it("turns circular references into [Circular] but shows shared values twice", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(formatDebugValue(a)).toEqual({ name: "a", self: CIRCULAR });
    const shared = { v: 1 };
    expect(formatDebugValue({ x: shared, y: shared })).toEqual({ x: { v: 1 }, y: { v: 1 } });
  });

  it("makes values JSON cannot carry visible", () => {
    const out = formatDebugValue({
      u: undefined,
      n: NaN,
      inf: -Infinity,
      big: 10n,
      fn: function lamp() {},
      when: new Date(Date.UTC(2026, 0, 1)),
      re: /a+/g,
      map: new Map([["k", 1]]),
      set: new Set([1, 2]),
    });
    expect(out).toEqual({
      u: "[undefined]",
      n: "NaN",
      inf: "-Infinity",
      big: "10n",
      fn: "[Function: lamp]",
      when: "2026-01-01T00:00:00.000Z",
      re: "/a+/g",
      map: { type: "Map", size: 1, entries: [["k", 1]] },
      set: { type: "Set", size: 2, values: [1, 2] },
    });
    expect(formatDebugValue(undefined)).toBe("[undefined]");
    expect(jsonSafe(out)).toBe(true);
  });

  it("shows errors with name, message and their own fields", () => {
    const err = Object.assign(new Error("broker unreachable"), { code: "ECONNREFUSED" });
    const out = formatDebugValue(err) as Record<string, unknown>;
    expect(out).toMatchObject({ name: "Error", message: "broker unreachable", code: "ECONNREFUSED" });
    expect(typeof out.stack).toBe("string");
  });

  it("stays small for a value that is both wide and deep", () => {
    // Each level holds the same child 50 times: cheap to build, 50^5 ≈ 312 million leaves to show.
    let value: unknown = "leaf";
    for (let d = 0; d < 5; d++) {
      const child = value;
      value = Array.from({ length: 50 }, () => child);
    }
    const out = formatDebugValue(value);
    expect(JSON.stringify(out).length).toBeLessThan(500_000);
    expect(JSON.stringify(out)).toContain("[…]");
  });

  it("survives properties whose getter throws", () => {
    const tricky = {
      ok: 1,
      get bad(): number {
        throw new Error("no access");
      },
    };
    expect(formatDebugValue(tricky)).toEqual({ ok: 1, bad: "[unreadable: no access]" });
  });

  it("uses toJSON when a class provides it", () => {
    class Money {
      constructor(private readonly cents: number) {}
      toJSON() {
        return `${(this.cents / 100).toFixed(2)} EUR`;
      }
    }
    expect(formatDebugValue({ price: new Money(1234) })).toEqual({ price: "12.34 EUR" });
  });
});
