// The agent's main loop: a FIFO of tasks run strictly one at a time. Invariant: a task starts only
// after the previous one (and the promise it returned) has settled, so state owned by the loop is
// never touched by two handlers at once. A throwing task is reported and the loop goes on.

export type Task = () => void | Promise<void>;

export class MainLoop {
  private readonly queue: Task[] = [];
  private running = false;
  private closed = false;
  /** Time (ms, monotonic) the current task started; undefined while idle. */
  private taskStartedAt: number | undefined;

  constructor(private readonly onError: (err: unknown) => void = (e) => console.error(e)) {}

  post(task: Task): void {
    if (this.closed) return;
    this.queue.push(task);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Runs `task` on the loop and resolves with its result once it has run. */
  run<R>(task: () => R | Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.post(async () => {
        try {
          resolve(await task());
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  /** How long the current task has been running (0 when idle): a stuck handler shows here. */
  busyForMs(): number {
    return this.taskStartedAt === undefined ? 0 : performance.now() - this.taskStartedAt;
  }

  get pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const task = this.queue.shift();
      if (!task) break;
      this.taskStartedAt = performance.now();
      try {
        const r = task();
        if (r && typeof (r as Promise<void>).then === "function") await r;
      } catch (e) {
        this.onError(e);
      }
      this.taskStartedAt = undefined;
    }
    this.running = false;
  }
}
