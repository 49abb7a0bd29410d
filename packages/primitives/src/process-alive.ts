import { readFileSync } from "node:fs";

// Whether a pid names a running process. Invariant: a zombie (exited, not yet reaped by its parent)
// counts as dead. `kill -0` alone says a zombie is alive, and on hosts whose init does not reap
// orphans a killed agent would then look alive forever to the watchdog and the pid-file check.
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return processState(pid) !== "Z";
}

/** The one-letter state from /proc/<pid>/stat (R, S, D, Z, ...), or undefined without procfs. */
export function processState(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ")".
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) || undefined;
}
