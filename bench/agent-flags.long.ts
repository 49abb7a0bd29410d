// Issue 16 (lean agents): what V8 flags buy an idle agent, and the whole node's idle memory.
//  1. ledmanager, zedagent, domainmgr, newlogd idle on a fresh root, one at a time, as
//     `node <flags> -r <probe> dist/outpost <agent>`, for each flag set; RUNS rounds, flag sets
//     interleaved within a round: PSS, anonymous memory, V8 heap used and total, exec -> touch file
//     (min/median/max).
//  2. A whole node booted by outpost-boot from dist/bin (every default agent, OUTPOST_ONBOARD=0, no
//     controller), idle: PSS and anonymous memory per agent and summed (goal: <= 250 MB PSS), once
//     plain and once with NODE_OPTIONS=--max-semi-space-size=1 (outpost-boot passes its environment on).
// Figures only. The busy-path cost of a flag is measured apart (bench/README.md, issue 16 section).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { makeNode } from "@outpost/testkit";
import {
  cleanupProbe,
  DIST,
  ensureBundle,
  fmtMB,
  type IdleRun,
  idleColumns,
  idleRun,
  MB,
  type Mem,
  median,
  memOf,
  sleep,
} from "./agent-procs.js";
import { removeRoot, tempRoot } from "./harness.js";
import { header, machineLine, target } from "./stats.js";

const RUNS = Number(process.env.RUNS ?? 3);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 12_000);
const NODE_SETTLE_MS = Number(process.env.NODE_SETTLE_MS ?? 15_000);
const AGENTS = (process.env.AGENTS ?? "ledmanager,zedagent,domainmgr,newlogd").split(/[ ,]+/).filter(Boolean);
const FLAG_SETS: [string, string[]][] = [
  ["(none)", []],
  ["--max-semi-space-size=1", ["--max-semi-space-size=1"]],
  ["--max-old-space-size=64", ["--max-old-space-size=64"]],
  ["--single-threaded-gc", ["--single-threaded-gc"]],
  ["--jitless", ["--jitless"]],
  ["--lite-mode", ["--lite-mode"]],
  ["semi=1 + single-threaded-gc", ["--max-semi-space-size=1", "--single-threaded-gc"]],
];
const ONLY_FLAGS = process.env.FLAGS?.split(",");
const flagSets = FLAG_SETS.filter(([label]) => !ONLY_FLAGS || ONLY_FLAGS.includes(label));

header("agent V8 flags and whole-node idle memory (issue 16)");
console.log(machineLine());
ensureBundle();

const roots: string[] = [];
const newRoot = () => {
  const r = tempRoot();
  roots.push(r);
  return r;
};

try {
  if (process.env.SKIP_FLAGS !== "1") {
    console.log(
      `\n## idle agent per flag set: ${RUNS} rounds, settle ${SETTLE_MS} ms; min/median/max (MB, ms)`,
    );
    const results = new Map<string, IdleRun[]>();
    const failed = new Map<string, string>();
    for (let round = 0; round < RUNS; round++) {
      for (const agent of AGENTS) {
        for (const [label, flags] of flagSets) {
          const key = `${agent}\t${label}`;
          if (failed.has(key)) continue;
          try {
            const r = await idleRun(agent, { flags, settleMs: SETTLE_MS, limitMs: 8000, root: newRoot() });
            results.set(key, [...(results.get(key) ?? []), r]);
          } catch (e) {
            failed.set(key, (e as Error).message);
          }
        }
      }
    }
    for (const agent of AGENTS) {
      console.log(`\n${agent}`);
      console.log(
        `  ${"flags".padEnd(28)} ${"PSS".padEnd(15)} ${"anon".padEnd(15)} ${"heap used".padEnd(15)} ${"heap total".padEnd(15)} ${"exec->touch".padEnd(12)}`,
      );
      const base = results.get(`${agent}\t(none)`);
      for (const [label] of flagSets) {
        const key = `${agent}\t${label}`;
        const runs = results.get(key);
        if (!runs) {
          console.log(`  ${label.padEnd(28)} not measured: ${failed.get(key) ?? "?"}`);
          continue;
        }
        const delta =
          base && label !== "(none)"
            ? `  anon ${(median(runs.map((r) => r.mem.anon - 0)) / MB - median(base.map((r) => r.mem.anon)) / MB).toFixed(1)} MB vs none`
            : "";
        console.log(
          `  ${label.padEnd(28)} ${idleColumns(runs, ["pss", "anon", "heapUsed", "heapTotal"], 15)} ${idleColumns(runs, ["start"], 12)}${delta}`,
        );
      }
    }
  }

  if (process.env.SKIP_NODE !== "1") {
    for (const [label, nodeOptions] of [
      ["plain", ""],
      ["NODE_OPTIONS=--max-semi-space-size=1", "--max-semi-space-size=1"],
    ] as const) {
      console.log(`\n## whole node, idle (outpost-boot start, every default agent; ${label})`);
      const node = makeNode({
        OUTPOST_BIN: join(DIST, "bin"),
        OUTPOST_ONBOARD: "0",
        NODE_OPTIONS: nodeOptions,
        // As on a device: node would parse this shell's extra CA file in every agent (~1 MB each).
        NODE_EXTRA_CA_CERTS: "",
      });
      try {
        const r = node.boot("start");
        if (r.status !== 0) {
          console.log(`boot failed (${r.status}): ${r.stdout.slice(-800)}${r.stderr.slice(-800)}`);
          continue;
        }
        // V8's memory reducer shrinks an idle heap ~8 s after start: wait past it for the last agent.
        await sleep(NODE_SETTLE_MS);
        // Every agent's pid file under run/ (the onboarding client is off).
        const pids = readdirSync(join(node.root, "run"))
          .filter((f) => f.endsWith(".pid"))
          .map((f) => f.slice(0, -4))
          .map((a) => [a, node.pid(a)] as const)
          .filter((e): e is readonly [string, number] => e[1] !== undefined);
        // Three readings 2 s apart; per agent the median of its readings.
        const readings = new Map<string, Mem[]>();
        for (let i = 0; i < 3; i++) {
          for (const [a, pid] of pids) readings.set(a, [...(readings.get(a) ?? []), memOf(pid)]);
          await sleep(2000);
        }
        let pss = 0;
        let anon = 0;
        const rows: string[] = [];
        for (const [a, ms] of readings) {
          const p = median(ms.map((m) => m.pss));
          const n = median(ms.map((m) => m.anon));
          pss += p;
          anon += n;
          rows.push(`${a} ${fmtMB(p)}/${fmtMB(n)}`);
        }
        console.log(`per agent, PSS/anonymous MB: ${rows.join(", ")}`);
        console.log(
          `${readings.size} agents: total PSS ${fmtMB(pss)} MB ${target(pss, "<=", 250 * MB, (v) => `${fmtMB(v)} MB`)}, total anonymous ${fmtMB(anon)} MB, mean PSS per agent ${fmtMB(pss / Math.max(1, readings.size))} MB`,
        );
      } finally {
        node.boot("stop");
        node.cleanup();
      }
    }
  }
} finally {
  for (const r of roots) removeRoot(r);
  cleanupProbe();
}
console.log(`\n${machineLine()}`);
process.exit(0);
