import type { BaseOsConfig, ContentTreeStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { type Action, freshRecord, installedRecord, plan, type World } from "../src/plan.js";

const config: BaseOsConfig = { contentTreeId: "ct1", version: "0.2.0", activate: true, retryCounter: 0 };
const verified: ContentTreeStatus = {
  id: "ct1",
  displayName: "outpost",
  state: "VERIFIED",
  progress: 100,
  totalSize: 1,
  currentSize: 1,
  blobs: ["ab"],
  sha256: "ab",
};
const world = (over: Partial<World> = {}): World => ({
  now: 1_000_000,
  bootedAt: 1_000_000,
  booted: "A",
  runningVersion: "0.1.0",
  env: { defaultSlot: "A" },
  record: freshRecord("A", "0.1.0"),
  health: { agentsUp: true, configApplied: false },
  testWindowMs: 600_000,
  stableMs: 0,
  rebootAsked: false,
  prev: new Map(),
  ...over,
});
const kinds = (a: Action[]) => a.map((x) => x.kind);

describe("baseosmgr plan", () => {
  it("with no base OS config reports the booted slot active and nothing to do", () => {
    const p = plan(world());
    expect(p.actions).toEqual([]);
    expect(p.statuses.get("A")).toMatchObject({
      version: "0.1.0",
      partitionState: "active",
      activated: true,
    });
    expect(p.statuses.get("B")).toMatchObject({ version: "", partitionState: "unused", activated: false });
  });

  it("a new version: wants the tree, reports DOWNLOADING on the inactive slot, then installs into it", () => {
    const downloading = plan(world({ config, tree: { ...verified, state: "DOWNLOADING", progress: 40 } }));
    expect(downloading.wantTree).toBe("ct1");
    expect(downloading.statuses.get("B")).toMatchObject({
      userStatus: "DOWNLOADING",
      subStatus: "DOWNLOAD_INPROGRESS",
      subStatusStr: "downloading 0.2.0: 40%",
      progress: 40,
    });
    const p = plan(world({ config, tree: verified, blobPath: "/v/ab" }));
    expect(p.actions).toEqual([
      { kind: "install", slot: "B", path: "/v/ab", version: "0.2.0", retryCounter: 0 },
    ]);
  });

  it("once installed: boot B once and ask nodeagent for an UPDATE reboot, only once", () => {
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    const p = plan(world({ config, tree: verified, record }));
    expect(p.actions).toEqual([
      { kind: "tryOnce", slot: "B" },
      { kind: "reboot", reason: "UPDATE", detail: "update to 0.2.0 (slot B)", slot: "B" },
    ]);
    expect(p.statuses.get("B")).toMatchObject({
      partitionState: "updating",
      userStatus: "UPDATING",
      updateCounter: 1,
    });
    expect(plan(world({ config, record, rebootAsked: true })).actions).toEqual([]);
    // The selector already says "B once": until a boot consumes it, this is still the pending reboot.
    const pending = plan(
      world({ config, record, rebootAsked: true, env: { defaultSlot: "A", next: "B", trying: "B" } }),
    );
    expect(pending.actions).toEqual([]);
    expect(pending.statuses.get("B")).toMatchObject({
      partitionState: "updating",
      subStatus: "UPDATE_REBOOTING",
    });
  });

  it("booted B under test: inprogress until healthy, then commit (B active, A unused)", () => {
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    const base = {
      config,
      record,
      booted: "B" as const,
      runningVersion: "0.2.0",
      env: { defaultSlot: "A" as const, trying: "B" as const },
    };
    const testing = plan(world(base));
    expect(testing.statuses.get("B")).toMatchObject({
      partitionState: "inprogress",
      subStatus: "UPDATE_TESTING",
    });
    expect(testing.wakeAt).toBe(1_000_000 + 600_000);
    const ok = plan(world({ ...base, health: { agentsUp: true, configApplied: true } }));
    expect(kinds(ok.actions)).toEqual(["saveRecord", "commit", "saveRecord"]);
    expect(ok.statuses.get("B")).toMatchObject({
      partitionState: "active",
      userStatus: "UPDATED",
      subStatusStr: "0.2.0 committed in slot B",
      activated: true,
    });
    expect(ok.statuses.get("A")).toMatchObject({ partitionState: "unused" });
  });

  it("healthy is not enough: committed only once it stayed healthy for stableMs", () => {
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    const base = {
      config,
      record,
      booted: "B" as const,
      runningVersion: "0.2.0",
      env: { defaultSlot: "A" as const, trying: "B" as const },
      stableMs: 30_000,
    };
    const since = 1_000_000 + 5_000;
    const health = { agentsUp: true, configApplied: true, healthySince: since };
    const early = plan(world({ ...base, now: since + 10_000, health }));
    expect(kinds(early.actions)).not.toContain("commit");
    expect(early.wakeAt).toBe(since + 30_000);
    expect(early.statuses.get("B")?.subStatusStr).toContain("healthy, committing at");
    const later = plan(world({ ...base, now: since + 30_000, health }));
    expect(kinds(later.actions)).toContain("commit");
    // A crash meanwhile: no commit, a fallback.
    const crashed = plan(
      world({
        ...base,
        now: since + 20_000,
        health: { agentsUp: false, crashed: "zedagent", configApplied: true },
      }),
    );
    expect(kinds(crashed.actions)).toContain("reboot");
    expect(kinds(crashed.actions)).not.toContain("commit");
  });

  it("window over or an agent crashing: fall back with FALLBACK and the reason; not retried until retry_update", () => {
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    const base = {
      config,
      record,
      booted: "B" as const,
      runningVersion: "0.2.0",
      env: { defaultSlot: "A" as const, trying: "B" as const },
    };
    const crashed = plan(
      world({ ...base, health: { agentsUp: false, crashed: "zedagent", configApplied: false } }),
    );
    expect(kinds(crashed.actions)).toEqual(["saveRecord", "saveRecord", "abandon", "reboot"]);
    expect(crashed.actions.at(-1)).toMatchObject({ reason: "FALLBACK" });
    expect(crashed.statuses.get("B")?.error?.description).toContain("agent zedagent crashed");
    const expired = plan(world({ ...base, now: 1_000_000 + 600_000 }));
    expect(expired.statuses.get("B")?.error?.description).toContain("test window of 600 s ended");

    // Back on A: the failed version is reported and not installed again...
    const saved = crashed.actions.filter((a) => a.kind === "saveRecord").at(-1);
    if (saved?.kind !== "saveRecord") throw new Error("no record saved");
    const back = plan(world({ config, tree: verified, blobPath: "/v/ab", record: saved.record }));
    expect(back.actions).toEqual([]);
    expect(back.statuses.get("B")).toMatchObject({
      userStatus: "FALLBACK",
      partitionState: "unused",
      subStatusStr: "0.2.0 fell back: not tried again until retry_update is bumped",
    });
    expect(back.statuses.get("A")).toMatchObject({ partitionState: "active", activated: true });
    // ...until retry_update is bumped.
    const retried = plan(
      world({
        config: { ...config, retryCounter: 1 },
        tree: verified,
        blobPath: "/v/ab",
        record: saved.record,
      }),
    );
    expect(kinds(retried.actions)).toEqual(["install"]);
  });

  it("a fallback decided before the config is known counts under the retry counter the slot was installed with", () => {
    // Installed under retry_update 1 (a retry); the test fails in B before zedagent's config arrived.
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0", 1);
    const early = plan(
      world({
        record,
        booted: "B",
        runningVersion: "0.2.0",
        env: { defaultSlot: "A", trying: "B" },
        health: { agentsUp: false, crashed: "zedmanager", configApplied: false },
      }),
    );
    const saved = early.actions.filter((a) => a.kind === "saveRecord").at(-1);
    if (saved?.kind !== "saveRecord") throw new Error("no record saved");
    expect(saved.record.failed).toMatchObject({ version: "0.2.0", retryCounter: 1 });
    // Back on A with the config (retry_update still 1): not tried a third time.
    const back = plan(
      world({
        config: { ...config, retryCounter: 1 },
        tree: verified,
        blobPath: "/v/ab",
        record: saved.record,
      }),
    );
    expect(back.actions).toEqual([]);
    expect(back.statuses.get("B")).toMatchObject({ userStatus: "FALLBACK" });
  });

  it("a new update after a committed one: its status is on the slot it goes to", () => {
    // B committed 0.2.0 (A unused); now 0.3.0 downloads into A.
    const committed = {
      ...installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0"),
      slots: {
        A: { version: "0.1.0", state: "unused" as const },
        B: { version: "0.2.0", state: "active" as const },
      },
      last: { version: "0.2.0", outcome: "UPDATED" as const },
    };
    const base = {
      record: committed,
      booted: "B" as const,
      runningVersion: "0.2.0",
      env: { defaultSlot: "B" as const },
    };
    expect(plan(world(base)).statuses.get("B")).toMatchObject({ userStatus: "UPDATED" });
    const next = plan(
      world({
        ...base,
        config: { ...config, version: "0.3.0", contentTreeId: "ct3" },
        tree: { ...verified, id: "ct3", state: "DOWNLOADING", progress: 10 },
      }),
    );
    expect(next.statuses.get("A")).toMatchObject({
      userStatus: "DOWNLOADING",
      subStatusStr: "downloading 0.3.0: 10%",
    });
    expect(next.statuses.get("B")).toMatchObject({
      userStatus: "NONE",
      partitionState: "active",
      activated: true,
    });
  });

  it("booted A while B was still tried (B did not even start): fallback recorded at this boot", () => {
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    const p = plan(world({ config, record, env: { defaultSlot: "A", trying: "B" } }));
    expect(kinds(p.actions)).toEqual(["abandon", "saveRecord"]);
    expect(p.statuses.get("B")).toMatchObject({ userStatus: "FALLBACK", partitionState: "unused" });
    expect(p.statuses.get("B")?.error?.description).toContain("slot B (version 0.2.0) did not start");
  });

  it("maintenance mode defers an update: nothing fetched, installed or rebooted into", () => {
    const deferred = plan(world({ config, tree: verified, blobPath: "/v/ab", maintenance: true }));
    expect(deferred.actions).toEqual([]);
    expect(deferred.wantTree).toBeUndefined();
    expect(deferred.statuses.get("B")).toMatchObject({
      subStatus: "UPDATE_DEFERRED",
      subStatusStr: "update to 0.2.0 deferred: the device is in maintenance mode",
    });
    const installed = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    expect(plan(world({ config, record: installed, maintenance: true })).actions).toEqual([]);
  });

  it("a second update while one is under test waits", () => {
    const record = installedRecord(freshRecord("A", "0.1.0"), "B", "0.2.0");
    const p = plan(
      world({
        config: { ...config, version: "0.3.0", contentTreeId: "ct2" },
        record,
        booted: "B",
        runningVersion: "0.2.0",
        env: { defaultSlot: "A", trying: "B" },
      }),
    );
    expect(p.wantTree).toBeUndefined();
    expect(kinds(p.actions)).not.toContain("install");
  });

  it("an install that fails is FAILED with the reason and not retried without retry_update", () => {
    const p = plan(
      world({
        config,
        tree: verified,
        blobPath: "/v/ab",
        install: { state: "failed", version: "0.2.0", error: "corrupt release archive" },
      }),
    );
    expect(kinds(p.actions)).toEqual(["saveRecord"]);
    expect(p.statuses.get("B")).toMatchObject({ userStatus: "FAILED" });
    expect(p.statuses.get("B")?.error?.description).toContain("corrupt release archive");
  });
});
