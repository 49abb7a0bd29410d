// Reboot backends: what "reboot" and "shut down" mean on this node.
//   systemd       the machine itself: `systemctl reboot` / `systemctl poweroff`; if systemctl fails,
//                 `reboot -f` / `poweroff -f` as the last resort. Only for the node at root /.
//   node-restart  the stand-in for tests and the demo: `outpost-boot stop` (every agent, nodeagent
//                 included, gets SIGTERM), then for a reboot `outpost-boot start`, from a process of
//                 its own session so it outlives nodeagent. Shutdown is the stop alone.
import { execFile, spawn } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, openSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { DeviceOp } from "@outpost/types";

export const BACKENDS = ["systemd", "node-restart"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface RebootBackend {
  name: BackendName;
  /** Why this backend cannot act here; undefined when it can. Checked at start, before any request. */
  problem(): string | undefined;
  /** Carries the operation out. Resolves once it is handed over (the process may be stopped any time
   * after); rejects with what went wrong when it could not be. */
  act(op: DeviceOp): Promise<void>;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res, rej) =>
    execFile(cmd, args, { timeout: 30_000 }, (err, _out, stderr) =>
      err ? rej(new Error(`${cmd} ${args.join(" ")}: ${stderr.trim() || err.message}`)) : res(),
    ),
  );
}

export function systemdBackend(root: string): RebootBackend {
  return {
    name: "systemd",
    problem: () =>
      resolve(root) === "/"
        ? undefined
        : `the systemd backend reboots this machine, so it runs only for the node at root / (this one is at ${root}); use --backend node-restart`,
    act: async (op) => {
      try {
        await run("systemctl", [op === "reboot" ? "reboot" : "poweroff"]);
      } catch (first) {
        try {
          await run(op === "reboot" ? "reboot" : "poweroff", ["-f"]);
        } catch (last) {
          throw new Error(`${(first as Error).message}; then ${(last as Error).message}`);
        }
      }
    },
  };
}

/** outpost-boot where the layouts put it: the tarball's init/ next to the bundle, or the repository's
 * build/init/ next to dist/. */
export function findBootScript(): string | undefined {
  let here: string;
  try {
    here = dirname(realpathSync(process.argv[1] ?? ""));
  } catch {
    return undefined;
  }
  for (const c of [join(here, "init/outpost-boot"), join(here, "../build/init/outpost-boot")])
    if (existsSync(c)) return c;
  return undefined;
}

export function nodeRestartBackend(root: string, script: string | undefined, logFile: string): RebootBackend {
  return {
    name: "node-restart",
    problem: () => {
      if (!script)
        return "cannot find outpost-boot next to the program nor in build/init/; give --boot-script";
      try {
        accessSync(script, constants.X_OK);
      } catch (e) {
        return `boot script ${script}: ${(e as Error).message}`;
      }
      return undefined;
    },
    act: async (op) => {
      if (!script) throw new Error("no boot script");
      const out = openSync(logFile, "a");
      // Detached (its own session): `outpost-boot stop` signals nodeagent, and this must go on.
      const line =
        op === "reboot"
          ? `"$0" --root "$1" stop && exec "$0" --root "$1" start`
          : `exec "$0" --root "$1" stop`;
      try {
        const child = spawn("sh", ["-c", line, script, root], {
          detached: true,
          stdio: ["ignore", out, out],
        });
        await new Promise<void>((res, rej) => {
          child.once("spawn", () => res());
          child.once("error", (e) => rej(new Error(`cannot start ${script}: ${e.message}`)));
        });
        child.unref();
      } finally {
        // The child has its own copy of the log's descriptor.
        closeSync(out);
      }
    },
  };
}
