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
import { pathToFileURL } from "node:url";
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
import { type HeapShare, heapShare } from "./heap-share.js";
import { header, machineLine } from "./stats.js";

const RUNS = Number(process.env.RUNS ?? 3);
/** HEAP_SHARE=0: no heap snapshot (one per agent otherwise, ~1 s and ~10 MB of temp file each). */
const HEAP_SHARE = process.env.HEAP_SHARE !== "0";
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

/**
 * An agent's V8 heap by script: its code's share (source text + compiled functions; lib/ chunks with
 * the packages in them, externals by package), node's own modules, and the rest (objects the code
 * made, node's bootstrap state).
 */
function heapLines(share: HeapShare): string {
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  let nodeOwn = 0;
  const ours: [string, number, number][] = [];
  const prefix = `${pathToFileURL(DIST).href}/`;
  for (const [url, { source, code }] of share.scripts) {
    const path = url.startsWith("file://") ? url : pathToFileURL(url).href;
    if (!path.startsWith(prefix)) {
      nodeOwn += source + code;
      continue;
    }
    const rel = `dist/${path.slice(prefix.length)}`;
    let label = rel;
    const inputs = outputs[rel]?.inputs;
    if (inputs) {
      const byPkg = new Map<string, number>();
      for (const [m, { bytesInOutput }] of Object.entries(inputs))
        byPkg.set(packageOf(m), (byPkg.get(packageOf(m)) ?? 0) + bytesInOutput);
      const top = [...byPkg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
      label = `${rel.replace("dist/lib/", "lib/")} (${top.map(([p]) => p).join(", ") || "esbuild's helpers"}${byPkg.size > 4 ? ", ..." : ""})`;
    } else if (rel.includes("/node_modules/")) {
      label = packageOf(rel);
    }
    ours.push([label, source, code]);
  }
  ours.sort((a, b) => b[1] + b[2] - a[1] - a[2]);
  const oursTotal = ours.reduce((a, [, s, c]) => a + s + c, 0);
  const pct = (b: number) => `${((b / share.total) * 100).toFixed(0)}%`;
  const lines = [
    `    V8 heap ${fmtMB(share.total)} MB (snapshot, self sizes): Outpost's code and its packages ${kb(oursTotal)} (${pct(oursTotal)}), node's own modules ${kb(nodeOwn)} (${pct(nodeOwn)}), objects and the rest ${kb(share.total - oursTotal - nodeOwn)}`,
  ];
  for (const [label, source, code] of ours.slice(0, 8))
    lines.push(
      `      ${kb(source + code).padStart(7)} ${pct(source + code).padStart(4)}  ${label}: source ${kb(source)}, functions ${kb(code)}`,
    );
  return lines.join("\n");
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
  const shares = new Map<string, HeapShare>();
  for (const agent of agents) {
    const runs: IdleRun[] = [];
    let failure = "";
    for (let i = 0; i < RUNS; i++) {
      try {
        const root = newRoot();
        // The first run of each agent also leaves a heap snapshot (taken after its figures).
        const snapshot = HEAP_SHARE && i === 0 ? join(root, "heap.heapsnapshot") : undefined;
        runs.push(await idleRun(agent, { settleMs: SETTLE_MS, limitMs: LIMIT_MS, root, snapshot }));
        if (snapshot) shares.set(agent, heapShare(snapshot));
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
    const share = shares.get(agent);
    if (share) console.log(heapLines(share));
  }
} finally {
  for (const r of roots) removeRoot(r);
  cleanupProbe();
}
console.log(`\n${machineLine()}`);
void MB;
process.exit(0);
