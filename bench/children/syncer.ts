// Child of pubsub-sync.bench.ts: a fresh process that subscribes big/Table and reports how long it took
// from subscribe() to synchronized, and how many keys its create handler saw by then.
import { BenchValue, makeBus, toParent } from "../harness.js";
import { nowNs } from "../stats.js";

const root = process.argv[2] as string;
const bus = makeBus(root, "syncer");
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
toParent({ type: "synced", subscribeNs: t0, syncedNs: t1, created, size: sub.size });
await bus.close();
process.disconnect?.();
