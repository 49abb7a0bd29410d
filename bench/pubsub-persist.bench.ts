// Persistent (durable) publish rate, 200-byte values to distinct keys (target: >= 5 000 updates/s, pipelined).
//
// Durable means every set() promise has resolved: LMDB committed (and synced) the write before the bus
// shows it to subscribers. Pipelined: many sets in flight, which LMDB commits in shared transactions.
// For honesty, also the rate when each set() is awaited before the next (one commit and sync per
// write), with that per-write latency. Each run opens a fresh store; opening is not timed.
import { execFileSync } from "node:child_process";
import { BenchValue, benchValue, makeBus, removeRoot, tempRoot } from "./harness.js";
import {
  distLine,
  fmtRate,
  fmtUs,
  header,
  machineLine,
  nowNs,
  spreadLine,
  summarize,
  target,
} from "./stats.js";

const PIPELINED_WRITES = 20_000;
const PIPELINED_RUNS = 5;
const AWAITED_MS = 2000;
const AWAITED_RUNS = 3;

header("pubsub persistent publish: durable set() of 200-byte values, distinct keys");
console.log(machineLine());
const probe = tempRoot();
let fs = "filesystem unknown";
try {
  fs = execFileSync("df", ["--output=source,fstype", probe]).toString().trim().split("\n").at(-1) ?? fs;
} catch {}
console.log(
  `store: LMDB under ${probe.replace(/ob-.*/, "")} (${fs.replace(/\s+/g, " ")}; tmpfs would make fsync free)`,
);
removeRoot(probe);

async function withTable<R>(
  fn: (set: (key: string, v: BenchValue) => Promise<void>) => Promise<R>,
): Promise<R> {
  const root = tempRoot();
  const bus = makeBus(root, "durable");
  try {
    const table = await bus.publish({ topic: "Durable", codec: BenchValue, persistent: true });
    return await fn((k, v) => table.set(k, v));
  } finally {
    await bus.close();
    removeRoot(root);
  }
}

const pipelined: number[] = [];
for (let r = 0; r < PIPELINED_RUNS; r++) {
  const rate = await withTable(async (set) => {
    const t0 = nowNs();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < PIPELINED_WRITES; i++) writes.push(set(`k${i}`, benchValue(i)));
    await Promise.all(writes);
    return PIPELINED_WRITES / (Number(nowNs() - t0) / 1e9);
  });
  pipelined.push(rate);
  console.log(`  pipelined run ${r + 1}: ${PIPELINED_WRITES} durable writes, ${fmtRate(rate)}`);
}

const awaited: number[] = [];
const latencyUs: number[] = [];
for (let r = 0; r < AWAITED_RUNS; r++) {
  const rate = await withTable(async (set) => {
    const t0 = nowNs();
    const end = t0 + BigInt(AWAITED_MS) * 1_000_000n;
    let n = 0;
    for (let now = t0; now < end; n++) {
      await set(`k${n}`, benchValue(n));
      const after = nowNs();
      latencyUs.push(Number(after - now) / 1000);
      now = after;
    }
    return n / (Number(nowNs() - t0) / 1e9);
  });
  awaited.push(rate);
  console.log(`  one-at-a-time run ${r + 1}: ${fmtRate(rate)}`);
}

console.log("");
console.log(spreadLine("pipelined durable writes   ", pipelined, fmtRate));
console.log(spreadLine("one-at-a-time durable writes", awaited, fmtRate));
console.log(distLine("one-at-a-time set() latency ", latencyUs, fmtUs));
const median = summarize(pipelined).p50;
console.log(`pipelined: median ${fmtRate(median)} ${target(median, ">=", 5000, fmtRate)}`);
const one = summarize(awaited).p50;
console.log(`one at a time: median ${fmtRate(one)} (the target is for pipelined writes; shown for honesty)`);
console.log(machineLine());
process.exit(0);
