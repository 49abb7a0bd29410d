// Issue 16 (lean agents): for every agent the bundle ships (`outpost --help`, Agents:), started idle on
// a fresh empty root, one at a time: PSS and anonymous memory (/proc/<pid>/smaps_rollup), V8 heap used,
// cold start exec -> run/<agent>.touch; min/median/max over RUNS starts. Then the code each agent
// loads: dist/lib/ is split per program (build/bundle.mjs), so an agent reads lib/main.mjs, its own
// entry chunk and the chunks they import statically; the modules in those files and their bytes come
// from esbuild's metafile (dist/meta.json). Externals (zeromq, lmdb) come from require.cache.
// Figures only. Agents run as `node -r <probe> dist/outpost <agent>` (the probe answers SIGUSR2 with
// the heap statistics). An agent that needs more than an empty root and does not touch is skipped.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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

type Output = {
  bytes: number;
  entryPoint?: string;
  imports?: { path: string; kind: string }[];
  inputs?: Record<string, { bytesInOutput: number }>;
};
const outputs = (
  JSON.parse(readFileSync(join(DIST, "meta.json"), "utf8")) as { outputs: Record<string, Output> }
).outputs;
const codeFiles = Object.keys(outputs).filter((k) => k.endsWith(".mjs"));
const bundleBytes = codeFiles.reduce((sum, k) => sum + (outputs[k]?.bytes ?? 0), 0);
const mainFile = codeFiles.find((k) => k.endsWith("/lib/main.mjs")) as string;

/** The lib/ files a program loads at start: main.mjs, its entry chunk, their static imports. */
function filesOf(agent: string): Set<string> {
  const seen = new Set<string>();
  const walk = (path: string) => {
    if (seen.has(path) || !outputs[path]) return;
    seen.add(path);
    for (const i of outputs[path]?.imports ?? []) if (i.kind === "import-statement") walk(i.path);
  };
  walk(mainFile);
  const entry = codeFiles.find((k) => outputs[k]?.entryPoint === `agents/${agent}/src/index.ts`);
  if (entry) walk(entry);
  return seen;
}

const help = execFileSync(join(DIST, "bin", "outpost"), ["--help"]).toString();
const section = /^Agents:\n((?:[ \t]+\S.*\n?)*)/m.exec(help)?.[1] ?? "";
const agents = section
  .split("\n")
  .map((l) => l.trim().split(/\s+/)[0] ?? "")
  .filter((n) => n && (!ONLY || ONLY.includes(n)));

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
  // Node's floor for comparison.
  {
    const root = newRoot();
    const { spawn } = await import("node:child_process");
    const { memOf, sleep, stop } = await import("./agent-procs.js");
    const p = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
      stdio: "ignore",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: "" },
    });
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
    `\n## code each agent loads (dist/meta.json): modules in the lib/ files it imports at start, their KB (of ${(bundleBytes / 1024).toFixed(0)} KB in lib/), by package`,
  );
  for (const agent of results.keys()) {
    const byPkg = new Map<string, { n: number; bytes: number }>();
    let total = 0;
    let modules = 0;
    const files = filesOf(agent);
    for (const f of files) {
      for (const [m, { bytesInOutput }] of Object.entries(outputs[f]?.inputs ?? {})) {
        modules++;
        total += bytesInOutput;
        const pkg = packageOf(m);
        const e = byPkg.get(pkg) ?? { n: 0, bytes: 0 };
        e.n++;
        e.bytes += bytesInOutput;
        byPkg.set(pkg, e);
      }
    }
    const externals = [...new Set((results.get(agent)?.[0]?.heap.externals ?? []).map(packageOf))];
    const watched = WATCH.filter((w) => byPkg.has(w) || externals.includes(w));
    const list = [...byPkg.entries()]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .map(([pkg, e]) => `${pkg} ${(e.bytes / 1024).toFixed(0)}`)
      .join(", ");
    console.log(
      `${agent}: ${files.size} files, ${modules} modules, ${(total / 1024).toFixed(0)} KB (${((total / bundleBytes) * 100).toFixed(0)}% of lib/); heavy: ${watched.join(" ") || "none"}; externals: ${externals.join(" ") || "none"}`,
    );
    console.log(`    ${list}`);
  }
} finally {
  for (const r of roots) removeRoot(r);
  cleanupProbe();
}
console.log(`\n${machineLine()}`);
void MB;
process.exit(0);
