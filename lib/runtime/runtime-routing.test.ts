/**
 * The runtime with the real node set: errors to catch nodes, statuses to status nodes,
 * completions to complete nodes, link out/in/call, redeploy by diff and restart with durable
 * timers. Documents are compiled like a deploy does.
 *
 *   [inject] → [change topic=a/#] → [mqtt out]      (mqtt out fails: wildcard topic)
 *   [catch] → [debug "caught"]      [status] → [debug "statuses"]
 */
import { describe, expect, it } from "vitest";
import { compile, type Plan } from "./compile";
import { Runtime } from "./executor";
import { FakeClock } from "./clock";
import type { DebugEvent } from "./node-api";
import type { FlowDocument, FlowNode } from "../flow/schema";
import { nodeFactories } from "../nodes/runtime-registry";
import { MemoryMqtt } from "../nodes/test-harness";
import type { StoredNodeTimer } from "./durable-timers";

function node(id: string, type: string, config: Record<string, unknown>, wires: string[][] = [], name = ""): FlowNode {
  return { id, type, name, x: 0, y: 0, wires, disabled: false, config };
}
const debugNode = (id: string, name: string) => node(id, "debug", { complete: "true" }, [], name);

function doc(...flows: FlowNode[][]): FlowDocument {
  return { schemaVersion: 1, configNodes: [], flows: flows.map((nodes, i) => ({ id: `f${i + 1}`, name: `Flow ${i + 1}`, disabled: false, info: "", nodes })) };
}

function planOf(d: FlowDocument): Plan {
  const { plan, issues } = compile(d);
  if (!plan) throw new Error(issues.map((i) => i.message).join("\n"));
  return plan;
}

function setup(clock = new FakeClock(), stored = new Map<string, StoredNodeTimer>()) {
  const debug: DebugEvent[] = [];
  const mqtt = new MemoryMqtt(clock);
  const runtime = new Runtime({
    mqtt,
    clock,
    factories: nodeFactories,
    events: { status: () => {}, debug: (e) => debug.push(e), log: () => {} },
    timerPersistence: {
      save: (t) => void stored.set(`${t.nodeId}/${t.key}`, t),
      delete: (nodeId, key) => void stored.delete(`${nodeId}/${key}`),
    },
  });
  const shown = (nodeName: string) => debug.filter((e) => e.nodeName === nodeName && e.level === "debug").map((e) => e.value as Record<string, unknown>);
  return { runtime, clock, debug, mqtt, stored, shown };
}

describe("runtime routing", () => {
  it("sends a node's error to the catch node of its flow with msg.error and the failed message", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc([
      node("inj", "inject", { props: [{ p: "payload" }], payload: "x", payloadType: "str" }, [["chg"]]),
      node("chg", "change", { rules: [{ t: "set", p: "topic", pt: "msg", to: "a/#", tot: "str" }] }, [["out"]]),
      node("out", "mqtt out", { topic: "", qos: "0", retain: "false", broker: "" }, [], "Bad publisher"),
      node("catch1", "catch", { scope: null }, [["caught"]]),
      debugNode("caught", "caught"),
    ])));
    t.runtime.triggerNode("inj");
    await new Promise((r) => setImmediate(r));
    const caught = t.shown("caught");
    expect(caught).toHaveLength(1);
    expect(caught[0].topic).toBe("a/#");
    expect(caught[0].error).toMatchObject({ source: { id: "out", type: "mqtt out", name: "Bad publisher" } });
    expect(String((caught[0].error as { message: string }).message)).toMatch(/a\/#/);
    expect(t.mqtt.published).toHaveLength(0);
  });

  it("a catch node scoped to other nodes does not see the error", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc([
      node("inj", "inject", { props: [{ p: "payload" }], payload: "x", payloadType: "str" }, [["chg"]]),
      node("chg", "change", { rules: [{ t: "set", p: "topic", pt: "msg", to: "a/#", tot: "str" }] }, [["out"]]),
      node("out", "mqtt out", { topic: "", qos: "0", retain: "false", broker: "" }),
      node("catch1", "catch", { scope: ["chg"] }, [["caught"]]),
      debugNode("caught", "caught"),
    ])));
    t.runtime.triggerNode("inj");
    await new Promise((r) => setImmediate(r));
    expect(t.shown("caught")).toHaveLength(0);
  });

  it("sends status changes of the flow's nodes to a status node", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc([
      node("in", "mqtt in", { topic: "x/#", qos: "0", datatype: "utf8", broker: "" }, [], "Sensors"),
      node("st", "status", { scope: null }, [["statuses"]]),
      debugNode("statuses", "statuses"),
    ])));
    const statuses = t.shown("statuses");
    expect(statuses[0].status).toMatchObject({ text: "connected", source: { id: "in", type: "mqtt in", name: "Sensors" } });
  });

  it("tells a complete node when a watched node has handled a message", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc([
      node("inj", "inject", { props: [{ p: "payload" }], payload: "7", payloadType: "num" }, [["chg"]]),
      node("chg", "change", { rules: [{ t: "set", p: "topic", pt: "msg", to: "done", tot: "str" }] }),
      node("cmp", "complete", { scope: ["chg"] }, [["completed"]]),
      debugNode("completed", "completed"),
    ])));
    t.runtime.triggerNode("inj");
    expect(t.shown("completed")).toMatchObject([{ payload: 7, topic: "done" }]);
  });

  it("link out delivers to link in nodes on other flows", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc(
      [node("inj", "inject", { props: [{ p: "payload" }], payload: "hi", payloadType: "str" }, [["lo"]]), node("lo", "link out", { mode: "link", links: ["li"] })],
      [node("li", "link in", { links: ["lo"] }, [["got"]]), debugNode("got", "got")],
    )));
    t.runtime.triggerNode("inj");
    expect(t.shown("got")).toMatchObject([{ payload: "hi" }]);
  });

  it("link call runs a called flow and continues with what its link out (return) sends back", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc(
      [
        node("inj", "inject", { props: [{ p: "payload" }], payload: "in", payloadType: "str" }, [["call"]]),
        node("call", "link call", { links: ["sub"], linkType: "static", timeout: "5" }, [["after"]]),
        debugNode("after", "after"),
      ],
      [
        node("sub", "link in", {}, [["work"]]),
        node("work", "change", { rules: [{ t: "set", p: "payload", pt: "msg", to: "worked", tot: "str" }] }, [["ret"]]),
        node("ret", "link out", { mode: "return" }),
      ],
    )));
    t.runtime.triggerNode("inj");
    const after = t.shown("after");
    expect(after).toHaveLength(1);
    expect(after[0].payload).toBe("worked");
    expect(after[0]._linkSource).toBeUndefined();
    t.clock.advance(10_000);
    expect(t.debug.filter((e) => e.level === "error")).toEqual([]);
  });

  it("link call reports a timeout when nothing returns", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(doc(
      [
        node("inj", "inject", { props: [{ p: "payload" }], payload: "in", payloadType: "str" }, [["call"]]),
        node("call", "link call", { links: ["sub"], linkType: "static", timeout: "2" }, [["after"]]),
        debugNode("after", "after"),
      ],
      [node("sub", "link in", {}, [])],
    )));
    t.runtime.triggerNode("inj");
    t.clock.advance(2500);
    expect(t.debug.filter((e) => e.level === "error").map((e) => e.value)).toEqual([expect.stringMatching(/no answer within 2 s/)]);
  });
});

describe("redeploy and restart keep timers", () => {
  const motionLight = (extra: FlowNode[] = []) =>
    doc([
      node("in", "mqtt in", { topic: "house/+/motion", qos: "1", datatype: "utf8", broker: "" }, [["trig"]]),
      node("trig", "trigger", { op1: "on", op1type: "str", op2: "off", op2type: "str", duration: "2", units: "min", extend: true, bytopic: "topic", topic: "topic" }, [["chg"]]),
      node("chg", "change", { rules: [{ t: "change", p: "topic", pt: "msg", from: "^house/([^/]+)/motion$", fromt: "re", to: "house/$1/light", tot: "str" }] }, [["out"]]),
      node("out", "mqtt out", { topic: "", qos: "1", retain: "false", broker: "" }),
      ...extra,
    ]);
  const lights = (t: ReturnType<typeof setup>) => t.mqtt.published.map((p) => `${p.topic}=${String(p.payload)}@${(p.time - start) / 1000}`);
  const start = new FakeClock().now();

  it("an unrelated redeploy keeps the running trigger's timer: off still comes once, on time", async () => {
    const t = setup();
    await t.runtime.deploy(planOf(motionLight()));
    t.mqtt.deliver("house/garage/motion", "1");
    t.clock.advance(30_000);
    const result = await t.runtime.deploy(planOf(motionLight([debugNode("new", "new debug")])));
    expect(result).toMatchObject({ added: ["new"], changed: [], removed: [] });
    t.clock.advance(200_000);
    expect(lights(t)).toEqual(["house/garage/light=on@0", "house/garage/light=off@120"]);
  });

  it("after a restart the stored timer fires once at its original time", async () => {
    const stored = new Map<string, StoredNodeTimer>();
    const clock = new FakeClock();
    const first = setup(clock, stored);
    await first.runtime.deploy(planOf(motionLight()));
    first.mqtt.deliver("house/garage/motion", "1");
    clock.advance(60_000);
    await first.runtime.stop();
    expect(stored.size).toBe(1);

    const second = setup(clock, stored);
    second.runtime.loadTimers([...stored.values()]);
    await second.runtime.deploy(planOf(motionLight()));
    clock.advance(200_000);
    expect(second.mqtt.published.map((p) => `${p.topic}=${String(p.payload)}@${(p.time - start) / 1000}`)).toEqual(["house/garage/light=off@120"]);
    expect(first.mqtt.published).toHaveLength(1);
    expect(stored.size).toBe(0);
  });

});
