// Rollouts, the pure part (src/rollout/plan.ts): wave sizes, merging a fragment into a document, and
// a device's health from its info records.
import { describe, expect, it } from "vitest";
import { idToUuid } from "../src/config-doc.js";
import { decodeFragment, deviceHealth, mergeFragment, RolloutError, waveSizes } from "../src/rollout/plan.js";

describe("waveSizes", () => {
  it("counts, percentages (rounded up) and rest; small fleets lose empty waves", () => {
    expect(waveSizes("1,10%,rest", 100)).toEqual([1, 10, 89]);
    expect(waveSizes("1,10%,rest", 12)).toEqual([1, 2, 9]);
    expect(waveSizes("1,3,rest", 12)).toEqual([1, 3, 8]);
    expect(waveSizes("1,10%,rest", 1)).toEqual([1]);
    expect(waveSizes("1,10%,rest", 2)).toEqual([1, 1]);
    // what no wave takes goes into the last one
    expect(waveSizes("2,3", 10)).toEqual([2, 8]);
    expect(waveSizes("rest", 5)).toEqual([5]);
  });
  it("refuses what it cannot read", () => {
    expect(() => waveSizes("rest,1", 5)).toThrow(/"rest" must be the last/);
    expect(() => waveSizes("1,x", 5)).toThrow(RolloutError);
    expect(() => waveSizes("0", 5)).toThrow(/got "0"/);
  });
});

describe("mergeFragment", () => {
  it("replaces list entries by id, adds new ones, merges config items, sets baseos", () => {
    const doc = {
      apps: [
        { id: "web", name: "old" },
        { id: "db", name: "db" },
      ],
      configItems: { a: "1", b: "2" },
      reboot: 3,
    };
    const out = mergeFragment(doc, {
      apps: [{ id: "web", name: "new" } as { id: string }],
      volumes: [{ id: "v" }],
      configItems: { b: "20", c: "3" },
      baseos: { contentTree: "os", version: "0.2.0" },
    });
    expect(out).toEqual({
      apps: [
        { id: "db", name: "db" },
        { id: "web", name: "new" },
      ],
      volumes: [{ id: "v" }],
      configItems: { a: "1", b: "20", c: "3" },
      baseos: { activate: true, retryUpdate: 0, contentTree: "os", version: "0.2.0" },
      reboot: 3,
    });
    expect(doc.apps[0]?.name).toBe("old"); // the input is not changed
  });
  it("a fragment holds only what a rollout sets", () => {
    expect(() => decodeFragment({ reboot: 1 })).toThrow(/fragment.reboot: not something a rollout sets/);
    expect(() => decodeFragment({ apps: [{ name: "x" }] })).toThrow(/objects with an id/);
    expect(() => decodeFragment({ configItems: { a: 1 } })).toThrow(/map of strings/);
    expect(() => decodeFragment({})).toThrow(/empty/);
  });
});

describe("deviceHealth", () => {
  const since = "2026-12-02T12:00:00.000Z";
  const app = (state: string, at = "2026-12-02T12:00:05.000Z", err?: string) => ({
    at,
    key: `app/${idToUuid("web")}`,
    value: {
      ainfo: {
        AppID: idToUuid("web"),
        AppName: "web",
        state,
        ...(err ? { appErr: [{ description: err }] } : {}),
      },
    },
  });
  const dev = (dinfo: Record<string, unknown>) => ({ at: since, key: "device", value: { dinfo } });
  const f = { apps: [{ id: "web" }] };

  it("an app: RUNNING after the config was set is healthy; before, pending; ERROR fails", () => {
    expect(deviceHealth(f, [app("RUNNING")], since, true)).toEqual({ state: "healthy" });
    expect(deviceHealth(f, [app("RUNNING", "2026-12-02T11:59:00.000Z")], since, true).state).toBe("pending");
    // the config did not change (the app was already there): its last report counts
    expect(deviceHealth(f, [app("RUNNING", "2026-12-02T11:59:00.000Z")], since, false).state).toBe("healthy");
    expect(deviceHealth(f, [app("LOADING")], since, true)).toEqual({
      state: "pending",
      waiting: "app web RUNNING (now LOADING)",
    });
    expect(deviceHealth(f, [app("ERROR", undefined, "pull failed")], since, true)).toEqual({
      state: "failed",
      reason: "app web: ERROR: pull failed",
    });
  });

  it("a base OS version: committed when the activated slot runs it as active; FAILED fails", () => {
    const b = { baseos: { contentTree: "os", version: "0.2.0" } };
    const slots = (a: Record<string, unknown>, bb: Record<string, unknown>) =>
      dev({
        swList: [
          { partitionLabel: "IMGA", ...a },
          { partitionLabel: "IMGB", ...bb },
        ],
      });
    expect(
      deviceHealth(
        b,
        [
          slots(
            { shortVersion: "0.1.0" },
            { shortVersion: "0.2.0", activated: true, partitionState: "active" },
          ),
        ],
        since,
        true,
      ),
    ).toEqual({ state: "healthy" });
    expect(
      deviceHealth(
        b,
        [
          slots(
            { shortVersion: "0.1.0" },
            { shortVersion: "0.2.0", activated: true, partitionState: "inprogress" },
          ),
        ],
        since,
        true,
      ).state,
    ).toBe("pending");
    expect(
      deviceHealth(
        b,
        [
          slots(
            { shortVersion: "0.1.0", activated: true, partitionState: "active" },
            { shortVersion: "0.2.0", userStatus: "FAILED", swErr: { description: "did not commit" } },
          ),
        ],
        since,
        true,
      ),
    ).toEqual({ state: "failed", reason: "base OS 0.2.0: did not commit (slot IMGB)" });
  });

  it("config items: healthy once in force; an error the device reports fails", () => {
    const c = { configItems: { "timer.config.interval": "7" } };
    const items = (v: Record<string, unknown>) =>
      dev({ configItemStatus: { configItems: { "timer.config.interval": v } } });
    expect(deviceHealth(c, [items({ value: "7" })], since, true)).toEqual({ state: "healthy" });
    expect(deviceHealth(c, [items({ value: "60" })], since, true).state).toBe("pending");
    expect(deviceHealth(c, [items({ value: "60", error: "out of range" })], since, true)).toEqual({
      state: "failed",
      reason: "config item timer.config.interval=7: out of range",
    });
  });
});
