import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import { rangeDefinition, type RangeConfig } from "./definition";
import { createRangeNode } from "./runtime";

const base = { minin: "0", maxin: "10", minout: "0", maxout: "100" };
const cfg = (fields: Record<string, unknown> = {}): RangeConfig => rangeDefinition.config.parse({ ...base, ...fields });

async function map(fields: Record<string, unknown>, payloads: unknown[]) {
  const h = runNode(createRangeNode, cfg(fields));
  for (const payload of payloads) await h.input({ payload });
  return h.port(0).map((m) => m.payload);
}

describe("range definition", () => {
  it("fills Node-RED's defaults and keeps the bounds as Node-RED's strings", () => {
    expect(cfg()).toEqual({ ...base, action: "scale", round: false, property: "payload" });
    expect(rangeDefinition.config.parse({ minin: 0, maxin: 1023, minout: 0, maxout: 100 })).toMatchObject({ minin: "0", maxin: "1023" });
  });

  it("refuses missing or non-numeric bounds, naming the field", () => {
    const r = rangeDefinition.config.safeParse({ minin: "", maxin: "abc", minout: "0", maxout: "1" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      "input from (minin) must be a number, got ''",
      "input to (maxin) must be a number, got 'abc'",
    ]);
  });

  it("refuses an empty input range and an unknown action", () => {
    expect(rangeDefinition.config.safeParse({ ...base, maxin: "0" }).error?.issues[0].message).toMatch(/input range is empty/);
    expect(rangeDefinition.config.safeParse({ ...base, action: "wrap" }).error?.issues[0].message).toMatch(
      /action must be scale, clamp, roll or drop, got "wrap"/,
    );
  });

  it("refuses to start with bounds that are not numbers", () => {
    expect(() => runNode(createRangeNode, { ...cfg(), minout: "x" })).toThrow(/minout must be a number, got 'x'/);
    expect(() => runNode(createRangeNode, { ...cfg(), maxin: "0" })).toThrow(/input range is empty/);
  });
});

describe("range actions", () => {
  it("scale maps linearly, also beyond the ends", async () => {
    expect(await map({}, [0, 5, 10, 15, -1])).toEqual([0, 50, 100, 150, -10]);
  });

  it("maps a sensor's 0–1023 to 0–100 % with rounding", async () => {
    expect(await map({ maxin: "1023", round: true }, [0, 512, 1023])).toEqual([0, 50, 100]);
  });

  it("maps onto a reversed target range", async () => {
    expect(await map({ minout: "100", maxout: "0" }, [0, 2.5, 10])).toEqual([100, 75, 0]);
  });

  it("clamp limits the value to the input range first", async () => {
    expect(await map({ action: "clamp" }, [-5, 5, 15])).toEqual([0, 50, 100]);
  });

  it("roll wraps the value around inside the input range", async () => {
    expect(await map({ action: "roll", maxin: "360", maxout: "360" }, [370, -10, 720, 90])).toEqual([10, 350, 0, 90]);
  });

  it("drop drops values outside the input range", async () => {
    expect(await map({ action: "drop" }, [-1, 0, 5, 10, 11])).toEqual([0, 50, 100]);
  });

  it("accepts numeric text", async () => {
    expect(await map({}, ["5", " 2.5 "])).toEqual([50, 25]);
  });

  it("works on another property and passes messages without it", async () => {
    const h = runNode(createRangeNode, cfg({ property: "payload.raw" }));
    await h.input({ payload: { raw: 1, unit: "V" } });
    await h.input({ payload: { other: 1 } });
    expect(h.port(0).map((m) => m.payload)).toEqual([{ raw: 10, unit: "V" }, { other: 1 }]);
  });
});

describe("range: wrong payload types", () => {
  it("text, booleans, null, arrays and objects are errors and the message is dropped", async () => {
    const h = runNode(createRangeNode, cfg());
    for (const payload of ["abc", "", true, null, [5], { v: 5 }, Number.NaN]) await h.input({ payload });
    expect(h.sent).toEqual([]);
    expect(h.errors.map((e) => String(e.error))).toEqual([
      "Not a number: msg.payload is 'abc'; send a number or numeric text",
      "Not a number: msg.payload is ''; send a number or numeric text",
      "Not a number: msg.payload is boolean true; send a number or numeric text",
      "Not a number: msg.payload is null; send a number or numeric text",
      "Not a number: msg.payload is an array; send a number or numeric text",
      "Not a number: msg.payload is an object; send a number or numeric text",
      "Not a number: msg.payload is number NaN; send a number or numeric text",
    ]);
    expect(h.errors[0].msg?.payload).toBe("abc");
  });
});

describe("range: Node-RED import/export", () => {
  it("a Node-RED range node round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      {
        id: "r1", type: "range", z: "t1", minin: "0", maxin: "1023", minout: "0", maxout: "100", action: "clamp", round: true,
        property: "payload", name: "to percent", x: 310, y: 140, wires: [[]],
      },
    ];
    const lookup = (type: string) => (type === "range" ? rangeDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "r1")).toEqual(flows[1]);
  });
});
