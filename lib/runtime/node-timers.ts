import type { Clock, NodeTimers, TimerHandle } from "./node-api";

/** A node's timers on top of a clock; `clearAll` runs when the node closes. */
export class TrackedTimers implements NodeTimers {
  private readonly live = new Map<number, { handle: TimerHandle; interval: boolean }>();
  constructor(private readonly clock: Clock) {}
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.live.delete(handle.id);
      fn();
    }, ms);
    this.live.set(handle.id, { handle, interval: false });
    return handle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.live.delete(handle.id);
    this.clock.clearTimeout(handle);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const handle = this.clock.setInterval(fn, ms);
    this.live.set(handle.id, { handle, interval: true });
    return handle;
  }
  clearInterval(handle: TimerHandle): void {
    this.live.delete(handle.id);
    this.clock.clearInterval(handle);
  }
  clearAll(): void {
    for (const { handle, interval } of this.live.values()) {
      if (interval) this.clock.clearInterval(handle);
      else this.clock.clearTimeout(handle);
    }
    this.live.clear();
  }
  get size(): number {
    return this.live.size;
  }
}
