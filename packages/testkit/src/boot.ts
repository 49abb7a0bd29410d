// A node booted by outpost-boot, for the end-to-end tests of the init script, the watchdog and the
// agents that restart the node (nodeagent): boot it from the built bundle under its own short temp
// root, read what a user would read (pid files, touch files, events.jsonl), and kill every process of
// that root at the end, pass or fail.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { decodeJson, type WatchdogEvent, WatchdogEventCodec } from "@outpost/types";
import { distBin, REPO, TEST_BIN, tempRoot } from "./processes.js";
import { waitFor } from "./wait.js";

/** The init script under test. */
export const BOOT = resolve(REPO, "build/init/outpost-boot");

export interface Node {
  root: string;
  env: NodeJS.ProcessEnv;
  boot(
    cmd: "start" | "stop" | "status",
    extraEnv?: NodeJS.ProcessEnv,
  ): { status: number | null; stdout: string; stderr: string };
  pid(agent: string): number | undefined;
  touchMtimeMs(agent: string): number | undefined;
  events(): WatchdogEvent[];
  /** Every live process whose command line names this root. */
  processes(): number[];
  cleanup(): void;
}

export function makeNode(env: NodeJS.ProcessEnv): Node {
  distBin("outpost"); // builds dist/ when missing
  const root = tempRoot("op-");
  const node: Node = {
    root,
    env,
    boot(cmd, extraEnv = {}) {
      const r = spawnSync("dash", [BOOT, "--root", root, cmd], {
        encoding: "utf8",
        env: { ...process.env, OUTPOST_BIN: TEST_BIN, ...env, ...extraEnv },
        timeout: 60_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    pid(agent) {
      return readPid(join(root, "run", `${agent}.pid`));
    },
    touchMtimeMs(agent) {
      try {
        return statSync(join(root, "run", `${agent}.touch`)).mtimeMs;
      } catch {
        return undefined;
      }
    },
    events() {
      const path = join(root, "persist", "watchdog", "events.jsonl");
      if (!existsSync(path)) return [];
      return readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => decodeJson(WatchdogEventCodec, l));
    },
    processes() {
      return rootProcesses(root);
    },
    cleanup() {
      // The watchdog's respawn loop and the watchdog first, or they restart what we kill.
      const loop = readPid(join(root, "run", "watchdog", "supervisor.pid"));
      if (loop !== undefined) killQuietly(loop);
      const wd = node.pid("watchdog");
      if (wd !== undefined) killQuietly(wd);
      killRootSync(root);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return node;
}

/** Every live process whose command line names `root` (a node's processes, not a test's own). */
export function rootProcesses(root: string): number[] {
  const found: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
      if (argv.includes(root) && isProcessAlive(Number(d))) found.push(Number(d));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Best effort for cleanup: three rounds of SIGKILL to every process of `root`. */
function killRootSync(root: string): void {
  for (let i = 0; i < 3; i++) for (const p of rootProcesses(root)) killQuietly(p);
}

/**
 * A power cut: SIGKILL to every process of `root`, again until none is left. SIGKILL only starts the
 * end of a process (a big heap takes a while to unmap under load, and it is still listed meanwhile),
 * and a respawner killed late in a round may start one more: so the kill is repeated until the
 * listing is empty, rather than asserted right after one pass.
 */
export async function killRoot(root: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    () => {
      const left = rootProcesses(root);
      for (const p of left) killQuietly(p);
      return left.length === 0;
    },
    timeoutMs,
    () => `every process of ${root} gone (left: ${rootProcesses(root).join(" ")})`,
    50,
  );
}

/** The pid in a pid file, undefined when there is none (or no number in it). */
export function readPid(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, "utf8").trim());
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Runs a program of the bundle to completion (tools, or an agent expected to refuse). */
export function runBin(program: string, args: string[], timeoutMs = 20_000) {
  return spawnSync(distBin(program), args, { encoding: "utf8", timeout: timeoutMs });
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}
