// The watchdog's decisions, as pure functions of what it observed: which agent failed and why,
// when to restart it, when to give up, and whether the hardware watchdog may still be fed.
import { Backoff } from "@outpost/primitives";
import type { WatchdogCause, WatchdogEvent, WatchdogStatus } from "@outpost/types";

export interface Policy {
  /** Default limit on the touch file's age (a registration may set its own). */
  touchLimitMs: number;
  /** A restarted agent must write its touch file within this long. */
  startLimitMs: number;
  /** Delay before the n-th restart within the window: attempt n-1 of this back-off (min * 2^(n-1),
   * capped, with jitter so agents failing together are not restarted in lockstep). */
  backoff: Backoff;
  /** More than maxRestarts restarts within windowMs: give up on that agent. */
  maxRestarts: number;
  windowMs: number;
  /** restart: restart the agent; reboot: the node reboots, through nodeagent (apps halted, reason
   * recorded) when it is up, else by no longer feeding the hardware watchdog. */
  mode: "restart" | "reboot";
  /** Under the reboot policy: how long the hardware watchdog is still fed after nodeagent was asked to
   * reboot; a node still up then (nodeagent hung or failing) is reset by the hardware. */
  rebootGraceMs: number;
}

/** The restart back-off's bounds (--backoff-min-ms, --backoff-max-ms). */
export const DEFAULT_BACKOFF = { minMs: 500, maxMs: 30_000 };

export const DEFAULT_POLICY: Policy = {
  touchLimitMs: 30_000,
  startLimitMs: 30_000,
  backoff: new Backoff(DEFAULT_BACKOFF),
  maxRestarts: 5,
  windowMs: 300_000,
  mode: "restart",
  rebootGraceMs: 300_000,
};

/** What the watchdog sees of one agent at one tick. */
export interface Observation {
  /** From run/<agent>.pid (or the pid it spawned, before the new process wrote its pid file). */
  pid?: number;
  alive: boolean;
  /** mtime of run/<agent>.touch, absent when there is none. */
  touchMtimeMs?: number;
}

export type Phase =
  /** Up and touching. */
  | { kind: "watching"; since: number }
  /** Failed; restart at `at` (after backoff). `requested`: an operator's start or restart
   * (WatchdogRequest), which is not a failure and does not count against the restart budget. */
  | { kind: "waiting"; at: number; killPid?: number; requested?: boolean }
  /** The restart (kill old, spawn new) is running in the worker pool. */
  | { kind: "restarting" }
  /** Spawned at `since`; waiting for a touch newer than that. */
  | { kind: "starting"; since: number; pid: number }
  | { kind: "gave-up" }
  /** Under the reboot policy: the node must reboot. `viaNodeagent`: nodeagent was asked (at `since`);
   * else the hardware watchdog is no longer fed. */
  | { kind: "reboot"; since: number; viaNodeagent: boolean }
  /** Stopped on an operator's request: left down, not watched, until a start. */
  | { kind: "stopped"; since: number };

export interface AgentRecord {
  agent: string;
  phase: Phase;
  restarts: number;
  /** When restarts were started, pruned to the window: the rate limit. */
  restartTimes: number[];
  lastCause?: WatchdogCause;
  lastEventAt?: number;
  pid?: number;
}

export type Action =
  | { kind: "record"; event: WatchdogEvent }
  /** NodeAgentRequest {op: reboot}: WATCHDOG_PID for an agent that exited, WATCHDOG_HUNG for one that
   * stopped touching. */
  | { kind: "requestReboot"; reason: "WATCHDOG_PID" | "WATCHDOG_HUNG"; detail: string }
  | { kind: "restart"; killPid?: number }
  | { kind: "kill"; pid: number };

export function newRecord(agent: string, now: number): AgentRecord {
  return { agent, phase: { kind: "watching", since: now }, restarts: 0, restartTimes: [] };
}

/** The delay before the n-th restart within the window (n from 1). */
export function restartDelayMs(restartsInWindow: number, p: Policy): number {
  return p.backoff.delay(restartsInWindow - 1);
}

/** What the shell knows beyond one agent: is nodeagent up to carry out a reboot? */
export interface Context {
  nodeagentUp: boolean;
}

function failure(
  rec: AgentRecord,
  obs: Observation,
  now: number,
  p: Policy,
  cause: WatchdogCause,
  details: string,
  c: Context,
) {
  const restartTimes = rec.restartTimes.filter((t) => now - t < p.windowMs);
  const pid = obs.pid ?? rec.pid;
  const base = { ...rec, restartTimes, lastCause: cause, lastEventAt: now, pid };
  const event = (action: WatchdogEvent["action"], extra = ""): Action => ({
    kind: "record",
    event: {
      time: new Date(now).toISOString(),
      agent: rec.agent,
      cause,
      pid,
      action,
      details: details + extra,
    },
  });
  const kill: Action[] = obs.alive && pid !== undefined ? [{ kind: "kill", pid }] : [];
  if (p.mode === "reboot") {
    // nodeagent cannot reboot the node for its own failure.
    const viaNodeagent = c.nodeagentUp && rec.agent !== "nodeagent";
    const reason = cause === "exited" ? "WATCHDOG_PID" : "WATCHDOG_HUNG";
    return {
      rec: { ...base, phase: { kind: "reboot", since: now, viaNodeagent } as Phase },
      actions: viaNodeagent
        ? [
            event("reboot", `; asking nodeagent to reboot (${reason})`),
            {
              kind: "requestReboot",
              reason,
              detail: `watchdog: ${rec.agent} ${cause}: ${details}`,
            } as Action,
          ]
        : [event("reboot", "; nodeagent is down: no longer feeding the hardware watchdog")],
    };
  }
  if (restartTimes.length >= p.maxRestarts)
    return {
      rec: { ...base, phase: { kind: "gave-up" } as Phase },
      actions: [
        event("give-up", `; ${restartTimes.length} restarts within ${p.windowMs} ms, leaving it down`),
        ...kill,
      ],
    };
  const at = now + restartDelayMs(restartTimes.length + 1, p);
  const phase: Phase =
    obs.alive && pid !== undefined ? { kind: "waiting", at, killPid: pid } : { kind: "waiting", at };
  return { rec: { ...base, phase }, actions: [event("restart")] };
}

/** One tick for one agent: its next record and what to do. `touchLimitMs` is the agent's own limit. */
export function decide(
  rec: AgentRecord,
  obs: Observation,
  now: number,
  p: Policy,
  touchLimitMs = p.touchLimitMs,
  c: Context = { nodeagentUp: false },
): { rec: AgentRecord; actions: Action[] } {
  const ph = rec.phase;
  switch (ph.kind) {
    case "watching": {
      if (!obs.alive)
        return failure(
          rec,
          obs,
          now,
          p,
          "exited",
          obs.pid === undefined ? "no pid file" : `process ${obs.pid} is gone`,
          c,
        );
      // No touch file yet counts from when watching began.
      const age = Math.round(now - (obs.touchMtimeMs ?? ph.since));
      if (age > touchLimitMs)
        return failure(
          rec,
          obs,
          now,
          p,
          "stale-touch",
          `touch file ${age} ms old (limit ${touchLimitMs} ms)`,
          c,
        );
      return { rec: { ...rec, pid: obs.pid }, actions: [] };
    }
    case "waiting":
      if (now < ph.at) return { rec, actions: [] };
      if (ph.requested)
        return {
          rec: { ...rec, phase: { kind: "restarting" } },
          actions: [
            ph.killPid === undefined ? { kind: "restart" } : { kind: "restart", killPid: ph.killPid },
          ],
        };
      return {
        rec: {
          ...rec,
          phase: { kind: "restarting" },
          restarts: rec.restarts + 1,
          restartTimes: [...rec.restartTimes, now],
        },
        actions: [ph.killPid === undefined ? { kind: "restart" } : { kind: "restart", killPid: ph.killPid }],
      };
    case "restarting":
      return { rec, actions: [] };
    case "starting": {
      // The process we spawned lost to another live instance (boot started the same agent at the
      // same moment, "already running"): that one is the agent. Not a failure, not a restart.
      if (obs.alive && obs.pid !== undefined && obs.pid !== ph.pid)
        return { rec: adopt(rec, obs.pid, now), actions: [] };
      if (obs.touchMtimeMs !== undefined && obs.touchMtimeMs >= ph.since && obs.alive)
        return { rec: { ...rec, phase: { kind: "watching", since: now }, pid: obs.pid }, actions: [] };
      if (!obs.alive)
        return failure(
          rec,
          obs,
          now,
          p,
          "exited",
          `restarted process ${obs.pid ?? ph.pid} exited while starting`,
          c,
        );
      if (now - ph.since > p.startLimitMs)
        return failure(
          rec,
          obs,
          now,
          p,
          "stale-touch",
          `no touch within ${p.startLimitMs} ms of the restart`,
          c,
        );
      return { rec, actions: [] };
    }
    case "stopped":
      return { rec, actions: [] };
    case "gave-up":
    case "reboot":
      // Brought back by hand (or a reboot that did not happen): watch it again.
      if (
        obs.alive &&
        obs.touchMtimeMs !== undefined &&
        now - obs.touchMtimeMs <= touchLimitMs &&
        rec.phase.kind === "gave-up"
      )
        return { rec: { ...rec, phase: { kind: "watching", since: now }, pid: obs.pid }, actions: [] };
      return { rec, actions: [] };
  }
}

/** An operator's request (WatchdogRequest): stop kills the agent and leaves it down; start brings
 * back one that is stopped or given up on; restart kills and starts a running one (or starts a
 * stopped one). None of them is a failure: nothing is recorded in events.jsonl and the restart
 * budget is untouched. `changed` is false when the agent already is as asked. */
export function operate(
  rec: AgentRecord,
  op: "start" | "stop" | "restart",
  obs: Observation,
  now: number,
): { rec: AgentRecord; actions: Action[]; changed: boolean } {
  const ph = rec.phase.kind;
  const pid = obs.alive ? obs.pid : undefined;
  if (ph === "reboot") return { rec, actions: [], changed: false };
  if (op === "stop") {
    if (ph === "stopped") return { rec, actions: [], changed: false };
    // A restart in flight finishes first (its spawn is not ours to undo here): the next tick's
    // enforcement of the desired level stops what it started.
    if (ph === "restarting") return { rec, actions: [], changed: false };
    const kill: Action[] = pid !== undefined ? [{ kind: "kill", pid }] : [];
    return { rec: { ...rec, phase: { kind: "stopped", since: now } }, actions: kill, changed: true };
  }
  const down = ph === "stopped" || ph === "gave-up";
  if (op === "start" && !down) return { rec, actions: [], changed: false };
  if (ph === "restarting") return { rec, actions: [], changed: false };
  const phase: Phase =
    pid !== undefined && !down
      ? { kind: "waiting", at: now, killPid: pid, requested: true }
      : { kind: "waiting", at: now, requested: true };
  return { rec: { ...rec, phase }, actions: [], changed: true };
}

/** Watches `pid`, a live instance of the agent found where a restart was due, and takes back the
 * restart just counted: it never ran (or lost to that instance), so it must not use up the budget. */
function adopt(rec: AgentRecord, pid: number, now: number): AgentRecord {
  return {
    ...rec,
    phase: { kind: "watching", since: now },
    pid,
    restarts: Math.max(0, rec.restarts - 1),
    restartTimes: rec.restartTimes.slice(0, -1),
  };
}

/** The outcome of a restart run in the worker pool: spawned, found already running (adopted, not
 * spawned), or failed to spawn. */
export function restarted(
  rec: AgentRecord,
  result: { ok: true; pid: number; adopted?: boolean } | { ok: false; error: string },
  now: number,
  p: Policy,
): { rec: AgentRecord; actions: Action[] } {
  if (result.ok && result.adopted) return { rec: adopt(rec, result.pid, now), actions: [] };
  if (result.ok)
    return {
      rec: { ...rec, phase: { kind: "starting", since: now, pid: result.pid }, pid: result.pid },
      actions: [],
    };
  // Could not even spawn (binary missing?): try again after the backoff, within the rate limit.
  const n = rec.restartTimes.filter((t) => now - t < p.windowMs).length;
  if (n < p.maxRestarts)
    return { rec: { ...rec, phase: { kind: "waiting", at: now + restartDelayMs(n + 1, p) } }, actions: [] };
  const event: WatchdogEvent = {
    time: new Date(now).toISOString(),
    agent: rec.agent,
    cause: rec.lastCause ?? "exited",
    action: "give-up",
    details: `cannot restart: ${result.error}; ${n} restarts within ${p.windowMs} ms, leaving it down`,
  };
  return { rec: { ...rec, phase: { kind: "gave-up" } }, actions: [{ kind: "record", event }] };
}

/** The hardware watchdog is fed while no agent has triggered a reboot, or while nodeagent, asked to
 * reboot, still has time to (the policy's rebootGraceMs). */
export function shouldFeed(records: Iterable<AgentRecord>, now = 0, graceMs = 0): boolean {
  for (const r of records)
    if (r.phase.kind === "reboot" && (!r.phase.viaNodeagent || now - r.phase.since >= graceMs)) return false;
  return true;
}

export function statusOf(rec: AgentRecord): WatchdogStatus {
  const state: WatchdogStatus["state"] =
    rec.phase.kind === "watching" || rec.phase.kind === "starting"
      ? "running"
      : rec.phase.kind === "gave-up"
        ? "gave-up"
        : rec.phase.kind === "reboot"
          ? "reboot"
          : rec.phase.kind === "stopped"
            ? "stopped"
            : "restarting";
  const s: WatchdogStatus = { agent: rec.agent, state, restarts: rec.restarts };
  if (rec.pid !== undefined) s.pid = rec.pid;
  if (rec.lastCause !== undefined) s.lastCause = rec.lastCause;
  if (rec.lastEventAt !== undefined) s.lastEventAt = rec.lastEventAt;
  return s;
}
