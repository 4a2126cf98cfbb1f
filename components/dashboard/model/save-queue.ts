/**
 * Debounced saving of dashboards, one pending document per dashboard id, one request at a
 * time. Every edit calls `schedule(dashboard)`; `delayMs` after the last edit the newest
 * version of each changed dashboard is PUT. Switching dashboards never loses an edit of
 * the previous one. A refused save (403: not allowed; 400/422: invalid) is not retried by
 * itself; other failures are kept and retried with the next edit or `flush()`.
 */
export type SaveState =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  | { kind: "error"; message: string; status: number; details?: unknown };

export interface SaveError extends Error {
  status?: number;
  details?: unknown;
}

export interface SaveQueueOptions<D extends { id: string }> {
  delayMs: number;
  save: (doc: D) => Promise<void>;
  onState: (state: SaveState) => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Statuses that mean "this document will not be accepted as it is": keep it out of the retry loop. */
function isRefusal(status: number): boolean {
  return status === 400 || status === 403 || status === 422;
}

export class SaveQueue<D extends { id: string }> {
  private pending = new Map<string, D>();
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: SaveQueueOptions<D>) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get dirty(): boolean {
    return this.pending.size > 0 || this.running !== null;
  }

  schedule(doc: D): void {
    this.pending.set(doc.id, doc);
    this.opts.onState({ kind: "pending" });
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.run();
    }, this.opts.delayMs);
  }

  /** Forgets unsaved edits of a dashboard (it was deleted). */
  drop(id: string): void {
    this.pending.delete(id);
  }

  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    await this.run();
  }

  dispose(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    while (this.running) await this.running;
    if (this.pending.size === 0) return;
    const attempt = this.saveAll();
    this.running = attempt;
    try {
      await attempt;
    } finally {
      this.running = null;
    }
  }

  private async saveAll(): Promise<void> {
    this.opts.onState({ kind: "saving" });
    let failure: SaveState | null = null;
    while (this.pending.size > 0) {
      const [id, doc] = this.pending.entries().next().value as [string, D];
      this.pending.delete(id);
      try {
        await this.opts.save(doc);
      } catch (e) {
        const err = e as SaveError;
        const status = typeof err?.status === "number" ? err.status : 0;
        failure = { kind: "error", message: err instanceof Error ? err.message : String(e), status, details: err?.details };
        // Keep it for a retry unless the server refused this document, or a newer edit replaced it.
        if (!isRefusal(status) && !this.pending.has(id)) this.pending.set(id, doc);
        break;
      }
    }
    this.opts.onState(failure ?? { kind: "saved", at: (this.opts.now ?? Date.now)() });
  }
}
