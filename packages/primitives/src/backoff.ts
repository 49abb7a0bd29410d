// Exponential backoff with full jitter. Invariant: the n-th delay lies in
// [min * factor^n * (1 - jitter), min * factor^n], capped at max, so many nodes restarting
// together spread out instead of hammering the same server in lockstep.

export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  factor?: number;
  /** Fraction of the delay that is randomised (0 = none, 1 = anywhere in [0, delay]). */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  constructor(private readonly o: BackoffOptions) {}

  /** The delay before the next attempt, counting it. */
  next(): number {
    return this.delay(this.attempt++);
  }

  /** The delay before attempt `n` (0 for the first retry), without counting it: for a pure planner
   * that keeps its own attempt count in its state (and gets this Backoff with its policy). */
  delay(n: number): number {
    const { minMs, maxMs, factor = 2, jitter = 0.5, random = Math.random } = this.o;
    // minMs 0 means "no wait" at every attempt (0 * Infinity would be NaN).
    const base = minMs <= 0 ? 0 : Math.min(maxMs, minMs * factor ** Math.max(0, n));
    return Math.round(base * (1 - jitter * random()));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
