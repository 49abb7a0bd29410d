import { linkSync, readFileSync, readlinkSync, realpathSync, unlinkSync, writeFileSync } from "node:fs";
import { isProcessAlive } from "@outpost/primitives";

export class PidFileHeldError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`already running as pid ${pid} (${path})`);
    this.name = "PidFileHeldError";
  }
}

/** What to do about an existing pid file. Pure: `alive` is injected. */
export function pidFileVerdict(
  content: string | undefined,
  ownPid: number,
  alive: (pid: number) => boolean,
): { kind: "free" } | { kind: "stale"; pid?: number } | { kind: "held"; pid: number } {
  if (content === undefined) return { kind: "free" };
  const text = content.trim();
  const pid = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(pid) || pid <= 0) return { kind: "stale" };
  // Our own pid in the file can only be a leftover from a previous boot (pids are reused).
  if (pid === ownPid || !alive(pid)) return { kind: "stale", pid };
  return { kind: "held", pid };
}

/** Whether `pid` is a live instance of `agent`, for the pid-file check. After a crash the pid in a
 * stale pid file may be reused by an unrelated process; that one must not keep the agent from
 * starting (nor be killed as the agent). A holder counts as the agent when it runs the same node
 * binary and names the agent in its command line (bin/<agent>, `outpost <agent>`, `--name <agent>`).
 * When /proc cannot tell (no procfs, another user's process), it counts as the agent: refusing to
 * start is the safe side. */
export function holderIsAgent(pid: number, agent: string): boolean {
  if (!isProcessAlive(pid)) return false;
  let exe: string;
  let cmdline: string[];
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return true;
  }
  if (exe !== realpathSync(process.execPath)) return false;
  return cmdline.some((a) => a === agent || a.endsWith(`/${agent}`));
}

export interface PidFile {
  readonly path: string;
  /** Removes the file if it still names this process. */
  release(): void;
}

/** Takes run/<agent>.pid for this process, or throws PidFileHeldError when a live process holds it.
 * The file is created with link(2) from a fully written temp file, so two instances racing at the
 * same moment cannot both win and a reader never sees an empty pid file. */
export function acquirePidFile(path: string, pid = process.pid, alive = isProcessAlive): PidFile {
  const tmp = `${path}.${pid}.tmp`;
  writeFileSync(tmp, `${pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw e;
      }
      const verdict = pidFileVerdict(readOrUndefined(path), pid, alive);
      if (verdict.kind === "held") throw new PidFileHeldError(path, verdict.pid);
      // Stale (or vanished meanwhile): remove and retry the link.
      try {
        unlinkSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  return {
    path,
    release() {
      if (readOrUndefined(path)?.trim() === String(pid)) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      }
    },
  };
}

export function readPidFile(path: string): number | undefined {
  const text = readOrUndefined(path)?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}
