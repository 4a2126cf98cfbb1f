/**
 * Coalescing write-through for state that changes per message (context, durable timers):
 * changes are keyed, the newest per key wins, and everything pending is written in one
 * transaction on the next tick (or after `delayMs`) — one SQLite transaction per burst
 * instead of one per message. Flushes never overlap. `flush()` at shutdown writes what is
 * left; a SIGKILL can lose at most the changes of the last tick (or `delayMs`).
 */
export class WriteBehind<K, V> {
  private pending = new Map<string, { key: K; value: V | undefined }>();
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: { key: K; value: V | undefined }[]) => Promise<void> | void,
    private readonly id: (key: K) => string,
    private readonly onError: (err: unknown) => void,
    /** 0: flush on the next tick; > 0: at most one flush per this many ms (batches bursts
     * that arrive one message per tick, e.g. 1,000 motions/s each re-arming a timer). */
    private readonly delayMs = 0,
  ) {}

  /** value undefined = delete */
  put(key: K, value: V | undefined): void {
    this.pending.set(this.id(key), { key, value });
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.delayMs > 0) setTimeout(run, this.delayMs).unref();
    else setImmediate(run);
  }

  flush(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.write(batch);
      } catch (err) {
        this.onError(err);
      }
    });
    return this.running;
  }
}
