/** Batching to browsers: at most ~10 batches a second, one row per topic with its final value. */
import { describe, expect, it } from "vitest";
import { FakeClock } from "../runtime/clock";
import type { MonitorServerToClientEvents, TopicMessages, TreeUpdates, LiveValue, TreeSnapshot } from "./events";
import { MonitorStream, type Emit } from "./stream";
import { DEFAULT_LIMITS, TopicStore } from "./topic-store";

function setup() {
  const clock = new FakeClock();
  const store = new TopicStore();
  const stream = new MonitorStream(
    {
      store: (id) => {
        if (id !== "") throw new Error(`broker '${id}' is not configured`);
        return store;
      },
      connected: () => true,
      detail: async (broker, topic) => {
        const s = store.topics.get(topic);
        return s ? { broker, topic, row: s.row(clock.now()), history: [], description: "", unit: "" } : null;
      },
    },
    clock,
  );
  const events: { event: keyof MonitorServerToClientEvents; payload: unknown }[] = [];
  const emit: Emit = (event, ...args) => void events.push({ event, payload: args[0] });
  stream.add("c1", emit);
  const of = <T>(name: keyof MonitorServerToClientEvents) => events.filter((e) => e.event === name).map((e) => e.payload as T);
  const publish = (topic: string, value: string) => store.ingest(topic, Buffer.from(value), 0, false, clock.now());
  return { clock, store, stream, events, of, publish };
}

describe("MonitorStream", () => {
  it("sends a burst of 1,000 messages to one topic as a few updates whose last value is the final one", () => {
    const { clock, stream, of, publish } = setup();
    stream.subscribeTree("c1", { broker: "", prefix: "", q: "", sys: true, limit: 1000 });
    // 1,000 messages over one second, 1 ms apart.
    for (let i = 1; i <= 1000; i++) {
      publish("house/burst", String(i));
      clock.advance(1);
    }
    clock.advance(200);
    const updates = of<TreeUpdates>("tree:updates");
    expect(updates.length).toBeLessThanOrEqual(1.2 * 10 + 2);
    expect(updates.every((u) => u.topics.length === 1)).toBe(true);
    const last = updates.at(-1)!.topics[0];
    expect(last).toMatchObject({ topic: "house/burst", value: "1000", messages: 1000 });
  });

  it("sends a snapshot of the matching topics on subscribe and then only rows inside the subtree and search", () => {
    const { clock, stream, of, publish } = setup();
    publish("house/garage/light", "on");
    publish("garden/temp", "20");
    stream.subscribeTree("c1", { broker: "", prefix: "house", q: "", sys: true, limit: 1000 });
    expect(of<TreeSnapshot>("tree:snapshot")[0].topics.map((t) => t.topic)).toEqual(["house/garage/light"]);
    publish("garden/temp", "21");
    publish("house/kitchen/light", "off");
    clock.advance(100);
    expect(of<TreeUpdates>("tree:updates").flatMap((u) => u.topics.map((t) => t.topic))).toEqual(["house/kitchen/light"]);
  });

  it("sends nothing while paused and a fresh snapshot on resume", async () => {
    const { clock, stream, of, publish } = setup();
    stream.subscribeTree("c1", { broker: "", prefix: "", q: "", sys: true, limit: 1000 });
    await stream.pause("c1", true);
    publish("a", "1");
    clock.advance(500);
    expect(of("tree:updates")).toHaveLength(0);
    await stream.pause("c1", false);
    const snaps = of<TreeSnapshot>("tree:snapshot");
    expect(snaps.at(-1)!.topics.map((t) => t.value)).toEqual(["1"]);
  });

  it("streams every message of the selected topic in order, batched", async () => {
    const { clock, stream, of, publish } = setup();
    publish("sel", "0");
    await stream.select("c1", "", "sel");
    expect(of("topic:snapshot")).toHaveLength(1);
    for (let i = 1; i <= 30; i++) {
      publish("sel", String(i));
      clock.advance(10);
    }
    clock.advance(100);
    const batches = of<TopicMessages>("topic:messages");
    expect(batches.length).toBeLessThanOrEqual(5);
    expect(batches.flatMap((b) => b.messages.map((m) => m.payload))).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(batches.every((b) => b.skipped === 0)).toBe(true);
  });

  it("says how many messages of the selected topic fell out of the history before they could be sent", async () => {
    const { clock, stream, of, publish } = setup();
    await stream.select("c1", "", "fast");
    const ring = DEFAULT_LIMITS.ringMessages;
    for (let i = 1; i <= ring + 50; i++) publish("fast", String(i));
    clock.advance(100);
    const [batch] = of<TopicMessages>("topic:messages");
    expect(batch.messages).toHaveLength(ring);
    expect(batch.skipped).toBe(50);
    expect(batch.messages.at(-1)!.payload).toBe(String(ring + 50));
  });

  it("sends dashboard values coalesced, with JSON paths resolved", () => {
    const { clock, stream, of, publish } = setup();
    publish("sensor", JSON.stringify({ temperature: 20, state: { on: true } }));
    stream.subscribeValues("c1", [
      { broker: "", topic: "sensor", path: "temperature" },
      { broker: "", topic: "sensor", path: "state.on" },
      { broker: "", topic: "light", path: "" },
    ]);
    const [snapshot] = of<LiveValue[]>("values:snapshot");
    expect(snapshot.map((v) => v.value)).toEqual([20, true, null]);
    for (let i = 0; i < 500; i++) publish("sensor", JSON.stringify({ temperature: i, state: { on: false } }));
    publish("light", "ON");
    clock.advance(100);
    const updates = of<LiveValue[]>("values:updates");
    expect(updates).toHaveLength(1);
    expect(updates[0].map((v) => [v.topic, v.path, v.value])).toEqual([
      ["sensor", "temperature", 499],
      ["sensor", "state.on", false],
      ["light", "", "ON"],
    ]);
  });

  it("refuses an unknown broker with a readable error", () => {
    const { stream } = setup();
    expect(() => stream.subscribeTree("c1", { broker: "nope", prefix: "", q: "", sys: true, limit: 10 })).toThrow(/not configured/);
  });

  it("stops its timer when the last client leaves", () => {
    const { clock, stream } = setup();
    stream.remove("c1");
    expect(clock.pending).toBe(0);
  });
});

describe("MonitorStream queueing", () => {
  it("stops queueing a broker's changes when nobody watches its tree any more", () => {
    const clock = new FakeClock();
    const store = new TopicStore();
    const stream = new MonitorStream({ store: () => store, connected: () => true, detail: async () => null, stores: () => [["", store]] }, clock);
    stream.add("c", () => undefined);
    stream.subscribeTree("c", { broker: "", prefix: "", q: "", sys: true, limit: 10 });
    expect(store.streamEnabled).toBe(true);
    stream.unsubscribeTree("c");
    expect(store.streamEnabled).toBe(false);
    store.ingest("a", Buffer.from("1"), 0, false, clock.now());
    expect(store.takeStreamQueue()).toEqual([]);
  });
});
