// The one polling helper of the tests. Its own module (also `@outpost/testkit/wait`) so unit tests get
// it without loading the process, Docker and controller helpers of the package index.

export type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

/** Polls `cond` every `intervalMs` until it returns a truthy value, and returns that value. It is tried
 * once more after the deadline has passed, so a slow machine never turns a condition that holds into a
 * failure. On timeout it throws `timed out after N ms waiting for <what>`; `what` may be a function,
 * called only then, so the message can describe the state at that moment (last status, log tail). */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  timeoutMs = 10_000,
  what: string | (() => string) = "condition",
  intervalMs = 20,
): Promise<Truthy<T>> {
  const start = Date.now();
  for (;;) {
    const done = Date.now() - start >= timeoutMs;
    const v = await cond();
    if (v) return v as Truthy<T>;
    if (done) {
      const text = typeof what === "function" ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${text}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
