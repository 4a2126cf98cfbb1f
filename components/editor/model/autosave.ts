/**
 * Debounced, one-at-a-time saving of the draft. Each edit calls `schedule(doc)`; the saver
 * waits `delayMs` after the last edit, then saves the newest document. Only one save runs
 * at a time; edits made during a save are saved right after it. `flush()` saves now and
 * resolves when everything scheduled so far is stored (the deploy button uses it).
 */
export type SaveState =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  | { kind: "error"; message: string };

export interface AutoSaverOptions<D> {
  delayMs: number;
  save: (doc: D) => Promise<void>;
  onState: (state: SaveState) => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class AutoSaver<D> {
  private pending: { doc: D } | null = null;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private lastError: Error | null = null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: AutoSaverOptions<D>) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** True while an edit has not been stored yet. */
  get dirty(): boolean {
    return this.pending !== null || this.running !== null;
  }

  /** The newest unsaved document, for a last-chance save when the tab closes. */
  get unsaved(): D | null {
    return this.pending?.doc ?? null;
  }

  schedule(doc: D): void {
    this.pending = { doc };
    this.opts.onState({ kind: "pending" });
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.run().catch(() => undefined);
    }, this.opts.delayMs);
  }

  /** Saves anything pending now. Rejects with the save error if the last save failed. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    await this.run();
    if (this.lastError) throw this.lastError;
  }

  /** Stops the timer (component unmount). */
  dispose(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    if (!this.pending) return;
    const { doc } = this.pending;
    this.pending = null;
    this.opts.onState({ kind: "saving" });
    const attempt = (async () => {
      try {
        await this.opts.save(doc);
        this.lastError = null;
        if (!this.pending) this.opts.onState({ kind: "saved", at: (this.opts.now ?? Date.now)() });
      } catch (e) {
        this.lastError = e instanceof Error ? e : new Error(String(e));
        // Keep the document so the next edit or flush retries it.
        if (!this.pending) this.pending = { doc };
        this.opts.onState({ kind: "error", message: this.lastError.message });
        throw this.lastError;
      }
    })();
    this.running = attempt;
    try {
      await attempt;
    } finally {
      this.running = null;
    }
    if (this.pending && this.timer === null) await this.run();
  }
}
