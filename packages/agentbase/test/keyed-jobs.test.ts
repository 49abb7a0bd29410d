import { MainLoop } from "@outpost/primitives";
import { describe, expect, it } from "vitest";
import { type JobEnd, KeyedJobs } from "../src/keyed-jobs.js";
import { WorkerPool } from "../src/worker-pool.js";

/** A job whose end the test decides: resolve(value) or wait for its abort signal. */
function gate<R>() {
  let release!: (v: R) => void;
  let gateStarted!: (s: AbortSignal) => void;
  const started = new Promise<AbortSignal>((r) => (gateStarted = r));
  const fn = (signal: AbortSignal) =>
    new Promise<R>((resolve, reject) => {
      gateStarted(signal);
      release = resolve;
      signal.addEventListener("abort", () => reject(new Error("aborted")));
    });
  return { fn, started, release: (v: R) => release(v) };
}

async function waitUntil(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setImmediate(r));
}

function setup() {
  const loop = new MainLoop();
  const pool = new WorkerPool(loop, 4);
  // Counts every settled job as the pool hands it back (dropped ones too): the positive event the
  // tests wait for before asserting what onDone saw.
  let settled = 0;
  const waiters: (() => void)[] = [];
  const jobs = new KeyedJobs<string>((fn, onDone) =>
    pool.submit(fn, async (r) => {
      await onDone(r);
      settled++;
      for (const w of waiters.splice(0)) w();
    }),
  );
  const settledCount = async (n: number) => {
    while (settled < n) await new Promise<void>((r) => waiters.push(r));
  };
  const ends: { key: string; tag: string; end: JobEnd<number> }[] = [];
  const start = (key: string, tag: string, g: ReturnType<typeof gate<number>>) =>
    jobs.start(key, tag, g.fn, (end) => {
      ends.push({ key, tag, end });
    });
  return { jobs, ends, start, settledCount };
}

describe("KeyedJobs", () => {
  it("delivers the current job's result on the main loop and stops tracking it", async () => {
    const { jobs, ends, start, settledCount } = setup();
    const g = gate<number>();
    start("k", "v1", g);
    expect(jobs.running("k")).toBe("v1");
    await g.started;
    g.release(5);
    await settledCount(1);
    expect(ends).toEqual([{ key: "k", tag: "v1", end: { result: { ok: true, value: 5 }, aborted: false } }]);
    expect(jobs.isRunning("k")).toBe(false);
  });

  it("a newer job for the key aborts the older one, whose result is dropped", async () => {
    const { jobs, ends, start, settledCount } = setup();
    const old = gate<number>();
    const fresh = gate<number>();
    start("k", "v1", old);
    const oldSignal = await old.started;
    start("k", "v2", fresh);
    expect(oldSignal.aborted).toBe(true);
    expect(jobs.running("k")).toBe("v2");
    await fresh.started;
    fresh.release(2);
    await settledCount(2);
    // Only v2 ended: v1's rejection (it saw its abort) never reached onDone.
    expect(ends.map((e) => [e.tag, e.end.result.ok])).toEqual([["v2", true]]);
  });

  it("abort keeps the job current until it settles, then reports aborted", async () => {
    const { jobs, ends, start, settledCount } = setup();
    const g = gate<number>();
    start("k", "v1", g);
    const signal = await g.started;
    jobs.abort("k");
    expect(signal.aborted).toBe(true);
    expect(jobs.isRunning("k")).toBe(true);
    await settledCount(1);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.end.aborted).toBe(true);
    expect(ends[0]?.end.result.ok).toBe(false);
    expect(jobs.size).toBe(0);
  });

  it("forget drops the job at once and its onDone never runs; other keys are untouched", async () => {
    const { jobs, ends, start, settledCount } = setup();
    const a = gate<number>();
    const b = gate<number>();
    start("a", "x", a);
    start("b", "y", b);
    await Promise.all([a.started, b.started]);
    jobs.forget("a");
    expect(jobs.isRunning("a")).toBe(false);
    b.release(1);
    await settledCount(2);
    expect(ends.map((e) => e.key)).toEqual(["b"]);
  });

  it("current() turns false once a job is superseded (progress from it must be ignored)", async () => {
    const { jobs, settledCount } = setup();
    let seen: (() => boolean) | undefined;
    jobs.start(
      "k",
      "v1",
      (signal, current) => {
        seen = current;
        return new Promise<number>((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("x"))),
        );
      },
      () => {},
    );
    await waitUntil(() => seen !== undefined);
    expect(seen?.()).toBe(true);
    jobs.start(
      "k",
      "v2",
      async () => 1,
      () => {},
    );
    expect(seen?.()).toBe(false);
    await settledCount(2);
  });
});
