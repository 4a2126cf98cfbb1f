import { describe, expect, it } from "vitest";
import { MemoryOutboxStore, Outbox, type OutboxTransport, type StoredOutboxMessage } from "./outbox";

/** A client that records what it was handed; `ack(n)` acknowledges the n oldest in flight. */
class FakeTransport implements OutboxTransport {
  up = true;
  sent: StoredOutboxMessage[] = [];
  taken: number[] = [];
  private inflight: { msg: StoredOutboxMessage; done: (err?: Error) => void; handle: number }[] = [];
  private nextHandle = 1;
  ready(): boolean {
    return this.up;
  }
  send(message: StoredOutboxMessage, done: (err?: Error) => void): number {
    this.sent.push(message);
    const handle = this.nextHandle++;
    this.inflight.push({ msg: message, done, handle });
    return handle;
  }
  takeBack(handle: number): void {
    this.taken.push(handle);
    this.inflight = this.inflight.filter((f) => f.handle !== handle);
  }
  get inFlight(): number {
    return this.inflight.length;
  }
  ack(n = this.inflight.length, err?: Error): void {
    for (const f of this.inflight.splice(0, n)) f.done(err);
  }
  payloads(): string[] {
    return this.sent.map((m) => m.payload.toString());
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function outbox(store = new MemoryOutboxStore(), opts: { limit?: number; window?: number } = {}) {
  const warnings: string[] = [];
  const box = new Outbox({ store, limit: opts.limit, window: opts.window, label: (id) => `MQTT broker '${id}'`, warn: (t) => warnings.push(t) });
  return { box, store, warnings };
}

const rec = (payload: string, brokerId = "b") => ({ brokerId, topic: "t", payload: Buffer.from(payload), qos: 1 as const, retain: false });

describe("MQTT outbox", () => {
  it("while connected, sends without touching the disk; an outage writes the unacknowledged ones first, in order", async () => {
    const { box, store } = outbox();
    const t = new FakeTransport();
    box.connected("b", t);
    const done = [box.enqueue(rec("1")), box.enqueue(rec("2")), box.enqueue(rec("3"))];
    await tick();
    expect(store.appendCalls).toBe(0); // no write per message on the hot path
    expect(t.payloads()).toEqual(["1", "2", "3"]);
    t.ack(1);
    await done[0];
    // The connection drops with "2" and "3" unacknowledged; "4" comes during the outage.
    t.up = false;
    box.disconnected("b");
    await Promise.all(done.slice(1)); // released: durably queued
    expect(store.list("b").map((m) => m.payload.toString())).toEqual(["2", "3"]);
    await box.enqueue(rec("4"));
    expect(store.list("b").map((m) => m.payload.toString())).toEqual(["2", "3", "4"]);
    // Back: resent oldest first; acknowledged stored rows are deleted (batched ≤ 25 ms).
    const t2 = new FakeTransport();
    box.connected("b", t2);
    expect(t2.payloads()).toEqual(["2", "3", "4"]);
    t2.ack();
    await new Promise((r) => setTimeout(r, 40));
    expect(store.count("b")).toBe(0);
    expect(box.count("b")).toBe(0);
  });

  it("publishes of one tick during an outage are written in one transaction", async () => {
    const { box, store } = outbox();
    const done = [box.enqueue(rec("1")), box.enqueue(rec("2")), box.enqueue(rec("3"))];
    await Promise.all(done);
    expect(store.appendCalls).toBe(1);
    expect(store.count("b")).toBe(3);
  });

  it("a graceful shutdown writes the unacknowledged messages so they go out after the restart", async () => {
    const store = new MemoryOutboxStore();
    const { box } = outbox(store);
    const t = new FakeTransport();
    box.connected("b", t);
    void box.enqueue(rec("a"));
    void box.enqueue(rec("b"));
    await tick();
    t.ack(1);
    box.close();
    expect(store.list("b").map((m) => m.payload.toString())).toEqual(["b"]);
  });

  it("while connected, a publish resolves only once the broker acknowledged it", async () => {
    const { box } = outbox();
    const t = new FakeTransport();
    box.connected("b", t);
    let resolved = false;
    void box.enqueue(rec("x")).then(() => (resolved = true));
    await tick();
    await tick();
    expect(resolved).toBe(false);
    t.ack();
    await tick();
    expect(resolved).toBe(true);
  });

  it("while disconnected, a publish resolves once stored, and everything goes out in order on connect", async () => {
    const { box, store } = outbox();
    await Promise.all(["a", "b", "c"].map((p) => box.enqueue(rec(p))));
    expect(store.count("b")).toBe(3);
    const t = new FakeTransport();
    box.connected("b", t);
    expect(t.payloads()).toEqual(["a", "b", "c"]);
  });

  it("keeps at most `window` messages in flight and sends the rest as acks come in", async () => {
    const { box } = outbox(undefined, { window: 2 });
    const t = new FakeTransport();
    box.connected("b", t);
    for (const p of ["1", "2", "3", "4", "5"]) void box.enqueue(rec(p));
    await tick();
    expect(t.payloads()).toEqual(["1", "2"]);
    t.ack(1);
    expect(t.payloads()).toEqual(["1", "2", "3"]);
    t.ack();
    t.ack();
    t.ack();
    expect(t.payloads()).toEqual(["1", "2", "3", "4", "5"]);
    expect(t.inFlight).toBe(0);
  });

  it("takes unacknowledged messages back on disconnect and resends them first, before newer ones, releasing waiting publishers", async () => {
    const { box } = outbox(undefined, { window: 3 });
    const t1 = new FakeTransport();
    box.connected("b", t1);
    const waits = ["1", "2", "3", "4"].map((p) => box.enqueue(rec(p)));
    await tick();
    t1.ack(1); // "1" delivered
    expect(t1.payloads()).toEqual(["1", "2", "3", "4"]);
    t1.up = false;
    box.disconnected("b");
    expect(t1.taken).toEqual([2, 3, 4]);
    await Promise.all(waits); // durably queued: nobody waits for the outage
    void box.enqueue(rec("5"));
    await tick();
    expect(box.count("b")).toBe(4);
    const t2 = new FakeTransport();
    box.connected("b", t2);
    expect(t2.payloads()).toEqual(["2", "3", "4"]);
    t2.ack();
    expect(t2.payloads()).toEqual(["2", "3", "4", "5"]);
    // A late callback from the old client changes nothing.
    t1.ack();
    t2.ack();
    expect(box.count("b")).toBe(0);
  });

  it("an ack in the middle of the window is not resent after a reconnect", async () => {
    const { box } = outbox(undefined, { window: 3 });
    const t1 = new FakeTransport();
    box.connected("b", t1);
    ["1", "2", "3"].forEach((p) => void box.enqueue(rec(p)));
    await tick();
    // QoS 2 completions can come out of order: "2" completes first.
    const inflight = (t1 as unknown as { inflight: { done: (e?: Error) => void; msg: StoredOutboxMessage }[] }).inflight;
    inflight.splice(1, 1)[0].done();
    box.disconnected("b");
    const t2 = new FakeTransport();
    box.connected("b", t2);
    expect(t2.payloads()).toEqual(["1", "3"]);
    expect(box.count("b")).toBe(2);
  });

  it("rejects a publish when the broker's outbox is full, naming the broker and the limit; other brokers are not affected", async () => {
    const { box } = outbox(undefined, { limit: 3 });
    await Promise.all(["1", "2", "3"].map((p) => box.enqueue(rec(p))));
    await expect(box.enqueue(rec("4"))).rejects.toThrow(
      "MQTT broker 'b': the outbox is full (3 QoS 1/2 messages waiting for the broker): the message to 't' was not queued",
    );
    await expect(box.enqueue(rec("x", "other"))).resolves.toBeUndefined();
    // The limit counts messages not yet written too (same tick).
    const fresh = outbox(undefined, { limit: 2 }).box;
    const results = await Promise.allSettled(["1", "2", "3"].map((p) => fresh.enqueue(rec(p))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
  });

  it("picks up messages left in the store by a previous run, oldest first", async () => {
    const store = new MemoryOutboxStore();
    store.append([rec("old1"), rec("old2")]);
    const { box } = outbox(store);
    expect(box.count("b")).toBe(2);
    expect(box.brokerIdsWithMessages()).toEqual(["b"]);
    void box.enqueue(rec("new"));
    await tick();
    const t = new FakeTransport();
    box.connected("b", t);
    expect(t.payloads()).toEqual(["old1", "old2", "new"]);
  });

  it("a message the broker refuses (MQTT 5 reason code) is dropped with an error instead of blocking the queue", async () => {
    const { box, store } = outbox();
    const t = new FakeTransport();
    box.connected("b", t);
    const first = box.enqueue(rec("denied"));
    const second = box.enqueue(rec("fine"));
    await tick();
    t.ack(1, Object.assign(new Error("Not authorized"), { code: 0x87 }));
    await expect(first).rejects.toThrow("MQTT broker 'b': the broker refused the message to 't': Not authorized");
    t.ack();
    await second;
    box.flush();
    expect(store.count("b")).toBe(0);
  });

  it("reports a store that cannot write as a rejected publish", async () => {
    const store = new MemoryOutboxStore();
    store.append = () => {
      throw new Error("disk I/O error");
    };
    const { box } = outbox(store);
    await expect(box.enqueue(rec("x"))).rejects.toThrow("MQTT broker 'b': could not write the message to 't' to the outbox: disk I/O error");
    expect(box.count("b")).toBe(0);
  });
});
