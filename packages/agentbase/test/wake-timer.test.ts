import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WakeTimer } from "../src/wake-timer.js";

describe("WakeTimer", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const posted: (() => void)[] = [];
    let fired = 0;
    const w = new WakeTimer(
      (task) => posted.push(task),
      () => fired++,
    );
    const runLoop = () => {
      for (const t of posted.splice(0)) t();
    };
    return { w, posted, runLoop, fired: () => fired };
  };

  it("fires once at the time, through the loop", () => {
    const { w, posted, runLoop, fired } = make();
    w.arm(1_000_500);
    vi.advanceTimersByTime(499);
    expect(posted).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(fired()).toBe(0);
    runLoop();
    expect(fired()).toBe(1);
  });

  it("the same time again keeps the timer; a new time replaces it; cancel drops it", () => {
    const { w, runLoop, fired } = make();
    w.arm(1_000_500);
    vi.advanceTimersByTime(300);
    w.arm(1_000_500);
    vi.advanceTimersByTime(200);
    runLoop();
    expect(fired()).toBe(1);
    w.arm(1_001_000);
    w.arm(1_002_000);
    vi.advanceTimersByTime(600);
    runLoop();
    expect(fired()).toBe(1);
    vi.advanceTimersByTime(1000);
    runLoop();
    expect(fired()).toBe(2);
    w.arm(1_003_000);
    w.cancel();
    vi.advanceTimersByTime(5000);
    runLoop();
    expect(fired()).toBe(2);
  });

  it("a time already past fires at once", () => {
    const { w, runLoop, fired } = make();
    w.arm(0);
    vi.advanceTimersByTime(0);
    runLoop();
    expect(fired()).toBe(1);
  });
});
