// Child of pubsub-throughput.bench.ts (and pubsub-persist.bench.ts): subscribes <agent>/<Topic>
// (default load/Load) and counts every handler call. For each run
// the parent says which sequence number is the last one of each key; the child reports "done" (with its
// monotonic clock) once every key holds its last value, and reports progress for the parent's pacing.
import { BenchValue, fromParent, makeBus, toParent } from "../harness.js";
import { nowNs } from "../stats.js";

const [root, name, keysArg, agent = "load", topic = "Load"] = process.argv.slice(2) as [
  string,
  string,
  string,
];
const KEYS = Number(keysArg);
const PROGRESS_EVERY = 1000;

let delivered = 0;
let doneKeys = 0;
let lastRoundBase = Number.POSITIVE_INFINITY;
let cpuAtStart = process.cpuUsage();
const finished = new Uint8Array(KEYS);

const onValue = (key: string, v: BenchValue) => {
  delivered++;
  if (delivered % PROGRESS_EVERY === 0) toParent({ type: "progress", delivered });
  const k = Number(key.slice(1));
  if (v.seq >= lastRoundBase + k && !finished[k]) {
    finished[k] = 1;
    if (++doneKeys === KEYS) {
      const cpu = process.cpuUsage(cpuAtStart);
      toParent({ type: "done", atNs: nowNs(), delivered, cpuUs: cpu.user + cpu.system });
    }
  }
};

const bus = makeBus(root, name);
const sub = bus.subscribe({
  agent,
  topic,
  codec: BenchValue,
  handlers: { create: onValue, modify: onValue },
});
fromParent((m) => {
  if (m.type === "run") {
    // Key k's last value in this run has seq lastRoundBase + k.
    delivered = 0;
    doneKeys = 0;
    finished.fill(0);
    lastRoundBase = m.lastRoundBase as number;
    cpuAtStart = process.cpuUsage();
    toParent({ type: "armed" });
  }
});
await sub.waitSynchronized(30_000);
toParent({ type: "ready" });
