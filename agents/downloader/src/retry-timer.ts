// One key's next attempt after a failure, for downloads and resolves alike: the delay comes from its
// own Backoff (primitives: exponential with jitter), and the attempt runs as a main-loop task.
import { Backoff, type BackoffOptions } from "@outpost/primitives";

export class RetryTimer {
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    o: BackoffOptions,
    private readonly post: (task: () => void) => void,
  ) {
    this.backoff = new Backoff(o);
  }

  /** An attempt is waiting for its delay. */
  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** Schedules `due` after the next back-off delay (replacing a waiting one); returns the delay. */
  schedule(due: () => void): number {
    this.cancel();
    const delay = this.backoff.next();
    this.timer = setTimeout(
      () =>
        this.post(() => {
          this.timer = undefined;
          due();
        }),
      delay,
    );
    return delay;
  }

  /** Drops a waiting attempt (the back-off keeps counting). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** It worked (or the config changed): the next failure waits the shortest delay again. */
  reset(): void {
    this.backoff.reset();
  }
}
