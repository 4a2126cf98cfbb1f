import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SaveQueue, type SaveState } from "./save-queue";

interface Doc {
  id: string;
  v: number;
}

function setup(save: (d: Doc) => Promise<void>) {
  const states: SaveState[] = [];
  const q = new SaveQueue<Doc>({ delayMs: 500, save, onState: (s) => states.push(s), now: () => 42 });
  return { q, states };
}

function httpError(status: number, message: string, details?: unknown) {
  return Object.assign(new Error(message), { status, details });
}

describe("dashboard saving", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves once, 500 ms after the last quick edit, and then says Saved", async () => {
    const saved: Doc[] = [];
    const { q, states } = setup(async (d) => void saved.push(d));
    q.schedule({ id: "a", v: 1 });
    await vi.advanceTimersByTimeAsync(300);
    q.schedule({ id: "a", v: 2 });
    await vi.advanceTimersByTimeAsync(499);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([{ id: "a", v: 2 }]);
    expect(states.at(-1)).toEqual({ kind: "saved", at: 42 });
    expect(q.dirty).toBe(false);
  });

  it("an edit of another dashboard right after does not lose the first one", async () => {
    const saved: Doc[] = [];
    const { q } = setup(async (d) => void saved.push(d));
    q.schedule({ id: "a", v: 1 });
    q.schedule({ id: "b", v: 1 });
    await q.flush();
    expect(saved.map((d) => d.id).sort()).toEqual(["a", "b"]);
  });

  it("never saves two at once; an edit made during a save is saved after it", async () => {
    const saved: number[] = [];
    let inFlight = 0;
    let max = 0;
    const { q } = setup(async (d) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 100));
      saved.push(d.v);
      inFlight--;
    });
    q.schedule({ id: "a", v: 1 });
    await vi.advanceTimersByTimeAsync(550);
    q.schedule({ id: "a", v: 2 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(saved).toEqual([1, 2]);
    expect(max).toBe(1);
  });

  it("reports a refused save (403) with its status and does not retry it by itself", async () => {
    const save = vi.fn(async () => {
      throw httpError(403, "Viewers cannot change dashboards");
    });
    const { q, states } = setup(save);
    q.schedule({ id: "a", v: 1 });
    await vi.advanceTimersByTimeAsync(500);
    expect(states.at(-1)).toMatchObject({ kind: "error", status: 403, message: "Viewers cannot change dashboards" });
    await q.flush();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("passes the server's validation details on", async () => {
    const { q, states } = setup(async () => {
      throw httpError(400, "Invalid dashboard", [{ path: "widgets.0.topic", message: "too long" }]);
    });
    q.schedule({ id: "a", v: 1 });
    await q.flush();
    expect(states.at(-1)).toMatchObject({ kind: "error", status: 400, details: [{ path: "widgets.0.topic", message: "too long" }] });
  });

  it("keeps an edit after a network failure and saves it on the next try", async () => {
    let fail = true;
    const saved: number[] = [];
    const { q } = setup(async (d) => {
      if (fail) throw httpError(0, "Cannot reach the server");
      saved.push(d.v);
    });
    q.schedule({ id: "a", v: 1 });
    await q.flush();
    expect(q.dirty).toBe(true);
    fail = false;
    await q.flush();
    expect(saved).toEqual([1]);
  });

  it("forgets unsaved edits of a deleted dashboard", async () => {
    const saved: Doc[] = [];
    const { q } = setup(async (d) => void saved.push(d));
    q.schedule({ id: "a", v: 1 });
    q.drop("a");
    await q.flush();
    expect(saved).toEqual([]);
  });
});
