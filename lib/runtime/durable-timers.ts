/**
 * Durable timers: armed with an absolute due time, written through to storage, re-armed
 * after a restart (a timer that fell due while the app was down fires once, at once).
 * The executor owns one service; each node gets a `DurableTimers` view of its own timers.
 */
import type { Clock, DurableTimers, StoredTimer, TimerHandle } from "./node-api";

export interface StoredNodeTimer extends StoredTimer {
  nodeId: string;
}

export interface TimerPersistence {
  save(timer: StoredNodeTimer): void;
  delete(nodeId: string, key: string): void;
}

interface Armed {
  timer: StoredNodeTimer;
  handle: TimerHandle;
}

export class DurableTimerService {
  private readonly armed = new Map<string, Map<string, Armed>>();
  /** Loaded from storage at start, waiting for their node to be created. */
  private readonly waiting = new Map<string, StoredNodeTimer[]>();

  constructor(
    private readonly clock: Clock,
    private readonly persistence: TimerPersistence,
    private readonly fire: (nodeId: string, key: string, data: unknown) => void,
  ) {}

  load(timers: readonly StoredNodeTimer[]): void {
    for (const t of timers) {
      const list = this.waiting.get(t.nodeId) ?? [];
      list.push(t);
      this.waiting.set(t.nodeId, list);
    }
  }

  forNode(nodeId: string): DurableTimers {
    return {
      set: (key, dueAt, data) => {
        const timer: StoredNodeTimer = { nodeId, key, dueAt, data };
        this.arm(timer);
        this.persistence.save(timer);
      },
      cancel: (key) => {
        if (this.disarm(nodeId, key)) this.persistence.delete(nodeId, key);
      },
      keys: () => [...(this.armed.get(nodeId)?.keys() ?? [])],
    };
  }

  /**
   * Timers a node should adopt when (re)created: those loaded from storage at start and
   * those still armed by its previous instance. They are (re-)armed here.
   */
  adopt(nodeId: string): StoredTimer[] {
    const fromStorage = this.waiting.get(nodeId) ?? [];
    this.waiting.delete(nodeId);
    for (const t of fromStorage) this.arm(t);
    return [...(this.armed.get(nodeId)?.values() ?? [])].map(({ timer }) => ({ key: timer.key, dueAt: timer.dueAt, data: timer.data }));
  }

  /** The node is gone for good (removed, or changed to another type): forget its timers. */
  drop(nodeId: string): void {
    for (const key of [...(this.armed.get(nodeId)?.keys() ?? [])]) {
      this.disarm(nodeId, key);
      this.persistence.delete(nodeId, key);
    }
    for (const t of this.waiting.get(nodeId) ?? []) this.persistence.delete(nodeId, t.key);
    this.waiting.delete(nodeId);
  }

  /** Stored timers whose node is not in the running deployment (reported, then dropped). */
  orphans(): string[] {
    return [...this.waiting.keys()];
  }

  /** Stops every clock timer without touching storage (shutdown: they fire after restart). */
  suspendAll(): void {
    for (const timers of this.armed.values()) for (const { handle } of timers.values()) this.clock.clearTimeout(handle);
    this.armed.clear();
  }

  pendingCount(): number {
    let n = 0;
    for (const timers of this.armed.values()) n += timers.size;
    return n;
  }

  private arm(timer: StoredNodeTimer): void {
    this.disarm(timer.nodeId, timer.key);
    const delay = Math.max(0, timer.dueAt - this.clock.now());
    const handle = this.clock.setTimeout(() => {
      const byNode = this.armed.get(timer.nodeId);
      if (byNode?.get(timer.key)?.handle !== handle) return;
      byNode.delete(timer.key);
      this.persistence.delete(timer.nodeId, timer.key);
      this.fire(timer.nodeId, timer.key, timer.data);
    }, delay);
    let byNode = this.armed.get(timer.nodeId);
    if (!byNode) this.armed.set(timer.nodeId, (byNode = new Map()));
    byNode.set(timer.key, { timer, handle });
  }

  private disarm(nodeId: string, key: string): boolean {
    const byNode = this.armed.get(nodeId);
    const entry = byNode?.get(key);
    if (!entry) return false;
    this.clock.clearTimeout(entry.handle);
    byNode!.delete(key);
    return true;
  }
}
