import { closeSync, openSync, utimesSync } from "node:fs";
import { type MainLoop, sleep } from "@outpost/primitives";

/** Sets the file's mtime to now, creating it if needed. */
export function touchFile(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    closeSync(openSync(path, "a"));
  }
}

export interface TouchLoopOptions {
  loop: MainLoop;
  path: string;
  intervalMs: number;
  signal: AbortSignal;
  onError?: (err: unknown) => void;
}

/** Keeps run/<agent>.touch fresh while the main loop is healthy. The touch itself is a task posted
 * on the main loop, so a handler that never finishes, or a blocked event loop, stops the touching
 * and the watchdog sees a stale file. At most one touch task is queued: a slow loop does not pile
 * them up, and the first touch after it recovers refreshes the file. */
export async function runTouchLoop(o: TouchLoopOptions): Promise<void> {
  let queued = false;
  while (!o.signal.aborted) {
    if (!queued) {
      queued = true;
      o.loop.post(() => {
        queued = false;
        if (o.signal.aborted) return;
        try {
          touchFile(o.path);
        } catch (e) {
          o.onError?.(e);
        }
      });
    }
    await sleep(o.intervalMs, o.signal);
  }
}
