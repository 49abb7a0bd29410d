import type { MainLoop } from "@outpost/primitives";
import PQueue from "p-queue";

export type WorkResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

// Slow work (HTTP, hashing, Docker calls, killing a process and waiting) runs here, off the main
// loop, at most `concurrency` at a time. Invariant: its result is applied by a task on the main
// loop, so loop-owned state is only ever changed by loop tasks, one at a time.
export class WorkerPool {
  private readonly queue: PQueue;
  private readonly abort = new AbortController();

  constructor(
    private readonly loop: MainLoop,
    concurrency: number,
  ) {
    this.queue = new PQueue({ concurrency });
  }

  /** Runs `fn` in the pool; `onDone` gets its outcome as a main-loop task. `fn` gets a signal that
   * aborts when the pool closes (the agent is stopping). */
  submit<R>(
    fn: (signal: AbortSignal) => Promise<R>,
    onDone: (result: WorkResult<R>) => void | Promise<void>,
  ): void {
    if (this.abort.signal.aborted) return;
    const signal = this.abort.signal;
    this.queue
      .add(() => fn(signal))
      .then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      )
      .then((result) => this.loop.post(() => onDone(result)));
  }

  get size(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    return this.queue.onIdle();
  }

  /** Drops queued work and signals running work to stop; resolves when running work has settled. */
  async close(): Promise<void> {
    this.queue.clear();
    this.abort.abort();
    await this.queue.onIdle();
  }
}
