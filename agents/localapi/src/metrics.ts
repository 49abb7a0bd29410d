// CPU and memory of the node's processes from /proc (agents) and of its app containers (domainmgr's
// DomainMetric, which comes from Docker stats), plus the device's totals. A sampler keeps the last
// two readings per process, so "recent %" is the CPU share between them.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on Linux). */
const USER_HZ = 100;

export interface ProcSample {
  pid: number;
  /** utime + stime, seconds. */
  cpuSeconds: number;
  at: number;
  rssBytes?: number;
  pssBytes?: number;
}

/** One reading of a process. PSS (smaps_rollup walks the page tables: milliseconds per process) only
 * when `withPss`: the sampler takes it, requests reuse the sampler's. */
export function sampleProcess(pid: number, now: number, withPss = true): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may hold spaces and parentheses: the fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const s: ProcSample = { pid, cpuSeconds: (utime + stime) / USER_HZ, at: now };
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (rss) s.rssBytes = Number(rss[1]) * 1024;
    if (withPss)
      try {
        const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
        if (pss) s.pssBytes = Number(pss[1]) * 1024;
      } catch {
        // smaps_rollup needs Linux 4.14 and the right to read it.
      }
    return s;
  } catch {
    return undefined;
  }
}

/** CPU % (of one CPU) between two samples of the same process. */
export function recentPercent(prev: ProcSample | undefined, cur: ProcSample): number | undefined {
  if (!prev || prev.pid !== cur.pid || cur.at <= prev.at) return undefined;
  return round1((100 * (cur.cpuSeconds - prev.cpuSeconds)) / ((cur.at - prev.at) / 1000));
}

export interface DeviceTotals {
  cpus: number;
  /** All CPUs' busy seconds since boot (user+nice+system+irq+softirq+steal). */
  cpuBusySeconds: number;
  cpuRecentPercent?: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  load1: number;
  uptimeSeconds: number;
}

interface CpuTimes {
  busy: number;
  total: number;
}

export function readCpuTimes(): CpuTimes & { cpus: number } {
  const text = readFileSync("/proc/stat", "utf8");
  const first = text.split("\n")[0] ?? "";
  const v = first.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  const busy = user + nice + system + irq + softirq + steal;
  const cpus = text.split("\n").filter((l) => /^cpu\d+ /.test(l)).length;
  return { busy: busy / USER_HZ, total: (busy + idle + iowait) / USER_HZ, cpus };
}

export function deviceTotals(prev: CpuTimes | undefined): { totals: DeviceTotals; cpu: CpuTimes } {
  const cpu = readCpuTimes();
  const mem = readFileSync("/proc/meminfo", "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(mem)?.[1] ?? 0) * 1024;
  const load = readFileSync("/proc/loadavg", "utf8").split(" ");
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const totals: DeviceTotals = {
    cpus: cpu.cpus,
    cpuBusySeconds: round1(cpu.busy),
    memTotalBytes: kb("MemTotal"),
    memAvailableBytes: kb("MemAvailable"),
    load1: Number(load[0]),
    uptimeSeconds: Math.round(uptime),
  };
  if (prev && cpu.total - prev.total >= 0.5)
    totals.cpuRecentPercent = round1((100 * (cpu.busy - prev.busy)) / (cpu.total - prev.total));
  return { totals, cpu: { busy: cpu.busy, total: cpu.total } };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
