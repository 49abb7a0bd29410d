// Agent processes from the built bundle (dist/bin/<agent>): idle memory (PSS; targets: one agent <= 30 MB, 10 agents <= 250 MB total), cold start exec -> run/<agent>.touch (<= 300 ms; issue 16: <= 100 ms), with the CPU time used by then, unpacked tarball size (<= 20 MB).
// Issue 16 (lean agents) memory goals: an idle agent <= 10 MB anonymous memory alone; in the whole node
// (outpost-boot, every default agent) each agent <= 10 MB anonymous and <= 20 MB PSS, the node <= 250 MB
// PSS idle. Idle means IDLE_SETTLE_MS after the touch file: V8's memory reducer shrinks a heap some
// 8-12 s after start-up allocation stops (bench/README.md), so earlier readings are the start-up transient.
//
// PSS (proportional set size, /proc/<pid>/smaps_rollup) splits pages shared between processes among
// them, so the sum over processes is what they really cost the machine. Node's own floor (an idle
// `node -e`) is printed first. Idle agents are measured SETTLE_MS after their touch file appears.
// The bundle is made with `node build/bundle.mjs` when dist/outpost is missing (make bench builds it).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { makeNode } from "@outpost/testkit";
import { waitFor } from "@outpost/testkit/wait";
import { removeRoot, tempRoot } from "./harness.js";
import { fmtBytes, fmtMs, header, machineLine, spreadLine, summarize, target } from "./stats.js";

const REPO = resolve(import.meta.dirname, "..");
// OUTPOST_DIST_DIR: measure another build (made with `OUTPOST_DIST_DIR=<dir> node build/bundle.mjs`,
// e.g. an older commit's, for a before/after table); the fixture still comes from this repo's dist-test.
const DIST = process.env.OUTPOST_DIST_DIR ? resolve(process.env.OUTPOST_DIST_DIR) : join(REPO, "dist");
const SETTLE_MS = 3000;
/** Idle readings (issue 16 goals) are taken this long after the touch file (or after boot). */
const IDLE_SETTLE_MS = Number(process.env.IDLE_SETTLE_MS ?? 15_000);
/** Rounds of the one-agent-alone readings and boots of the whole node. */
const IDLE_ROUNDS = Number(process.env.IDLE_ROUNDS ?? 3);
/** Agents measured alone start this far apart (ms). */
const STAGGER_MS = Number(process.env.STAGGER_MS ?? 1500);
const NODE_BOOTS = Number(process.env.NODE_BOOTS ?? 2);
const COLD_STARTS = 10;
/** An agent that needs more than an empty root (config, Docker) and does not touch by then is skipped. */
const IDLE_START_LIMIT_MS = 8000;
const MB = 1024 * 1024;
const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

header("agents: idle memory (PSS), cold start, installed size — from the built bundle");
console.log(machineLine());

if (!existsSync(join(DIST, "outpost"))) {
  console.log("dist/outpost is missing: running node build/bundle.mjs");
  execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { cwd: REPO, stdio: "inherit" });
}
// The fixture agent (the baseline: runAgent and nothing else) is not shipped: it comes from the test
// bundle, the same build plus the test-only programs.
execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs"), "--test"], {
  cwd: REPO,
  stdio: "inherit",
});
const bin = (agent: string) =>
  agent === "fixture" ? join(REPO, "dist-test", "bin", agent) : join(DIST, "bin", agent);

interface Pss {
  pss: number;
  anon: number;
  file: number;
  rss: number;
}

/** PSS and its anonymous/file parts, in bytes. */
function pssOf(pid: number): Pss {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN) * 1024;
  return { pss: kb("Pss"), anon: kb("Pss_Anon"), file: kb("Pss_File"), rss: kb("Rss") };
}

const fmtPss = (p: Pss) =>
  `PSS ${fmtMB(p.pss)} (anon ${fmtMB(p.anon)}, file ${fmtMB(p.file)}; RSS ${fmtMB(p.rss)})`;

const mmm = (values: number[]) => {
  const s = summarize(values);
  return `${fmtMB(s.min)}/${fmtMB(s.p50)}/${fmtMB(s.max)}`.replaceAll(" MB", "");
};

/**
 * Agents run with this environment minus NODE_EXTRA_CA_CERTS: node reads and parses that file of
 * certificates before running any script (~30 ms and ~1 MB anonymous per process with a 140-certificate
 * bundle, as on the shared development machine), and an agent started by outpost-boot on a device
 * does not have it. The cold start section measures ledmanager with it as well, to show its cost.
 */
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;
/** As outpost-boot starts agents: one malloc arena per process (build/init/outpost-boot). */
const AGENT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "1",
};
delete AGENT_ENV.NODE_EXTRA_CA_CERTS;

const started: ChildProcess[] = [];
function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = AGENT_ENV): ChildProcess {
  const p = spawn(cmd, args, { stdio: "ignore", env });
  started.push(p);
  return p;
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  const timer = setTimeout(() => p.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the ms from `t0` until `path` exists (polled every millisecond). */
async function waitForFile(path: string, p: ChildProcess, t0: number, timeoutMs = 20_000): Promise<number> {
  await waitFor(
    () => {
      if (existsSync(path)) return true;
      if (p.exitCode !== null)
        throw new Error(`${p.spawnargs.join(" ")} exited (${p.exitCode}) before ${path}`);
      return false;
    },
    timeoutMs,
    path,
    1,
  );
  return performance.now() - t0;
}

/** CPU time (ms) all threads of `pid` have run so far (/proc/<pid>/task/<tid>/schedstat, ns). Under
 * load it grows far less than wall time: the work a start does, apart from waiting for a core. */
function cpuMsOf(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1e6;
}

/** Starts an agent, waits for its touch file, lets it settle; returns the process, exec -> touch ms
 * (wall) and the CPU time the process had used when its touch file was seen. */
async function startAgent(
  agent: string,
  root: string,
  name: string,
  args: string[],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = AGENT_ENV,
): Promise<[ChildProcess, number, number]> {
  const t0 = performance.now();
  const p = start(bin(agent), ["--root", root, ...args], env);
  try {
    const ms = await waitForFile(join(root, "run", `${name}.touch`), p, t0, timeoutMs);
    return [p, ms, cpuMsOf(p.pid as number)];
  } catch (e) {
    await stop(p);
    throw e;
  }
}

/** The agents `outpost --help` lists under "Agents:" (tools and test fixtures excluded). */
function listedAgents(): string[] {
  const help = execFileSync(bin("outpost"), ["--help"]).toString();
  const section = /^Agents:\n((?:[ \t]+\S.*\n?)*)/m.exec(help)?.[1] ?? "";
  return section
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((n) => n && existsSync(bin(n)));
}

/** Per program: the bytes of lib/*.mjs it imports statically from main.mjs and its own entry chunk. */
function codePerProgram(): string[] {
  type Output = { bytes: number; entryPoint?: string; imports?: { path: string; kind: string }[] };
  const outputs = (
    JSON.parse(readFileSync(join(DIST, "meta.json"), "utf8")) as { outputs: Record<string, Output> }
  ).outputs;
  const closure = (path: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(path) || !outputs[path]) return seen;
    seen.add(path);
    for (const i of outputs[path]?.imports ?? []) if (i.kind === "import-statement") closure(i.path, seen);
    return seen;
  };
  const total = Object.entries(outputs)
    .filter(([k]) => k.endsWith(".mjs"))
    .reduce((sum, [, o]) => sum + o.bytes, 0);
  const main = Object.keys(outputs).find((k) => k.endsWith("/lib/main.mjs")) as string;
  const lines: string[] = [];
  for (const [path, o] of Object.entries(outputs)) {
    const m = /^agents\/([^/]+)\/src\/index\.ts$/.exec(o.entryPoint ?? "");
    if (!m || path === main) continue;
    const files = closure(path, closure(main));
    const bytes = [...files].reduce((sum, f) => sum + (outputs[f]?.bytes ?? 0), 0);
    lines.push(`${(m[1] as string).padEnd(12)} ${fmtBytes(bytes).padStart(9)} in ${files.size} files`);
  }
  lines.sort();
  lines.push(`(all of dist/lib: ${fmtBytes(total)})`);
  return lines;
}

const roots: string[] = [];
const newRoot = () => {
  const r = tempRoot();
  roots.push(r);
  return r;
};

try {
  // --- node's floor ------------------------------------------------------------------------------
  console.log("\n## memory of one idle process");
  const floor = start(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
  await sleep(SETTLE_MS);
  const floorPss = pssOf(floor.pid as number);
  console.log(`node -e "setInterval(...)" (floor):              ${fmtPss(floorPss)}`);
  await stop(floor);
  // What each program reads and parses at start: lib/main.mjs, the program's own chunk and the shared
  // chunks they import statically (dist/meta.json, esbuild's metafile). One single-file bundle made
  // every process read and pre-parse all of the code.
  console.log("\n## code each program loads at start (dist/lib/, of which it reads only its own part)");
  for (const line of codePerProgram()) console.log(line);

  // --- one idle agent of each kind ---------------------------------------------------------------
  const singles: [string, string, string, string[]][] = [
    ["fixture, no tables", "fixture", "fx", ["--name", "fx"]],
    [
      "fixture, publishes 1 table + subscribes 1",
      "fixture",
      "fy",
      ["--name", "fy", "--publish", "FixtureStatus", "--subscribe", "fy/FixtureStatus"],
    ],
  ];
  // Every agent the bundle lists (`outpost --help`), idle on an empty root.
  for (const agent of listedAgents()) singles.push([agent, agent, agent, []]);
  console.log(
    `(one after another, STAGGER_MS ${STAGGER_MS} apart, each on its own empty root, each read ${IDLE_SETTLE_MS / 1000} s after its own touch file; ${IDLE_ROUNDS} rounds; min/median/max MB)`,
  );
  // Started together, the agents read 1-7 MB higher 15 s later (their start-ups and V8's heap sizing
  // compete on two cores); one at a time with a full settle each would take minutes per round. Started
  // a moment apart, each one's start has the machine to itself and idle neighbours cost nothing.
  const alone = new Map<string, Pss[]>();
  const notMeasured = new Map<string, string>();
  for (let round = 0; round < IDLE_ROUNDS; round++) {
    const readings: Promise<void>[] = [];
    const running: ChildProcess[] = [];
    for (const [label, agent, name, args] of singles) {
      try {
        const [p] = await startAgent(agent, newRoot(), name, args, IDLE_START_LIMIT_MS);
        running.push(p);
        readings.push(
          sleep(IDLE_SETTLE_MS).then(() => {
            alone.set(label, [...(alone.get(label) ?? []), pssOf(p.pid as number)]);
          }),
        );
      } catch (e) {
        notMeasured.set(label, (e as Error).message);
      }
      await sleep(STAGGER_MS);
    }
    await Promise.all(readings);
    await Promise.all(running.map(stop));
  }
  console.log(`${"".padEnd(47)} ${"anonymous".padEnd(16)} ${"PSS".padEnd(16)}`);
  const aloneAnon: number[] = [];
  for (const [label] of singles) {
    const ms = alone.get(label);
    if (!ms) {
      console.log(`${`${label}:`.padEnd(47)} not measured: ${notMeasured.get(label) ?? "?"}`);
      continue;
    }
    const anon = summarize(ms.map((m) => m.anon)).p50;
    const pss = summarize(ms.map((m) => m.pss)).p50;
    if (!label.startsWith("fixture")) aloneAnon.push(anon);
    console.log(
      `${`${label}:`.padEnd(47)} ${mmm(ms.map((m) => m.anon)).padEnd(16)} ${mmm(ms.map((m) => m.pss)).padEnd(16)} anon ${target(anon, "<=", 10 * MB, fmtMB)} (issue 16), PSS ${target(pss, "<=", 30 * MB, fmtMB)}`,
    );
  }
  console.log(
    `agents alone, median anonymous per agent: ${mmm(aloneAnon)} MB (min/median/max over agents); ${aloneAnon.filter((a) => a <= 10 * MB).length} of ${aloneAnon.length} at <= 10 MB; node's floor ${fmtMB(floorPss.anon)}`,
  );

  // --- the whole node ----------------------------------------------------------------------------
  console.log(
    `\n## the whole node: outpost-boot start from dist/bin (every default agent, no onboarding), read ${IDLE_SETTLE_MS / 1000} s after boot, three readings 2 s apart; ${NODE_BOOTS} boots`,
  );
  const nodeAnon = new Map<string, number[]>();
  const nodePss = new Map<string, number[]>();
  const nodeTotals: { pss: number; anon: number; n: number }[] = [];
  for (let boot = 0; boot < NODE_BOOTS; boot++) {
    const node = makeNode({
      OUTPOST_BIN: join(DIST, "bin"),
      OUTPOST_ONBOARD: "0",
      // As on a device (see AGENT_ENV); outpost-boot sets MALLOC_ARENA_MAX itself.
      NODE_EXTRA_CA_CERTS: "",
    });
    try {
      const r = node.boot("start");
      if (r.status !== 0) {
        console.log(`boot ${boot + 1} failed (${r.status}): ${r.stdout.slice(-600)}${r.stderr.slice(-600)}`);
        continue;
      }
      await sleep(IDLE_SETTLE_MS);
      const pids = readdirSync(join(node.root, "run"))
        .filter((f) => f.endsWith(".pid"))
        .map((f) => [f.slice(0, -4), node.pid(f.slice(0, -4))] as const)
        .filter((e): e is readonly [string, number] => e[1] !== undefined);
      const readings = new Map<string, Pss[]>();
      for (let i = 0; i < 3; i++) {
        if (i > 0) await sleep(2000);
        for (const [a, pid] of pids) {
          try {
            readings.set(a, [...(readings.get(a) ?? []), pssOf(pid)]);
          } catch {
            // gone (restarted by the watchdog): its other readings count
          }
        }
      }
      let pss = 0;
      let anon = 0;
      for (const [a, ms] of readings) {
        const p = summarize(ms.map((m) => m.pss)).p50;
        const n = summarize(ms.map((m) => m.anon)).p50;
        pss += p;
        anon += n;
        nodePss.set(a, [...(nodePss.get(a) ?? []), p]);
        nodeAnon.set(a, [...(nodeAnon.get(a) ?? []), n]);
      }
      nodeTotals.push({ pss, anon, n: readings.size });
    } finally {
      node.boot("stop");
      node.cleanup();
    }
  }
  if (nodeTotals.length > 0) {
    console.log(
      `${"agent (median of its readings, per boot)".padEnd(42)} ${"anonymous".padEnd(16)} ${"PSS".padEnd(16)}`,
    );
    const medAnon: number[] = [];
    const medPss: number[] = [];
    for (const a of [...nodeAnon.keys()].sort()) {
      const an = nodeAnon.get(a) ?? [];
      const ps = nodePss.get(a) ?? [];
      medAnon.push(summarize(an).p50);
      medPss.push(summarize(ps).p50);
      console.log(
        `${a.padEnd(42)} ${mmm(an).padEnd(16)} ${mmm(ps).padEnd(16)} anon ${target(summarize(an).p50, "<=", 10 * MB, fmtMB)}, PSS ${target(summarize(ps).p50, "<=", 20 * MB, fmtMB)}`,
      );
    }
    console.log(
      `per agent in the whole node (min/median/max over agents): anonymous ${mmm(medAnon)} MB, ${medAnon.filter((v) => v <= 10 * MB).length} of ${medAnon.length} at <= 10 MB; PSS ${mmm(medPss)} MB, ${medPss.filter((v) => v <= 20 * MB).length} of ${medPss.length} at <= 20 MB`,
    );
    const totalPss = nodeTotals.map((t) => t.pss);
    console.log(
      `whole node idle (${nodeTotals.map((t) => t.n).join("/")} agents): total PSS ${mmm(totalPss)} MB ${target(summarize(totalPss).p50, "<=", 250 * MB, fmtMB)} (issue 16); total anonymous ${mmm(nodeTotals.map((t) => t.anon))} MB`,
    );
  }

  // --- ten idle agents on one node ----------------------------------------------------------------
  console.log(
    "\n## ten idle agents on one root (fixtures f0..f9: each publishes a table, subscribes to its neighbour's)",
  );
  const root10 = newRoot();
  const ten: ChildProcess[] = [];
  for (let i = 0; i < 10; i++) {
    const [p] = await startAgent("fixture", root10, `f${i}`, [
      "--name",
      `f${i}`,
      "--publish",
      "FixtureStatus",
      "--subscribe",
      `f${(i + 9) % 10}/FixtureStatus`,
    ]);
    ten.push(p);
  }
  await sleep(SETTLE_MS);
  const tenPss = ten.map((p) => pssOf(p.pid as number));
  const total = tenPss.reduce((a, p) => a + p.pss, 0);
  console.log(`per agent: ${tenPss.map((p) => fmtMB(p.pss)).join(" ")}`);
  console.log(`total PSS of 10 agents: ${fmtMB(total)} ${target(total, "<=", 250 * MB, fmtMB)}`);
  await Promise.all(ten.map(stop));

  // --- cold start ----------------------------------------------------------------------------------
  console.log(
    `\n## cold start: exec dist/bin/<agent> -> run/<agent>.touch exists (${COLD_STARTS} runs each, fresh root, agents interleaved)`,
  );
  console.log(
    "wall time, and the CPU time (all threads) the process had used by then: under load the wall time is mostly waiting for a core",
  );
  const cold: [string, string, string, string[], NodeJS.ProcessEnv][] = [
    ["fixture", "fixture", "cold", ["--name", "cold"], AGENT_ENV],
    ["ledmanager", "ledmanager", "ledmanager", [], AGENT_ENV],
    ["zedmanager", "zedmanager", "zedmanager", [], AGENT_ENV],
    ["domainmgr", "domainmgr", "domainmgr", [], AGENT_ENV],
  ];
  if (EXTRA_CA) cold.push(["ledmanager + NODE_EXTRA_CA_CERTS", "ledmanager", "ledmanager", [], process.env]);
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let i = 0; i < COLD_STARTS; i++) {
    for (const [label, agent, name, args, env] of cold) {
      const root = newRoot();
      const [p, ms, cpuMs] = await startAgent(agent, root, name, args, 20_000, env);
      wall.set(label, [...(wall.get(label) ?? []), ms]);
      cpu.set(label, [...(cpu.get(label) ?? []), cpuMs]);
      await stop(p);
    }
  }
  for (const [label] of cold) {
    const times = wall.get(label) ?? [];
    const s = summarize(times);
    console.log(spreadLine(`  ${label} exec -> touch (wall)`, times, fmtMs));
    console.log(spreadLine(`  ${label} CPU used by touch   `, cpu.get(label) ?? [], fmtMs));
    console.log(
      `  ${label}: median ${fmtMs(s.p50)} ${target(s.p50, "<=", 100, fmtMs)} (issue 16), worst ${fmtMs(s.max)} ${target(s.max, "<=", 300, fmtMs)} (issue 2)`,
    );
  }
  console.log(machineLine());

  // --- installed size -------------------------------------------------------------------------------
  console.log("\n## installed size of the unpacked `make dist` tarball");
  const tarballs = existsSync(DIST)
    ? readdirSync(DIST).filter((f) => /^outpost-.*-linux-.*\.tar\.gz$/.test(f))
    : [];
  if (tarballs.length === 0)
    console.log("no dist/outpost-*-linux-*.tar.gz: run `make dist` first (not measured)");
  for (const tarball of tarballs) {
    const path = join(DIST, tarball);
    const into = mkdtempSync(join(tmpdir(), "ob-tar-"));
    roots.push(into);
    execFileSync("tar", ["-xzf", path, "-C", into]);
    const apparent = Number(execFileSync("du", ["-sb", into]).toString().split("\t")[0]);
    const onDisk = Number(execFileSync("du", ["-sk", into]).toString().split("\t")[0]) * 1024;
    const stale = statSync(path).mtimeMs < statSync(join(DIST, "outpost")).mtimeMs;
    console.log(
      `${tarball} (${fmtBytes(statSync(path).size)} compressed${stale ? "; older than dist/outpost: may be stale" : ""})`,
    );
    console.log(
      `  unpacked: ${fmtMB(onDisk)} on disk (du -sk) ${target(onDisk, "<=", 20 * MB, fmtMB)}; ${fmtMB(apparent)} apparent (du -sb)`,
    );
    const biggest = execFileSync("sh", [
      "-c",
      `cd "${into}"/* && du -sk node_modules/* outpost* 2>/dev/null | sort -rn | head -5`,
    ])
      .toString()
      .trim()
      .split("\n")
      .map((l) => {
        const [k, name] = l.split("\t");
        return `${name} ${fmtMB(Number(k) * 1024)}`;
      });
    console.log(`  largest parts: ${biggest.join(", ")}`);
  }
} finally {
  await Promise.all(started.map(stop));
  for (const r of roots) removeRoot(r);
}
console.log(`\n${machineLine()}`);
process.exit(0);
