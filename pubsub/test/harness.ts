// Test harness: nodes (a bus + main loop each) over either transport, in short temp roots.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import { type BusLogger, MemoryTransport, PubSub, type Transport, ZmqTransport } from "../src/index.js";

export interface TransportKind {
  name: string;
  /** A fresh "machine": every node made from it can reach the others. */
  machine(): Machine;
}

export interface Machine {
  root: string;
  node(agent: string, log?: BusLogger): PubSub;
  cleanup(): Promise<void>;
}

function makeMachine(transportFor: (root: string) => Transport): Machine {
  const root = mkdtempSync(join(tmpdir(), "ops-"));
  const buses: PubSub[] = [];
  return {
    root,
    node(agent, log) {
      const bus = new PubSub({
        agent,
        transport: transportFor(root),
        persistDir: join(root, "persist", "pubsub"),
        loop: new MainLoop(),
        ...(log ? { log } : {}),
      });
      buses.push(bus);
      return bus;
    },
    async cleanup() {
      await Promise.all(buses.map((b) => b.close()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const allTransports: TransportKind[] = [
  {
    name: "memory",
    machine() {
      const t = new MemoryTransport();
      return makeMachine(() => t);
    },
  },
  {
    name: "zeromq",
    machine: () => makeMachine((root) => new ZmqTransport(join(root, "run"))),
  },
];

/** The transports this run covers: vitest.config.ts gives the unit project the memory transport and the
 * integration project ZeroMQ (OUTPOST_TEST_TRANSPORTS, comma-separated); unset means both. */
export const transports: TransportKind[] = allTransports.filter(
  (k) => process.env.OUTPOST_TEST_TRANSPORTS?.split(",").includes(k.name) ?? true,
);

export { waitFor } from "@outpost/testkit/wait";

export function recordingLogger(): BusLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (obj: object, msg?: string) => lines.push(`${msg ?? ""} ${JSON.stringify(obj)}`);
  return { lines, debug: rec, info: rec, warn: rec, error: rec };
}
