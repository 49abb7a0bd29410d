// Persistent (durable) publish rate, 200-byte values to distinct keys (target: >= 5 000 updates/s, pipelined).
//
// Durable means every set() promise has resolved: LMDB committed (and synced) the write before the bus
// shows it to subscribers. Pipelined: many sets in flight, which LMDB commits in shared transactions.
// Also: the pipelined rate with a subscriber process attached (and when it held every key), and, for
// honesty, the rate when each set() is awaited before the next (one commit and sync per write) with
// that per-write latency. Each run opens a fresh store; opening is not timed.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { BenchValue, benchValue, makeBus, removeRoot, spawnChild, tempRoot } from "./harness.js";
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
const WITH_SUB_RUNS = 3;
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

type SetFn = (key: string, v: BenchValue) => Promise<void>;

async function withTable<R>(fn: (set: SetFn, root: string) => Promise<R>): Promise<R> {
  const root = tempRoot();
  const bus = makeBus(root, "durable");
  try {
    const table = await bus.publish({ topic: "Durable", codec: BenchValue, persistent: true });
    return await fn((k, v) => table.set(k, v), root);
  } finally {
    await bus.close();
    removeRoot(root);
  }
}

/** Issues n sets to distinct keys k0..k<n-1> (value seq = i) at once; resolves when all are durable. */
async function pipelinedWrites(set: SetFn, n: number): Promise<void> {
  const writes: Promise<void>[] = [];
  for (let i = 0; i < n; i++) writes.push(set(`k${i}`, benchValue(i)));
  await Promise.all(writes);
}

const pipelined: number[] = [];
for (let r = 0; r < PIPELINED_RUNS; r++) {
  const rate = await withTable(async (set) => {
    const t0 = nowNs();
    await pipelinedWrites(set, PIPELINED_WRITES);
    return PIPELINED_WRITES / (Number(nowNs() - t0) / 1e9);
  });
  pipelined.push(rate);
  console.log(`  pipelined run ${r + 1}: ${PIPELINED_WRITES} durable writes, ${fmtRate(rate)}`);
}

const withSub: number[] = [];
for (let r = 0; r < WITH_SUB_RUNS; r++) {
  const [durable, held] = await withTable(async (set, root) => {
    const reader = spawnChild(join(import.meta.dirname, "children", "counter.ts"), [
      root,
      "reader",
      String(PIPELINED_WRITES),
      "durable",
      "Durable",
    ]);
    try {
      await reader.next("ready");
      // Key k's last value has seq k: the reader is done when it holds every key.
      reader.send({ type: "run", lastRoundBase: 0 });
      await reader.next("armed");
      const t0 = nowNs();
      await pipelinedWrites(set, PIPELINED_WRITES);
      const durableS = Number(nowNs() - t0) / 1e9;
      const done = await reader.next("done");
      return [PIPELINED_WRITES / durableS, PIPELINED_WRITES / (Number((done.atNs as bigint) - t0) / 1e9)];
    } finally {
      await reader.stop();
    }
  });
  withSub.push(durable);
  console.log(
    `  pipelined run with a subscriber process ${r + 1}: durable ${fmtRate(durable)}, ` +
      `subscriber held every key at ${fmtRate(held)}`,
  );
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
console.log(spreadLine("pipelined durable writes      ", pipelined, fmtRate));
console.log(spreadLine("pipelined, subscriber attached", withSub, fmtRate));
console.log(spreadLine("one-at-a-time durable writes  ", awaited, fmtRate));
console.log(distLine("one-at-a-time set() latency   ", latencyUs, fmtUs));
const median = summarize(pipelined).p50;
console.log(`pipelined: median ${fmtRate(median)} ${target(median, ">=", 5000, fmtRate)}`);
const attached = summarize(withSub).p50;
console.log(
  `pipelined, subscriber attached: median ${fmtRate(attached)} ${target(attached, ">=", 5000, fmtRate)}`,
);
const one = summarize(awaited).p50;
console.log(`one at a time: median ${fmtRate(one)} (the target is for pipelined writes; shown for honesty)`);
console.log(machineLine());
process.exit(0);
