// What ZInfoDevice says about the machine, from node:os and the filesystem (no extra dependency),
// plus a restart counter kept under persist/zedagent/ that grows with each boot of the machine.
import { mkdirSync, readFileSync, renameSync, statfsSync } from "node:fs";
import { arch, cpus, hostname, totalmem, uptime } from "node:os";
import { join } from "node:path";
import { writeFileDurable } from "@outpost/primitives";
import type { DeviceFacts, Lifecycle } from "./info.js";

declare const OUTPOST_VERSION: string | undefined;
export const SOFTWARE_VERSION = typeof OUTPOST_VERSION === "string" ? OUTPOST_VERSION : "dev";

const MACHINE: Record<string, string> = { x64: "x86_64", arm64: "aarch64", arm: "armv7l" };

/** Boot time from /proc/stat (stable), else now - uptime. */
export function bootTimeIso(): string {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"));
    if (m?.[1]) return new Date(Number(m[1]) * 1000).toISOString();
  } catch {}
  return new Date(Math.round((Date.now() - uptime() * 1000) / 1000) * 1000).toISOString();
}

export interface RestartCount {
  counter: number;
  /** Set when the record could not be read: what happened and what was done about it. */
  error?: string;
}

/** Reads persist/zedagent/restart.json ({bootTime, counter}); throws when it is there but unreadable
 * or not such a record. Undefined when there is none yet. */
function readRecord(file: string): { bootTime: string; counter: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const v = JSON.parse(text) as { bootTime?: unknown; counter?: unknown };
  if (
    typeof v !== "object" ||
    v === null ||
    typeof v.bootTime !== "string" ||
    !Number.isSafeInteger(v.counter) ||
    (v.counter as number) < 0
  )
    throw new Error("not a {bootTime, counter} record");
  return { bootTime: v.bootTime, counter: v.counter as number };
}

/** Bumps the counter when the machine booted since the last record. A corrupt record is not taken
 * for "never booted before" in silence: it is kept as restart.json.corrupt for a look, the counter
 * starts again at 0, and the result says so (zedagent logs it and shows it on ZedAgentStatus). */
export function restartCounter(persistDir: string, boot: string): RestartCount {
  const file = join(persistDir, "restart.json");
  let prev = { bootTime: "", counter: 0 };
  let error: string | undefined;
  try {
    prev = readRecord(file) ?? prev;
  } catch (e) {
    error = `${file} is unreadable (${(e as Error).message}): the restart counter started again at 0`;
    try {
      renameSync(file, `${file}.corrupt`);
      error += `; the old file is kept as ${file}.corrupt`;
    } catch (re) {
      error += `; cannot keep the old file aside (${(re as Error).message})`;
    }
  }
  const withError = (counter: number): RestartCount => (error ? { counter, error } : { counter });
  if (prev.bootTime === boot) return withError(prev.counter);
  const next = { bootTime: boot, counter: prev.bootTime ? prev.counter + 1 : 0 };
  mkdirSync(persistDir, { recursive: true });
  writeFileDurable(file, JSON.stringify(next));
  return withError(next.counter);
}

export function deviceFacts(
  root: string,
  counter: number,
  rebootConfigCounter: number,
  life: Lifecycle,
): DeviceFacts {
  let storageBytes = 0;
  try {
    const s = statfsSync(root);
    storageBytes = s.blocks * s.bsize;
  } catch {}
  const machine = MACHINE[arch()] ?? arch();
  return {
    machineArch: machine,
    cpuArch: machine,
    platform: "outpost",
    ncpu: cpus().length,
    memoryBytes: totalmem(),
    storageBytes,
    bootTime: bootTimeIso(),
    hostname: hostname(),
    softwareVersion: SOFTWARE_VERSION,
    restartCounter: counter,
    rebootConfigCounter,
    life,
  };
}
