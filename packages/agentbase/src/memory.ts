// Giving memory back once an agent is idle. V8 keeps the heap it grew while starting (or during a
// burst) until its memory reducer runs, which it schedules only some seconds after it notices the
// process went quiet (8 s by default; measured 8-12 s for newlogd and loguploader). One full
// collection when the agent knows it is idle brings PSS down at once (loguploader after onboarding:
// 27 -> 22 MiB; newlogd 3 s after start: 30-32 -> 23-25 MiB). `gc` is not exposed to scripts without
// --expose-gc at start; setting that flag at run time makes V8 install it in contexts made afterwards,
// so a fresh vm context hands it over. node:v8 and node:vm are loaded on first use, not when every
// agent starts (~1 ms of its start: bench/README.md, "Cold start").
import { createRequire } from "node:module";

const requireBuiltin = createRequire(import.meta.url);

let gcFn: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  try {
    const { setFlagsFromString } = requireBuiltin("node:v8") as typeof import("node:v8");
    const { runInNewContext } = requireBuiltin("node:vm") as typeof import("node:vm");
    setFlagsFromString("--expose-gc");
    const fn = runInNewContext("typeof gc === 'function' ? gc : null") as (() => void) | null;
    gcFn = fn;
  } catch {
    gcFn = null;
  }
  return gcFn;
}

/** Runs one full, synchronous garbage collection (tens of ms on a small heap): call it once when the
 * agent has just become idle, never on a hot path. Returns false when the runtime does not allow it. */
export function releaseIdleMemory(): boolean {
  const gc = collector();
  if (!gc) return false;
  gc();
  return true;
}
