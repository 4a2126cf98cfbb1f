/** The monitor's per-topic state: last value, counts, rate, history rings and their caps. */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, TopicStore, subtreeCounts, matchesPrefix, normalizePrefix } from "./topic-store";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const buf = (s: string) => Buffer.from(s);

describe("TopicStore", () => {
  it("keeps the last value, QoS, retained flag and message count of each topic", () => {
    const store = new TopicStore();
    store.ingest("house/garage/motion", buf("1"), 1, true, T0);
    store.ingest("house/garage/motion", buf("0"), 0, false, T0 + 10);
    const row = store.topics.get("house/garage/motion")!.row(T0 + 10);
    expect(row).toMatchObject({ value: "0", qos: 0, retained: false, messages: 2, lastTime: T0 + 10, numeric: true, size: 1 });
  });

  it("reports the message rate over a sliding window and lets it decay when the topic goes quiet", () => {
    const store = new TopicStore();
    for (let i = 0; i < 50; i++) store.ingest("a", buf(String(i)), 0, false, T0 + i * 100); // 10 msg/s for 5 s
    const s = store.topics.get("a")!;
    expect(s.rate(T0 + 5000)).toBeCloseTo(10, 0);
    expect(s.rate(T0 + 7500)).toBeCloseTo(5, 0);
    expect(s.rate(T0 + 20_000)).toBe(0);
  });

  it("keeps the last 100 messages of a topic in order", () => {
    const store = new TopicStore({ ...DEFAULT_LIMITS, ringMessages: 100 });
    for (let i = 1; i <= 250; i++) store.ingest("a", buf(`m${i}`), 0, false, T0 + i);
    const entries = store.topics.get("a")!.entries();
    expect(entries).toHaveLength(100);
    expect(entries[0].seq).toBe(151);
    expect(entries[99].seq).toBe(250);
    expect(store.topics.get("a")!.entries(245).map((e) => e.seq)).toEqual([246, 247, 248, 249, 250]);
  });

  it("caps a topic's history in bytes but always keeps the last message", () => {
    const store = new TopicStore({ ringMessages: 100, ringBytes: 10_000, totalBytes: 1e9, maxTopics: 100 });
    for (let i = 0; i < 10; i++) store.ingest("big", Buffer.alloc(3000, 65), 0, false, T0 + i);
    expect(store.topics.get("big")!.entries()).toHaveLength(3);
    store.ingest("big", Buffer.alloc(50_000, 66), 0, false, T0 + 20);
    expect(store.topics.get("big")!.entries()).toHaveLength(1);
  });

  it("evicts the histories of the least recently updated topics past the global cap, keeping their last values", () => {
    const store = new TopicStore({ ringMessages: 100, ringBytes: 100_000, totalBytes: 50_000, maxTopics: 1000 });
    for (let t = 0; t < 10; t++) for (let i = 0; i < 5; i++) store.ingest(`t${t}`, Buffer.alloc(1000, 67), 0, false, T0 + t * 10 + i);
    expect(store.bytes).toBeLessThanOrEqual(50_000);
    expect(store.topics.get("t0")!.entries()).toHaveLength(0);
    expect(store.topics.get("t0")!.row(T0).size).toBe(1000);
    expect(store.topics.get("t9")!.entries()).toHaveLength(5);
  });

  it("cuts payloads over 64 KB but reports their real size", () => {
    const store = new TopicStore();
    store.ingest("blob", Buffer.alloc(100_000, 0x41), 0, false, T0);
    const s = store.topics.get("blob")!;
    expect(s.data.length).toBe(64 * 1024);
    expect(s.row(T0)).toMatchObject({ size: 100_000, truncated: true });
  });

  it("shows binary payloads as base64 and UTF-8 text as text", () => {
    const store = new TopicStore();
    store.ingest("bin", Buffer.from([0xff, 0x00, 0xfe]), 0, false, T0);
    store.ingest("txt", Buffer.from("grüße"), 0, false, T0);
    expect(store.topics.get("bin")!.row(T0)).toMatchObject({ value: "/wD+", encoding: "base64" });
    expect(store.topics.get("txt")!.row(T0)).toMatchObject({ value: "grüße", encoding: "utf8" });
  });

  it("queues each changed topic once for the stream however many messages it got", () => {
    const store = new TopicStore();
    store.streamEnabled = true;
    for (let i = 0; i < 1000; i++) store.ingest("burst", buf(String(i)), 0, false, T0);
    store.ingest("other", buf("x"), 0, false, T0);
    const q = store.takeStreamQueue();
    expect(q.map((s) => s.topic)).toEqual(["burst", "other"]);
    expect(q[0].row(T0).value).toBe("999");
    expect(store.takeStreamQueue()).toEqual([]);
  });

  it("matches a subtree level-wise and searches topic names and values", () => {
    const store = new TopicStore();
    for (const t of ["house/garage/light", "house/garage", "household/x", "$SYS/broker/uptime", "garden/temp"]) store.ingest(t, buf(t === "garden/temp" ? "21.5 warm" : "v"), 0, false, T0);
    expect(store.match({ prefix: "house" }).map((s) => s.topic)).toEqual(["house/garage", "house/garage/light"]);
    expect(store.match({ prefix: "house/#" }).map((s) => s.topic)).toEqual(["house/garage", "house/garage/light"]);
    expect(store.match({ q: "WARM" }).map((s) => s.topic)).toEqual(["garden/temp"]);
    expect(store.match({ sys: false }).some((s) => s.topic.startsWith("$"))).toBe(false);
  });

  it("stops tracking new topics past the topic limit and counts them", () => {
    const store = new TopicStore({ ringMessages: 10, ringBytes: 1000, totalBytes: 1e6, maxTopics: 3 });
    for (let i = 0; i < 5; i++) store.ingest(`t${i}`, buf("x"), 0, false, T0);
    expect(store.topics.size).toBe(3);
    expect(store.droppedTopics).toBe(2);
  });
});

describe("subtree counts", () => {
  it("counts topics and messages below each child of a prefix", () => {
    const rows = [
      { topic: "house/garage/light", messages: 3 },
      { topic: "house/garage/motion", messages: 5 },
      { topic: "house/kitchen", messages: 1 },
      { topic: "house", messages: 2 },
      { topic: "garden/temp", messages: 7 },
    ];
    const c = subtreeCounts(rows, "house");
    expect(c.topics).toBe(4);
    expect(c.messages).toBe(11);
    expect(c.children).toEqual([
      { path: "house/garage", name: "garage", topics: 2, messages: 8, hasValue: false },
      { path: "house/kitchen", name: "kitchen", topics: 1, messages: 1, hasValue: true },
    ]);
    expect(subtreeCounts(rows, "").children.map((x) => [x.path, x.topics])).toEqual([
      ["garden", 1],
      ["house", 4],
    ]);
  });

  it("treats prefixes level by level", () => {
    expect(matchesPrefix("household", "house")).toBe(false);
    expect(matchesPrefix("house/a", "house")).toBe(true);
    expect(normalizePrefix("#")).toBe("");
    expect(normalizePrefix("a/b/")).toBe("a/b");
  });
});
