import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { injectDefinition, resolveInjectProps, type InjectConfig } from "./definition";
import { createInjectNode } from "./runtime";

function cfg(fields: Record<string, unknown> = {}): InjectConfig {
  return injectDefinition.config.parse(fields);
}

function inject(fields: Record<string, unknown> = {}, opts: Parameters<typeof runNode>[2] = {}) {
  return runNode(createInjectNode, cfg(fields), opts);
}

/** A Node-RED ≥ 1.1 inject node as it appears in flows.json. */
const nodeRedInject = {
  props: [{ p: "payload" }, { p: "topic", vt: "str" }],
  repeat: "",
  crontab: "",
  once: false,
  onceDelay: 0.1,
  topic: "",
  payload: "",
  payloadType: "date",
};

describe("inject definition", () => {
  it("fills Node-RED's defaults and keeps unknown fields", () => {
    expect(cfg({ foo: 1 })).toEqual({ ...nodeRedInject, foo: 1 });
  });

  it("accepts string numbers and rejects a repeat that is not seconds", () => {
    expect(cfg({ onceDelay: "2", repeat: 5, once: "true" })).toMatchObject({ onceDelay: 2, repeat: "5", once: true });
    const r = injectDefinition.config.safeParse({ repeat: "often" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/repeat must be a number of seconds .* got 'often'/);
    expect(injectDefinition.config.safeParse({ repeat: "3000000" }).success).toBe(false);
  });

  it("labels the node like Node-RED", () => {
    expect(injectDefinition.label(cfg())).toBe("timestamp");
    expect(injectDefinition.label(cfg({ topic: "lights", payload: "on", payloadType: "str" }))).toBe("lights:on");
    expect(injectDefinition.label(cfg({ payload: "on", payloadType: "str" }))).toBe("on");
    expect(injectDefinition.label(cfg({ payload: "", payloadType: "str" }))).toBe("inject");
    expect(injectDefinition.label(cfg({ topic: "tick", repeat: "5" }))).toBe("tick:timestamp ↻");
    expect(injectDefinition.label(cfg({ once: true }))).toBe("timestamp ¹");
    expect(injectDefinition.label(cfg({ props: [{ p: "foo", v: "x", vt: "str" }] }))).toBe("inject");
  });

  it("resolves legacy payload/topic fields into the props list", () => {
    const c = cfg({ payload: "42", payloadType: "num", topic: "t", props: [{ p: "payload" }, { p: "topic", vt: "str" }, { p: "x", v: "1", vt: "num" }] });
    expect(resolveInjectProps(c)).toEqual([
      { p: "payload", v: "42", vt: "num" },
      { p: "topic", v: "t", vt: "str" },
      { p: "x", v: "1", vt: "num" },
    ]);
  });

  it("has a button, no input and one output", () => {
    expect(injectDefinition.button).toBe(true);
    expect(injectDefinition.inputs).toBe(0);
    expect(injectDefinition.outputs(cfg())).toBe(1);
  });
});

describe("inject: the button", () => {
  it("sends a timestamp payload and an empty topic by default", () => {
    const h = inject();
    h.node.trigger!();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].msg).toMatchObject({ payload: h.clock.now(), topic: "" });
  });

  it("gives every injected message a new _msgid", () => {
    const h = inject();
    h.node.trigger!();
    h.node.trigger!();
    const [a, b] = h.port(0);
    expect(typeof a._msgid).toBe("string");
    expect(a._msgid).not.toBe(b._msgid);
  });

  it("sets every listed property with its type", () => {
    const h = inject(
      {
        props: [
          { p: "payload" },
          { p: "topic", vt: "str" },
          { p: "count", v: "3", vt: "num" },
          { p: "on", v: "true", vt: "bool" },
          { p: "data.cfg", v: '{"a":[1,2]}', vt: "json" },
          { p: "raw", v: "[104,105]", vt: "bin" },
          { p: "home", v: "HOME_NAME", vt: "env" },
          { p: "when", v: "iso", vt: "date" },
        ],
        payload: "hello",
        payloadType: "str",
        topic: "greeting",
      },
      { env: { HOME_NAME: "cottage" } },
    );
    h.node.trigger!();
    const msg = h.port(0)[0];
    expect(msg).toMatchObject({
      payload: "hello",
      topic: "greeting",
      count: 3,
      on: true,
      data: { cfg: { a: [1, 2] } },
      home: "cottage",
      when: new Date(h.clock.now()).toISOString(),
    });
    expect((msg.raw as Buffer).toString()).toBe("hi");
  });

  it("supports flows that only have the legacy payload/payloadType/topic fields", () => {
    const h = runNode(createInjectNode, cfg({ payload: '{"v":1}', payloadType: "json", topic: "t", props: undefined }));
    h.node.trigger!();
    expect(h.port(0)[0]).toMatchObject({ payload: { v: 1 }, topic: "t" });
  });

  it("sends a fresh copy of a json value each time", () => {
    const h = inject({ payload: '{"n":1}', payloadType: "json" });
    h.node.trigger!();
    (h.port(0)[0].payload as { n: number }).n = 99;
    h.node.trigger!();
    expect(h.port(0)[1].payload).toEqual({ n: 1 });
  });

  it("reports broken values at start and on every press, sending nothing", () => {
    const h = inject({ payload: "{oops", payloadType: "json" }, { id: "btn" });
    expect(String(h.errors[0].error)).toMatch(/Node 'btn' \(inject\): msg\.payload: invalid JSON/);
    h.node.trigger!();
    expect(h.sent).toHaveLength(0);
    expect(String(h.errors[1].error)).toMatch(/nothing was injected/);
  });

  it("reports flow/global values as not supported and leaves them out", () => {
    const h = inject({ props: [{ p: "payload" }, { p: "level", v: "lvl", vt: "global" }] });
    expect(String(h.errors[0].error)).toContain("flow/global context values are not supported yet");
    h.node.trigger!();
    expect(h.port(0)[0]).not.toHaveProperty("level");
    expect(h.port(0)[0].payload).toBe(h.clock.now());
  });
});

describe("inject: schedules", () => {
  it("injects once after onceDelay seconds when started", () => {
    const h = inject({ once: true, onceDelay: 2 });
    h.node.start!();
    h.clock.advance(1999);
    expect(h.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(60_000);
    expect(h.sent).toHaveLength(1);
  });

  it("uses Node-RED's 0.1 s once-delay when none is given", () => {
    const h = inject({ once: true, onceDelay: 0 });
    h.node.start!();
    h.clock.advance(100);
    expect(h.sent).toHaveLength(1);
  });

  it("does nothing on its own until started", () => {
    const h = inject({ once: true, repeat: "1" });
    h.clock.advance(10_000);
    expect(h.sent).toHaveLength(0);
  });

  it("repeats every N seconds", () => {
    const h = inject({ repeat: "5" });
    h.node.start!();
    h.clock.advance(15_000);
    const t0 = h.clock.now() - 15_000;
    expect(h.sent.map((s) => s.time - t0)).toEqual([5000, 10_000, 15_000]);
    expect(h.sent.map((s) => s.msg.payload)).toEqual([t0 + 5000, t0 + 10_000, t0 + 15_000]);
  });

  it("with once and repeat, injects after the once delay and then every N seconds from there", () => {
    const h = inject({ once: true, onceDelay: 1, repeat: "10" });
    const t0 = h.clock.now();
    h.node.start!();
    h.clock.advance(21_000);
    expect(h.sent.map((s) => s.time - t0)).toEqual([1000, 11_000, 21_000]);
  });

  it("stops repeating when closed", async () => {
    const h = inject({ repeat: "1", once: true });
    h.node.start!();
    h.clock.advance(2000);
    const before = h.sent.length;
    await h.close();
    h.clock.advance(10_000);
    expect(h.sent).toHaveLength(before);
    expect(h.clock.pending).toBe(0);
  });

  it("reports that cron schedules are not supported yet", () => {
    const h = inject({ crontab: "*/5 * * * *" });
    h.node.start!();
    expect(h.errors).toHaveLength(1);
    expect(String(h.errors[0].error)).toContain("cron schedules are not supported yet");
    h.clock.advance(3_600_000);
    expect(h.sent).toHaveLength(0);
  });

  it("an invalid configuration is reported and the node stays inert", () => {
    const h = runNode(createInjectNode, { repeat: "soon" } as unknown as InjectConfig);
    expect(String(h.errors[0].error)).toMatch(/invalid configuration — repeat: repeat must be a number of seconds/);
    h.node.start?.();
    h.node.trigger?.();
    expect(h.sent).toHaveLength(0);
  });
});
