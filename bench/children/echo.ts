// Child of pubsub-latency.bench.ts: subscribes pinger/Ping and answers every value in its own
// table echo/Echo, stamping the one-way time it saw (monotonic clock, comparable across processes).
import { BenchValue, benchValue, fromParent, makeBus, toParent } from "../harness.js";
import { nowNs } from "../stats.js";

const root = process.argv[2] as string;
const bus = makeBus(root, "echo");
const echo = await bus.publish({ topic: "Echo", codec: BenchValue });
let oneWayUs: number[] = [];
const onPing = (_key: string, v: BenchValue) => {
  const at = nowNs();
  oneWayUs.push(Number(at - BigInt(v.sentNs)) / 1000);
  void echo.set("e", benchValue(v.seq, nowNs()));
};
const ping = bus.subscribe({
  agent: "pinger",
  topic: "Ping",
  codec: BenchValue,
  handlers: { create: onPing, modify: onPing },
});
await ping.waitSynchronized(30_000);
fromParent((m) => {
  if (m.type === "report") {
    toParent({ type: "oneway", us: oneWayUs });
    oneWayUs = [];
  }
});
toParent({ type: "ready" });
