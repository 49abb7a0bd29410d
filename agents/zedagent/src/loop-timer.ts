// A one-shot timer whose firing is a main-loop task: timers only post events, they never change
// state themselves. The delay is a function, re-read by `retime()` against the same start, so a
// config that shortens a period takes effect at once instead of after the old, longer wait.
import type { MainLoop } from "@outpost/primitives";

export class LoopTimer {
  private handle: NodeJS.Timeout | undefined;
  private armedAt = 0;
  private delay: (() => number) | undefined;

  constructor(
    private readonly loop: MainLoop,
    private readonly fire: () => void | Promise<void>,
  ) {}

  /** Fires once, `delayMs()` ms from now (re-arming replaces the previous arming). */
  arm(delayMs: () => number): void {
    this.armedAt = Date.now();
    this.delay = delayMs;
    this.schedule();
  }

  /** Re-reads the delay of a pending arming, counted from when it was armed. */
  retime(): void {
    if (this.delay) this.schedule();
  }

  get armed(): boolean {
    return this.delay !== undefined;
  }

  cancel(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
    this.delay = undefined;
  }

  private schedule(): void {
    clearTimeout(this.handle);
    const delay = this.delay;
    if (!delay) return;
    const left = Math.max(0, this.armedAt + delay() - Date.now());
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.delay = undefined;
      this.loop.post(this.fire);
    }, left);
  }
}
