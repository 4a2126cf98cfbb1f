/**
 * The executor with hand-built plans and tiny node factories:
 *
 *   [src] ──┬──> [a]
 *           └──> [b]        (fan-out clones for every target but the first)
 */
import { describe, expect, it } from "vitest";
import { Runtime } from "./executor";
import { FakeClock } from "./clock";
import type { Plan, PlannedNode } from "./compile";
import type { DebugEvent, NodeFactory, NodeStatus } from "./node-api";
import type { Msg } from "./message";
import { MemoryMqtt } from "../nodes/test-harness";
import { TopicTrie } from "../mqtt/trie";

function plan(nodes: Partial<PlannedNode>[]): Plan {
  return {
    nodes: new Map(
      nodes.map((n) => [n.id!, { id: n.id!, type: n.type!, name: n.name ?? "", flowId: "f1", config: n.config ?? {}, wires: n.wires ?? [], outputs: n.wires?.length ?? 0 }]),
    ),
    configNodes: new Map(),
    subscriptions: new Map<string, TopicTrie<string>>(),
    skipped: [],
  };
}

function setup(factories: Record<string, NodeFactory<never>>) {
  const clock = new FakeClock();
  const received: { node: string; msg: Msg }[] = [];
  const debug: DebugEvent[] = [];
  const statuses: { nodeId: string; status: NodeStatus }[] = [];
  const logs: string[] = [];
  // "sink" records what reaches it.
  const sink: NodeFactory<never> = (_c, s) => ({ input: (msg) => void received.push({ node: s.id, msg }) });
  const runtime = new Runtime({
    mqtt: new MemoryMqtt(clock),
    clock,
    factories: new Map(Object.entries({ sink, ...factories })),
    events: {
      status: (nodeId, status) => statuses.push({ nodeId, status }),
      debug: (e) => debug.push(e),
      log: (_level, text) => logs.push(text),
    },
  });
  return { runtime, clock, received, debug, statuses, logs };
}

describe("executor", () => {
  it("delivers along wires and gives each extra target its own copy", async () => {
    const relay: NodeFactory<never> = (_c, s) => ({ input: (msg) => s.send(msg) });
    const r = setup({ relay });
    await r.runtime.deploy(plan([
      { id: "src", type: "relay", wires: [["a", "b"]] },
      { id: "a", type: "sink" },
      { id: "b", type: "sink" },
    ]));
    const msg = { _msgid: "m1", payload: { n: 1 } };
    r.runtime.inject("src", msg);
    expect(r.received.map((x) => x.node)).toEqual(["a", "b"]);
    expect(r.received[0].msg).toBe(msg);
    expect(r.received[1].msg).not.toBe(msg);
    expect(r.received[1].msg).toEqual(msg);
    (r.received[1].msg.payload as { n: number }).n = 2;
    expect((msg.payload as { n: number }).n).toBe(1);
  });

  it("keeps message order along a chain and never recurses", async () => {
    const relay: NodeFactory<never> = (_c, s) => ({ input: (msg) => s.send(msg) });
    const nodes: Partial<PlannedNode>[] = [];
    for (let i = 0; i < 5000; i++) nodes.push({ id: `n${i}`, type: "relay", wires: [[`n${i + 1}`]] });
    nodes.push({ id: "n5000", type: "sink" });
    const r = setup({ relay });
    await r.runtime.deploy(plan(nodes));
    for (let i = 0; i < 3; i++) r.runtime.inject("n0", { _msgid: `m${i}`, payload: i });
    expect(r.received.map((x) => x.msg.payload)).toEqual([0, 1, 2]);
  });

  it("sends to ports by index, several messages on one port in order", async () => {
    const split: NodeFactory<never> = (_c, s) => ({
      input: (msg) => s.send([null, [{ ...msg, payload: 1 }, { ...msg, payload: 2 }], { ...msg, payload: 3 }]),
    });
    const r = setup({ split });
    await r.runtime.deploy(plan([
      { id: "s", type: "split", wires: [["p0"], ["p1"], ["p2"]] },
      { id: "p0", type: "sink" },
      { id: "p1", type: "sink" },
      { id: "p2", type: "sink" },
    ]));
    r.runtime.inject("s", { _msgid: "m" });
    expect(r.received.map((x) => `${x.node}:${String(x.msg.payload)}`)).toEqual(["p1:1", "p1:2", "p2:3"]);
  });

  it("turns a throw or a rejected promise into an error event with the node id, and keeps running", async () => {
    const thrower: NodeFactory<never> = () => ({
      input: (msg) => {
        if (msg.payload === "sync") throw new Error("boom");
        return Promise.reject(new Error("async boom"));
      },
    });
    const r = setup({ thrower });
    await r.runtime.deploy(plan([{ id: "x", type: "thrower", name: "Bad node" }]));
    r.runtime.inject("x", { _msgid: "1", payload: "sync" });
    r.runtime.inject("x", { _msgid: "2", payload: "async" });
    await new Promise((res) => setImmediate(res));
    expect(r.debug.map((d) => [d.nodeId, d.level, d.value])).toEqual([
      ["x", "error", "boom"],
      ["x", "error", "async boom"],
    ]);
    expect(r.logs.join("\n")).toContain("Node 'Bad node' (thrower): boom");
  });

  it("a node that fails to start is reported and the others still run", async () => {
    const broken: NodeFactory<never> = () => {
      throw new Error("bad config");
    };
    const r = setup({ broken });
    await r.runtime.deploy(plan([{ id: "b", type: "broken" }, { id: "ok", type: "sink" }]));
    r.runtime.inject("ok", { _msgid: "1" });
    expect(r.received).toHaveLength(1);
    expect(r.statuses).toContainEqual({ nodeId: "b", status: { fill: "red", shape: "ring", text: "failed to start" } });
  });

  it("redeploy closes old nodes: their timers never fire and their sends go nowhere", async () => {
    let closed = 0;
    const delayed: NodeFactory<never> = (_c, s) => ({
      input: (msg) => void s.timers.setTimeout(() => s.send(msg), 1000),
      close: () => void closed++,
    });
    const r = setup({ delayed });
    await r.runtime.deploy(plan([{ id: "d", type: "delayed", wires: [["k"]] }, { id: "k", type: "sink" }]));
    r.runtime.inject("d", { _msgid: "1" });
    await r.runtime.deploy(plan([{ id: "k", type: "sink" }]));
    r.clock.advance(5000);
    expect(closed).toBe(1);
    expect(r.received).toHaveLength(0);
    expect(r.clock.pending).toBe(0);
  });

  it("presses an inject node's button through trigger()", async () => {
    const button: NodeFactory<never> = (_c, s) => ({ trigger: () => s.send({ _msgid: "b", payload: "pressed" }) });
    const r = setup({ button });
    await r.runtime.deploy(plan([{ id: "i", type: "button", wires: [["k"]] }, { id: "k", type: "sink" }]));
    expect(r.runtime.triggerNode("i")).toBe(true);
    expect(r.runtime.triggerNode("k")).toBe(false);
    expect(r.runtime.triggerNode("nope")).toBe(false);
    expect(r.received[0].msg.payload).toBe("pressed");
  });
});
