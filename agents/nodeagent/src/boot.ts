// Which boot this is, and why it happened. Three files under persist/nodeagent/:
//   boot.json          the current boot: its id, count, reason (rewritten once per boot)
//   reboot-reason.json written just before nodeagent hands a reboot/shutdown to the backend
//   clean-stop         written when nodeagent stops in order (SIGTERM); removed at every start
//   counters.json      the controller's counters recorded in this boot (a restarted nodeagent goes on)
// At a new boot: a recorded reason wins (REBOOT_CMD, UPDATE, ...); else a clean stop nobody asked
// nodeagent for is UNKNOWN; else nothing stopped in order: POWER_FAIL (power cut, kill -9 of all).
// decideBoot() is the pure part; readBootFiles()/commitBoot() do the I/O (run off the main loop).
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileDurable } from "@outpost/primitives";
import { BootReasonCodec, DeviceOpCodec, decodeJson, type Infer, t } from "@outpost/types";
import type { BootFacts, RebootRecord } from "./plan.js";

export const BootFileCodec = t.object(
  {
    bootId: t.string,
    bootCount: t.integer,
    bootedAt: t.string,
    bootReason: BootReasonCodec,
    lastRebootReason: t.string,
    lastRebootTime: t.optional(t.string),
  },
  "NodeAgentBoot",
);
export type BootFile = Infer<typeof BootFileCodec>;

export const RebootRecordCodec = t.object(
  {
    op: DeviceOpCodec,
    reason: BootReasonCodec,
    requester: t.string,
    detail: t.string,
    time: t.string,
    slot: t.optional(t.string),
  },
  "RebootRecord",
);
export const CleanStopCodec = t.object({ time: t.string }, "CleanStop");

export interface BootInputs {
  bootId: string;
  prev?: BootFile;
  record?: RebootRecord;
  cleanStop?: { time: string };
  /** The slot outpost-boot booted (run/boot-slot), when the node has slots. */
  bootedSlot?: string;
  /** A file that was there but unreadable: said in the reason rather than ignored. */
  problems: string[];
}

export interface BootDecision {
  boot: BootFile;
  /** false: nodeagent restarted within the same boot (the watchdog, a crash). */
  newBoot: boolean;
}

export function decideBoot(i: BootInputs, now: Date): BootDecision {
  if (i.prev && i.prev.bootId === i.bootId) return { boot: i.prev, newBoot: false };
  const bootCount = i.prev ? i.prev.bootCount + 1 : 0;
  const base = { bootId: i.bootId, bootCount, bootedAt: now.toISOString() };
  const note = i.problems.length ? ` (${i.problems.join("; ")})` : "";
  let boot: BootFile;
  const r = i.record;
  if (r?.slot && i.bootedSlot && r.slot !== i.bootedSlot)
    // The reboot was to boot another slot (an update) and this one runs: that slot did not start and
    // the boot selector fell back (its one try was consumed).
    boot = {
      ...base,
      bootReason: "FALLBACK",
      lastRebootReason: `slot ${r.slot} did not start (${r.detail}): the node booted slot ${i.bootedSlot} again${note}`,
      lastRebootTime: r.time,
    };
  else if (i.record)
    boot = {
      ...base,
      bootReason: i.record.reason,
      lastRebootReason: `${i.record.detail}${i.cleanStop ? "" : "; the stop was not clean"}${note}`,
      lastRebootTime: i.record.time,
    };
  else if (!i.prev && !i.cleanStop)
    boot = { ...base, bootReason: "FIRST", lastRebootReason: `first boot of this node${note}` };
  else if (i.cleanStop)
    boot = {
      ...base,
      bootReason: "UNKNOWN",
      lastRebootReason: `orderly stop that nodeagent was not asked for (outpost-boot stop, a system shutdown)${note}`,
      lastRebootTime: i.cleanStop.time,
    };
  else
    boot = {
      ...base,
      bootReason: "POWER_FAIL",
      lastRebootReason: `unclean stop (power cut, or every process killed): nothing stopped in order${note}`,
      // When it went down is unknown; when it came back is what can be said.
      lastRebootTime: now.toISOString(),
    };
  return { boot, newBoot: true };
}

export function bootFacts(b: BootFile): BootFacts {
  return {
    bootReason: b.bootReason,
    lastRebootReason: b.lastRebootReason,
    ...(b.lastRebootTime ? { lastRebootTime: b.lastRebootTime } : {}),
    bootedAt: b.bootedAt,
    restartCounter: b.bootCount,
  };
}

export const files = (dir: string) => ({
  boot: join(dir, "boot.json"),
  record: join(dir, "reboot-reason.json"),
  cleanStop: join(dir, "clean-stop"),
  counters: join(dir, "counters.json"),
});

const CountersCodec = t.object(
  { bootId: t.string, reboot: t.optional(t.integer), shutdown: t.optional(t.integer) },
  "NodeAgentCounters",
);

/** The counters recorded in this boot by an earlier nodeagent process (none from another boot). */
export function readCounters(dir: string, bootId: string): Partial<Record<"reboot" | "shutdown", number>> {
  const problems: string[] = [];
  const c = readOptional(files(dir).counters, CountersCodec, problems);
  if (!c || c.bootId !== bootId) return {};
  return {
    ...(c.reboot !== undefined ? { reboot: c.reboot } : {}),
    ...(c.shutdown !== undefined ? { shutdown: c.shutdown } : {}),
  };
}

export function writeCounters(
  dir: string,
  bootId: string,
  c: Partial<Record<"reboot" | "shutdown", number>>,
): void {
  writeFileDurable(files(dir).counters, `${JSON.stringify({ bootId, ...c })}\n`);
}

/** The kernel's boot id plus the node's (run/boot-id, written by outpost-boot when it starts a node
 * from nothing): a reboot of the machine or a restart of the whole node both make a new boot, an
 * agent restarted by the watchdog does not. */
export function currentBootId(runDir: string): string {
  const read = (p: string) => {
    try {
      return readFileSync(p, "utf8").trim();
    } catch {
      return "";
    }
  };
  return `${read("/proc/sys/kernel/random/boot_id")}/${read(join(runDir, "boot-id"))}`;
}

function readOptional<T>(path: string, codec: t.Codec<T>, problems: string[]): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    problems.push(`${path}: ${(e as Error).message}`);
    return undefined;
  }
  try {
    return decodeJson(codec, text);
  } catch (e) {
    problems.push(`${path} unreadable: ${(e as Error).message}`);
    return undefined;
  }
}

export function readBootFiles(dir: string, bootId: string, runDir?: string): BootInputs {
  const f = files(dir);
  const problems: string[] = [];
  let bootedSlot: string | undefined;
  try {
    if (runDir) bootedSlot = readFileSync(join(runDir, "boot-slot"), "utf8").trim() || undefined;
  } catch {
    // A node without slots.
  }
  const prev = readOptional(f.boot, BootFileCodec, problems);
  const record = readOptional(f.record, RebootRecordCodec, problems);
  const cleanStop = readOptional(f.cleanStop, CleanStopCodec, problems);
  return {
    bootId,
    ...(prev ? { prev } : {}),
    ...(record ? { record } : {}),
    ...(cleanStop ? { cleanStop } : {}),
    ...(bootedSlot ? { bootedSlot } : {}),
    problems,
  };
}

/** boot.json first, then the consumed files go: a crash in between leaves the same boot id on disk,
 * so the next start reads it as the same boot and does not count it twice. */
export function commitBoot(dir: string, d: BootDecision): void {
  const f = files(dir);
  if (d.newBoot) writeFileDurable(f.boot, `${JSON.stringify(d.boot)}\n`);
  rmSync(f.record, { force: true });
  rmSync(f.cleanStop, { force: true });
}

export function writeRecord(dir: string, r: RebootRecord): void {
  writeFileDurable(files(dir).record, `${JSON.stringify(r)}\n`);
}

export function forgetRecord(dir: string): void {
  rmSync(files(dir).record, { force: true });
}

export function writeCleanStop(dir: string, now: Date): void {
  writeFileDurable(files(dir).cleanStop, `${JSON.stringify({ time: now.toISOString() })}\n`);
}
