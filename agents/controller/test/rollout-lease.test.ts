// The rollout lease over a shared store (StoreLease): one holder drives a rollout at a time, another
// takes it over once the holder gives it back or stops renewing it. Against the LMDB store here; the
// lease primitive itself is tested against PostgreSQL too in store.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { StoreLease } from "../src/rollout/index.js";
import { LmdbStore } from "../src/store/lmdb.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it("one process at a time drives a rollout; another takes over after a release or an expiry", async () => {
  dir = mkdtempSync(join(tmpdir(), "op-lease-"));
  const store = await LmdbStore.open(join(dir, "db"));
  try {
    const a = new StoreLease(store, "process-a", 300);
    const b = new StoreLease(store, "process-b", 300);
    expect(await a.acquire("r1")).toBe(true);
    expect(await b.acquire("r1")).toBe(false); // held by a
    expect(await b.acquire("r2")).toBe(true); // another rollout is free
    expect(await a.acquire("r1")).toBe(true); // a renews its own
    await a.release("r1");
    expect(await b.acquire("r1")).toBe(true); // given back: b takes it
    // b stops renewing (its process died): after the lease's time a takes it over.
    expect(await a.acquire("r1")).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await a.acquire("r1")).toBe(true);
  } finally {
    await store.close();
  }
});
