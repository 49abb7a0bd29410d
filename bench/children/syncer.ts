// Child of pubsub-sync.bench.ts: a fresh process that subscribes big/Table and reports how long it took
// from subscribe() to synchronized, how many keys its create handler saw by then, and when the first and
// last BATCH of the table reached its transport.
import { BenchValue, makeBus, type Stamps, toParent } from "../harness.js";
import { nowNs } from "../stats.js";

const root = process.argv[2] as string;
const stamps: Stamps = { batchSent: 0n, batchArrived: 0n, ackSent: 0n };
const bus = makeBus(root, "syncer", stamps);
let created = 0;
const t0 = nowNs();
const sub = bus.subscribe({
  agent: "big",
  topic: "Table",
  codec: BenchValue,
  handlers: {
    create: () => {
      created++;
    },
  },
});
await sub.waitSynchronized(60_000);
const t1 = nowNs();
toParent({
  type: "synced",
  subscribeNs: t0,
  syncedNs: t1,
  created,
  size: sub.size,
  firstBatchNs: stamps.firstBatchArrived ?? 0n,
  lastBatchNs: stamps.batchArrived,
  batches: stamps.batchesArrived ?? 0,
});
await bus.close();
process.disconnect?.();
