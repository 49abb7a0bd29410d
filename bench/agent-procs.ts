// Shared by agent-modules.long.ts and agent-flags.long.ts (issue 16): start one agent of the built
// bundle idle on a fresh root under `node [V8 flags] -r <probe> dist/outpost <agent>`, time exec ->
// run/<agent>.touch, and read its memory: PSS and anonymous memory from /proc/<pid>/smaps_rollup, and
// V8's heap (used/total) from inside the process through a tiny preload (`probe.cjs`, written here) that
// answers SIGUSR2 by writing v8.getHeapStatistics() and the external packages loaded so far to a file.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { waitFor } from "@outpost/testkit/wait";

export const REPO = resolve(import.meta.dirname, "..");
export const DIST = join(REPO, "dist");
export const MB = 1024 * 1024;
export const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(1)}`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ensureBundle(): void {
  if (!existsSync(join(DIST, "outpost"))) {
    console.log("dist/outpost is missing: running node build/bundle.mjs");
    execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { cwd: REPO, stdio: "inherit" });
  }
}

const probeDir = mkdtempSync(join(tmpdir(), "ob-probe-"));
const PROBE = join(probeDir, "probe.cjs");
// The bundle's own modules are known from dist/meta.json (agent-modules.long.ts); externals (zeromq,
// lmdb and their dependencies) are files Node loads itself, so require.cache names them.
writeFileSync(
  PROBE,
  `"use strict";
process.on("SIGUSR2", () => {
  const h = require("node:v8").getHeapStatistics();
  const out = process.env.OB_PROBE_OUT;
  const externals = Object.keys(require.cache).filter((k) => k.includes("/node_modules/"));
  // After the figures above: a snapshot allocates.
  if (process.env.OB_PROBE_SNAPSHOT) require("node:v8").writeHeapSnapshot(process.env.OB_PROBE_SNAPSHOT);
  require("node:fs").writeFileSync(out + ".tmp", JSON.stringify({ used: h.used_heap_size, total: h.total_heap_size, externals }));
  require("node:fs").renameSync(out + ".tmp", out);
});
`,
);

export interface Mem {
  pss: number;
  anon: number;
  rss: number;
}

/** PSS, anonymous memory (`Anonymous`, this process's own anonymous pages) and RSS, in bytes. */
export function memOf(pid: number): Mem {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN) * 1024;
  return { pss: kb("Pss"), anon: kb("Anonymous"), rss: kb("Rss") };
}

export interface Probe {
  used: number;
  total: number;
  externals: string[];
}

export async function probe(p: ChildProcess, out: string): Promise<Probe> {
  rmSync(out, { force: true });
  p.kill("SIGUSR2");
  await waitFor(() => existsSync(out), 30_000, `${out} (heap probe)`, 5);
  return JSON.parse(readFileSync(out, "utf8")) as Probe;
}

export async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  const timer = setTimeout(() => p.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
}

export interface IdleRun {
  startMs: number;
  mem: Mem;
  heap: Probe;
}

/**
 * One idle run: `node <flags> -r probe <bundle> <agent> --root <fresh root>`, exec -> touch file,
 * settle, then memory and heap. Throws if the agent does not touch within `limitMs`.
 */
export async function idleRun(
  agent: string,
  opts: {
    flags?: string[];
    bundle?: string;
    settleMs: number;
    limitMs: number;
    root: string;
    /** also write a V8 heap snapshot there (after the memory figures are read) */
    snapshot?: string;
  },
): Promise<IdleRun> {
  const out = join(opts.root, "probe.json");
  const t0 = performance.now();
  const p = spawn(
    process.execPath,
    [...(opts.flags ?? []), "-r", PROBE, opts.bundle ?? join(DIST, "outpost"), agent, "--root", opts.root],
    // NODE_EXTRA_CA_CERTS off: see agents.bench.ts (node parses that file before any script; a device
    // does not set it).
    {
      stdio: "ignore",
      env: {
        ...process.env,
        OB_PROBE_OUT: out,
        OB_PROBE_SNAPSHOT: opts.snapshot ?? "",
        NODE_EXTRA_CA_CERTS: "",
        // As outpost-boot starts agents (build/init/outpost-boot).
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "1",
      },
    },
  );
  try {
    const touch = join(opts.root, "run", `${agent}.touch`);
    await waitFor(
      () => {
        if (existsSync(touch)) return true;
        if (p.exitCode !== null) throw new Error(`exited (${p.exitCode}) before its touch file`);
        return false;
      },
      opts.limitMs,
      touch,
      1,
    );
    const startMs = performance.now() - t0;
    await sleep(opts.settleMs);
    const mem = memOf(p.pid as number);
    const heap = await probe(p, out);
    return { startMs, mem, heap };
  } finally {
    await stop(p);
  }
}

export function cleanupProbe(): void {
  rmSync(probeDir, { recursive: true, force: true });
}

/** min/median/max of a few samples, one decimal. */
export function mmm(values: number[], fmt: (v: number) => string): string {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return "-";
  return `${fmt(s[0] as number)}/${fmt(s[Math.floor((s.length - 1) / 2)] as number)}/${fmt(s[s.length - 1] as number)}`;
}

export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

/** One printed row of idle runs: min/median/max of each column, each padded to `width`. */
export function idleColumns(
  runs: IdleRun[],
  columns: ("pss" | "anon" | "heapUsed" | "heapTotal" | "start")[],
  width: number,
): string {
  const pick = {
    pss: [(r: IdleRun) => r.mem.pss, fmtMB],
    anon: [(r: IdleRun) => r.mem.anon, fmtMB],
    heapUsed: [(r: IdleRun) => r.heap.used, fmtMB],
    heapTotal: [(r: IdleRun) => r.heap.total, fmtMB],
    start: [(r: IdleRun) => r.startMs, (v: number) => v.toFixed(0)],
  } as const;
  return columns
    .map((c) => {
      const [get, fmt] = pick[c];
      return mmm(runs.map(get), fmt).padEnd(width);
    })
    .join(" ");
}
