/**
 * Messages held by the delay modes (fixed, random, msg.delay). Each one is a durable timer
 * (key "m<arrival number>", data = the message), so a restart or a redeploy does not lose
 * it: the runtime re-arms the timer with its original due time and a new node instance
 * rebuilds this list from `restore()` so msg.reset and msg.flush still reach it.
 * Node-RED keeps these in setTimeout handles and loses them on every redeploy.
 */
import type { NodeServices, StoredTimer, TimerHandle } from "../../runtime/node-api";
import type { Msg } from "../../runtime/message";
import type { QueueBound } from "./status";

interface Held {
  seq: number;
  key: string;
  msg: Msg;
  /** Only when the durable store refused the message: an in-memory timer instead. */
  memory?: TimerHandle;
}

const KEY = /^m(\d+)$/;

function isMsg(data: unknown): data is Msg {
  return data !== null && typeof data === "object" && !Array.isArray(data);
}

export class HeldMessages {
  /** In arrival order (Map keeps insertion order), which is the order msg.flush releases. */
  private readonly held = new Map<string, Held>();
  private nextSeq = 1;

  constructor(
    private readonly services: NodeServices,
    private readonly bound: QueueBound,
    private readonly who: string,
    private readonly changed: () => void,
  ) {}

  get size(): number {
    return this.held.size;
  }

  hold(msg: Msg, delayMs: number): void {
    if (this.bound.isFull(this.held.size)) {
      const oldest = this.held.values().next().value;
      if (oldest) this.discard(oldest);
      this.bound.noteDrop();
    }
    const seq = this.nextSeq++;
    const entry: Held = { seq, key: `m${seq}`, msg };
    this.held.set(entry.key, entry);
    try {
      this.services.durable.set(entry.key, this.services.clock.now() + delayMs, msg);
    } catch (e) {
      // A message the store cannot keep (e.g. a circular object) is still delayed, in memory.
      this.services.warn(
        `${this.who}: could not store the delayed message (${(e as Error).message}); it is held in memory and would be lost by a restart.`,
      );
      entry.memory = this.services.timers.setTimeout(() => this.due(entry.key, msg), delayMs);
    }
    this.changed();
  }

  /** Rebuilds the list from the durable timers a previous instance left armed. */
  restore(timers: readonly StoredTimer[]): void {
    const entries: Held[] = [];
    for (const t of timers) {
      const m = KEY.exec(t.key);
      if (!m || !isMsg(t.data)) continue;
      entries.push({ seq: Number(m[1]), key: t.key, msg: t.data });
    }
    entries.sort((a, b) => a.seq - b.seq);
    for (const e of entries) {
      this.held.set(e.key, e);
      this.nextSeq = Math.max(this.nextSeq, e.seq + 1);
    }
    if (entries.length > 0) this.changed();
  }

  /** A held message is due (its durable timer fired, or its in-memory fallback). */
  due(key: string, data: unknown): void {
    const entry = this.held.get(key);
    this.held.delete(key);
    const msg = entry?.msg ?? (isMsg(data) ? data : undefined);
    if (this.held.size === 0) this.bound.noteEmpty();
    if (entry || msg) this.changed();
    if (msg) this.services.send(msg);
  }

  /** Sends the first `count` held messages (in arrival order) at once. */
  flush(count: number): void {
    const batch = [...this.held.values()].slice(0, count);
    for (const entry of batch) this.discard(entry);
    if (this.held.size === 0) this.bound.noteEmpty();
    this.changed();
    for (const entry of batch) this.services.send(entry.msg);
  }

  /** Forgets every held message without sending it. */
  clear(): void {
    for (const entry of [...this.held.values()]) this.discard(entry);
    this.bound.noteEmpty();
    this.changed();
  }

  private discard(entry: Held): void {
    this.held.delete(entry.key);
    if (entry.memory) this.services.timers.clearTimeout(entry.memory);
    else this.services.durable.cancel(entry.key);
  }
}
