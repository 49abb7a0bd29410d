import { WorkerPool } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { describe, expect, it } from "vitest";
import { canStart } from "../src/actions.js";
import { FORGET_AFTER_MS, Jobs, retryPolicies } from "../src/jobs.js";

// volumemgr's job table on a real main loop and worker pool: one job per key, the retry delay of a
// failing key growing by its backoff (with jitter) and starting over after a success.

function setup() {
  const loop = new MainLoop();
  const pool = new WorkerPool(loop, 4);
  let clock = 1_000_000;
  const ends: (() => void)[] = [];
  let finished = 0;
  const jobs = new Jobs(
    (fn, onDone) => pool.submit(fn, onDone),
    () => {
      finished++;
      for (const w of ends.splice(0)) w();
    },
    () => clock,
  );
  /** Resolves once `n` jobs in all have finished (their result applied). */
  const finishedCount = async (n: number) => {
    while (finished < n) await new Promise<void>((r) => ends.push(r));
  };
  return {
    jobs,
    finishedCount,
    setClock: (t: number) => {
      clock = t;
    },
  };
}

const policy = { minMs: 10_000, maxMs: 40_000, jitter: 0.5 };

describe("volumemgr jobs", () => {
  it("shows a job as running until its result is applied; a success leaves nothing behind", async () => {
    const { jobs, finishedCount } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const applied: string[] = [];
    jobs.start(
      "load:a",
      policy,
      () => gate.then(() => "sha256:1"),
      (r) => {
        applied.push(r.ok ? r.value : "failed");
        return undefined;
      },
    );
    expect(jobs.snapshot().get("load:a")).toEqual({ running: true });
    expect(canStart(jobs.snapshot().get("load:a"), Date.now() + 1e9)).toBe(false);
    release();
    await finishedCount(1);
    expect(applied).toEqual(["sha256:1"]);
    expect(jobs.snapshot().has("load:a")).toBe(false);
  });

  it("delays the retry of a failing key more each time (with jitter), and starts over after a success", async () => {
    const { jobs, finishedCount } = setup();
    let ends = 0;
    const run = async (error: string | undefined) => {
      jobs.start(
        "create:v",
        policy,
        async () => undefined,
        () => error,
      );
      await finishedCount(++ends);
      return jobs.snapshot().get("create:v");
    };
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const op = await run("no space left on device");
      if (op?.running !== false) throw new Error(`expected a failed job, got ${JSON.stringify(op)}`);
      expect(op.error).toBe("no space left on device");
      expect(op.at).toBe(1_000_000);
      expect(canStart(op, op.retryAt - 1)).toBe(false);
      expect(canStart(op, op.retryAt)).toBe(true);
      delays.push(op.retryAt - op.at);
    }
    // n-th delay within [min * 2^n * (1 - jitter), min * 2^n], capped at max
    const bounds = [10_000, 20_000, 40_000, 40_000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual((bounds[i] as number) * 0.5);
      expect(d).toBeLessThanOrEqual(bounds[i] as number);
    });
    expect(await run(undefined)).toBeUndefined();
    const again = await run("no space left on device");
    if (again?.running !== false) throw new Error("expected a failed job");
    expect(again.retryAt - again.at).toBeLessThanOrEqual(10_000);
  });

  it("forgets a failure nobody retried long after it was due, never a running job", async () => {
    const { jobs, finishedCount, setClock } = setup();
    jobs.start(
      "rmvol:a",
      policy,
      async () => false,
      () => "still in use by a container",
    );
    await finishedCount(1);
    const failed = jobs.snapshot().get("rmvol:a");
    if (failed?.running !== false) throw new Error("expected a failed job");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    jobs.start(
      "rmimg:b",
      policy,
      () => gate,
      () => undefined,
    );

    jobs.forgetStale(failed.retryAt + FORGET_AFTER_MS);
    expect(jobs.snapshot().has("rmvol:a")).toBe(true);
    setClock(failed.retryAt + FORGET_AFTER_MS + 1);
    jobs.forgetStale(failed.retryAt + FORGET_AFTER_MS + 1);
    expect(jobs.snapshot().has("rmvol:a")).toBe(false);
    expect(jobs.snapshot().get("rmimg:b")).toEqual({ running: true });
    release();
    await finishedCount(2);
  });

  it("configures a backoff for every kind of job, garbage collection retried soonest", () => {
    for (const p of Object.values(retryPolicies)) {
      expect(p.jitter).toBeGreaterThan(0);
      expect(p.maxMs).toBeGreaterThan(p.minMs);
      // a due retry is always far sooner than a failure is forgotten
      expect(p.maxMs).toBeLessThanOrEqual(FORGET_AFTER_MS);
    }
    expect(retryPolicies.removeImage.minMs).toBeLessThan(retryPolicies.loadImage.minMs);
  });
});
