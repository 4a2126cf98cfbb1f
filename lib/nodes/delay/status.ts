/**
 * Status reporting for the delay node: queue counts change with every message, and every
 * status is broadcast to the editor and to status nodes, so updates are coalesced to at most
 * one per STATUS_INTERVAL_MS (Node-RED's reportDepth waits 500 ms for the same reason). The
 * latest status always gets out, at the latest STATUS_INTERVAL_MS after it was set.
 */
import type { NodeServices, NodeStatus, TimerHandle } from "../../runtime/node-api";

export const STATUS_INTERVAL_MS = 500;

export class ThrottledStatus {
  private shown = "";
  private lastAt = Number.NEGATIVE_INFINITY;
  private pending: NodeStatus | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly services: NodeServices) {}

  set(status: NodeStatus): void {
    this.pending = status;
    if (this.timer) return;
    const wait = this.lastAt + STATUS_INTERVAL_MS - this.services.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.services.timers.setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const status = this.pending;
    this.pending = undefined;
    if (!status) return;
    const key = JSON.stringify(status);
    if (key === this.shown) return;
    this.shown = key;
    this.lastAt = this.services.clock.now();
    this.services.status(status);
  }
}

/**
 * The bound on a queue: when it is full the oldest message is dropped. One warning per
 * overflow (until the queue empties again); the status shows how many were dropped.
 */
export class QueueBound {
  /** Messages dropped since the queue last was empty. */
  dropped = 0;
  private warned = false;

  constructor(
    /** 0 = no limit. */
    readonly limit: number,
    private readonly warn: (text: string) => void,
    private readonly what: string,
  ) {}

  isFull(size: number): boolean {
    return this.limit > 0 && size >= this.limit;
  }

  noteDrop(): void {
    this.dropped++;
    if (this.warned) return;
    this.warned = true;
    this.warn(
      `${this.what} is full (${this.limit} messages): dropped the oldest. Raise "Max queue" (maxQueue, 0 = no limit) or send fewer messages; further drops are counted in the status until the queue empties.`,
    );
  }

  noteEmpty(): void {
    this.dropped = 0;
    this.warned = false;
  }

  /** Status text for `size` queued messages: "12", or "1000 (37 dropped)". */
  text(size: number): string {
    return this.dropped > 0 ? `${size} (${this.dropped} dropped)` : String(size);
  }
}
