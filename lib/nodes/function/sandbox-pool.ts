/**
 * A small pool of worker threads that run function-node code in QuickJS (sandbox-worker.mjs).
 * The app's event loop never runs user code: an endless loop costs one worker until its
 * deadline (QuickJS interrupt), a memory bomb hits QuickJS's memory limit, and a worker that
 * does not answer in time (a native operation that ignores the deadline) or dies is
 * terminated and replaced. Workers start lazily and are unref'd while idle, so an unused pool
 * never keeps the process alive.
 */
import { Worker } from "node:worker_threads";

export const DEFAULT_SANDBOX_MEMORY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_SANDBOX_STACK_BYTES = 256 * 1024;
/** Extra time the pool waits for a worker past the job's own deadline before killing it. */
const WATCHDOG_GRACE_MS = 10_000;
/** Memory of the worker's own V8 heap (QuickJS lives in wasm memory, bounded separately). */
const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };

export interface SandboxSource {
  /** "function.js", "initialize.js", "finalize.js": names the code in error positions. */
  file: string;
  code: string;
}

export interface SandboxRunRequest extends SandboxSource {
  /** JSON text: {mode, msg, context: {node, flow, global}, env, node: {id, name, outputs}}. */
  input: string;
  timeoutMs: number;
  memoryBytes: number;
  stackBytes: number;
}

export interface SandboxFailure {
  /** error: the code threw; timeout / memory: a limit was hit; crash: the worker died. */
  kind: "error" | "timeout" | "memory" | "crash";
  name?: string;
  message?: string;
  stack?: string;
  /** A thrown non-Error value, as text. */
  thrown?: string;
}

export interface SandboxRunResult {
  /** What the code did before it ended, in order: [kind, JSON text]. */
  events: [string, string][];
  /** JSON text of the returned value ("null" for nothing); absent on failure. */
  result?: string;
  failure?: SandboxFailure;
}

export interface SandboxCheckError {
  file: string;
  name?: string;
  message?: string;
  stack?: string;
  thrown?: string;
}

type Job =
  | { kind: "run"; request: SandboxRunRequest; resolve: (r: SandboxRunResult) => void }
  | { kind: "check"; sources: SandboxSource[]; memoryBytes: number; resolve: (r: SandboxCheckError[]) => void };

interface Slot {
  worker: Worker;
  job: { id: number; job: Job; watchdog: ReturnType<typeof setTimeout> } | null;
  killedForTimeout: boolean;
  dead: boolean;
}

interface WorkerReply {
  id: number;
  crashed?: string;
  errors?: SandboxCheckError[];
  events?: [string, string][];
  result?: string;
  failure?: SandboxFailure;
  /** The worker retires after this reply (its heap reached the maximum). */
  recycle?: boolean;
}

export interface SandboxPoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Workers replaced after a crash or a missed deadline since the pool started. */
  replaced: number;
}

export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private replaced = 0;
  private closed = false;

  /**
   * @param size number of worker threads
   * @param memoryBytes what one invocation may use: each worker's wasm heap is capped at this
   *   plus the QuickJS runtime's own 16 MB base.
   */
  constructor(
    private readonly size: number,
    private readonly memoryBytes = DEFAULT_SANDBOX_MEMORY_BYTES,
  ) {}

  run(request: SandboxRunRequest): Promise<SandboxRunResult> {
    return new Promise((resolve) => this.submit({ kind: "run", request, resolve }));
  }

  /** Compiles without running; resolves with the syntax errors found (empty when fine). */
  check(sources: SandboxSource[], memoryBytes = DEFAULT_SANDBOX_MEMORY_BYTES): Promise<SandboxCheckError[]> {
    return new Promise((resolve) => this.submit({ kind: "check", sources, memoryBytes, resolve }));
  }

  stats(): SandboxPoolStats {
    return {
      workers: this.slots.length,
      busy: this.slots.filter((s) => s.job !== null).length,
      queued: this.queue.length,
      replaced: this.replaced,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const job of this.queue.splice(0)) this.settle(job, { kind: "crash", message: "the function sandbox was shut down" });
    await Promise.all(
      slots.map(async (slot) => {
        slot.dead = true;
        if (slot.job) {
          clearTimeout(slot.job.watchdog);
          this.settle(slot.job.job, { kind: "crash", message: "the function sandbox was shut down" });
          slot.job = null;
        }
        await slot.worker.terminate();
      }),
    );
  }

  private submit(job: Job): void {
    if (this.closed) {
      this.settle(job, { kind: "crash", message: "the function sandbox was shut down" });
      return;
    }
    this.queue.push(job);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null && !s.dead);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift() as Job;
      const id = this.nextId++;
      const limitMs = job.kind === "run" ? job.request.timeoutMs : 2_000;
      const target = slot;
      target.job = { id, job, watchdog: setTimeout(() => this.kill(target), limitMs + WATCHDOG_GRACE_MS) };
      target.worker.ref();
      if (job.kind === "run") target.worker.postMessage({ id, kind: "run", ...job.request });
      else target.worker.postMessage({ id, kind: "check", sources: job.sources, memoryBytes: job.memoryBytes });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL("./sandbox-worker.mjs", import.meta.url), {
      resourceLimits: WORKER_RESOURCE_LIMITS,
      workerData: { maxHeapBytes: this.memoryBytes + 16 * 1024 * 1024 },
      // Node options of the parent (e.g. tsx's --import) are not needed by the plain .mjs worker.
      execArgv: [],
    });
    const slot: Slot = { worker, job: null, killedForTimeout: false, dead: false };
    worker.on("message", (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on("error", (err: Error) => this.onExit(slot, `${err.name}: ${err.message}`));
    worker.on("exit", (code) => this.onExit(slot, `the sandbox worker exited (code ${code})`));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const current = slot.job;
    if (!current || current.id !== reply.id) return;
    clearTimeout(current.watchdog);
    slot.job = null;
    // A retiring worker takes no new job; onExit replaces it.
    if (reply.recycle) slot.dead = true;
    if (reply.crashed !== undefined) {
      // The worker ends itself after a crash; onExit replaces it.
      slot.dead = true;
      this.settle(current.job, { kind: "crash", message: reply.crashed });
    } else if (current.job.kind === "check") {
      current.job.resolve(reply.errors ?? []);
    } else {
      current.job.resolve({ events: reply.events ?? [], result: reply.result, failure: reply.failure });
    }
    if (slot.job === null) slot.worker.unref();
    this.dispatch();
  }

  private kill(slot: Slot): void {
    slot.killedForTimeout = true;
    void slot.worker.terminate();
  }

  private onExit(slot: Slot, reason: string): void {
    if (!this.slots.includes(slot)) return;
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.dead = true;
    this.replaced++;
    const current = slot.job;
    slot.job = null;
    if (current) {
      clearTimeout(current.watchdog);
      this.settle(current.job, slot.killedForTimeout ? { kind: "timeout", message: "the sandbox did not answer in time" } : { kind: "crash", message: reason });
    }
    void slot.worker.terminate();
    this.dispatch();
  }

  private settle(job: Job, failure: SandboxFailure): void {
    if (job.kind === "run") job.resolve({ events: [], failure });
    else job.resolve([{ file: job.sources[0]?.file ?? "function.js", name: "Error", message: failure.message }]);
  }
}

let shared: SandboxPool | undefined;
const DEFAULT_WORKERS = 2;

/** The process's pool (created on first use). */
export function sandboxPool(): SandboxPool {
  if (!shared) shared = new SandboxPool(DEFAULT_WORKERS);
  return shared;
}

/** Stops the process's pool (shutdown, tests); the next use starts a new one. */
export async function closeSandboxPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
