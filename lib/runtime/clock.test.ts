import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeClock, RealClock } from "./clock";

afterEach(() => {
  vi.useRealTimers();
});

describe("RealClock", () => {
  it("waits 30 days for a 30-day timeout instead of firing at once (Node's 24.8-day limit)", () => {
    vi.useFakeTimers();
    const clock = new RealClock();
    const fired: number[] = [];
    const day = 24 * 3600 * 1000;
    clock.setTimeout(() => fired.push(Date.now()), 30 * day);
    vi.advanceTimersByTime(29 * day);
    expect(fired).toHaveLength(0);
    vi.advanceTimersByTime(day);
    expect(fired).toHaveLength(1);
  });

  it("repeats an interval until cleared, also from inside its own callback", () => {
    vi.useFakeTimers();
    const clock = new RealClock();
    let n = 0;
    const h = clock.setInterval(() => {
      if (++n === 3) clock.clearInterval(h);
    }, 1000);
    vi.advanceTimersByTime(10_000);
    expect(n).toBe(3);
  });
});

describe("FakeClock", () => {
  it("fires timers in due order, including ones armed while advancing", () => {
    const clock = new FakeClock(0);
    const order: string[] = [];
    clock.setTimeout(() => {
      order.push("a@100");
      clock.setTimeout(() => order.push("c@150"), 50);
    }, 100);
    clock.setTimeout(() => order.push("b@200"), 200);
    clock.advance(300);
    expect(order).toEqual(["a@100", "c@150", "b@200"]);
    expect(clock.now()).toBe(300);
  });
});
