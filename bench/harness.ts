// What the pubsub benchmarks share: short temp roots, a bus on the ZeroMQ transport, child processes
// (`node --import tsx <script>`, as `make bench` runs them) that talk to the parent over Node's IPC
// channel, and the 200-byte value every benchmark publishes.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import {
  type ClientEndpoint,
  PubSub,
  type ServerEndpoint,
  type Transport,
  ZmqTransport,
} from "@outpost/pubsub";
import { t } from "@outpost/types";

/** A 200-byte value (as JSON on the wire) that carries a sequence number and a send time. */
export const BenchValue = t.object({ seq: t.integer, sentNs: t.string, pad: t.string }, "BenchValue");
export type BenchValue = t.Infer<typeof BenchValue>;

export const VALUE_BYTES = 200;

export function benchValue(seq: number, sentNs: bigint = 0n): BenchValue {
  const v = { seq, sentNs: sentNs.toString(), pad: "" };
  const bare = Buffer.byteLength(JSON.stringify(v));
  v.pad = "x".repeat(Math.max(0, VALUE_BYTES - bare));
  return v;
}

/** A fresh root short enough for ipc:// socket paths (107 bytes). */
export function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), "ob-"));
}

export function removeRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** When the last protocol message of each kind crossed this process's transport (monotonic ns). */
export interface Stamps {
  batchSent: bigint;
  batchArrived: bigint;
  ackSent: bigint;
  /** BATCH messages received so far, and when the first one came */
  batchesArrived?: number;
  firstBatchArrived?: bigint;
}

/** The ZeroMQ transport, unchanged, plus a timestamp as each BATCH/ACK passes: where latency goes. */
class StampingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly stamps: Stamps,
  ) {}
  async listen(agent: string): Promise<ServerEndpoint> {
    const ep = await this.inner.listen(agent);
    return {
      onMessage: (h) => ep.onMessage(h),
      send: (peer, frames) => {
        if (frames[0]?.toString() === "BATCH") this.stamps.batchSent = process.hrtime.bigint();
        ep.send(peer, frames);
      },
      close: () => ep.close(),
    };
  }
  connect(agent: string): ClientEndpoint {
    const ep = this.inner.connect(agent);
    return {
      onMessage: (h) =>
        ep.onMessage((frames) => {
          if (frames[0]?.toString() === "BATCH") {
            const now = process.hrtime.bigint();
            this.stamps.batchArrived = now;
            this.stamps.firstBatchArrived ??= now;
            this.stamps.batchesArrived = (this.stamps.batchesArrived ?? 0) + 1;
          }
          h(frames);
        }),
      onConnect: (h) => ep.onConnect(h),
      send: (frames) => {
        if (frames[0]?.toString() === "ACK") this.stamps.ackSent = process.hrtime.bigint();
        ep.send(frames);
      },
      close: () => ep.close(),
    };
  }
  describe(agent: string): string {
    return this.inner.describe(agent);
  }
}

export function makeBus(root: string, agent: string, stamps?: Stamps): PubSub {
  const zmq = new ZmqTransport(join(root, "run"));
  return new PubSub({
    agent,
    transport: stamps ? new StampingTransport(zmq, stamps) : zmq,
    persistDir: join(root, "persist", "pubsub"),
    loop: new MainLoop(),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: IPC messages are plain structured-clone data.
export type Msg = { type: string } & Record<string, any>;

/** A child benchmark process with a message channel to the parent. */
export class Child {
  private readonly inbox: Msg[] = [];
  private waiter: (() => void) | undefined;
  private readonly routes = new Map<string, (m: Msg) => void>();
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    proc.on("message", (m: Msg) => {
      const route = this.routes.get(m.type);
      if (route) return route(m);
      this.inbox.push(m);
      this.waiter?.();
    });
    this.exited = new Promise((r) => proc.once("exit", (code) => r(code)));
  }

  /** The next message of `type` (earlier messages of other types are kept for later). */
  async next(type: string, timeoutMs = 60_000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Msg;
      if (this.proc.exitCode !== null)
        throw new Error(`child exited (${this.proc.exitCode}) before sending "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for "${type}" from the child`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Messages of `type` go to `handler` instead of the inbox (frequent ones, like progress). */
  on(type: string, handler: (m: Msg) => void): void {
    this.routes.set(type, handler);
  }

  send(m: Msg): void {
    this.proc.send(m);
  }

  /** Closes the IPC channel (children exit on it, writing their CPU profile if asked), then kills. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    if (this.proc.connected) this.proc.disconnect();
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts `node --import tsx <script> ...args` with an IPC channel (bigints allowed in messages). */
export function spawnChild(script: string, args: string[] = []): Child {
  // BENCH_CPU_PROF=<dir>: children write V8 CPU profiles there (run the parent with --cpu-prof too).
  const prof = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const proc = spawn(process.execPath, [...prof, "--import", "tsx", script, ...args], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  return new Child(proc);
}

/** In a child: send a message to the parent. */
export function toParent(m: Msg): void {
  process.send?.(m);
}

/** In a child: the parent's messages. The child exits when the parent goes away. */
export function fromParent(handler: (m: Msg) => void): void {
  process.on("message", (m: Msg) => handler(m));
  process.on("disconnect", () => process.exit(0));
}
