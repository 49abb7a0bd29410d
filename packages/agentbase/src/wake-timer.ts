// One pending wake-up of one record: a planner's `wakeAt` action says "look at this record again at
// time `at`". Arming it again for the same time keeps the timer; a new time replaces it; `cancel`
// drops it. The callback is posted to the agent's main loop, so it runs like any other event.

export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private at: number | undefined;

  /** `post` queues a task on the main loop (ctx.loop.post); `fire` is that task. */
  constructor(
    private readonly post: (task: () => void) => void,
    private readonly fire: () => void,
  ) {}

  arm(at: number): void {
    if (this.timer && this.at === at) return;
    clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(
      () =>
        this.post(() => {
          this.timer = undefined;
          this.at = undefined;
          this.fire();
        }),
      Math.max(0, at - Date.now()),
    );
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.at = undefined;
  }
}
