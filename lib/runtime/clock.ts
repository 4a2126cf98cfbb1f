/** The real clock, and a fake one for tests that never sleep. */
import type { Clock, TimerHandle } from "./node-api";

let nextId = 1;

/** Node's timers overflow past 2^31-1 ms (~24.8 days) and then fire at once: longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

export class RealClock implements Clock {
  private readonly handles = new Map<number, NodeJS.Timeout>();

  /** (Re)arms timer `id` to run `fn` after `ms`, in hops of at most MAX_TIMER_MS. */
  private arm(id: number, ms: number, fn: () => void): void {
    const remaining = Math.max(0, ms);
    this.handles.set(
      id,
      setTimeout(() => (remaining > MAX_TIMER_MS ? this.arm(id, remaining - MAX_TIMER_MS, fn) : fn()), Math.min(remaining, MAX_TIMER_MS)),
    );
  }

  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    this.arm(id, ms, () => {
      this.handles.delete(id);
      fn();
    });
    return { id };
  }
  clearTimeout(handle: TimerHandle): void {
    const t = this.handles.get(handle.id);
    if (t) clearTimeout(t);
    this.handles.delete(handle.id);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    const period = Math.max(1, ms);
    const tick = () => {
      this.arm(id, period, tick);
      fn();
    };
    this.arm(id, period, tick);
    return { id };
  }
  clearInterval(handle: TimerHandle): void {
    this.clearTimeout(handle);
  }
}

interface FakeTimer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  intervalMs?: number;
}

/**
 * Deterministic clock: time moves only through `advance(ms)`, which fires due timers in
 * order of due time (then creation order), including timers armed by fired timers.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, FakeTimer>();
  constructor(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    this.timers.set(id, { id, due: this.time + Math.max(0, ms), seq: this.seq++, fn });
    return { id };
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    const intervalMs = Math.max(1, ms);
    this.timers.set(id, { id, due: this.time + intervalMs, seq: this.seq++, fn, intervalMs });
    return { id };
  }
  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }
  /** Number of armed timers (to assert that nothing is left behind). */
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.due <= end && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.time = next.due;
      if (next.intervalMs !== undefined) {
        next.due += next.intervalMs;
        next.seq = this.seq++;
      } else {
        this.timers.delete(next.id);
      }
      next.fn();
    }
    this.time = end;
  }
}
