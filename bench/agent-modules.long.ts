// Issue 16 (lean agents): for every agent the bundle ships (`outpost --help`, Agents:), started idle on
// a fresh empty root, one at a time: PSS and anonymous memory (/proc/<pid>/smaps_rollup), V8 heap used,
// cold start exec -> run/<agent>.touch; min/median/max over RUNS starts. Then the code each agent
// loads: the bundle is one minified CommonJS file in which every module is a lazy init wrapper, so a
// tracing copy of it (same esbuild options, not minified, each wrapper records its module path when it
// first runs) is started once per agent and asked which modules ran; their size is each module's bytes
// in the shipped minified bundle (dist/meta.json). Externals (zeromq, lmdb) come from require.cache.
// Figures only. Agents run as `node -r <probe> dist/outpost <agent>` (the probe answers SIGUSR2 with
// the heap statistics). An agent that needs more than an empty root and does not touch is skipped.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { bundleOptions } from "../build/bundle.mjs";
import {
  cleanupProbe,
  DIST,
  ensureBundle,
  fmtMB,
  type IdleRun,
  idleColumns,
  idleRun,
  MB,
  median,
} from "./agent-procs.js";
import { removeRoot, tempRoot } from "./harness.js";
import { header, machineLine } from "./stats.js";

const RUNS = Number(process.env.RUNS ?? 3);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 12_000);
const LIMIT_MS = 8000;
const ONLY = process.env.AGENTS?.split(/[ ,]+/).filter(Boolean);

header("agent modules (issue 16): per agent idle PSS, anonymous memory, V8 heap, cold start, loaded code");
console.log(machineLine());
ensureBundle();

/** The tracing bundle: shipped options, not minified, every lazy wrapper records its module path. */
async function buildTraceBundle(outfile: string): Promise<void> {
  const base = bundleOptions({ outfile }) as esbuild.BuildOptions;
  await esbuild.build({ ...base, minify: false, sourcemap: false, metafile: false });
  let text = readFileSync(outfile, "utf8");
  const patches: [string, string][] = [
    // esbuild's __esm / __commonJS helpers call the module body through its one-key object's method.
    [
      "(0, fn[__getOwnPropNames(fn)[0]])(fn = 0)",
      "(globalThis.__outpostModules?.push(__getOwnPropNames(fn)[0]), (0, fn[__getOwnPropNames(fn)[0]])(fn = 0))",
    ],
    [
      "(0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod)",
      "(globalThis.__outpostModules?.push(__getOwnPropNames(cb)[0]), (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod))",
    ],
  ];
  for (const [from, to] of patches) {
    if (!text.includes(from)) throw new Error(`tracing bundle: esbuild helper not found: ${from}`);
    text = text.replace(from, to);
  }
  writeFileSync(outfile, text);
}

/** Package a module path belongs to: node_modules/<pkg> or the repo's own workspace folder. */
function packageOf(path: string): string {
  const nm = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
    path.replace(/.*node_modules\//, "node_modules/"),
  );
  if (nm) return nm[1] as string;
  if (path.startsWith("types/src/eve/")) return "types/eve (protobuf)";
  const own = /^(agents|packages)\/([^/]+)\//.exec(path);
  if (own) return `@outpost/${own[2]}`;
  return path.split("/")[0] as string;
}

const bytesIn = new Map<string, number>(
  Object.entries(
    (
      JSON.parse(readFileSync(join(DIST, "meta.json"), "utf8")) as {
        outputs: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }>;
      }
    ).outputs["dist/outpost"]?.inputs ?? {},
  ).map(([k, v]) => [k, v.bytesInOutput]),
);
const bundleBytes = [...bytesIn.values()].reduce((a, b) => a + b, 0);

const help = execFileSync(join(DIST, "bin", "outpost"), ["--help"]).toString();
const section = /^Agents:\n((?:[ \t]+\S.*\n?)*)/m.exec(help)?.[1] ?? "";
const agents = section
  .split("\n")
  .map((l) => l.trim().split(/\s+/)[0] ?? "")
  .filter((n) => n && (!ONLY || ONLY.includes(n)));

const traceBundle = join(DIST, "outpost-modtrace");
const roots: string[] = [];
const newRoot = () => {
  const r = tempRoot();
  roots.push(r);
  return r;
};

// Modules to call out: heavy dependencies an agent should only load when it needs them.
const WATCH = [
  "protobufjs",
  "@lf-edge/eve-api",
  "dockerode",
  "docker-modem",
  "systeminformation",
  "pino",
  "zeromq",
  "lmdb",
  "undici",
  "tar-stream",
];

try {
  await buildTraceBundle(traceBundle);
  // Node's floor for comparison.
  {
    const root = newRoot();
    const { spawn } = await import("node:child_process");
    const { memOf, sleep, stop } = await import("./agent-procs.js");
    const p = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    await sleep(SETTLE_MS);
    const m = memOf(p.pid as number);
    console.log(`node -e "setInterval(...)" floor: PSS ${fmtMB(m.pss)} MB, anonymous ${fmtMB(m.anon)} MB`);
    await stop(p);
    removeRoot(root);
  }
  console.log(
    `\n## idle, one at a time, ${RUNS} starts each, settle ${SETTLE_MS} ms after the touch file (min/median/max)`,
  );
  console.log(
    `${"agent".padEnd(12)} ${"PSS MB".padEnd(16)} ${"anon MB".padEnd(16)} ${"heap used MB".padEnd(16)} ${"exec->touch ms".padEnd(16)}`,
  );
  const results = new Map<string, IdleRun[]>();
  for (const agent of agents) {
    const runs: IdleRun[] = [];
    let failure = "";
    for (let i = 0; i < RUNS; i++) {
      try {
        runs.push(await idleRun(agent, { settleMs: SETTLE_MS, limitMs: LIMIT_MS, root: newRoot() }));
      } catch (e) {
        failure = (e as Error).message;
        break;
      }
    }
    if (runs.length === 0) {
      console.log(`${agent.padEnd(12)} not measured: ${failure}`);
      continue;
    }
    results.set(agent, runs);
    console.log(`${agent.padEnd(12)} ${idleColumns(runs, ["pss", "anon", "heapUsed", "start"], 16)}`);
  }
  const sum = (f: (r: IdleRun) => number) =>
    [...results.values()].reduce((a, runs) => a + median(runs.map(f)), 0);
  console.log(
    `sum of medians over ${results.size} agents (each measured alone, so each carries node's whole binary): PSS ${fmtMB(sum((r) => r.mem.pss))} MB, anonymous ${fmtMB(sum((r) => r.mem.anon))} MB`,
  );

  console.log(
    `\n## code each agent loads (tracing bundle, one start each): modules run, their KB in the minified bundle (of ${(bundleBytes / 1024).toFixed(0)} KB), by package`,
  );
  for (const agent of results.keys()) {
    let run: IdleRun;
    try {
      run = await idleRun(agent, { settleMs: 500, limitMs: LIMIT_MS, root: newRoot(), bundle: traceBundle });
    } catch (e) {
      console.log(`${agent}: not traced: ${(e as Error).message}`);
      continue;
    }
    const byPkg = new Map<string, { n: number; bytes: number }>();
    let total = 0;
    for (const m of new Set(run.heap.modules)) {
      const b = bytesIn.get(m) ?? 0;
      total += b;
      const pkg = packageOf(m);
      const e = byPkg.get(pkg) ?? { n: 0, bytes: 0 };
      e.n++;
      e.bytes += b;
      byPkg.set(pkg, e);
    }
    const externals = [...new Set(run.heap.externals.map(packageOf))];
    const watched = WATCH.filter((w) => byPkg.has(w) || externals.includes(w));
    const list = [...byPkg.entries()]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .map(([pkg, e]) => `${pkg} ${(e.bytes / 1024).toFixed(0)}`)
      .join(", ");
    console.log(
      `${agent}: ${new Set(run.heap.modules).size} modules, ${(total / 1024).toFixed(0)} KB (${((total / bundleBytes) * 100).toFixed(0)}% of the bundle); heavy: ${watched.join(" ") || "none"}; externals: ${externals.join(" ") || "none"}`,
    );
    console.log(`    ${list}`);
  }
} finally {
  rmSync(traceBundle, { force: true });
  for (const r of roots) removeRoot(r);
  cleanupProbe();
}
console.log(`\n${machineLine()}`);
void MB;
process.exit(0);
