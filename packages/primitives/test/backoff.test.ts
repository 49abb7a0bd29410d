import { describe, expect, it } from "vitest";
import { Backoff } from "../src/backoff.js";

describe("Backoff", () => {
  it("next() doubles from min up to max, each delay jittered down by at most the jitter fraction", () => {
    const b = new Backoff({ minMs: 100, maxMs: 1000 });
    const bases = [100, 200, 400, 800, 1000, 1000];
    for (const base of bases) {
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(base * 0.5);
      expect(d).toBeLessThanOrEqual(base);
    }
    expect(b.attempts).toBe(bases.length);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBeLessThanOrEqual(100);
  });

  it("delay(n) is the n-th delay without counting it; random picks where in the jitter band", () => {
    const low = new Backoff({ minMs: 1000, maxMs: 8000, random: () => 1 });
    const high = new Backoff({ minMs: 1000, maxMs: 8000, random: () => 0 });
    expect([0, 1, 2, 3, 4, 40, 5000].map((n) => high.delay(n))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000, 8000,
    ]);
    expect([0, 1, 2, 3, 4].map((n) => low.delay(n))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(high.attempts).toBe(0);
  });

  it("a zero minimum never waits, at any attempt", () => {
    const b = new Backoff({ minMs: 0, maxMs: 1000 });
    expect([0, 1, 2000].map((n) => b.delay(n))).toEqual([0, 0, 0]);
  });
});
