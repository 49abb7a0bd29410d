// baseosmgr's planner: from what it knows (the slots' record, the boot selector, the slot it booted,
// the config, the content tree, the node's health) to the slots' statuses and the next actions. Pure:
// no clock, no I/O; the agent runs the actions through its executors and plans again.
//
// An update, slot X booted, slot Y the other one:
//   config names version V != X's  -> want the content tree (volumemgr fetches and verifies it)
//   tree VERIFIED                  -> install into Y (inspect, unpack, `outpost --version` says V)
//   installed                      -> record Y "updating"; selector: boot Y once; reboot (UPDATE)
//   booted Y while it is tried     -> Y "inprogress": the test window (timer.test.baseimage.update)
//     healthy                      -> commit: Y default and "active", X "unused"; UPDATED
//     window over / agent crashing -> fall back: record the failure, selector back to X, reboot FALLBACK
//   booted X while Y was tried     -> Y did not start (its one try was consumed): the same failure
// A failed version is not tried again until retry_update is bumped; a new config waits while a slot is
// under test.
import {
  type BaseOsConfig,
  type BaseOsStatus,
  type BaseOsSubStatus,
  type BaseOsUserStatus,
  type BootReason,
  type ContentTreeStatus,
  type ErrorInfo,
  makeError,
  type PartitionState,
  stableError,
} from "@outpost/types";
import { type BootEnv, otherSlot, type Slot } from "./bootselector.js";

export interface SlotRecord {
  version: string;
  state: PartitionState;
}

/** persist/baseosmgr/record.json: what survives reboots. */
export interface SlotsRecord {
  slots: Record<Slot, SlotRecord>;
  updateCounter: number;
  /** A version that failed, and the retry counter it failed under. */
  failed?: { version: string; retryCounter: number; error: ErrorInfo; fallback: boolean } | undefined;
  /** The retry_update counter the slot being updated was installed under: its failure is recorded under
   * this one (the config may not be known yet when a fallback is decided early in a boot). */
  installRetry?: number | undefined;
  /** The last update's outcome, reported until the next one starts. */
  last?: { version: string; outcome: "UPDATED" | "FALLBACK" | "FAILED" } | undefined;
}

export type InstallState =
  | { state: "running"; version: string }
  | { state: "failed"; version: string; error: string };

export interface Health {
  /** outpost-boot started every agent of this boot, and each registered agent is running (the
   * watchdog's status). */
  agentsUp: boolean;
  /** An agent that restarted or was given up on since this boot: the new slot is not healthy. */
  crashed?: string | undefined;
  /** zedagent reached the controller and applied a config after this boot. */
  configApplied: boolean;
  /** Since when all of the above has held without a break (undefined while it does not). */
  healthySince?: number | undefined;
}

export interface World {
  now: number;
  bootedAt: number;
  booted: Slot;
  /** What the booted release says it is. */
  runningVersion: string;
  env: BootEnv;
  record: SlotsRecord;
  config?: BaseOsConfig | undefined;
  tree?: ContentTreeStatus | undefined;
  /** The verified file of the tree's blob, once VERIFIED. */
  blobPath?: string | undefined;
  install?: InstallState | undefined;
  health: Health;
  /** nodeagent says the device is in maintenance mode: no update starts (EVE's UPDATE_DEFERRED). */
  maintenance?: boolean | undefined;
  testWindowMs: number;
  /** How long the new slot must stay healthy before it is committed (at most half the window). */
  stableMs: number;
  /** The reboot asked for in this boot, if any (asked once). */
  rebootAsked: boolean;
  prev: ReadonlyMap<Slot, BaseOsStatus>;
}

export type Action =
  | { kind: "saveRecord"; record: SlotsRecord }
  | { kind: "install"; slot: Slot; path: string; version: string; retryCounter: number }
  | { kind: "tryOnce"; slot: Slot }
  | { kind: "commit"; slot: Slot }
  | { kind: "abandon" }
  | { kind: "reboot"; reason: BootReason; detail: string; slot?: Slot };

export interface Plan {
  statuses: Map<Slot, BaseOsStatus>;
  /** The content tree to keep fetched (ContentTreeRef), if any. */
  wantTree?: string | undefined;
  actions: Action[];
  /** When to plan again without any other change (the test window's end), if anything waits on time. */
  wakeAt?: number | undefined;
}

const source = (c: { contentTreeId: string; version: string }) => ({
  type: "BaseOs",
  id: c.contentTreeId,
  name: c.version,
});

/** A fresh record: the booted slot holds the running release and is active. */
export function freshRecord(booted: Slot, runningVersion: string): SlotsRecord {
  const unused: SlotRecord = { version: "", state: "unused" };
  const slots: Record<Slot, SlotRecord> = { A: unused, B: unused };
  slots[booted] = { version: runningVersion, state: "active" };
  return { slots, updateCounter: 0 };
}

function failedRecord(
  r: SlotsRecord,
  slot: Slot,
  version: string,
  retryCounter: number,
  error: ErrorInfo,
  fallback: boolean,
): SlotsRecord {
  return {
    ...r,
    slots: { ...r.slots, [slot]: { ...r.slots[slot], state: "unused" } },
    failed: { version, retryCounter, error, fallback },
    last: { version, outcome: fallback ? "FALLBACK" : "FAILED" },
  };
}

export function plan(w: World): Plan {
  const actions: Action[] = [];
  let record = w.record;
  const other = otherSlot(w.booted);
  let userStatus: BaseOsUserStatus = record.last?.outcome ?? "NONE";
  let subStatus: BaseOsSubStatus = "NONE_SUBSTATUS";
  // The human text next to the enums (ZInfoDevSW.subStatusStr): what the last update did, until another.
  const outcomeText = { UPDATED: "committed", FALLBACK: "fell back", FAILED: "was refused" } as const;
  let subStatusStr = record.last ? `${record.last.version} ${outcomeText[record.last.outcome]}` : "";
  let progress = 0;
  let error: ErrorInfo | undefined =
    record.last && record.last.outcome !== "UPDATED" ? record.failed?.error : undefined;
  let wantTree: string | undefined;
  let wakeAt: number | undefined;
  // A new update under way (downloading, installing, rebooting into it): its status is on the slot it
  // goes to, not on the slot of the previous outcome.
  let underWay = false;
  const retry = w.config?.retryCounter ?? 0;
  // The tried slot's failure counts under the counter it was installed with.
  const triedRetry = record.installRetry ?? retry;

  // The booted slot is always the one running: a record from another boot may say otherwise.
  if (record.slots[w.booted].version !== w.runningVersion && w.env.trying !== w.booted) {
    record = {
      ...record,
      slots: { ...record.slots, [w.booted]: { version: w.runningVersion, state: "active" } },
    };
    actions.push({ kind: "saveRecord", record });
  }

  const trying = w.env.trying;
  // outpost_next still set: the try is asked for and no boot has consumed it yet (the reboot is pending).
  const tryConsumed = trying !== undefined && w.env.next !== trying;
  if (trying !== undefined && trying !== w.booted && tryConsumed) {
    // The slot under test was tried and we are back on the other one: it did not start, or it fell
    // back. A fallback decided by the test window has recorded its own reason already.
    const version = record.slots[trying].version;
    const alreadyRecorded = record.failed?.version === version && record.last?.outcome === "FALLBACK";
    if (!alreadyRecorded) {
      const e = makeError(
        `slot ${trying} (version ${version}) did not start: the node booted slot ${w.booted} again`,
        {
          retryCondition: "bump retry_update to try this version again",
          source: { type: "BaseOs", id: w.config?.contentTreeId ?? version, name: version },
          now: new Date(w.now),
        },
      );
      record = failedRecord(record, trying, version, triedRetry, e, true);
    }
    actions.push({ kind: "abandon" }, { kind: "saveRecord", record });
    userStatus = "FALLBACK";
    subStatusStr = `${version} in slot ${trying} fell back to slot ${w.booted}`;
    error = record.failed?.error;
  } else if (trying !== undefined && trying === w.booted && tryConsumed) {
    // Under test: commit once healthy, fall back when the window ends or an agent crashes.
    const version = w.runningVersion;
    const deadline = w.bootedAt + w.testWindowMs;
    if (record.slots[trying].state !== "inprogress") {
      record = {
        ...record,
        slots: { ...record.slots, [trying]: { version, state: "inprogress" } },
        last: undefined,
      };
      actions.push({ kind: "saveRecord", record });
    }
    const why = w.health.crashed
      ? `agent ${w.health.crashed} crashed while slot ${trying} was under test`
      : w.now >= deadline
        ? `test window of ${Math.round(w.testWindowMs / 1000)} s ended before the node was healthy (${
            !w.health.agentsUp ? "agents down" : "no config applied from the controller"
          })`
        : undefined;
    const stableMs = Math.min(w.stableMs, Math.floor(w.testWindowMs / 2));
    const healthy = w.health.agentsUp && w.health.configApplied && !w.health.crashed;
    const stableAt = healthy ? (w.health.healthySince ?? w.now) + stableMs : undefined;
    if (stableAt !== undefined && w.now >= stableAt) {
      record = {
        ...record,
        slots: {
          [trying]: { version, state: "active" },
          [other]: { ...record.slots[other], state: "unused" },
        } as Record<Slot, SlotRecord>,
        failed: undefined,
        last: { version, outcome: "UPDATED" },
      };
      actions.push({ kind: "commit", slot: trying }, { kind: "saveRecord", record });
      userStatus = "UPDATED";
      subStatusStr = `${version} committed in slot ${trying}`;
      error = undefined;
    } else if (why !== undefined) {
      if (!w.rebootAsked) {
        const e = makeError(
          `version ${version} in slot ${trying} failed its test: ${why}; fell back to slot ${other}`,
          {
            retryCondition: "bump retry_update to try this version again",
            source: { type: "BaseOs", id: w.config?.contentTreeId ?? version, name: version },
            now: new Date(w.now),
          },
        );
        record = failedRecord(record, trying, version, triedRetry, e, true);
        actions.push(
          { kind: "saveRecord", record },
          { kind: "abandon" },
          { kind: "reboot", reason: "FALLBACK", detail: `fallback to slot ${other}: ${why}` },
        );
      }
      userStatus = "FALLBACK";
      error = record.failed?.error;
      subStatus = "UPDATE_REBOOTING";
      subStatusStr = `${version} failed its test in slot ${trying}: rebooting into slot ${other}`;
    } else {
      userStatus = "UPDATING";
      subStatus = "UPDATE_TESTING";
      subStatusStr =
        stableAt !== undefined
          ? `testing ${version} in slot ${trying}: healthy, committing at ${new Date(stableAt).toISOString()} if it stays so`
          : `testing ${version} in slot ${trying} until ${new Date(deadline).toISOString()}`;
      wakeAt = stableAt !== undefined ? Math.min(stableAt, deadline) : deadline;
    }
  } else if (w.config?.activate && w.config.version !== w.runningVersion) {
    const c = w.config;
    const failed = record.failed;
    if (failed && failed.version === c.version && failed.retryCounter >= retry) {
      // Not retried until retry_update is bumped.
      userStatus = failed.fallback ? "FALLBACK" : "FAILED";
      error = failed.error;
      subStatusStr = `${c.version} ${failed.fallback ? "fell back" : "was refused"}: not tried again until retry_update is bumped`;
    } else if (w.maintenance) {
      // Nothing fetched, installed or rebooted into while the device is in maintenance mode.
      underWay = true;
      subStatus = "UPDATE_DEFERRED";
      subStatusStr = `update to ${c.version} deferred: the device is in maintenance mode`;
      error = undefined;
    } else if (record.slots[other].state === "updating" && record.slots[other].version === c.version) {
      underWay = true;
      // Installed and the reboot asked for: waiting for nodeagent.
      userStatus = "UPDATING";
      subStatus = "UPDATE_REBOOTING";
      subStatusStr = `${c.version} installed in slot ${other}: rebooting into it`;
      error = undefined;
      if (!w.rebootAsked)
        actions.push(
          { kind: "tryOnce", slot: other },
          {
            kind: "reboot",
            reason: "UPDATE",
            detail: `update to ${c.version} (slot ${other})`,
            slot: other,
          },
        );
    } else {
      underWay = true;
      wantTree = c.contentTreeId;
      const tree = w.tree;
      error = undefined;
      if (w.install?.state === "failed" && w.install.version === c.version) {
        const e = makeError(`cannot install version ${c.version} into slot ${other}: ${w.install.error}`, {
          retryCondition: "bump retry_update (or send another version) to try again",
          source: source(c),
          now: new Date(w.now),
        });
        record = failedRecord(record, other, c.version, retry, e, false);
        actions.push({ kind: "saveRecord", record });
        userStatus = "FAILED";
        subStatusStr = `${c.version} was refused: not installed`;
        error = e;
      } else if (w.install?.state === "running") {
        userStatus = "UPDATING";
        subStatus = "UPDATE_INITIALIZING";
        subStatusStr = `installing ${c.version} into slot ${other}`;
      } else if (tree?.state === "VERIFIED" || tree?.state === "LOADED") {
        if (w.blobPath) {
          userStatus = "DOWNLOAD_DONE";
          subStatus = "UPDATE_INITIALIZING";
          subStatusStr = `${c.version} downloaded and verified`;
          actions.push({
            kind: "install",
            slot: other,
            path: w.blobPath,
            version: c.version,
            retryCounter: retry,
          });
        }
      } else {
        userStatus = "DOWNLOADING";
        subStatus = tree?.state === "VERIFYING" ? "VERIFY_INPROGRESS" : "DOWNLOAD_INPROGRESS";
        progress = tree?.progress ?? 0;
        subStatusStr =
          subStatus === "VERIFY_INPROGRESS"
            ? `verifying ${c.version}`
            : `downloading ${c.version}: ${progress}%`;
        if (tree?.error) {
          userStatus = "FAILED";
          subStatusStr = `download of ${c.version} failed`;
          error = tree.error;
        }
      }
    }
  }

  // The slot the update is about: the one under test, else the one holding the last outcome's version,
  // else the one an update would go to.
  const lastSlot = (["A", "B"] as const).find(
    (s) => record.last && record.slots[s].version === record.last.version,
  );
  const updateSlot: Slot = trying ?? (underWay ? other : (lastSlot ?? other));
  const statuses = new Map<Slot, BaseOsStatus>();
  for (const slot of ["A", "B"] as const) {
    const r = record.slots[slot];
    const mine = slot === updateSlot;
    const e = mine ? error : undefined;
    const prevError = w.prev.get(slot)?.error;
    statuses.set(slot, {
      slot,
      version: r.version,
      partitionState: r.state,
      activated: slot === w.booted,
      userStatus: mine ? userStatus : "NONE",
      subStatus: mine ? subStatus : "NONE_SUBSTATUS",
      subStatusStr: mine ? subStatusStr : "",
      progress: mine ? progress : 0,
      ...(e ? { error: stableError(prevError, e) as ErrorInfo } : {}),
      updateCounter: record.updateCounter,
    });
  }
  return { statuses, wantTree, actions, wakeAt };
}

/** After a successful install: the slot is "updating", the counter bumped (the executor saves it). */
export function installedRecord(r: SlotsRecord, slot: Slot, version: string, retryCounter = 0): SlotsRecord {
  return {
    ...r,
    slots: { ...r.slots, [slot]: { version, state: "updating" } },
    updateCounter: r.updateCounter + 1,
    installRetry: retryCounter,
    last: undefined,
  };
}
