import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AutoSaver, type SaveState } from "./autosave";

describe("draft autosave", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(save: (doc: number) => Promise<void>) {
    const states: SaveState["kind"][] = [];
    const saver = new AutoSaver<number>({ delayMs: 500, save, onState: (s) => states.push(s.kind) });
    return { saver, states };
  }

  it("saves once, 500 ms after the last of several quick edits, with the newest draft", async () => {
    const saved: number[] = [];
    const { saver, states } = setup(async (d) => void saved.push(d));
    saver.schedule(1);
    await vi.advanceTimersByTimeAsync(300);
    saver.schedule(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([2]);
    expect(states.at(-1)).toBe("saved");
    expect(saver.dirty).toBe(false);
  });

  it("deploy's flush saves a pending edit at once", async () => {
    const saved: number[] = [];
    const { saver } = setup(async (d) => void saved.push(d));
    saver.schedule(7);
    await saver.flush();
    expect(saved).toEqual([7]);
  });

  it("an edit made while a save is running is saved after it, never concurrently", async () => {
    const saved: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const { saver } = setup(async (d) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 100));
      inFlight--;
      saved.push(d);
    });
    saver.schedule(1);
    await vi.advanceTimersByTimeAsync(550);
    saver.schedule(2);
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(300);
    await flushed;
    expect(saved).toEqual([1, 2]);
    expect(maxInFlight).toBe(1);
  });

  it("a failed save shows an error and is retried by the next flush", async () => {
    let fail = true;
    const saved: number[] = [];
    const { saver, states } = setup(async (d) => {
      if (fail) throw new Error("server said no");
      saved.push(d);
    });
    saver.schedule(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(states.at(-1)).toBe("error");
    expect(saver.dirty).toBe(true);
    fail = false;
    await saver.flush();
    expect(saved).toEqual([3]);
    expect(states.at(-1)).toBe("saved");
  });
});
