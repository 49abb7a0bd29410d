// Helpers for tests that run real processes from the built bundle. Test-only: never imported by an
// agent. Each test gets its own short temp root (ipc socket paths are limited to 107 bytes) and
// every process it starts is killed at the end, pass or fail.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const DIST_BIN = join(REPO, "dist", "bin");

let built = false;
/** The path of dist/bin/<name>, building the bundle first when it is missing (a bare `vitest run`). */
export function distBin(name: string): string {
  if (!built && !existsSync(join(REPO, "dist", "outpost"))) {
    execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { stdio: "inherit" });
  }
  built = true;
  return join(DIST_BIN, name);
}

export function tempRoot(prefix = "op-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Processes started by a test, all killed (SIGKILL, whole process group) by `cleanup`. */
export class Procs {
  private readonly children: ChildProcess[] = [];

  /** Starts dist/bin/<program> with args; output is kept for assertions and failure messages. */
  start(
    program: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): ChildProcess & { output: () => string } {
    const child = spawn(distBin(program), args, {
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

  /** Runs a tool from dist/bin to completion. */
  run(program: string, args: string[], timeoutMs = 20_000) {
    return spawnSync(distBin(program), args, { encoding: "utf8", timeout: timeoutMs });
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
export * from "./controller-rig.js";
export * from "./datastore.js";
export * from "./files.js";
export * from "./images.js";
export * from "./newlog.js";
export * from "./node.js";
export * from "./registry.js";
export * from "./wait.js";
