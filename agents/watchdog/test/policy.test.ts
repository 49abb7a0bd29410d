import { Backoff } from "@outpost/primitives";
import { describe, expect, it } from "vitest";
import {
  type AgentRecord,
  DEFAULT_POLICY,
  decide,
  newRecord,
  type Policy,
  restartDelayMs,
  restarted,
  shouldFeed,
  statusOf,
} from "../src/policy.js";
import { argvMatches } from "../src/process-control.js";

const p: Policy = {
  ...DEFAULT_POLICY,
  touchLimitMs: 1000,
  startLimitMs: 2000,
  // Jitter on, as in the agent: a delay of `base` lies between base / 2 and base.
  backoff: new Backoff({ minMs: 100, maxMs: 1000 }),
  maxRestarts: 3,
  windowMs: 10_000,
};
const healthy = (now: number) => ({ pid: 10, alive: true, touchMtimeMs: now - 100 });

function events(actions: ReturnType<typeof decide>["actions"]) {
  return actions.flatMap((a) => (a.kind === "record" ? [a.event] : []));
}

describe("watchdog policy", () => {
  it("leaves a healthy agent alone", () => {
    const r = decide(newRecord("a", 0), healthy(500), 500, p);
    expect(r.actions).toEqual([]);
    expect(r.rec.phase.kind).toBe("watching");
  });

  it("a dead process is recorded as exited, then restarted after the backoff", () => {
    let { rec, actions } = decide(newRecord("a", 0), { pid: 10, alive: false, touchMtimeMs: 0 }, 1000, p);
    expect(events(actions)).toMatchObject([{ agent: "a", cause: "exited", pid: 10, action: "restart" }]);
    expect(rec.phase.kind).toBe("waiting");
    const at = rec.phase.kind === "waiting" ? rec.phase.at : Number.NaN;
    expect(at).toBeGreaterThanOrEqual(1050);
    expect(at).toBeLessThanOrEqual(1100);
    expect(decide(rec, { alive: false }, at - 1, p).actions).toEqual([]);
    ({ rec, actions } = decide(rec, { alive: false }, at, p));
    expect(actions).toEqual([{ kind: "restart" }]);
    expect(rec.restarts).toBe(1);
    rec = restarted(rec, { ok: true, pid: 11 }, 1200, p).rec;
    expect(rec.phase).toEqual({ kind: "starting", since: 1200, pid: 11 });
    // Touch from before the restart does not count; a fresh one does.
    expect(decide(rec, { pid: 11, alive: true, touchMtimeMs: 900 }, 1300, p).rec.phase.kind).toBe("starting");
    expect(decide(rec, { pid: 11, alive: true, touchMtimeMs: 1250 }, 1300, p).rec.phase.kind).toBe(
      "watching",
    );
  });

  it("a stale touch file kills the live process before the restart", () => {
    const { rec, actions } = decide(newRecord("a", 0), { pid: 10, alive: true, touchMtimeMs: 0 }, 1500, p);
    expect(events(actions)).toMatchObject([{ cause: "stale-touch", action: "restart", pid: 10 }]);
    expect(decide(rec, { pid: 10, alive: true }, 1600, p).actions).toEqual([
      { kind: "restart", killPid: 10 },
    ]);
  });

  it("honours a per-agent touch limit", () => {
    expect(
      decide(newRecord("a", 0), { pid: 10, alive: true, touchMtimeMs: 0 }, 1500, p, 5000).actions,
    ).toEqual([]);
  });

  it("a restarted agent that never touches fails again", () => {
    const rec: AgentRecord = { ...newRecord("a", 0), phase: { kind: "starting", since: 0, pid: 11 } };
    expect(events(decide(rec, { pid: 11, alive: true }, 2500, p).actions)).toMatchObject([
      { cause: "stale-touch" },
    ]);
    expect(events(decide(rec, { pid: 11, alive: false }, 500, p).actions)).toMatchObject([
      { cause: "exited" },
    ]);
  });

  it("backs off exponentially, capped", () => {
    const bases = [100, 200, 400, 800, 1000, 1000, 1000];
    [1, 2, 3, 4, 5, 6, 100].forEach((n, i) => {
      const d = restartDelayMs(n, p);
      expect(d).toBeGreaterThanOrEqual((bases[i] as number) / 2);
      expect(d).toBeLessThanOrEqual(bases[i] as number);
    });
  });

  it("gives up after maxRestarts within the window and records it", () => {
    const rec: AgentRecord = { ...newRecord("a", 0), restarts: 3, restartTimes: [1000, 2000, 3000] };
    const r = decide(rec, { pid: 10, alive: true, touchMtimeMs: 0 }, 4000, p);
    expect(r.rec.phase.kind).toBe("gave-up");
    expect(events(r.actions)).toMatchObject([{ action: "give-up", cause: "stale-touch" }]);
    expect(r.actions).toContainEqual({ kind: "kill", pid: 10 });
    expect(statusOf(r.rec)).toMatchObject({
      agent: "a",
      state: "gave-up",
      restarts: 3,
      lastCause: "stale-touch",
    });
    // Old restarts fall out of the window: restarting again is allowed.
    expect(decide(rec, { alive: false }, 20_000, p).rec.phase.kind).toBe("waiting");
  });

  it("an instance found already running when the restart is due is watched, and the restart refunded", () => {
    // Failed at 1000, restart due at 1100: counted when it starts...
    const failed = decide(newRecord("a", 0), { pid: 10, alive: false }, 1000, p).rec;
    const due = decide(failed, { alive: false }, 1100, p).rec;
    expect(due).toMatchObject({ phase: { kind: "restarting" }, restarts: 1, restartTimes: [1100] });
    // ...but boot had started it meanwhile: no spawn happened, so nothing is used up.
    const r = restarted(due, { ok: true, pid: 42, adopted: true }, 1200, p);
    expect(r.actions).toEqual([]);
    expect(r.rec).toMatchObject({
      phase: { kind: "watching", since: 1200 },
      pid: 42,
      restarts: 0,
      restartTimes: [],
    });
    expect(statusOf(r.rec)).toMatchObject({ state: "running", pid: 42, restarts: 0 });
  });

  it('a spawned copy that lost to another live instance ("already running") is not a failure', () => {
    const rec: AgentRecord = {
      ...newRecord("a", 0),
      phase: { kind: "starting", since: 1000, pid: 50 },
      restarts: 1,
      restartTimes: [1000],
    };
    // Our copy 50 exited; run/a.pid names live process 60 that runs the registered argv.
    const r = decide(rec, { pid: 60, alive: true, touchMtimeMs: 900 }, 1500, p);
    expect(r.actions).toEqual([]);
    expect(r.rec).toMatchObject({ phase: { kind: "watching" }, pid: 60, restarts: 0, restartTimes: [] });
    // Whereas our copy dying with nobody else there is a failure.
    expect(events(decide(rec, { pid: 50, alive: false }, 1500, p).actions)).toMatchObject([
      { cause: "exited", action: "restart" },
    ]);
  });

  it("under the reboot policy a failure stops the feeding instead of restarting", () => {
    const rp: Policy = { ...p, mode: "reboot" };
    const ok = newRecord("b", 0);
    const r = decide(newRecord("a", 0), { pid: 10, alive: false }, 1000, rp);
    expect(events(r.actions)).toMatchObject([{ action: "reboot", cause: "exited" }]);
    expect(r.actions.some((a) => a.kind === "restart")).toBe(false);
    expect(shouldFeed([ok])).toBe(true);
    expect(shouldFeed([ok, r.rec])).toBe(false);
  });

  it("under the reboot policy with nodeagent up: asks nodeagent (WATCHDOG_PID / WATCHDOG_HUNG), feeds until the grace ends", () => {
    const rp: Policy = { ...p, mode: "reboot", rebootGraceMs: 5000 };
    const up = { nodeagentUp: true };
    const died = decide(newRecord("a", 0), { pid: 10, alive: false }, 1000, rp, undefined, up);
    expect(events(died.actions)).toMatchObject([{ action: "reboot", cause: "exited" }]);
    expect(died.actions.find((a) => a.kind === "requestReboot")).toMatchObject({
      reason: "WATCHDOG_PID",
      detail: "watchdog: a exited: process 10 is gone",
    });
    expect(died.actions.some((a) => a.kind === "restart")).toBe(false);
    // Fed while nodeagent has time to reboot; then the hardware resets the node.
    expect(shouldFeed([died.rec], 5999, rp.rebootGraceMs)).toBe(true);
    expect(shouldFeed([died.rec], 6000, rp.rebootGraceMs)).toBe(false);
    const hung = decide(
      newRecord("b", 0),
      { pid: 11, alive: true, touchMtimeMs: 0 },
      2000,
      rp,
      undefined,
      up,
    );
    expect(hung.actions.find((a) => a.kind === "requestReboot")).toMatchObject({ reason: "WATCHDOG_HUNG" });
  });

  it("under the reboot policy with nodeagent down (or failing itself): the hardware path at once", () => {
    const rp: Policy = { ...p, mode: "reboot", rebootGraceMs: 5000 };
    const own = decide(newRecord("nodeagent", 0), { pid: 10, alive: false }, 1000, rp, undefined, {
      nodeagentUp: true,
    });
    expect(own.actions.some((a) => a.kind === "requestReboot")).toBe(false);
    expect(events(own.actions)[0]?.details).toContain("nodeagent is down");
    expect(shouldFeed([own.rec], 1000, rp.rebootGraceMs)).toBe(false);
  });
});

describe("argvMatches", () => {
  const argv = ["/opt/outpost/bin/fixture", "--root", "/r", "--name", "a"];
  it("finds the registered argv behind the interpreter", () => {
    expect(argvMatches(["node", ...argv], argv)).toBe(true);
    expect(argvMatches(argv, argv)).toBe(true);
  });
  it("rejects another process that got the same pid", () => {
    expect(argvMatches(["sleep", "100"], argv)).toBe(false);
    expect(argvMatches(["node", "/opt/outpost/bin/fixture", "--root", "/other", "--name", "a"], argv)).toBe(
      false,
    );
    expect(argvMatches(["node", ...argv.slice(0, 3)], argv)).toBe(false);
  });
});
