// Child of pubsub-latency.bench.ts: subscribes pinger/Ping and answers every value in its own
// table echo/Echo. Records the one-way time it saw (monotonic clock, comparable across processes) and
// where it went: until the BATCH reached this process's transport, and from there to the handler.
import { BenchValue, benchValue, fromParent, makeBus, type Stamps, toParent } from "../harness.js";
import { nowNs } from "../stats.js";

const root = process.argv[2] as string;
const stamps: Stamps = { batchSent: 0n, batchArrived: 0n, ackSent: 0n };
const bus = makeBus(root, "echo", stamps);
const echo = await bus.publish({ topic: "Echo", codec: BenchValue });
let oneWayUs: number[] = [];
/** set() in the pinger -> BATCH handed to this process's transport (publisher side + ZeroMQ). */
let arrivedUs: number[] = [];
/** BATCH arrival -> handler (subscriber side: ack, main loop, decode). */
let deliverUs: number[] = [];
/** BATCH arrival -> ACK handed to ZeroMQ (sent before the handler runs). */
let ackUs: number[] = [];
const onPing = (_key: string, v: BenchValue) => {
  const at = nowNs();
  const sent = BigInt(v.sentNs);
  oneWayUs.push(Number(at - sent) / 1000);
  arrivedUs.push(Number(stamps.batchArrived - sent) / 1000);
  deliverUs.push(Number(at - stamps.batchArrived) / 1000);
  if (stamps.ackSent >= stamps.batchArrived) ackUs.push(Number(stamps.ackSent - stamps.batchArrived) / 1000);
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
    toParent({ type: "oneway", us: oneWayUs, arrivedUs, deliverUs, ackUs });
    oneWayUs = [];
    arrivedUs = [];
    deliverUs = [];
    ackUs = [];
  }
});
toParent({ type: "ready" });
