// Cross-process publish -> subscriber handler latency, 200-byte values (target: p50 <= 200 us, p99 <= 1 ms).
//
// Ping-pong between this process (publishes pinger/Ping, subscribes echo/Echo) and a child (subscribes
// Ping, republishes every value into Echo), one value in flight at a time. Two views of the same
// samples: half the round trip (no clock assumption), and the one-way time of each leg measured with
// process.hrtime.bigint() (CLOCK_MONOTONIC, one clock for every process on the machine). Rounds of raw
// ZeroMQ DEALER/ROUTER round trips between two node processes are interleaved, so the bus's overhead
// over its transport is measured under the same noise. A pass-through Transport stamps each BATCH and
// ACK as it crosses the transport, which splits the one-way time into publisher, wire and subscriber.
import { join } from "node:path";
import { Dealer } from "zeromq";
import { BenchValue, benchValue, makeBus, removeRoot, type Stamps, spawnChild, tempRoot } from "./harness.js";
import { distLine, fmtUs, header, machineLine, nowNs, spreadLine, summarize, target } from "./stats.js";

const ROUNDS = 5;
const PER_ROUND = 2000;
const WARMUP = 500;

const root = tempRoot();
const here = import.meta.dirname;

header("pubsub latency: publish -> subscriber handler, 200-byte values, 2 processes");
console.log(machineLine());
console.log(`${ROUNDS} rounds x ${PER_ROUND} samples, ${WARMUP} warm-up exchanges per round dropped`);

// --- raw ZeroMQ floor -------------------------------------------------------------------------
const rawChild = spawnChild(join(here, "children", "zmq-echo.ts"), [root]);
await rawChild.next("ready");
const dealer = new Dealer({ linger: 0 });
dealer.connect(`ipc://${join(root, "raw.sock")}`);
const payload = Buffer.alloc(200, 120);

async function rawRound(n: number): Promise<number[]> {
  const rtt: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = nowNs();
    await dealer.send(payload);
    await dealer.receive();
    rtt.push(Number(nowNs() - t0) / 1000);
  }
  return rtt;
}

// --- pubsub ping-pong -------------------------------------------------------------------------
const stamps: Stamps = { batchSent: 0n, batchArrived: 0n, ackSent: 0n };
const bus = makeBus(root, "pinger", stamps);
const ping = await bus.publish({ topic: "Ping", codec: BenchValue });
let waiting: { seq: number; resolve: () => void } | undefined;
let backUs: number[] = [];
const onEcho = (_key: string, v: BenchValue) => {
  const at = nowNs();
  if (waiting && v.seq === waiting.seq) {
    backUs.push(Number(at - BigInt(v.sentNs)) / 1000);
    waiting.resolve();
  }
};
const echoSub = bus.subscribe({
  agent: "echo",
  topic: "Echo",
  codec: BenchValue,
  handlers: { create: onEcho, modify: onEcho },
});
const echoChild = spawnChild(join(here, "children", "echo.ts"), [root]);
await echoChild.next("ready");
await echoSub.waitSynchronized(30_000);
let seq = 0;
/** set() -> this process's BATCH handed to ZeroMQ (publisher side). */
const publisherUs: number[] = [];

async function pubsubRound(n: number): Promise<number[]> {
  const rtt: number[] = [];
  for (let i = 0; i < n; i++) {
    seq++;
    const echoed = new Promise<void>((resolve) => (waiting = { seq, resolve }));
    const t0 = nowNs();
    await ping.set("p", benchValue(seq, t0));
    await echoed;
    rtt.push(Number(nowNs() - t0) / 1000);
    publisherUs.push(Number(stamps.batchSent - t0) / 1000);
  }
  waiting = undefined;
  return rtt;
}

const stages = { arrived: [] as number[], deliver: [] as number[], ack: [] as number[] };
async function oneWayThere(keep: boolean): Promise<number[]> {
  echoChild.send({ type: "report" });
  const m = await echoChild.next("oneway");
  if (keep) {
    stages.arrived.push(...(m.arrivedUs as number[]));
    stages.deliver.push(...(m.deliverUs as number[]));
    stages.ack.push(...(m.ackUs as number[]));
  }
  return m.us as number[];
}

const raw: number[] = [];
const rtt: number[] = [];
const there: number[] = [];
const back: number[] = [];
const publisherAll: number[] = [];
const perRound = {
  rawP50: [] as number[],
  halfP50: [] as number[],
  halfP99: [] as number[],
  thereP50: [] as number[],
};
for (let r = 0; r < ROUNDS; r++) {
  await rawRound(WARMUP);
  const rr = await rawRound(PER_ROUND);
  raw.push(...rr);
  await pubsubRound(WARMUP);
  await oneWayThere(false);
  backUs = [];
  publisherUs.length = 0;
  const pr = await pubsubRound(PER_ROUND);
  publisherAll.push(...publisherUs);
  const th = await oneWayThere(true);
  rtt.push(...pr);
  there.push(...th);
  back.push(...backUs);
  const half = summarize(pr.map((x) => x / 2));
  perRound.rawP50.push(summarize(rr).p50 / 2);
  perRound.halfP50.push(half.p50);
  perRound.halfP99.push(half.p99);
  perRound.thereP50.push(summarize(th).p50);
}

const half = rtt.map((x) => x / 2);
const rawHalf = raw.map((x) => x / 2);
const hs = summarize(half);
const th = summarize(there);
console.log("");
console.log(distLine("raw ZeroMQ round trip            ", raw, fmtUs));
console.log(distLine("raw ZeroMQ half round trip       ", rawHalf, fmtUs));
console.log(distLine("pubsub round trip (set->handler->set->handler)", rtt, fmtUs));
console.log(distLine("pubsub half round trip           ", half, fmtUs));
console.log(distLine("pubsub one-way pinger->echo      ", there, fmtUs));
console.log(distLine("pubsub one-way echo->pinger      ", back, fmtUs));
console.log("where the one-way pinger->echo time goes (transport-level timestamps):");
console.log(distLine("  publisher: set() -> BATCH handed to ZeroMQ      ", publisherAll, fmtUs));
console.log(distLine("  set() -> BATCH received by subscriber transport ", stages.arrived, fmtUs));
console.log(distLine("  subscriber: BATCH received -> handler runs      ", stages.deliver, fmtUs));
console.log(distLine("  subscriber: BATCH received -> ACK handed to ZMQ ", stages.ack, fmtUs));
console.log("");
console.log(`half round trip: p50 ${fmtUs(hs.p50)} ${target(hs.p50, "<=", 200, fmtUs)}`);
console.log(`half round trip: p99 ${fmtUs(hs.p99)} ${target(hs.p99, "<=", 1000, fmtUs)}`);
console.log(`one-way (clock): p50 ${fmtUs(th.p50)} ${target(th.p50, "<=", 200, fmtUs)}`);
console.log(`one-way (clock): p99 ${fmtUs(th.p99)} ${target(th.p99, "<=", 1000, fmtUs)}`);
console.log(
  `pubsub overhead over raw ZeroMQ (p50 of half round trips): +${fmtUs(hs.p50 - summarize(rawHalf).p50)}`,
);
console.log("");
console.log("spread across rounds:");
console.log(spreadLine("  raw ZeroMQ half round trip p50 ", perRound.rawP50, fmtUs));
console.log(spreadLine("  pubsub half round trip p50     ", perRound.halfP50, fmtUs));
console.log(spreadLine("  pubsub half round trip p99     ", perRound.halfP99, fmtUs));
console.log(spreadLine("  pubsub one-way pinger->echo p50", perRound.thereP50, fmtUs));
// In round order: the first round after the warm-up is usually the slowest (JIT tiering, the young
// generation still growing), which a min/median/max spread does not show.
console.log(
  `  pubsub half round trip p99 by round, in order: ${perRound.halfP99.map((x) => fmtUs(x)).join("  ")}`,
);
console.log(machineLine());

dealer.close();
await Promise.all([echoChild.stop(), rawChild.stop()]);
await bus.close();
removeRoot(root);
process.exit(0);
