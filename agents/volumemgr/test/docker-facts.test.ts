import { WorkerPool } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { DockerFacts, type EngineRead } from "../src/docker-facts.js";

// What volumemgr knows of the engine, on a real main loop and worker pool; the engine's answers are
// played by the test (each read waits until the test answers it).

function setup() {
  const loop = new MainLoop();
  const pool = new WorkerPool(loop, 4);
  const reads: { answer: (r: EngineRead | Error) => void }[] = [];
  let changes = 0;
  /** Reads whose answer the facts have handled (dropped ones too): the positive event to wait for. */
  let settled = 0;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const facts = new DockerFacts(
    (fn, onDone) =>
      pool.submit(fn, async (r) => {
        await onDone(r);
        settled++;
        wake();
      }),
    () =>
      new Promise<EngineRead>((resolve, reject) =>
        reads.push({ answer: (r) => (r instanceof Error ? reject(r) : resolve(r)) }),
      ),
    (e) => (e as Error).message,
    () => {
      changes++;
    },
    pino({ level: "silent" }),
  );
  const settledReach = async (n: number) => {
    while (settled < n) await new Promise<void>((r) => waiters.push(r));
  };
  /** Lets the pool call the reader (reads start off the main loop). */
  const readsReach = async (n: number) => {
    while (reads.length < n) await new Promise((r) => setImmediate(r));
  };
  return { facts, reads, settledReach, readsReach, changes: () => changes };
}

const read = (tags: [string, string][], volumes: string[]): EngineRead => ({
  tags: new Map(tags),
  volumes: new Set(volumes),
});

describe("volumemgr's Docker facts", () => {
  it("knows why the engine cannot be read until it first is, then holds what it read", async () => {
    const { facts, reads, settledReach, readsReach, changes } = setup();
    expect(facts.known).toBe(false);
    facts.scan();
    await readsReach(1);
    reads[0]?.answer(new Error("no Docker engine answers at unix:///nowhere"));
    await settledReach(1);
    expect(changes()).toBe(1);
    expect(facts.known).toBe(true);
    expect(facts.scanned).toBe(false);
    expect(facts.engineError).toBe("no Docker engine answers at unix:///nowhere");

    facts.scan();
    await readsReach(2);
    reads[1]?.answer(read([["ct-1", "sha256:1"]], ["vol-1"]));
    await settledReach(2);
    expect(changes()).toBe(2);
    expect(facts.scanned).toBe(true);
    expect(facts.engineError).toBeUndefined();
    expect([...facts.images]).toEqual([["ct-1", "sha256:1"]]);
    expect([...facts.volumes]).toEqual(["vol-1"]);
  });

  it("reads once at a time, and drops a read that a change of ours overlapped", async () => {
    const { facts, reads, settledReach, readsReach, changes } = setup();
    facts.scan();
    await readsReach(1);
    facts.scan(); // still out: no second read
    reads[0]?.answer(read([], []));
    await settledReach(1);
    expect(reads).toHaveLength(1);

    // A load of ours finishes while the next read is out: that read may predate the new image.
    facts.scan();
    await readsReach(2);
    facts.imageTagged("ct-2", "sha256:2");
    facts.touched();
    reads[1]?.answer(read([], []));
    await settledReach(2);
    expect(changes()).toBe(1); // dropped: nothing changed, no pass asked for
    expect([...facts.images]).toEqual([["ct-2", "sha256:2"]]);

    // the next read, not overlapped, is the truth again
    facts.scan();
    await readsReach(3);
    reads[2]?.answer(read([["ct-3", "sha256:3"]], []));
    await settledReach(3);
    expect(changes()).toBe(2);
    expect([...facts.images]).toEqual([["ct-3", "sha256:3"]]);
  });
});
