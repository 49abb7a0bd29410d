import { MainLoop, sleep } from "@outpost/primitives";
import { describe, expect, it } from "vitest";
import { WorkerPool, type WorkResult } from "../src/worker-pool.js";

describe("WorkerPool", () => {
  it("runs work off the loop and applies the result as a loop task", async () => {
    const loop = new MainLoop();
    const pool = new WorkerPool(loop, 2);
    const order: string[] = [];
    // Hold the loop busy: the result must wait for this task, proving it is applied on the loop.
    let releaseLoop!: () => void;
    loop.post(() => new Promise<void>((r) => (releaseLoop = r)));
    const done = new Promise<WorkResult<number>>((resolve) =>
      pool.submit(
        async () => {
          order.push("work");
          return 7;
        },
        (res) => {
          order.push("applied");
          resolve(res);
        },
      ),
    );
    await sleep(50);
    expect(order).toEqual(["work"]);
    releaseLoop();
    expect(await done).toEqual({ ok: true, value: 7 });
    expect(order).toEqual(["work", "applied"]);
  });

  it("reports a failure as a result, and bounds concurrency", async () => {
    const loop = new MainLoop();
    const pool = new WorkerPool(loop, 2);
    let running = 0;
    let peak = 0;
    const results: WorkResult<number>[] = [];
    for (let i = 0; i < 6; i++)
      pool.submit(
        async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(20);
          running--;
          if (i === 3) throw new Error("boom");
          return i;
        },
        (r) => void results.push(r),
      );
    await pool.idle();
    await loop.run(() => undefined);
    expect(peak).toBe(2);
    expect(results).toHaveLength(6);
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
  });

  it("close aborts running work's signal and drops queued work", async () => {
    const loop = new MainLoop();
    const pool = new WorkerPool(loop, 1);
    let sawAbort = false;
    let queuedRan = false;
    pool.submit(
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve();
          }),
        ),
      () => undefined,
    );
    pool.submit(
      async () => {
        queuedRan = true;
      },
      () => undefined,
    );
    await sleep(10);
    await pool.close();
    expect(sawAbort).toBe(true);
    expect(queuedRan).toBe(false);
  });
});
