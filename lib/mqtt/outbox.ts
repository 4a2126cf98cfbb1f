/**
 * The outbox: QoS 1/2 publishes that cannot go to their broker right now are written to a
 * store and sent, in order, once it is back — so a broker outage or an app restart during
 * one (even SIGKILL) loses none of them.
 *
 * - Durable when it matters: while the broker is connected and nothing waits, a publish goes
 *   straight to the client and is kept in memory until acknowledged (no disk write: that was
 *   ~70 µs per message at 1,000 msg/s). The moment the connection drops, every unacknowledged
 *   message is written to the store, before anything newer; publishes made while the broker
 *   is unreachable are written before their promise resolves. A graceful shutdown writes the
 *   unacknowledged ones too. What only a SIGKILL of the app while the broker is connected can
 *   lose is the handful of messages sent in the last round trip and not acknowledged yet.
 * - Group commit: the writes of one event-loop turn go in ONE transaction (setImmediate);
 *   deletes of acknowledged stored messages are batched at most every 25 ms. A SIGKILL
 *   between the PUBACK and the delete means the message is sent again after the restart (a
 *   duplicate, which QoS 1 allows).
 * - Order: per broker, messages go out oldest first with a bounded in-flight window. When
 *   the connection closes, the unacknowledged ones are taken back from the client (so MQTT.js
 *   does not resend them itself) and go out again first after the reconnect; publishes made
 *   meanwhile queue behind them.
 * - Bounded: at most `limit` messages per broker; beyond that a publish is rejected with an
 *   error naming the broker and the limit — never dropped silently.
 * - The publish promise resolves when the broker acknowledged the message, or — if the broker
 *   is not connected, or the connection drops first — as soon as the message is durably
 *   queued, so a flow never waits for an outage to end.
 *
 * Taken-back messages are re-sent as new PUBLISH packets: QoS 1 allows the duplicate; a QoS 2
 * message whose PUBREC had arrived before the connection dropped may also arrive twice.
 */
import type { QoS } from "./service";

export interface OutboxRecord {
  brokerId: string;
  topic: string;
  payload: Buffer;
  qos: Exclude<QoS, 0>;
  retain: boolean;
}

export interface StoredOutboxMessage extends OutboxRecord {
  /** Increasing in insertion order (SQLite autoincrement). */
  id: number;
}

/** Durable storage of the outbox (lib/db/outbox-store.ts). Every call is synchronous. */
export interface OutboxStore {
  /** Inserts the records in one transaction and returns their ids, in the same order. */
  append(records: readonly OutboxRecord[]): number[];
  /** A broker's messages, oldest first. */
  list(brokerId: string): StoredOutboxMessage[];
  /** Deletes these ids (one transaction). */
  remove(ids: readonly number[]): void;
  count(brokerId: string): number;
  /** Broker ids with at least one stored message. */
  brokerIds(): string[];
  close(): void;
}

/** An OutboxStore in memory (tests; no durability). */
export class MemoryOutboxStore implements OutboxStore {
  private readonly rows = new Map<number, StoredOutboxMessage>();
  private nextId = 1;
  appendCalls = 0;

  append(records: readonly OutboxRecord[]): number[] {
    this.appendCalls++;
    return records.map((r) => {
      const id = this.nextId++;
      this.rows.set(id, { ...r, id });
      return id;
    });
  }
  list(brokerId: string): StoredOutboxMessage[] {
    return [...this.rows.values()].filter((r) => r.brokerId === brokerId).sort((a, b) => a.id - b.id);
  }
  remove(ids: readonly number[]): void {
    for (const id of ids) this.rows.delete(id);
  }
  count(brokerId: string): number {
    let n = 0;
    for (const r of this.rows.values()) if (r.brokerId === brokerId) n++;
    return n;
  }
  brokerIds(): string[] {
    return [...new Set([...this.rows.values()].map((r) => r.brokerId))];
  }
  close(): void {}
}

/** How the outbox hands messages to one broker's client. */
export interface OutboxTransport {
  /** Connected and ready to take publishes. */
  ready(): boolean;
  /**
   * Hand one message to the client; `done(err)` when the broker acknowledged it (or the
   * client gave up on it). Returns a handle (the MQTT packet id) for takeBack, if known.
   */
  send(message: StoredOutboxMessage, done: (err?: Error) => void): number | undefined;
  /** Take an unacknowledged message back from the client so it will not send it itself. */
  takeBack(handle: number): void;
}

export interface OutboxOptions {
  store: OutboxStore;
  /** Per broker. Default 10,000. */
  limit?: number;
  /** Messages sent and not yet acknowledged, per broker. Default 1,000. */
  window?: number;
  /** "broker 'b1' (mqtt://…)" for error messages. */
  label: (brokerId: string) => string;
  warn: (text: string) => void;
}

type Waiter = { resolve: () => void; reject: (err: Error) => void };

interface Entry {
  msg: StoredOutboxMessage;
  /** Written to the store (msg.id is its row id); false while it lives in memory only. */
  stored: boolean;
  inFlight: boolean;
  /** Acknowledged (or refused by the broker); removed once every older entry is too. */
  done: boolean;
  /** Bumped on every send and take-back: stale callbacks compare it. */
  attempt: number;
  handle: number | undefined;
  waiter: Waiter | null;
}

interface Pending {
  record: OutboxRecord;
  waiter: Waiter;
}

class BrokerQueue {
  /** Oldest first; entries [head, head + inFlight count) are the ones handed to the client (in order). */
  entries: Entry[] = [];
  head = 0;
  /** Index of the first entry not handed to the client yet. */
  next = 0;
  inFlight = 0;
  /** Entries at or after `head` already acknowledged. */
  done = 0;
  /** Appended this turn, not written yet. */
  pending = 0;
  transport: OutboxTransport | null = null;

  get size(): number {
    return this.entries.length - this.head - this.done;
  }
}

export const DEFAULT_OUTBOX_LIMIT = 10_000;
/** Acknowledged messages are deleted from the store at most this late (one transaction). */
const DELETE_DELAY_MS = 25;

export class Outbox {
  readonly limit: number;
  readonly window: number;
  private readonly queues = new Map<string, BrokerQueue>();
  private writes: Pending[] = [];
  private deletes: number[] = [];
  private flushScheduled = false;
  private deleteTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: OutboxOptions) {
    this.limit = options.limit ?? DEFAULT_OUTBOX_LIMIT;
    this.window = Math.max(1, options.window ?? 1000);
  }

  /** Messages waiting for a broker (stored, in flight, or about to be written). */
  count(brokerId: string): number {
    const q = this.queue(brokerId);
    return q.size + q.pending;
  }

  /** Broker ids with stored messages (for draining after a restart). */
  brokerIdsWithMessages(): string[] {
    const ids = new Set(this.options.store.brokerIds());
    for (const [id, q] of this.queues) {
      if (q.size + q.pending > 0) ids.add(id);
      else ids.delete(id);
    }
    return [...ids];
  }

  /** Queue a QoS 1/2 publish; see the file comment for when the promise settles. */
  enqueue(record: OutboxRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.options.label(record.brokerId)}: the outbox is closed (the server is shutting down)`));
    const q = this.queue(record.brokerId);
    if (q.size + q.pending >= this.limit) {
      return Promise.reject(
        new Error(
          `${this.options.label(record.brokerId)}: the outbox is full (${this.limit} QoS 1/2 messages waiting for the broker): ` +
            `the message to '${record.topic}' was not queued. Check the broker connection, or raise the outbox limit`,
        ),
      );
    }
    if (q.pending === 0 && (q.transport?.ready() ?? false)) {
      // Connected and nothing older waiting to be written: straight to the client, kept in
      // memory until acknowledged (no disk write, no extra event-loop turn of latency).
      return new Promise<void>((resolve, reject) => {
        q.entries.push({ msg: { ...record, id: 0 }, stored: false, inFlight: false, done: false, attempt: 0, handle: undefined, waiter: { resolve, reject } });
        this.pump(q);
      });
    }
    q.pending++;
    return new Promise<void>((resolve, reject) => {
      this.writes.push({ record, waiter: { resolve, reject } });
      this.schedule();
    });
  }

  /** The broker's client is (re)connected through `transport`: send what waits. */
  connected(brokerId: string, transport: OutboxTransport): void {
    const q = this.queue(brokerId);
    q.transport = transport;
    this.pump(q);
  }

  /**
   * The connection closed: take the unacknowledged messages back from the client (they go
   * out first again on reconnect); publishers waiting on them are released (the messages are
   * durably queued).
   */
  disconnected(brokerId: string): void {
    const q = this.queues.get(brokerId);
    if (!q) return;
    const transport = q.transport;
    q.transport = null;
    for (let i = q.head; i < q.next; i++) {
      const e = q.entries[i];
      if (!e.inFlight) continue;
      e.inFlight = false;
      e.attempt++;
      if (e.handle !== undefined && transport) {
        try {
          transport.takeBack(e.handle);
        } catch {
          // the client is gone; nothing to take back
        }
      }
      e.handle = undefined;
    }
    q.inFlight = 0;
    q.next = q.head;
    this.persistVolatile(q);
    for (let i = q.head; i < q.entries.length; i++) {
      const e = q.entries[i];
      if (e.waiter) {
        e.waiter.resolve();
        e.waiter = null;
      }
    }
  }

  /** Write what is pending now (inserts and deletes). */
  flush(): void {
    this.flushScheduled = false;
    if (this.deleteTimer) {
      clearTimeout(this.deleteTimer);
      this.deleteTimer = null;
    }
    const writes = this.writes;
    const deletes = this.deletes;
    this.writes = [];
    this.deletes = [];
    if (deletes.length > 0) {
      try {
        this.options.store.remove(deletes);
      } catch (err) {
        // The messages were delivered; at worst they are sent again after a restart.
        this.options.warn(`mqtt outbox: removing ${deletes.length} delivered messages failed: ${(err as Error).message}`);
      }
    }
    if (writes.length === 0) return;
    // Per broker, decided once per turn: connected → memory only; not → the store, after
    // anything still in memory (so the stored order is the publish order).
    const readiness = new Map<BrokerQueue, boolean>();
    const durable: Pending[] = [];
    for (const w of writes) {
      const q = this.queue(w.record.brokerId);
      let ready = readiness.get(q);
      if (ready === undefined) {
        ready = q.transport?.ready() ?? false;
        readiness.set(q, ready);
        if (!ready) this.persistVolatile(q);
      }
      if (!ready) durable.push(w);
    }
    let ids: number[] = [];
    if (durable.length > 0) {
      try {
        ids = this.options.store.append(durable.map((w) => w.record));
      } catch (err) {
        for (const w of durable) {
          this.queue(w.record.brokerId).pending--;
          w.waiter.reject(new Error(`${this.options.label(w.record.brokerId)}: could not write the message to '${w.record.topic}' to the outbox: ${(err as Error).message}`));
        }
        ids = [];
        if (durable.length === writes.length) return;
      }
    }
    let d = 0;
    for (const { record, waiter } of writes) {
      const q = this.queue(record.brokerId);
      if (readiness.get(q)) {
        q.pending--;
        q.entries.push({ msg: { ...record, id: 0 }, stored: false, inFlight: false, done: false, attempt: 0, handle: undefined, waiter });
      } else if (ids.length > 0) {
        q.pending--;
        q.entries.push({ msg: { ...record, id: ids[d++] }, stored: true, inFlight: false, done: false, attempt: 0, handle: undefined, waiter: null });
        waiter.resolve(); // durably queued; do not make the flow wait for the outage
      }
    }
    for (const q of readiness.keys()) this.pump(q);
  }

  /** Writes the queue's memory-only messages (not yet acknowledged) to the store, in order. */
  private persistVolatile(q: BrokerQueue): void {
    const volatile: Entry[] = [];
    for (let i = q.head; i < q.entries.length; i++) {
      const e = q.entries[i];
      if (!e.stored && !e.done) volatile.push(e);
    }
    if (volatile.length === 0) return;
    try {
      const ids = this.options.store.append(volatile.map((e) => e.msg));
      volatile.forEach((e, i) => {
        e.msg = { ...e.msg, id: ids[i] };
        e.stored = true;
      });
    } catch (err) {
      this.options.warn(`mqtt outbox: writing ${volatile.length} unacknowledged messages to the outbox failed: ${(err as Error).message} (they stay in memory)`);
    }
  }

  /** Writes what is pending; later publishes are rejected. */
  close(): void {
    this.flush();
    // Unacknowledged messages go out again after the restart.
    for (const q of this.queues.values()) this.persistVolatile(q);
    this.closed = true;
    for (const q of this.queues.values()) {
      for (let i = q.head; i < q.entries.length; i++) {
        const e = q.entries[i];
        e.waiter?.resolve();
        e.waiter = null;
      }
    }
  }

  // ---- internals ---------------------------------------------------------------------

  private queue(brokerId: string): BrokerQueue {
    let q = this.queues.get(brokerId);
    if (!q) {
      q = new BrokerQueue();
      for (const msg of this.options.store.list(brokerId)) {
        q.entries.push({ msg, stored: true, inFlight: false, done: false, attempt: 0, handle: undefined, waiter: null });
      }
      this.queues.set(brokerId, q);
    }
    return q;
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private pump(q: BrokerQueue): void {
    const transport = q.transport;
    if (!transport) return;
    while (q.inFlight < this.window && q.next < q.entries.length) {
      if (!transport.ready()) return;
      const e = q.entries[q.next++];
      if (e.done) continue;
      e.inFlight = true;
      q.inFlight++;
      const attempt = ++e.attempt;
      e.handle = transport.send(e.msg, (err) => {
        if (e.attempt !== attempt || !e.inFlight) return; // taken back meanwhile
        this.settle(q, e, err);
      });
    }
  }

  private settle(q: BrokerQueue, e: Entry, err: Error | undefined): void {
    // An error without a broker reason code is the connection going away: the message stays
    // queued and `disconnected` takes it back. A reason code (MQTT 5 PUBACK ≥ 0x80) is the
    // broker refusing this message: retrying would block the queue forever.
    const code = (err as { code?: unknown } | undefined)?.code;
    if (err && typeof code !== "number") return;
    e.inFlight = false;
    e.attempt++;
    q.inFlight--;
    if (e.stored) {
      this.deletes.push(e.msg.id);
      // Deletes are not urgent (a lost one only means a duplicate after a crash): batch them.
      this.deleteTimer ??= setTimeout(() => this.flush(), DELETE_DELAY_MS);
    }
    if (err) {
      const text = `${this.options.label(e.msg.brokerId)}: the broker refused the message to '${e.msg.topic}': ${err.message}`;
      if (e.waiter) e.waiter.reject(new Error(text));
      else this.options.warn(`mqtt outbox: ${text} (dropped)`);
    } else {
      e.waiter?.resolve();
    }
    e.waiter = null;
    e.done = true;
    q.done++;
    this.compact(q);
    this.pump(q);
  }

  private compact(q: BrokerQueue): void {
    // Entries handed out are [head, next); an acknowledged one in the middle stays until the
    // ones before it are acknowledged too, so that a reconnect resends in the original order.
    const entries = q.entries;
    let moved = false;
    while (q.head < q.next && entries[q.head].done) {
      q.head++;
      q.done--;
      moved = true;
    }
    if (!moved) return;
    if (q.head > 1024 && q.head * 2 > entries.length) {
      q.entries = entries.slice(q.head);
      q.next -= q.head;
      q.head = 0;
    }
  }
}
