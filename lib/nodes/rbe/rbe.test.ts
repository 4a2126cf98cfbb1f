import { describe, expect, it } from "vitest";
import { fromNodeRed, toNodeRed } from "../../flow/node-red";
import { runNode } from "../test-harness";
import { rbeDefinition, type RbeConfig } from "./definition";
import { createRbeNode } from "./runtime";
import { decodeTopicKey, encodeTopicKey } from "./topic-key";

function cfg(fields: Record<string, unknown> = {}): RbeConfig {
  return rbeDefinition.config.parse(fields);
}

function filter(fields: Record<string, unknown> = {}) {
  return runNode(createRbeNode, cfg(fields));
}

type Input = Record<string, unknown>;
async function feed(h: ReturnType<typeof filter>, msgs: Input[]): Promise<void> {
  for (const m of msgs) await h.input(m);
}
const payloads = (msgs: { payload?: unknown }[]) => msgs.map((m) => m.payload);

describe("filter (rbe) definition", () => {
  it("fills Node-RED's defaults", () => {
    expect(cfg()).toMatchObject({ func: "rbe", gap: "", start: "", inout: "out", septopics: true, property: "payload", topi: "topic" });
    expect(cfg({ func: "", gap: 10, start: 5, septopics: "false", custom: "kept" })).toMatchObject({
      func: "rbe",
      gap: "10",
      start: "5",
      septopics: false,
      custom: "kept",
    });
  });

  it("explains a gap or a start value that is not a number", () => {
    const messages = (fields: Record<string, unknown>) =>
      rbeDefinition.config.safeParse(fields).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ gap: "ten" })).toEqual(["value change must be a number or a percentage such as 10 or 5%, got 'ten'"]);
    expect(messages({ gap: "-5" })).toEqual(["value change must be a number or a percentage such as 10 or 5%, got '-5'"]);
    expect(messages({ start: "cold" })).toEqual(["start value must be a number or blank (use the first value received), got 'cold'"]);
    expect(messages({ func: "sometimes" })[0]).toContain("rbe");
    expect(messages({ gap: "10%", start: "-2.5" })).toEqual([]);
  });

  it("labels the node like Node-RED", () => {
    expect(rbeDefinition.label(cfg())).toBe("filter");
    expect(rbeDefinition.label(cfg({ func: "rbei" }))).toBe("filter");
    expect(rbeDefinition.label(cfg({ func: "deadbandEq" }))).toBe("deadband");
    expect(rbeDefinition.label(cfg({ func: "narrowband" }))).toBe("narrowband");
    expect(rbeDefinition.paletteLabel).toBe("filter");
  });

  it("round-trips a Node-RED export of a filter node unchanged", () => {
    const exported = [
      { id: "t1", type: "tab", label: "Climate", disabled: false, info: "", env: [] },
      {
        id: "f1",
        type: "rbe",
        z: "t1",
        name: "Report temperature changes",
        func: "deadband",
        gap: "0.5",
        start: "",
        inout: "out",
        septopics: true,
        property: "payload",
        topi: "topic",
        x: 400,
        y: 120,
        wires: [[]],
      },
    ];
    const { document, issues } = fromNodeRed(exported);
    expect(issues).toEqual([]);
    expect(rbeDefinition.config.parse(document.flows[0].nodes[0].config)).toMatchObject({ func: "deadband", gap: "0.5" });
    const byId = (list: readonly { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(toNodeRed(document))).toEqual(byId(exported));
  });
});

describe("filter: block unless value changes", () => {
  it("passes strings, numbers, booleans and objects only when they change (objects compared deeply)", async () => {
    const h = filter();
    await feed(h, [
      { payload: "a" },
      { payload: "a" },
      { payload: "a" },
      { payload: 2 },
      { payload: 2 },
      { payload: { b: 1, c: 2 } },
      { payload: { c: 2, b: 1 } },
      { payload: { c: 2, b: 1 } },
      { payload: true },
      { payload: false },
      { payload: false },
      { payload: true },
    ]);
    expect(payloads(h.sent.map((s) => s.msg))).toEqual(["a", 2, { b: 1, c: 2 }, true, false, true]);
  });

  it("keeps one last value per topic", async () => {
    const h = filter();
    await feed(h, [
      { topic: "a", payload: 1 },
      { topic: "b", payload: 1 },
      { topic: "b", payload: 1 },
      { topic: "a", payload: 1 },
      { topic: "c", payload: 1 },
    ]);
    expect(h.port(0).map((m) => m.topic)).toEqual(["a", "b", "c"]);
  });

  it("compares across topics when separate topics are off", async () => {
    const h = filter({ septopics: false });
    await feed(h, [
      { topic: "a", payload: "a" },
      { topic: "b", payload: "a" },
      { topic: "c", payload: "a" },
      { topic: "a", payload: 2 },
      { topic: "b", payload: 2 },
    ]);
    expect(h.port(0).map((m) => [m.topic, m.payload])).toEqual([
      ["a", "a"],
      ["a", 2],
    ]);
  });

  it("uses another property and topic property when configured", async () => {
    const h = filter({ property: "msg.foo.value", topi: "room" });
    await feed(h, [
      { foo: { value: 1 }, room: "kitchen" },
      { foo: { value: 1 }, room: "hall" },
      { foo: { value: 1 }, room: "kitchen" },
      { payload: "no foo" },
      { foo: { value: 2 }, room: "kitchen" },
    ]);
    expect(h.port(0).map((m) => m.room)).toEqual(["kitchen", "hall", "kitchen"]);
  });

  it("compares Buffers by their bytes", async () => {
    const h = filter();
    await feed(h, [{ payload: Buffer.from("on") }, { payload: Buffer.from("on") }, { payload: Buffer.from("off") }]);
    expect(h.sent).toHaveLength(2);
  });

  it("ignores the initial value of each topic in rbei mode", async () => {
    const h = filter({ func: "rbei" });
    await feed(h, [
      { payload: "a", topic: "a" },
      { payload: "a", topic: "b" },
      { payload: "a", topic: "a" },
      { payload: "b", topic: "a" },
      { payload: "b", topic: "b" },
      { payload: "c", topic: "a" },
      { payload: "c", topic: "b" },
    ]);
    expect(h.port(0).map((m) => `${m.topic}${m.payload}`)).toEqual(["ab", "bb", "ac", "bc"]);
  });

  it("sends the message itself, unchanged", async () => {
    const h = filter();
    const msg = { _msgid: "m1", payload: { v: 1 }, topic: "t", extra: true };
    await h.node.input!(msg);
    expect(h.sent[0].msg).toBe(msg);
    expect(msg).toEqual({ _msgid: "m1", payload: { v: 1 }, topic: "t", extra: true });
  });
});

describe("filter: msg.reset", () => {
  it("forgets the last value of the message's topic, or of every topic without one (Node-RED's test)", async () => {
    const h = filter();
    await feed(h, [
      { topic: "a", payload: "a" },
      { topic: "a", payload: "a" },
      { topic: "b", payload: "b" },
      { reset: true }, // all
      { topic: "a", payload: "a" },
      { topic: "b", payload: "b" },
      { topic: "b", payload: "b" },
      { topic: "b", reset: "" }, // only b
      { topic: "b", payload: "b" },
      { topic: "a", payload: "a" },
      { reset: "" }, // all
      { topic: "b", payload: "b" },
      { topic: "a", payload: "a" },
      { topic: "c" }, // no payload: nothing
      { topic: "b", payload: "b" },
      { topic: "a", payload: "a" },
      { topic: "c", payload: "c" },
    ]);
    expect(payloads(h.port(0))).toEqual(["a", "b", "a", "b", "b", "b", "a", "c"]);
  });

  it("clears the stored values too", async () => {
    const h = filter();
    await feed(h, [
      { topic: "a", payload: 1 },
      { topic: "b", payload: 1 },
    ]);
    expect(h.context.scope("node", "n1").keys().sort()).toEqual(["a", "b"]);
    await h.input({ topic: "a", reset: true });
    expect(h.context.scope("node", "n1").keys()).toEqual(["b"]);
    await h.input({ reset: true });
    expect(h.context.scope("node", "n1").keys()).toEqual([]);
  });

  it("a reset message that carries a value is then filtered as usual", async () => {
    const h = filter();
    await feed(h, [{ payload: 1 }, { payload: 1, reset: true }]);
    expect(h.sent).toHaveLength(2);
  });
});

describe("filter: deadband", () => {
  it("deadbandEq passes values at least the gap away from the last one sent", async () => {
    const h = filter({ func: "deadbandEq", gap: "10", inout: "out" });
    await feed(h, [0, 2, 4, 6, 8, 10, 15, 20].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([0, 10, 20]);
  });

  it("deadband passes values more than the gap away, reading numbers inside strings", async () => {
    const h = filter({ func: "deadband", gap: "10" });
    await feed(h, [0, 2, 4, "6 deg", 8, 20, 15, "5 deg"].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([0, 20, "5 deg"]);
  });

  it("a percentage gap is relative to the last value sent", async () => {
    const h = filter({ func: "deadband", gap: "10%" });
    await feed(h, [100, 95, 105, 111, 120, 135].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([100, 111, 135]);
  });

  it("compared to the last input, slow drift never passes", async () => {
    const h = filter({ func: "deadband", gap: "5", inout: "in" });
    await feed(h, [0, 4, 8, 12, 16, 30].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([0, 30]);
    const out = filter({ func: "deadband", gap: "5", inout: "out" });
    await feed(out, [0, 4, 8, 12, 16, 30].map((payload) => ({ payload })));
    expect(payloads(out.port(0))).toEqual([0, 8, 16, 30]);
  });

  it("keeps a band per topic", async () => {
    const h = filter({ func: "deadband", gap: "1" });
    await feed(h, [
      { topic: "kitchen", payload: 20 },
      { topic: "hall", payload: 20.5 },
      { topic: "kitchen", payload: 20.5 },
      { topic: "hall", payload: 22 },
    ]);
    expect(h.port(0).map((m) => `${m.topic}=${m.payload}`)).toEqual(["kitchen=20", "hall=20.5", "hall=22"]);
  });

  it("warns about a value that is not numeric and drops it", async () => {
    const h = filter({ func: "deadband", gap: "10" });
    await h.input({ payload: "banana" });
    await h.input({ payload: { t: 1 } });
    expect(h.sent).toEqual([]);
    expect(h.warnings).toEqual([
      `Node 'n1' (filter): value is not numeric: no number found in msg.payload (got "banana"). The deadband mode compares numbers: send a number (or a string starting with one), or use the mode "block unless value changes".`,
      `Node 'n1' (filter): value is not numeric: no number found in msg.payload (got an object). The deadband mode compares numbers: send a number (or a string starting with one), or use the mode "block unless value changes".`,
    ]);
  });
});

describe("filter: narrowband", () => {
  it("narrowbandEq blocks values at least the gap away from the start value / last one sent", async () => {
    const h = filter({ func: "narrowbandEq", gap: "10", inout: "out", start: "1" });
    await feed(h, [100, 0, 10, 5, 15, 10, 20, 25].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([0, 5, 10]);
  });

  it("narrowband blocks values more than the gap away from the first value", async () => {
    const h = filter({ func: "narrowband", gap: "10" });
    await feed(h, [0, 20, 40, "6 deg", 18, 20, 50, "5 deg"].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([0, "6 deg", "5 deg"]);
  });

  it("with gap 0 passes only unchanged values", async () => {
    const h = filter({ func: "narrowband", gap: "0" });
    await feed(h, [1, 1, 1, 1, 0, 1].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([1, 1, 1, 1, 1]);
  });

  it("compared to the last input, a step change passes from the second value on", async () => {
    const h = filter({ func: "narrowband", gap: "10", inout: "in", start: "500" });
    await feed(h, [50, 55, 200, 205].map((payload) => ({ payload })));
    expect(payloads(h.port(0))).toEqual([55, 205]);
  });

  it("a percentage gap is relative to the reference", async () => {
    const h = filter({ func: "narrowband", gap: "10%", start: "100" });
    await feed(h, [150, 109, 111, 120].map((payload) => ({ payload })));
    // 150: 50 > 10 blocked; 109: 9 ≤ 10 passes (reference 109); 111: 2 ≤ 10.9 passes; 120: 9 ≤ 11.1 passes.
    expect(payloads(h.port(0))).toEqual([109, 111, 120]);
  });
});

describe("filter: last values survive a restart (better than Node-RED)", () => {
  it("does not pass an unchanged value after a restart", async () => {
    const h = filter();
    await feed(h, [
      { topic: "house/garage/door", payload: "closed" },
      { topic: "sensor/temp.kitchen", payload: { t: 21 } },
    ]);
    const h2 = h.restart();
    await feed(h2, [
      { topic: "house/garage/door", payload: "closed" },
      { topic: "sensor/temp.kitchen", payload: { t: 21 } },
      { topic: "house/garage/door", payload: "open" },
    ]);
    expect(h2.port(0).map((m) => m.payload)).toEqual(["open"]);
  });

  it("keeps the deadband reference across a restart", async () => {
    const h = filter({ func: "deadband", gap: "1" });
    await h.input({ topic: "t", payload: 20 });
    const h2 = h.restart();
    await feed(h2, [20.5, 21.5].map((payload) => ({ topic: "t", payload })));
    expect(payloads(h2.port(0))).toEqual([21.5]);
  });

  it("rbei does not treat the first value after a restart as initial", async () => {
    const h = filter({ func: "rbei" });
    await h.input({ payload: "a" });
    const h2 = h.restart();
    await h2.input({ payload: "b" });
    expect(payloads(h2.port(0))).toEqual(["b"]);
  });

  it("ignores a stored value of the wrong kind after a mode change instead of blocking forever", async () => {
    const h = filter();
    await h.input({ payload: "warm" });
    const h2 = h.restart(cfg({ func: "deadband", gap: "2" }));
    await feed(h2, [20, 21, 23].map((payload) => ({ payload })));
    expect(payloads(h2.port(0))).toEqual([20, 23]);
  });

  it("stores topics with dots, brackets and spaces under readable, reversible keys", () => {
    for (const topic of ["house/garage/door", "a.b", "x[0]", " padded ", "50%", "quote'd\"", "_no_topic", "ünï/cødé"]) {
      expect(decodeTopicKey(encodeTopicKey(topic))).toBe(topic);
    }
    expect(encodeTopicKey("house/garage/temp")).toBe("house/garage/temp");
    expect(encodeTopicKey("sensor/temp.kitchen")).toBe("sensor/temp%2Ekitchen");
  });
});

describe("filter: configuration errors", () => {
  it("reports a bad property path with the node name and ignores messages", async () => {
    const h = runNode(createRbeNode, cfg({ property: "payload[" }));
    expect(String(h.errors[0].error)).toContain(`Node 'n1' (filter): invalid configuration — property: property path "payload[" has "[" without a closing "]"`);
    await h.input({ payload: 1 });
    expect(h.sent).toEqual([]);
  });

  it("reports a gap that is not a number", () => {
    const h = runNode(createRbeNode, { func: "deadband", gap: "lots" } as unknown as RbeConfig);
    expect(String(h.errors[0].error)).toContain("gap: value change must be a number or a percentage such as 10 or 5%, got 'lots'");
  });
});
