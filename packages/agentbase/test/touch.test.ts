import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MainLoop, sleep } from "@outpost/primitives";
import { afterEach, describe, expect, it } from "vitest";
import { runTouchLoop } from "../src/touch.js";

describe("touch loop", () => {
  const dirs: string[] = [];
  const stops: AbortController[] = [];
  afterEach(() => {
    for (const s of stops.splice(0)) s.abort();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("refreshes while the loop is healthy and stops while a handler is stuck", async () => {
    const dir = mkdtempSync(join(tmpdir(), "op-touch-"));
    dirs.push(dir);
    const path = join(dir, "a.touch");
    const loop = new MainLoop();
    const stop = new AbortController();
    stops.push(stop);
    const touching = runTouchLoop({ loop, path, intervalMs: 20, signal: stop.signal });
    await sleep(100);
    const healthy = statSync(path).mtimeMs;
    await sleep(100);
    expect(statSync(path).mtimeMs).toBeGreaterThan(healthy);

    // A handler that does not finish: the loop is stuck, so the touching stops.
    let release!: () => void;
    loop.post(() => new Promise<void>((r) => (release = r)));
    await sleep(60);
    const stuckAt = statSync(path).mtimeMs;
    await sleep(200);
    expect(statSync(path).mtimeMs).toBe(stuckAt);

    release();
    await sleep(100);
    expect(statSync(path).mtimeMs).toBeGreaterThan(stuckAt);
    stop.abort();
    await touching;
  });
});
