// Operators' requests (WatchdogRequest through localapi): stop leaves the agent down and unwatched,
// start and restart bring it back, none of them is a failure or uses up the restart budget.
import { Backoff } from "@outpost/primitives";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY,
  decide,
  newRecord,
  operate,
  type Policy,
  restarted,
  statusOf,
} from "../src/policy.js";

const p: Policy = { ...DEFAULT_POLICY, backoff: new Backoff({ minMs: 100, maxMs: 1000 }), maxRestarts: 1 };
const alive = { pid: 10, alive: true, touchMtimeMs: 900 };
const dead = { pid: 10, alive: false };

describe("watchdog requests", () => {
  it("stop kills the agent and leaves it down: a dead stopped agent is not a failure", () => {
    const r = operate(newRecord("a", 0), "stop", alive, 1000);
    expect(r.changed).toBe(true);
    expect(r.actions).toEqual([{ kind: "kill", pid: 10 }]);
    expect(statusOf(r.rec).state).toBe("stopped");
    const later = decide(r.rec, dead, 5000, p);
    expect(later.actions).toEqual([]);
    expect(later.rec.phase.kind).toBe("stopped");
    expect(operate(r.rec, "stop", dead, 6000).changed).toBe(false);
  });

  it("start brings a stopped agent back at once, without counting a restart", () => {
    const stopped = operate(newRecord("a", 0), "stop", alive, 1000).rec;
    const s = operate(stopped, "start", dead, 2000);
    expect(s.changed).toBe(true);
    const d = decide(s.rec, dead, 2000, p);
    expect(d.actions).toEqual([{ kind: "restart" }]);
    expect(d.rec.restarts).toBe(0);
    expect(d.rec.restartTimes).toEqual([]);
    const spawned = restarted(d.rec, { ok: true, pid: 11 }, 2100, p);
    expect(statusOf(spawned.rec).state).toBe("running");
    expect(spawned.rec.pid).toBe(11);
  });

  it("start of a running agent changes nothing; restart kills and respawns it, budget untouched", () => {
    const rec = newRecord("a", 0);
    expect(operate(rec, "start", alive, 1000).changed).toBe(false);
    const r = operate(rec, "restart", alive, 1000);
    const d = decide(r.rec, alive, 1000, p);
    expect(d.actions).toEqual([{ kind: "restart", killPid: 10 }]);
    expect(d.rec.restartTimes).toEqual([]);
    // The budget (maxRestarts 1) is still whole: a real crash afterwards is restarted, not given up.
    const up = restarted(d.rec, { ok: true, pid: 12 }, 1100, p).rec;
    const crash = decide(
      { ...up, phase: { kind: "watching", since: 1100 } },
      { pid: 12, alive: false },
      1200,
      p,
    );
    expect(crash.actions[0]).toMatchObject({ kind: "record", event: { action: "restart" } });
  });

  it("start brings back an agent the watchdog gave up on", () => {
    const gaveUp = { ...newRecord("a", 0), phase: { kind: "gave-up" as const } };
    const s = operate(gaveUp, "start", dead, 1000);
    expect(s.changed).toBe(true);
    expect(decide(s.rec, dead, 1000, p).actions).toEqual([{ kind: "restart" }]);
  });
});
