// Initial sync of a 10 000-key table (200-byte values) to a new subscriber process (target: subscribe -> synchronized <= 250 ms).
//
// This process publishes big/Table with 10 000 keys; each repetition starts a fresh child process that
// subscribes and waits for synchronized (every key delivered to its create handler first). The child
// times subscribe() -> synchronized on its own clock; exec -> synchronized (process start, module
// loading, connect) is printed beside it for context.
import { join } from "node:path";
import { BenchValue, benchValue, makeBus, removeRoot, spawnChild, tempRoot } from "./harness.js";
import { fmtUs, header, machineLine, nowNs, spreadLine, summarize, target } from "./stats.js";

const KEYS = 10_000;
const REPEATS = 10;

const here = import.meta.dirname;
const root = tempRoot();
const bus = makeBus(root, "big");
const table = await bus.publish({ topic: "Table", codec: BenchValue });
await Promise.all(Array.from({ length: KEYS }, (_, i) => table.set(`k${i}`, benchValue(i))));

header("pubsub initial sync: 10 000-key table of 200-byte values -> a new subscriber process");
console.log(machineLine());

const syncUs: number[] = [];
const execUs: number[] = [];
const firstUs: number[] = [];
const lastUs: number[] = [];
let batches = 0;
for (let r = 0; r < REPEATS; r++) {
  const spawnedNs = nowNs();
  const child = spawnChild(join(here, "children", "syncer.ts"), [root]);
  const m = await child.next("synced", 60_000);
  const us = Number((m.syncedNs as bigint) - (m.subscribeNs as bigint)) / 1000;
  syncUs.push(us);
  firstUs.push(Number((m.firstBatchNs as bigint) - (m.subscribeNs as bigint)) / 1000);
  lastUs.push(Number((m.lastBatchNs as bigint) - (m.subscribeNs as bigint)) / 1000);
  batches = m.batches as number;
  execUs.push(Number((m.syncedNs as bigint) - spawnedNs) / 1000);
  if (m.created !== KEYS || m.size !== KEYS)
    console.log(`  run ${r + 1}: only ${m.created} creates / ${m.size} keys!`);
  await child.stop();
}
console.log(`  per run (subscribe -> synchronized): ${syncUs.map(fmtUs).join("  ")}`);
console.log(spreadLine("subscribe -> synchronized     ", syncUs, fmtUs));
console.log(spreadLine("exec -> synchronized (context)", execUs, fmtUs));
console.log(`where it goes (transport-level timestamps; the table came in ${batches} BATCH messages):`);
console.log(spreadLine("  subscribe -> first BATCH received", firstUs, fmtUs));
console.log(spreadLine("  subscribe -> last BATCH received ", lastUs, fmtUs));
console.log(
  spreadLine(
    "  last BATCH -> synchronized       ",
    syncUs.map((s, i) => s - (lastUs[i] as number)),
    fmtUs,
  ),
);
const s = summarize(syncUs);
console.log(
  `subscribe -> synchronized: median ${fmtUs(s.p50)} ${target(s.p50, "<=", 250_000, fmtUs)}, worst ${fmtUs(s.max)} ${target(s.max, "<=", 250_000, fmtUs)}`,
);
console.log(machineLine());

await bus.close();
removeRoot(root);
process.exit(0);
