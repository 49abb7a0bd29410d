// nim's planner: which DevicePortConfig to apply and test, as a pure function of the list and the
// event. The composition root (index.ts) feeds it the sources (zedagent's DPC, the override file,
// the last-resort DPC), test results and timer ticks; it answers with "test this DPC" (apply it to
// the ports, then reach the controller over them) and "publish the list". Test before trust: a DPC
// is only `current` once a test passed; a failed one is recorded (lastFailed, lastError), the next
// lower-priority DPC is tried, and the failed one is tried again after a back-off.
import type { DevicePortConfig, DevicePortConfigEntry } from "@outpost/types";

export interface NimState {
  /** Highest priority first (newest timePriority; the last resort always last). */
  list: DevicePortConfigEntry[];
  /** Key of the DPC in use (tested and working), "" none. */
  current: string;
  /** Key of the DPC being tested, "" none. */
  testing: string;
  /** When to test again from the top of the list (a higher-priority DPC failed), 0 never. */
  retryAt: number;
  /** Failed tests since the last success (drives the back-off). */
  failures: number;
  /** When the DPC in use is next verified, 0 never. */
  verifyAt: number;
  /** When the current walk down the list started: a DPC that failed since is not tried again in it. */
  roundStart: number;
  /** The list persisted before a restart: what testing learnt about a DPC its source gives again. */
  restored: DevicePortConfigEntry[];
}

export const initialState: NimState = {
  list: [],
  current: "",
  testing: "",
  retryAt: 0,
  failures: 0,
  verifyAt: 0,
  roundStart: 0,
  restored: [],
};

export interface Policy {
  /** Delay before retrying after `failures` failed tests in a row. */
  retryDelay: (failures: number) => number;
  /** Period of the re-test of the DPC in use (EVE timer.port.testinterval). */
  verifyMs: number;
}

export type NimEvent =
  /** The list as persisted before a restart (lastFailed/lastSucceeded kept). */
  | { kind: "restore"; entries: DevicePortConfigEntry[] }
  /** A source's DPC, or its removal (`dpc` undefined). */
  | { kind: "source"; key: string; dpc: DevicePortConfig | undefined; now: number }
  | { kind: "tested"; key: string; ok: boolean; error: string; now: number }
  | { kind: "tick"; now: number };

export type NimAction =
  /** Apply `dpc` to the ports and test it; the result comes back as a `tested` event. */
  | { kind: "test"; dpc: DevicePortConfigEntry }
  /** The list or the DPC in use changed: publish DevicePortConfigList and DeviceNetworkStatus. */
  | { kind: "publish"; list: DevicePortConfigEntry[]; currentIndex: number; testing: string };

export interface UpdateResult {
  state: NimState;
  actions: NimAction[];
}

/** Sort order: newest timePriority first, ties by key; the last resort (timePriority 0) last. */
export function sortList(list: DevicePortConfigEntry[]): DevicePortConfigEntry[] {
  return [...list].sort((a, b) => b.timePriority - a.timePriority || a.key.localeCompare(b.key));
}

const samePorts = (a: DevicePortConfig, b: DevicePortConfig) =>
  JSON.stringify(a.ports) === JSON.stringify(b.ports);

export function currentIndex(state: NimState): number {
  return state.current ? state.list.findIndex((e) => e.key === state.current) : -1;
}

function publish(state: NimState): NimAction {
  return { kind: "publish", list: state.list, currentIndex: currentIndex(state), testing: state.testing };
}

function startTest(state: NimState, key: string): UpdateResult {
  const dpc = state.list.find((e) => e.key === key);
  if (!dpc) return { state, actions: [publish(state)] };
  const next = { ...state, testing: key };
  return { state: next, actions: [{ kind: "test", dpc }, publish(next)] };
}

/** What to test now, if anything. A new or changed DPC above the one in use is tried at once; when
 * the back-off of a failed higher-priority DPC ends, the list is walked again from the top; with
 * nothing in use and nothing pending, from the top too; the DPC in use is re-verified periodically. */
function plan(state: NimState, now: number, changed: string | undefined): UpdateResult {
  if (state.testing || state.list.length === 0) return { state, actions: [publish(state)] };
  const cur = currentIndex(state);
  const top = state.list[0]?.key ?? "";
  if (changed) {
    const i = state.list.findIndex((e) => e.key === changed);
    if (i >= 0 && (cur < 0 || i < cur)) return startTest({ ...state, roundStart: now }, changed);
  }
  if (state.retryAt && now >= state.retryAt) return startTest({ ...state, retryAt: 0, roundStart: now }, top);
  if (cur < 0 && !state.retryAt) return startTest({ ...state, roundStart: now }, top);
  if (cur >= 0 && state.verifyAt && now >= state.verifyAt)
    return startTest({ ...state, verifyAt: 0, roundStart: now }, state.current);
  return { state, actions: [publish(state)] };
}

/** The DPC failed in the current round (the walk down the list that started at roundStart). */
function failedThisRound(e: DevicePortConfigEntry, s: NimState): boolean {
  return e.lastFailed > 0 && e.lastFailed >= s.roundStart;
}

export function update(state: NimState, event: NimEvent, policy: Policy): UpdateResult {
  switch (event.kind) {
    case "restore":
      // Only what testing learnt survives a restart; the DPCs themselves come back from their
      // sources. Nothing is current: the ports are tested again before they are trusted.
      return { state: { ...state, restored: event.entries }, actions: [] };
    case "source": {
      const old = state.list.find((e) => e.key === event.key);
      if (!event.dpc) {
        if (!old) return { state, actions: [] };
        const list = state.list.filter((e) => e.key !== event.key);
        let s: NimState = {
          ...state,
          list,
          current: state.current === event.key ? "" : state.current,
        };
        // The DPC in use is the top one now: no failed higher-priority DPC is left to retry.
        if (s.current && list[0]?.key === s.current) s = { ...s, retryAt: 0, failures: 0 };
        // Removed while under test: its ports stay applied until that test's deadline unless another
        // test replaces it now (the new test supersedes the running one): walk the list from the top.
        const top = list[0]?.key;
        if (state.testing === event.key && top)
          return startTest({ ...s, testing: "", roundStart: event.now }, top);
        return plan(s, event.now, undefined);
      }
      if (old && samePorts(old, event.dpc)) return { state, actions: [] };
      const known = state.restored.find(
        (o) => o.key === event.key && samePorts(o, event.dpc as DevicePortConfig),
      );
      const entry: DevicePortConfigEntry = {
        ...event.dpc,
        lastFailed: known?.lastFailed ?? 0,
        lastSucceeded: known?.lastSucceeded ?? 0,
        lastError: known?.lastError ?? "",
        ...(known ? { timePriority: known.timePriority } : {}),
      };
      const list = sortList([...state.list.filter((e) => e.key !== event.key), entry]);
      // A changed DPC in use is no longer known to work.
      const s: NimState = { ...state, list, current: state.current === event.key ? "" : state.current };
      return plan(s, event.now, event.key);
    }
    case "tested": {
      if (event.key !== state.testing) return { state, actions: [] };
      const list = state.list.map((e) =>
        e.key !== event.key
          ? e
          : event.ok
            ? { ...e, lastSucceeded: event.now, lastError: "" }
            : { ...e, lastFailed: event.now, lastError: event.error },
      );
      let s: NimState = { ...state, list, testing: "" };
      if (event.ok) {
        const i = list.findIndex((e) => e.key === event.key);
        // Something above the one in use failed: test it again after the back-off.
        s = {
          ...s,
          current: event.key,
          failures: i > 0 ? s.failures : 0,
          retryAt: i > 0 ? event.now + policy.retryDelay(Math.max(0, s.failures - 1)) : 0,
          verifyAt: event.now + policy.verifyMs,
        };
        return { state: s, actions: [publish(s)] };
      }
      s = { ...s, failures: s.failures + 1 };
      if (s.current === event.key) s = { ...s, current: "" };
      // Fall back: the next DPC below the failed one that has not failed this round (the one in use
      // included: testing another DPC reconfigured the ports, so it is applied and tested again).
      const i = list.findIndex((e) => e.key === event.key);
      const below = list.slice(i + 1).find((e) => !failedThisRound(e, s));
      const retryAt = event.now + policy.retryDelay(s.failures - 1);
      if (below) return startTest({ ...s, retryAt }, below.key);
      // Nothing left to fall back to: keep what is in use (if it is below), retry from the top later.
      return { state: { ...s, retryAt }, actions: [publish({ ...s, retryAt })] };
    }
    case "tick": {
      const r = plan(state, event.now, undefined);
      // A tick that starts nothing publishes nothing.
      return r.actions.some((a) => a.kind === "test") ? r : { state: r.state, actions: [] };
    }
  }
}
