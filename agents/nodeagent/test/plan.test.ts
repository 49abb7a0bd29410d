// nodeagent's planner and boot decision, pure: events in, state and actions out.
import type { AppInstanceStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { type BootFile, decideBoot } from "../src/boot.js";
import {
  appsHalted,
  initialState,
  type NodeAction,
  type NodeEvent,
  type PlanState,
  statusOf,
  step,
} from "../src/plan.js";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const cfg = { now: T0 + 5000, haltTimeoutMs: 30_000 };
const BOOT = {
  bootReason: "FIRST" as const,
  lastRebootReason: "first boot",
  bootedAt: new Date(T0).toISOString(),
  restartCounter: 0,
};

function run(s: PlanState, ...events: NodeEvent[]): { state: PlanState; actions: NodeAction[] } {
  let state = s;
  const actions: NodeAction[] = [];
  for (const e of events) {
    const r = step(state, e, cfg);
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}
const kinds = (a: NodeAction[]) => a.filter((x) => x.kind !== "log").map((x) => x.kind);

describe("nodeagent planner", () => {
  it("only records the first counter of a boot, and reboots once on a bump", () => {
    const first = run(
      initialState(T0),
      { kind: "ops", op: "reboot", counter: 3 },
      { kind: "apps", halted: false },
    );
    expect(first.state.pending).toBeUndefined();
    expect(first.state.counters.reboot).toBe(3);
    expect(kinds(first.actions)).toEqual(["saveCounters"]);

    const same = run(first.state, { kind: "ops", op: "reboot", counter: 3 });
    expect(same.state.pending).toBeUndefined();

    const bumped = run(first.state, { kind: "ops", op: "reboot", counter: 4 });
    expect(bumped.state.pending).toMatchObject({ op: "reboot", reason: "REBOOT_CMD", phase: "halting" });
    expect(kinds(bumped.actions)).toEqual(["saveCounters", "armHaltTimer"]);
    const st = statusOf(bumped.state, BOOT, "node-restart");
    expect(st).toMatchObject({
      state: "REBOOTING",
      haltApps: true,
      rebootInProgress: true,
      rebootConfigCounter: 4,
    });
  });

  it("a nodeagent restarted within the boot goes on from the counters kept, and keeps each new value", () => {
    const first = run(initialState(T0), { kind: "ops", op: "reboot", counter: 3 });
    expect(first.actions.filter((a) => a.kind === "saveCounters")).toEqual([
      { kind: "saveCounters", counters: { reboot: 3 } },
    ]);
    // The controller bumped while nodeagent was down: the restarted one compares with what was kept.
    const restarted = run(initialState(T0, undefined, { reboot: 3 }), {
      kind: "ops",
      op: "reboot",
      counter: 4,
    });
    expect(restarted.state.pending).toMatchObject({ op: "reboot", reason: "REBOOT_CMD" });
    expect(restarted.actions.filter((a) => a.kind === "saveCounters")).toEqual([
      { kind: "saveCounters", counters: { reboot: 4 } },
    ]);
  });

  it("halts the apps, then records the reason, then hands over to the backend", () => {
    const s = run(
      initialState(T0),
      { kind: "apps", halted: false },
      { kind: "ops", op: "reboot", counter: 0 },
      { kind: "ops", op: "reboot", counter: 1 },
    ).state;
    const halted = run(s, { kind: "apps", halted: true });
    expect(kinds(halted.actions)).toEqual(["cancelHaltTimer", "flush"]);
    const flush = halted.actions.find((a) => a.kind === "flush");
    expect(flush).toMatchObject({
      record: {
        op: "reboot",
        reason: "REBOOT_CMD",
        requester: "controller",
        detail: "reboot counter 0 -> 1 from the controller",
      },
    });
    const id = s.pending?.id ?? -1;
    const acted = run(halted.state, { kind: "flushed", id });
    expect(acted.actions.filter((a) => a.kind === "act")).toEqual([{ kind: "act", id, op: "reboot" }]);
    expect(acted.state.pending?.phase).toBe("acting");
  });

  it("goes on when the apps do not halt in time, and ignores a stale timer", () => {
    const s = run(
      initialState(T0),
      { kind: "ops", op: "shutdown", counter: 0 },
      { kind: "ops", op: "shutdown", counter: 2 },
    ).state;
    expect(statusOf(s, BOOT, "x").state).toBe("PREPARING_POWEROFF");
    expect(run(s, { kind: "halt-timeout", id: 999 }).actions).toEqual([]);
    const r = run(s, { kind: "halt-timeout", id: s.pending?.id ?? -1 });
    expect(kinds(r.actions)).toEqual(["flush"]);
    expect(r.actions.some((a) => a.kind === "log" && a.level === "warn")).toBe(true);
    expect(r.actions.find((a) => a.kind === "flush")).toMatchObject({
      record: { reason: "POWEROFF_CMD", op: "shutdown" },
    });
  });

  it("a failed backend clears the operation, forgets the record, lets the apps run and reports the error", () => {
    const s = run(
      initialState(T0),
      { kind: "apps", halted: true },
      { kind: "ops", op: "reboot", counter: 0 },
      { kind: "ops", op: "reboot", counter: 1 },
    );
    const id = s.state.pending?.id ?? -1;
    const r = run(
      s.state,
      { kind: "flushed", id },
      { kind: "backend-failed", id, error: "systemctl: no bus" },
    );
    expect(r.state.pending).toBeUndefined();
    expect(kinds(r.actions)).toContain("forgetRecord");
    const st = statusOf(r.state, BOOT, "systemd");
    expect(st.haltApps).toBe(false);
    expect(st.state).toBe("ONLINE");
    expect(st.error?.description).toBe("reboot failed: systemctl: no bus");
  });

  it("a backend that cannot act refuses before halting anything", () => {
    const s = run(
      initialState(T0, "wrong root"),
      { kind: "ops", op: "reboot", counter: 0 },
      { kind: "ops", op: "reboot", counter: 1 },
    );
    expect(s.state.pending).toBeUndefined();
    expect(statusOf(s.state, BOOT, "systemd")).toMatchObject({ haltApps: false, state: "ONLINE" });
    expect(s.state.error?.description).toContain("wrong root");
  });

  it("acts once on another agent's request made in this boot; a request from before the boot is ignored", () => {
    const req = (at: number) => ({
      op: "reboot" as const,
      reason: "UPDATE" as const,
      detail: "update to 0.2.0",
      requestedAt: new Date(at).toISOString(),
    });
    const old = run(initialState(T0), {
      kind: "request",
      from: "baseosmgr",
      key: "update",
      request: req(T0 - 1000),
    });
    expect(old.state.pending).toBeUndefined();
    const now = run(initialState(T0), {
      kind: "request",
      from: "baseosmgr",
      key: "update",
      request: req(T0 + 1000),
    });
    expect(now.state.pending).toMatchObject({
      reason: "UPDATE",
      requester: "baseosmgr",
      detail: "update to 0.2.0",
    });
    // The same key again (a modify): not a second operation.
    const again = run(now.state, {
      kind: "request",
      from: "baseosmgr",
      key: "update",
      request: req(T0 + 2000),
    });
    expect(again.state.pending?.id).toBe(now.state.pending?.id);
    // Another request while one runs is dropped with a warning.
    const other = run(
      now.state,
      { kind: "ops", op: "shutdown", counter: 0 },
      { kind: "ops", op: "shutdown", counter: 1 },
    );
    expect(other.state.pending?.op).toBe("reboot");
    expect(other.actions.some((a) => a.kind === "log" && a.level === "warn")).toBe(true);
  });

  it("maintenance mode halts the apps and says so", () => {
    const s = run(initialState(T0), { kind: "maintenance", on: true }).state;
    expect(statusOf(s, BOOT, "x")).toMatchObject({
      state: "MAINTENANCE_MODE",
      maintenanceMode: true,
      haltApps: true,
    });
    const off = run(s, { kind: "maintenance", on: false }).state;
    expect(statusOf(off, BOOT, "x")).toMatchObject({ state: "ONLINE", haltApps: false });
  });

  it("counts an app as halted only when it is neither activated nor on its way up or down", () => {
    const app = (state: AppInstanceStatus["state"], activated = false) =>
      ({ state, activated }) as AppInstanceStatus;
    expect(appsHalted([])).toBe(true);
    expect(appsHalted([app("HALTED"), app("INSTALLED")])).toBe(true);
    expect(appsHalted([app("HALTED"), app("HALTING")])).toBe(false);
    expect(appsHalted([app("RUNNING", true)])).toBe(false);
  });
});

describe("boot decision", () => {
  const now = new Date("2026-12-01T11:00:00Z");
  const prev: BootFile = {
    bootId: "k/1",
    bootCount: 4,
    bootedAt: "2026-12-01T09:00:00.000Z",
    bootReason: "FIRST",
    lastRebootReason: "first boot",
  };
  const record = {
    op: "reboot" as const,
    reason: "REBOOT_CMD" as const,
    requester: "controller",
    detail: "reboot counter 1 -> 2 from the controller",
    time: "2026-12-01T10:59:00.000Z",
  };

  it("first boot of a node", () => {
    const d = decideBoot({ bootId: "k/1", problems: [] }, now);
    expect(d).toMatchObject({ newBoot: true, boot: { bootReason: "FIRST", bootCount: 0 } });
  });
  it("same boot id: an agent restart, nothing changes", () => {
    const d = decideBoot({ bootId: "k/1", prev, record, problems: [] }, now);
    expect(d).toEqual({ boot: prev, newBoot: false });
  });
  it("a recorded reason and a clean stop: that reason, at the time it was decided", () => {
    const d = decideBoot(
      { bootId: "k/2", prev, record, cleanStop: { time: "2026-12-01T10:59:05.000Z" }, problems: [] },
      now,
    );
    expect(d.boot).toMatchObject({
      bootReason: "REBOOT_CMD",
      bootCount: 5,
      lastRebootReason: record.detail,
      lastRebootTime: record.time,
    });
  });
  it("a recorded reason but no clean stop: that reason, and says the stop was not clean", () => {
    const d = decideBoot({ bootId: "k/2", prev, record, problems: [] }, now);
    expect(d.boot.bootReason).toBe("REBOOT_CMD");
    expect(d.boot.lastRebootReason).toContain("not clean");
  });
  it("an update's reboot to slot B, but slot A booted: B did not start, FALLBACK", () => {
    const update = {
      ...record,
      reason: "UPDATE" as const,
      requester: "baseosmgr",
      detail: "update to 0.2.0 (slot B)",
      slot: "B",
    };
    const fell = decideBoot({ bootId: "k/2", prev, record: update, bootedSlot: "A", problems: [] }, now);
    expect(fell.boot).toMatchObject({
      bootReason: "FALLBACK",
      lastRebootReason: "slot B did not start (update to 0.2.0 (slot B)): the node booted slot A again",
      lastRebootTime: update.time,
    });
    const ok = decideBoot({ bootId: "k/2", prev, record: update, bootedSlot: "B", problems: [] }, now);
    expect(ok.boot.bootReason).toBe("UPDATE");
  });
  it("no reason, no clean stop: POWER_FAIL", () => {
    const d = decideBoot({ bootId: "k/2", prev, problems: [] }, now);
    expect(d.boot).toMatchObject({
      bootReason: "POWER_FAIL",
      lastRebootTime: now.toISOString(),
      bootCount: 5,
    });
  });
  it("a clean stop nobody asked nodeagent for: UNKNOWN", () => {
    const d = decideBoot(
      { bootId: "k/2", prev, cleanStop: { time: "2026-12-01T10:30:00.000Z" }, problems: [] },
      now,
    );
    expect(d.boot).toMatchObject({ bootReason: "UNKNOWN", lastRebootTime: "2026-12-01T10:30:00.000Z" });
  });
  it("an unreadable file is named in the reason", () => {
    const d = decideBoot({ bootId: "k/2", prev, problems: ["reboot-reason.json unreadable: bad json"] }, now);
    expect(d.boot.lastRebootReason).toContain("reboot-reason.json unreadable");
  });
});
