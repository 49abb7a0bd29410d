// nodeagent's planner: the device's life cycle as a pure function of what it heard. step() takes the
// state and one event and returns the next state and the actions to carry out (index.ts runs them
// through agentbase's runSteps). No I/O, no clock: `now` comes in with each call.
//
// A reboot or shutdown runs in three phases: halting (zedmanager halts every app; bounded by a timer),
// flushing (the reason recorded durably, sync), acting (the reboot backend). One at a time; a request
// that arrives while one runs is logged and dropped (the device is about to go down anyway).
import {
  type AppInstanceStatus,
  type BootReason,
  type DeviceOp,
  type DeviceState,
  type ErrorInfo,
  makeError,
  type NodeAgentRequest,
  type NodeAgentStatus,
  type SwState,
  stableError,
} from "@outpost/types";

/** What nodeagent records durably before acting; the next boot reports it. */
export interface RebootRecord {
  op: DeviceOp;
  reason: BootReason;
  requester: string;
  detail: string;
  /** ISO time the operation was decided. */
  time: string;
  /** The slot the reboot is to boot (a request's `slot`). */
  slot?: string | undefined;
}

export interface Pending {
  id: number;
  op: DeviceOp;
  reason: BootReason;
  requester: string;
  detail: string;
  slot?: string | undefined;
  phase: "halting" | "flushing" | "acting";
  sinceMs: number;
}

export interface PlanState {
  /** ms since the epoch of this boot: requests made before it are stale. */
  bootedAtMs: number;
  /** The controller's counters as recorded in this boot; undefined until the first value is seen,
   * which is only recorded (the first config after a boot never reboots). */
  counters: Partial<Record<DeviceOp, number>>;
  maintenance: boolean;
  /** Every app known to zedmanager is halted (false until zedmanager's table is synchronized). */
  appsHalted: boolean;
  /** Requests (agent/key) already acted on or dropped in this boot. */
  handled: string[];
  pending?: Pending;
  nextId: number;
  /** Set when the backend cannot act at all (wrong root, missing script): no app is halted for nothing. */
  backendProblem?: string;
  error?: ErrorInfo;
}

export type NodeEvent =
  | { kind: "ops"; op: DeviceOp; counter: number }
  | { kind: "maintenance"; on: boolean }
  | { kind: "request"; from: string; key: string; request: NodeAgentRequest }
  | { kind: "apps"; halted: boolean }
  | { kind: "halt-timeout"; id: number }
  | { kind: "flushed"; id: number; error?: string }
  | { kind: "backend-failed"; id: number; error: string };

export type NodeAction =
  | { kind: "log"; level: "info" | "warn" | "error"; msg: string; fields: Record<string, unknown> }
  | { kind: "armHaltTimer"; id: number; ms: number }
  | { kind: "cancelHaltTimer" }
  | { kind: "flush"; id: number; record: RebootRecord }
  | { kind: "act"; id: number; op: DeviceOp }
  | { kind: "forgetRecord" }
  /** The counters recorded in this boot, kept so a nodeagent restarted within the boot goes on from them. */
  | { kind: "saveCounters"; counters: Partial<Record<DeviceOp, number>> };

export interface PlanConfig {
  now: number;
  haltTimeoutMs: number;
}

export function initialState(
  bootedAtMs: number,
  backendProblem?: string,
  counters: Partial<Record<DeviceOp, number>> = {},
): PlanState {
  return {
    bootedAtMs,
    counters,
    maintenance: false,
    appsHalted: false,
    handled: [],
    nextId: 1,
    ...(backendProblem ? { backendProblem } : {}),
  };
}

type Result = { state: PlanState; actions: NodeAction[] };

const log = (
  level: "info" | "warn" | "error",
  msg: string,
  fields: Record<string, unknown> = {},
): NodeAction => ({
  kind: "log",
  level,
  msg,
  fields,
});

export function step(s: PlanState, e: NodeEvent, c: PlanConfig): Result {
  switch (e.kind) {
    case "ops": {
      const prev = s.counters[e.op];
      const state = { ...s, counters: { ...s.counters, [e.op]: e.counter } };
      const save: NodeAction = { kind: "saveCounters", counters: state.counters };
      if (prev === undefined)
        return {
          state,
          actions: [
            save,
            log("info", `${e.op} counter recorded (first value in this boot: not acted on)`, {
              counter: e.counter,
            }),
          ],
        };
      if (e.counter <= prev)
        return e.counter === prev
          ? { state: s, actions: [] }
          : {
              state,
              actions: [
                save,
                log("warn", `${e.op} counter went down: recorded, not acted on`, {
                  counter: e.counter,
                  previous: prev,
                }),
              ],
            };
      const started = begin(
        state,
        {
          op: e.op,
          reason: e.op === "reboot" ? "REBOOT_CMD" : "POWEROFF_CMD",
          requester: "controller",
          detail: `${e.op} counter ${prev} -> ${e.counter} from the controller`,
        },
        c,
      );
      return { state: started.state, actions: [save, ...started.actions] };
    }
    case "maintenance":
      if (e.on === s.maintenance) return { state: s, actions: [] };
      return {
        state: { ...s, maintenance: e.on },
        actions: [
          log(
            "info",
            e.on ? "maintenance mode on: apps halted, updates wait" : "maintenance mode off: apps run again",
          ),
        ],
      };
    case "request": {
      const id = `${e.from}/${e.key}`;
      if (s.handled.includes(id)) return { state: s, actions: [] };
      const state = { ...s, handled: [...s.handled, id] };
      const at = Date.parse(e.request.requestedAt);
      if (!(at >= s.bootedAtMs))
        return {
          state,
          actions: [log("info", "request made before this boot: ignored", { request: id, ...e.request })],
        };
      return begin(
        state,
        {
          op: e.request.op,
          reason: e.request.reason,
          requester: e.from,
          detail: e.request.detail || `${e.request.op} asked by ${e.from}`,
          ...(e.request.slot ? { slot: e.request.slot } : {}),
        },
        c,
      );
    }
    case "apps": {
      const state = { ...s, appsHalted: e.halted };
      if (e.halted && s.pending?.phase === "halting")
        return toFlushing(state, c, [{ kind: "cancelHaltTimer" }]);
      return { state, actions: [] };
    }
    case "halt-timeout":
      if (s.pending?.id !== e.id || s.pending.phase !== "halting") return { state: s, actions: [] };
      return toFlushing(s, c, [
        log("warn", "apps did not all halt in time: going on", { haltTimeoutMs: c.haltTimeoutMs }),
      ]);
    case "flushed": {
      const p = s.pending;
      if (p?.id !== e.id || p.phase !== "flushing") return { state: s, actions: [] };
      const actions: NodeAction[] = [];
      if (e.error)
        actions.push(
          log("error", "cannot record the reboot reason: going on; the next boot will not know why", {
            err: e.error,
          }),
        );
      actions.push(log("info", `${p.op}: handing over to the reboot backend`, { reason: p.reason }));
      actions.push({ kind: "act", id: p.id, op: p.op });
      return { state: { ...s, pending: { ...p, phase: "acting", sinceMs: c.now } }, actions };
    }
    case "backend-failed": {
      const p = s.pending;
      if (p?.id !== e.id) return { state: s, actions: [] };
      const { pending: _, ...rest } = s;
      const error = makeError(`${p.op} failed: ${e.error}`, {
        retryCondition: `bump the ${p.op} counter again, or ask again`,
        now: new Date(c.now),
      });
      return {
        state: { ...rest, error: stableError(s.error, error) },
        actions: [
          log("error", `${p.op} failed: the device stays up and its apps start again`, { err: e.error }),
          { kind: "forgetRecord" },
        ],
      };
    }
  }
}

function begin(s: PlanState, r: Omit<Pending, "id" | "phase" | "sinceMs">, c: PlanConfig): Result {
  if (s.pending)
    return {
      state: s,
      actions: [
        log("warn", `${r.op} asked while a ${s.pending.op} is under way: dropped`, {
          requester: r.requester,
          detail: r.detail,
        }),
      ],
    };
  if (s.backendProblem) {
    const error = makeError(`cannot ${r.op} (${r.detail}): ${s.backendProblem}`, {
      retryCondition: "fix the reboot backend (nodeagent --backend) and ask again",
      now: new Date(c.now),
    });
    return {
      state: { ...s, error: stableError(s.error, error) },
      actions: [log("error", error.description, { requester: r.requester })],
    };
  }
  const pending: Pending = { ...r, id: s.nextId, phase: "halting", sinceMs: c.now };
  const state: PlanState = { ...s, pending, nextId: s.nextId + 1 };
  const started = log("info", `${r.op} asked: halting the apps first`, {
    requester: r.requester,
    reason: r.reason,
    detail: r.detail,
  });
  if (s.appsHalted) return toFlushing(state, c, [started]);
  return { state, actions: [started, { kind: "armHaltTimer", id: pending.id, ms: c.haltTimeoutMs }] };
}

function toFlushing(s: PlanState, c: PlanConfig, before: NodeAction[]): Result {
  const p = s.pending;
  if (!p) return { state: s, actions: before };
  const record: RebootRecord = {
    op: p.op,
    reason: p.reason,
    requester: p.requester,
    detail: p.detail,
    time: new Date(c.now).toISOString(),
    ...(p.slot ? { slot: p.slot } : {}),
  };
  return {
    state: { ...s, pending: { ...p, phase: "flushing", sinceMs: c.now } },
    actions: [...before, { kind: "flush", id: p.id, record }],
  };
}

/** What this boot is, as found at start (boot.ts). */
export interface BootFacts {
  bootReason: BootReason;
  lastRebootReason: string;
  lastRebootTime?: string;
  bootedAt: string;
  restartCounter: number;
}

export function deviceState(s: PlanState): DeviceState {
  const p = s.pending;
  if (p)
    return p.op === "reboot" ? "REBOOTING" : p.phase === "acting" ? "POWERING_OFF" : "PREPARING_POWEROFF";
  return s.maintenance ? "MAINTENANCE_MODE" : "ONLINE";
}

/** NodeAgentStatus from the state: what zedagent reports and zedmanager obeys. */
export function statusOf(s: PlanState, boot: BootFacts, backend: string): NodeAgentStatus {
  const p = s.pending;
  return {
    state: deviceState(s),
    bootReason: boot.bootReason,
    lastRebootReason: boot.lastRebootReason,
    ...(boot.lastRebootTime ? { lastRebootTime: boot.lastRebootTime } : {}),
    bootedAt: boot.bootedAt,
    restartCounter: boot.restartCounter,
    rebootConfigCounter: s.counters.reboot ?? 0,
    shutdownConfigCounter: s.counters.shutdown ?? 0,
    rebootInProgress: p !== undefined,
    maintenanceMode: s.maintenance,
    haltApps: p !== undefined || s.maintenance,
    ...(p
      ? {
          pending: {
            op: p.op,
            reason: p.reason,
            requester: p.requester,
            detail: p.detail,
            phase: p.phase,
            since: new Date(p.sinceMs).toISOString(),
          },
        }
      : {}),
    backend,
    ...(s.error ? { error: s.error } : {}),
  };
}

/** zedmanager's view of an app that may still run: not halted yet. */
const LIVE: readonly SwState[] = ["BOOTING", "RUNNING", "PAUSING", "PAUSED", "HALTING"];
export function appsHalted(apps: Iterable<AppInstanceStatus>): boolean {
  for (const a of apps) if (a.activated || LIVE.includes(a.state)) return false;
  return true;
}
