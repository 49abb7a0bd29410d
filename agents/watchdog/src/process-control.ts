import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { isProcessAlive, sleep } from "@outpost/primitives";

/** SIGTERM, wait up to graceMs, then SIGKILL, and wait until the process is really gone: a
 * restarted agent must not find its predecessor still holding the pid file. */
export async function terminate(
  pid: number,
  graceMs: number,
  signal?: AbortSignal,
): Promise<"gone" | "term" | "kill"> {
  if (!isProcessAlive(pid)) return "gone";
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Gone meanwhile.
    }
  };
  send("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && !signal?.aborted) {
    if (!isProcessAlive(pid)) return "term";
    await sleep(50);
  }
  send("SIGKILL");
  const killDeadline = Date.now() + 5000;
  while (isProcessAlive(pid) && Date.now() < killDeadline) await sleep(20);
  return "kill";
}

/** Starts argv as a detached session leader (setsid), stdout discarded (agents log to
 * persist/log/<agent>.log themselves), stderr appended to `stderrPath` for crashes before the
 * logger exists. Resolves with its pid once it is running, rejects when it cannot be spawned. */
export function startDetached(argv: string[], stderrPath: string): Promise<number> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error("empty argv"));
  const err = openSync(stderrPath, "a");
  try {
    const child = spawn(file, args, { detached: true, stdio: ["ignore", "ignore", err] });
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => {
        // Not waited for: the agent outlives this call; node still reaps it when it exits.
        child.unref();
        if (child.pid === undefined) reject(new Error("spawned without a pid"));
        else resolve(child.pid);
      });
    });
  } finally {
    closeSync(err);
  }
}

/** Whether a command line is (an interpreter running) the registered argv: argv appears in it as a
 * contiguous run (`node /opt/outpost/bin/x --root / ...` runs `[/opt/outpost/bin/x, --root, /]`). */
export function argvMatches(cmdline: readonly string[], argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  for (let i = 0; i + argv.length <= cmdline.length; i++)
    if (argv.every((a, j) => cmdline[i + j] === a)) return true;
  return false;
}

/** /proc/<pid>/cmdline as its arguments; undefined when it cannot be read (gone, or no procfs). */
export function readCmdline(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((a, i, all) => a !== "" || i < all.length - 1);
  } catch {
    return undefined;
  }
}
