import type { WorkResult } from "./worker-pool.js";

/** How a job is run off the main loop: `AgentContext.work` (or anything with its contract). */
export type RunWork = <R>(
  fn: (signal: AbortSignal) => Promise<R>,
  onDone: (result: WorkResult<R>) => void | Promise<void>,
) => void;

/** How a job ended, as its `onDone` sees it. */
export interface JobEnd<R> {
  result: WorkResult<R>;
  /** `abort(key)` was called while it ran: its result may be partial; plan again rather than use it. */
  aborted: boolean;
}

interface Job<Tag> {
  tag: Tag;
  abort: AbortController;
}

// "Run this job for key K": at most one job per key is current. Invariants:
// - starting a job for K aborts the job that was current for K, and that older job's result is
//   dropped (its onDone never runs): a stale answer can never overwrite a newer one;
// - `abort(K)` signals the current job to stop but keeps it current until it settles, so a planner
//   still sees "running" and does not start a second one beside it; its onDone runs with aborted;
// - `forget(K)` aborts and drops it at once (the key is gone);
// - onDone runs on the main loop (through `work`), and only while the job is still current; the job
//   stops being current just before onDone runs, so onDone may start the next one.
export class KeyedJobs<Tag = undefined> {
  private readonly jobs = new Map<string, Job<Tag>>();

  constructor(private readonly work: RunWork) {}

  /** Starts `fn` for `key`, superseding any job for it. `fn` gets a signal that aborts when the job
   * is aborted, superseded or forgotten, or the pool closes, and `current()`, true while it is still
   * the key's current job (check it before posting progress). */
  start<R>(
    key: string,
    tag: Tag,
    fn: (signal: AbortSignal, current: () => boolean) => Promise<R>,
    onDone: (end: JobEnd<R>) => void | Promise<void>,
  ): void {
    this.jobs.get(key)?.abort.abort();
    const job: Job<Tag> = { tag, abort: new AbortController() };
    this.jobs.set(key, job);
    const current = () => this.jobs.get(key) === job;
    this.work(
      (poolSignal) => fn(AbortSignal.any([poolSignal, job.abort.signal]), current),
      (result) => {
        if (!current()) return;
        this.jobs.delete(key);
        return onDone({ result, aborted: job.abort.signal.aborted });
      },
    );
  }

  /** The tag of the key's current job, if one runs. */
  running(key: string): Tag | undefined {
    return this.jobs.get(key)?.tag;
  }

  isRunning(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Asks the key's job to stop; it stays current until it settles (onDone sees aborted). */
  abort(key: string): void {
    this.jobs.get(key)?.abort.abort();
  }

  /** Aborts the key's job and drops it now: its onDone will not run. */
  forget(key: string): void {
    this.jobs.get(key)?.abort.abort();
    this.jobs.delete(key);
  }

  /** Aborts every job (the agent is stopping); each stays current until it settles. */
  abortAll(): void {
    for (const job of this.jobs.values()) job.abort.abort();
  }

  /** How many jobs are current. */
  get size(): number {
    return this.jobs.size;
  }
}
