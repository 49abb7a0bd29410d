import type { Backoff } from "@outpost/primitives";
import { type DomainConfig, type DomainStatus, makeError, type SwState } from "@outpost/types";
import { type Observed, specHash } from "./container-spec.js";

// The one decision function per domain (docs/architecture.md section 4): plain data in (config, what the engine
// showed at the last inspection, domainmgr's bookkeeping), new status + actions out. No Docker, no
// clock, no timers: the driver (domainmgr.ts) runs the actions and calls update again with the results.

export interface RestartPolicy {
  /** The delay before restarting a failed app, by failures since it last ran stably (Memory.attempts):
   * doubles per failure up to a cap, with jitter so apps failing together do not restart in lockstep. */
  backoff: Backoff;
  /** A run at least this long resets the back-off. */
  stableMs: number;
}

/** domainmgr's bookkeeping for one domain, beyond what the engine can tell. */
export interface Memory {
  /** We started it and have not stopped it since: if it is not running now, the app stopped itself. */
  expectRunning: boolean;
  /** Why it is not running as asked (an exit, or the engine refusing to create/start it). */
  failure?: { description: string; exitCode?: number; at: number };
  /** When the next attempt after a failure is due (ms since the epoch). */
  retryAt?: number;
  /** Failures since the app last ran stably: the back-off exponent. */
  attempts: number;
  /** The config restartCounter already carried out; undefined until the domain is first seen. */
  handledRestartCounter?: number;
  /** Restarts after a failure, shown in DomainStatus. */
  failedRestarts: number;
  /** A second container of this app that the engine refused to remove (retried at each listing). */
  duplicate?: { description: string; at: number };
  /** Starts of this container the engine refused in a row (not exits of the app: refusals). */
  startRefusals?: number;
}

/** Refused starts of one container after which it is replaced by a new one. An engine stopped in the
 * middle of a start can leave containerd state behind that makes every later start of that container
 * fail ("failed to start shim: ... file exists"); a new container does not carry it. Volumes keep the
 * data, as on any replacement; only the container's writable layer is new. */
export const START_REFUSALS_BEFORE_RECREATE = 2;

export const freshMemory = (): Memory => ({ expectRunning: false, attempts: 0, failedRestarts: 0 });

export interface UpdateInput {
  uuid: string;
  config: DomainConfig | undefined;
  /** undefined: not known yet (before the first listing of the engine); null: no container. */
  container: Observed | null | undefined;
  mem: Memory;
  prevStatus: DomainStatus | undefined;
  now: number;
  /** A Docker action for this domain is in flight: decide nothing new until its result is in. */
  busy: boolean;
  /** The publisher said its DomainConfig table is complete: a container without config is an orphan. */
  configsComplete: boolean;
  policy: RestartPolicy;
  /** The engine does not answer (shown while the domain waits for the first listing). */
  engineError?: string | undefined;
}

export type Action =
  | { kind: "create"; config: DomainConfig }
  | { kind: "start"; id: string }
  | { kind: "stop"; id: string }
  | { kind: "restart"; id: string }
  | { kind: "remove"; id: string }
  | { kind: "wakeAt"; at: number };

export interface UpdateResult {
  /** undefined: no status (deleted, or nothing to say yet). */
  status: DomainStatus | undefined;
  mem: Memory;
  actions: Action[];
}

function exitDescription(c: Observed): string {
  let d = `app exited with code ${c.exitCode}`;
  if (c.oomKilled) d += " (killed: out of memory)";
  if (c.engineError) d += `: ${c.engineError}`;
  return d;
}

function ranMs(c: Observed): number {
  if (!c.startedAt || !c.finishedAt) return 0;
  return Date.parse(c.finishedAt) - Date.parse(c.startedAt);
}

export function update(i: UpdateInput): UpdateResult {
  const mem: Memory = { ...i.mem };
  const actions: Action[] = [];
  const cfg = i.config;
  const c = i.container;

  if (!cfg) {
    // Not ours to judge until the config table is complete; a removal in flight finishes first.
    if (c === undefined || !i.configsComplete || i.busy)
      return { status: c === null ? undefined : i.prevStatus, mem, actions };
    if (c === null) return { status: undefined, mem: freshMemory(), actions };
    actions.push({ kind: "remove", id: c.id });
    const status: DomainStatus = {
      uuid: i.uuid,
      version: i.prevStatus?.version ?? "",
      displayName: i.prevStatus?.displayName ?? c.name,
      state: "HALTING",
      activated: false,
      containerId: c.id,
      containerName: c.name,
      failedRestarts: mem.failedRestarts,
      restartCounter: mem.handledRestartCounter ?? 0,
    };
    return { status, mem, actions };
  }

  // First sight (e.g. after our own restart, with no record of it): a bump we cannot tell apart from
  // an old one is taken as done, so an adopted app is never restarted by surprise.
  if (mem.handledRestartCounter === undefined) mem.handledRestartCounter = cfg.restartCounter;

  const make = (state: SwState, withError = true): DomainStatus => {
    const s: DomainStatus = {
      uuid: i.uuid,
      version: cfg.version,
      displayName: cfg.displayName,
      state,
      activated: cfg.activate,
      failedRestarts: mem.failedRestarts,
      restartCounter: mem.handledRestartCounter ?? cfg.restartCounter,
    };
    if (c) {
      s.containerId = c.id;
      s.containerName = c.name;
      if (c.running && c.startedAt) s.startedAt = c.startedAt;
      if (!c.running && c.finishedAt) s.exitCode = c.exitCode;
    }
    if (withError && mem.failure) {
      s.error = makeError(mem.failure.description, {
        now: new Date(mem.failure.at),
        source: { type: "Domain", id: i.uuid, name: cfg.displayName },
        severity: mem.failure.exitCode === 0 ? "warning" : "error",
        ...(mem.retryAt !== undefined
          ? { retryCondition: `retrying at ${new Date(mem.retryAt).toISOString()}` }
          : {}),
      });
      if (mem.failure.exitCode !== undefined) s.exitCode = mem.failure.exitCode;
    } else if (withError && mem.duplicate) {
      // The app itself may run fine, but a second copy of it is still there: the user must know.
      s.error = makeError(mem.duplicate.description, {
        now: new Date(mem.duplicate.at),
        source: { type: "Domain", id: i.uuid, name: cfg.displayName },
        retryCondition: "retried at each listing of the engine",
      });
    }
    return s;
  };
  const failedState = (): SwState => (mem.failure?.exitCode === 0 ? "HALTED" : "BROKEN");

  if (c === undefined && i.engineError) {
    const status = make("INITIAL", false);
    status.error = makeError(i.engineError, {
      now: new Date(i.now),
      source: { type: "Domain", id: i.uuid, name: cfg.displayName },
      retryCondition: "waiting for the Docker engine",
    });
    if (i.prevStatus?.error?.description === i.engineError) status.error = i.prevStatus.error;
    return { status, mem, actions };
  }
  if (i.busy || c === undefined) {
    return { status: i.prevStatus ?? make(c === undefined ? "INITIAL" : "BOOTING"), mem, actions };
  }

  /** After a failure: wait out the back-off, then let `retry` try again. */
  const afterFailure = (retry: Action): UpdateResult => {
    if (mem.retryAt === undefined) {
      mem.retryAt = i.now + i.policy.backoff.delay(mem.attempts);
      mem.attempts++;
    }
    if (i.now < mem.retryAt) {
      actions.push({ kind: "wakeAt", at: mem.retryAt });
      return { status: make(failedState()), mem, actions };
    }
    const status = make(failedState());
    delete mem.retryAt;
    mem.failedRestarts++;
    status.failedRestarts = mem.failedRestarts;
    actions.push(retry);
    return { status, mem, actions };
  };

  if (c === null) {
    if (mem.failure) return afterFailure({ kind: "create", config: cfg });
    actions.push({ kind: "create", config: cfg });
    return { status: make(cfg.activate ? "BOOTING" : "INSTALLED"), mem, actions };
  }

  if (c.spec !== specHash(cfg)) {
    // What runs differs from what is asked (image, env, mounts, limits, version): replace it.
    mem.expectRunning = false;
    actions.push({ kind: "remove", id: c.id });
    return { status: make(cfg.activate ? "BOOTING" : "HALTING", false), mem, actions };
  }

  if (!cfg.activate) {
    mem.handledRestartCounter = cfg.restartCounter;
    delete mem.failure;
    delete mem.retryAt;
    mem.attempts = 0;
    mem.expectRunning = false;
    if (c.running) {
      actions.push({ kind: "stop", id: c.id });
      return { status: make("HALTING"), mem, actions };
    }
    return { status: make("HALTED"), mem, actions };
  }

  if (c.running) {
    mem.expectRunning = true;
    delete mem.startRefusals;
    if (cfg.restartCounter > (mem.handledRestartCounter ?? 0)) {
      mem.handledRestartCounter = cfg.restartCounter;
      actions.push({ kind: "restart", id: c.id });
      return { status: make("BOOTING"), mem, actions };
    }
    delete mem.failure;
    delete mem.retryAt;
    return { status: make("RUNNING"), mem, actions };
  }

  if (mem.expectRunning) {
    // It stopped by itself (exit, crash, OOM kill, someone's `docker stop`).
    mem.expectRunning = false;
    if (ranMs(c) >= i.policy.stableMs) mem.attempts = 0;
    mem.failure = { description: exitDescription(c), exitCode: c.exitCode, at: i.now };
    delete mem.retryAt;
  } else if (mem.failure && mem.failure.exitCode === c.exitCode) {
    // The same stop seen again: the engine may learn more after the exit event (OOMKilled is set when
    // the kernel's OOM event reaches it, which can come after "die"), so the description follows.
    mem.failure.description = exitDescription(c);
  }
  mem.handledRestartCounter = cfg.restartCounter;
  if ((mem.startRefusals ?? 0) >= START_REFUSALS_BEFORE_RECREATE) {
    delete mem.startRefusals;
    actions.push({ kind: "remove", id: c.id });
    return { status: make(failedState()), mem, actions };
  }
  if (mem.failure) return afterFailure({ kind: "start", id: c.id });
  actions.push({ kind: "start", id: c.id });
  return { status: make("BOOTING"), mem, actions };
}
