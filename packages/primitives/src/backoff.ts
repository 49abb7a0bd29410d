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

  next(): number {
    const { minMs, maxMs, factor = 2, jitter = 0.5, random = Math.random } = this.o;
    const base = Math.min(maxMs, minMs * factor ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 - jitter * random()));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
