// Processes from the built bundle, for tests. Each test gets its own short temp root (ipc socket paths
// are limited to 107 bytes) and every process it starts is killed at the end, pass or fail.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The shipped programs, as `make build` leaves them. */
export const DIST_BIN = join(REPO, "dist", "bin");
/** What tests run: every shipped program (links into dist/outpost) plus the test-only ones, such as
 * the fixture agent (`node build/bundle.mjs --test`; never in dist/ nor in the tarball). */
export const TEST_BIN = join(REPO, "dist-test", "bin");

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0);

let built = false;
/** The path of <program> in TEST_BIN. Builds dist/ first when it is missing (a bare `vitest run`),
 * and dist-test/ when it is missing or older than dist/outpost (the agents were rebuilt since). */
export function distBin(name: string): string {
  if (!built) {
    const bundle = join(REPO, "dist", "outpost");
    if (!existsSync(bundle)) {
      execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { stdio: "inherit" });
    }
    if (mtime(join(REPO, "dist-test", "outpost")) < mtime(bundle) || !existsSync(TEST_BIN)) {
      execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs"), "--test"], { stdio: "inherit" });
    }
    built = true;
  }
  return join(TEST_BIN, name);
}

function inNetns(netns: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return netns ? ["nsenter", [`--net=/run/netns/${netns}`, cmd, ...args]] : [cmd, args];
}

export function tempRoot(prefix = "op-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Processes started by a test, all killed (SIGKILL, whole process group) by `cleanup`. */
export class Procs {
  private readonly children: ChildProcess[] = [];

  /** Starts <program> from TEST_BIN with args; output is kept for assertions and failure messages.
   * `netns`: inside that network namespace (nsenter; only the network namespace changes). */
  start(
    program: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    opts: { netns?: string } = {},
  ): ChildProcess & { output: () => string } {
    const [cmd, argv] = inNetns(opts.netns, distBin(program), args);
    const child = spawn(cmd, argv, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    this.children.push(child);
    return Object.assign(child, { output: () => out });
  }

  /** Runs a tool from TEST_BIN to completion (inside `netns` when given; `env` added to ours). */
  run(program: string, args: string[], timeoutMs = 20_000, netns?: string, env?: Record<string, string>) {
    const [cmd, argv] = inNetns(netns, distBin(program), args);
    return spawnSync(cmd, argv, {
      encoding: "utf8",
      timeout: timeoutMs,
      ...(env ? { env: { ...process.env, ...env } } : {}),
    });
  }

  cleanup(): void {
    for (const c of this.children) {
      if (c.pid && c.exitCode === null && c.signalCode === null) {
        try {
          process.kill(-c.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    this.children.length = 0;
  }
}

export function removeRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
