// What ZInfoDevice says about the machine, from node:os and the filesystem (no extra dependency),
// plus a restart counter kept under persist/zedagent/ that grows with each boot of the machine.
import { existsSync, mkdirSync, readFileSync, statfsSync } from "node:fs";
import { arch, cpus, hostname, totalmem, uptime } from "node:os";
import { join } from "node:path";
import { writeFileDurable } from "@outpost/primitives";
import type { DeviceFacts } from "./info.js";

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

/** Bumps the counter when the machine booted since the last record. */
export function restartCounter(persistDir: string, boot: string): number {
  const file = join(persistDir, "restart.json");
  let prev = { bootTime: "", counter: 0 };
  try {
    if (existsSync(file)) prev = JSON.parse(readFileSync(file, "utf8")) as typeof prev;
  } catch {}
  if (prev.bootTime === boot) return prev.counter;
  const next = { bootTime: boot, counter: prev.bootTime ? prev.counter + 1 : 0 };
  mkdirSync(persistDir, { recursive: true });
  writeFileDurable(file, JSON.stringify(next));
  return next.counter;
}

export function deviceFacts(root: string, counter: number, rebootConfigCounter: number): DeviceFacts {
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
  };
}
