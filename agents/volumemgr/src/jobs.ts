import { KeyedJobs, type RunWork, type WorkResult } from "@outpost/agentbase";
import { Backoff, type BackoffOptions } from "@outpost/primitives";
import type { ActionKind, OpState } from "./actions.js";

// volumemgr's Docker and file jobs, one per key (a tag to load, a volume to create or remove, a
// manifest to read): running through agentbase's KeyedJobs, and, once one failed, when it is due
// again. The planner reads them as `OpState`s and starts a job only when none runs for its key and a
// failed one is due; the delay before a retry grows with each failure of that key (Backoff with
// jitter, so a node does not hammer a broken engine in lockstep) and starts over after a success.

/** The retry policy of each kind of job. Shorter for garbage collection (a container that held a
 * volume or image goes away soon), longer for a load (a bad archive stays bad until it is bumped). */
export const retryPolicies: Record<Exclude<ActionKind, `publish${string}`>, BackoffOptions> = {
  readManifest: { minMs: 15_000, maxMs: 120_000, jitter: 0.5 },
  loadImage: { minMs: 15_000, maxMs: 120_000, jitter: 0.5 },
  createVolume: { minMs: 10_000, maxMs: 60_000, jitter: 0.5 },
  removeVolume: { minMs: 5_000, maxMs: 30_000, jitter: 0.5 },
  removeImage: { minMs: 5_000, maxMs: 30_000, jitter: 0.5 },
};

/** A failed job nobody started again this long after it was due: its object is no longer wanted. */
export const FORGET_AFTER_MS = 120_000;

interface Failure {
  error: string;
  at: number;
  retryAt: number;
  backoff: Backoff;
}

export class Jobs {
  private readonly running: KeyedJobs;
  /** The keys with a current job (KeyedJobs answers per key; the planner needs them all). */
  private readonly runningKeys = new Set<string>();
  private readonly failures = new Map<string, Failure>();

  /** `finished` runs (on the main loop) after every job, once its result is applied: the world
   * changed, plan again. */
  constructor(
    work: RunWork,
    private readonly finished: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.running = new KeyedJobs(work);
  }

  /** Runs `fn` for `key`. `apply` puts its result into the world on the main loop and returns the
   * job's error, or undefined when it succeeded. */
  start<R>(
    key: string,
    retry: BackoffOptions,
    fn: (signal: AbortSignal) => Promise<R>,
    apply: (result: WorkResult<R>) => string | undefined,
  ): void {
    this.runningKeys.add(key);
    this.running.start(key, undefined, fn, ({ result }) => {
      this.runningKeys.delete(key);
      const error = apply(result);
      if (error === undefined) this.failures.delete(key);
      else {
        const backoff = this.failures.get(key)?.backoff ?? new Backoff(retry);
        const at = this.now();
        this.failures.set(key, { error, at, retryAt: at + backoff.next(), backoff });
      }
      this.finished();
    });
  }

  /** Every job the planner has to know about this pass. */
  snapshot(): Map<string, OpState> {
    const out = new Map<string, OpState>();
    for (const [key, f] of this.failures)
      out.set(key, { running: false, error: f.error, at: f.at, retryAt: f.retryAt });
    for (const key of this.runningKeys) out.set(key, { running: true });
    return out;
  }

  /** Drops failures nobody retried long after they were due (the object is no longer wanted), so
   * that a later wish for the same object starts afresh. */
  forgetStale(now: number): void {
    for (const [key, f] of this.failures)
      if (!this.runningKeys.has(key) && now - f.retryAt > FORGET_AFTER_MS) this.failures.delete(key);
  }

  /** The agent is stopping: every job's signal aborts. */
  abortAll(): void {
    this.running.abortAll();
  }
}
