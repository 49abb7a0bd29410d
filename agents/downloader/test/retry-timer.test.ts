import { describe, expect, it } from "vitest";
import { RetryTimer } from "../src/retry-timer.js";

/** Runs posted tasks at once and counts them (the main loop's part). */
function poster() {
  const posted: string[] = [];
  const post = (task: () => void) => {
    posted.push("task");
    task();
  };
  return { posted, post };
}

describe("RetryTimer", () => {
  it("runs the attempt as a posted task after the back-off delay (jittered), and says it waits meanwhile", async () => {
    const { posted, post } = poster();
    const t = new RetryTimer({ minMs: 40, maxMs: 1000 }, post);
    const started = performance.now();
    let delay = 0;
    await new Promise<void>((done) => {
      delay = t.schedule(done);
      expect(t.waiting).toBe(true);
    });
    expect(delay).toBeGreaterThanOrEqual(20);
    expect(delay).toBeLessThanOrEqual(40);
    expect(performance.now() - started).toBeGreaterThanOrEqual(delay - 1);
    expect(posted).toEqual(["task"]);
    expect(t.waiting).toBe(false);
    // Each failure doubles the next delay; reset starts over.
    const second = t.schedule(() => {});
    t.cancel();
    expect(second).toBeGreaterThanOrEqual(40);
    expect(second).toBeLessThanOrEqual(80);
    t.reset();
    const again = t.schedule(() => {});
    t.cancel();
    expect(again).toBeLessThanOrEqual(40);
  });

  it("a cancelled attempt never runs", async () => {
    const { post } = poster();
    const t = new RetryTimer({ minMs: 10, maxMs: 1000 }, post);
    let cancelledRan = false;
    t.schedule(() => {
      cancelledRan = true;
    });
    t.cancel();
    expect(t.waiting).toBe(false);
    // The next attempt waits longer (20..40 ms) than the cancelled one would have (5..10 ms): once it
    // ran, the cancelled one would have run before it.
    await new Promise<void>((done) => t.schedule(done));
    expect(cancelledRan).toBe(false);
  });
});
