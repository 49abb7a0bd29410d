// A reference controller process from the built bundle under a temp root (any free port), `ctl`
// against it, and the client's OnboardingStatus as it lies on disk. Shared by the controller's and
// the client's tests; the controller + node rig (`Rig`, controller-rig.ts) is for end-to-end tests.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readPersistentTable } from "@outpost/pubsub";
import type { Procs } from "./processes.js";
import { waitFor } from "./wait.js";

export interface RunningController {
  root: string;
  dataDir: string;
  server: string;
  output: () => string;
  /** The controller process's pid. */
  pid: number;
  /** Stops the controller (SIGTERM) and waits for it to exit. */
  stop: () => Promise<number | null>;
  ctl: (...args: string[]) => { status: number | null; stdout: string; stderr: string };
  ctlJson: <T = unknown>(...args: string[]) => T;
}

export async function startController(
  procs: Procs,
  root: string,
  extra: string[] = [],
  /** singleToken (default true): the controller runs with --insecure-single-token and `ctl` uses its
   * data dir's admin-token; false: users log in (ctl login) and `ctl` finds their token in
   * XDG_CONFIG_HOME of the test's environment. */
  o: { singleToken?: boolean; env?: Record<string, string> } = {},
): Promise<RunningController> {
  const dataDir = join(root, "persist/controller");
  const p = procs.start("controller", [
    "--root",
    root,
    "--listen",
    "127.0.0.1:0",
    ...(o.singleToken === false ? [] : ["--insecure-single-token"]),
    ...extra,
  ]);
  await waitFor(
    () => p.output().includes("controller listening") || p.exitCode !== null,
    15_000,
    "controller to listen",
  );
  if (!existsSync(join(dataDir, "server"))) throw new Error(`controller did not start:\n${p.output()}`);
  const server = readFileSync(join(dataDir, "server"), "utf8").trim();
  const ctl = (...args: string[]) => {
    const r = procs.run("ctl", ["--root", root, ...args], 20_000, undefined, o.env);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ctlJson = <T>(...args: string[]): T => {
    const r = ctl("--json", ...args);
    if (r.status !== 0) throw new Error(`ctl ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (p.exitCode !== null) return resolve(p.exitCode);
      p.once("exit", (code) => resolve(code));
      p.kill("SIGTERM");
    });
  return { root, dataDir, server, output: p.output, pid: p.pid ?? 0, stop, ctl, ctlJson };
}

/** Decoded OnboardingStatus from the client's persistent pubsub store (JSON values in LMDB). */
export async function readOnboardingStatus(nodeRoot: string): Promise<Record<string, string> | undefined> {
  const table = await readPersistentTable(join(nodeRoot, "persist/pubsub"), "client", "/OnboardingStatus");
  const raw = table.get("global");
  return raw ? (JSON.parse(raw.toString()) as Record<string, string>) : undefined;
}
