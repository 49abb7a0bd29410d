// ZMetricMsg: device CPU (/proc/stat), memory, disk, network (systeminformation, loaded only when first
// needed) and per-app CPU/memory from domainmgr's DomainMetric. Best effort: a failing probe leaves its
// part out. Units are EVE's: appCpuMetric `total`/`systemTotal` are CPU seconds used since boot (device)
// or since the container started (app), `total_ns` the same in nanoseconds; memory in MiB.
import { readFile } from "node:fs/promises";
import type { eve } from "@outpost/evecloud";
import type { AppInstanceStatus, DomainMetric } from "@outpost/types";

type Si = typeof import("systeminformation");
let si: Si | undefined;

function ts(ms: number) {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

const MB = 2 ** 20;

/** /proc/stat counts in USER_HZ ticks, which the kernel fixes at 100 per second for user space on every
 * architecture Outpost runs on (sysconf(_SC_CLK_TCK), `getconf CLK_TCK`). */
export const USER_HZ = 100;

export interface ProcStatCpu {
  /** CPU time spent not idle, all CPUs, since boot: user + nice + system + irq + softirq + steal. */
  busyTicks: number;
  systemTicks: number;
  /** Boot time, ms since the epoch (`btime`). */
  bootMs: number;
}

/** Pure: the aggregate `cpu` line and `btime` of /proc/stat. Guest time is already inside user/nice,
 * and iowait is idle time, so neither is added. */
export function parseProcStat(text: string): ProcStatCpu {
  const cpu = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  const btime = /^btime\s+(\d+)$/m.exec(text)?.[1];
  if (!cpu || cpu.length < 7 || cpu.some((n) => !Number.isFinite(n)) || !btime)
    throw new Error("/proc/stat: no aggregate cpu line or btime");
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return {
    busyTicks: user + nice + system + irq + softirq + steal,
    systemTicks: system,
    bootMs: Number(btime) * 1000,
  };
}

/** EVE's device cpuMetric from /proc/stat: CPU seconds used since boot, and the boot time. */
export function deviceCpuMetric(p: ProcStatCpu): eve.metrics.appCpuMetric.$Properties {
  return {
    upTime: ts(p.bootMs),
    total: Math.floor(p.busyTicks / USER_HZ),
    systemTotal: Math.floor(p.systemTicks / USER_HZ),
    total_ns: p.busyTicks * (1e9 / USER_HZ),
  };
}

/** EVE's app cpu from Docker's cumulative `cpu_usage.total_usage` (ns since the container started). */
export function appCpuMetric(
  cpuTotalNs: number,
  bootTime: string | undefined,
): eve.metrics.appCpuMetric.$Properties {
  return {
    total: Math.floor(cpuTotalNs / 1e9),
    total_ns: cpuTotalNs,
    upTime: bootTime ? ts(Date.parse(bootTime)) : undefined,
  };
}

export async function collectMetrics(
  devId: string,
  root: string,
  apps: Iterable<[string, DomainMetric]>,
  appStatus: (uuid: string) => AppInstanceStatus | undefined,
  lastConfigAt: number | undefined,
): Promise<eve.metrics.ZMetricMsg.$Properties> {
  si ??= (await import("systeminformation")).default as unknown as Si;
  const s = si;
  const [stat, mem, fs, net] = await Promise.all([
    readFile("/proc/stat", "utf8")
      .then(parseProcStat)
      .catch(() => undefined),
    s.mem().catch(() => undefined),
    s.fsSize().catch(() => undefined),
    s.networkStats("*").catch(() => undefined),
  ]);
  const dm: eve.metrics.deviceMetric.$Properties = {};
  if (mem)
    dm.memory = {
      usedMem: Math.round((mem.total - mem.available) / MB),
      availMem: Math.round(mem.available / MB),
      usedPercentage: (100 * (mem.total - mem.available)) / mem.total,
      availPercentage: (100 * mem.available) / mem.total,
    };
  if (stat) dm.cpuMetric = deviceCpuMetric(stat);
  if (fs)
    dm.disk = fs
      .filter((f) => root.startsWith(f.mount) || f.mount === "/")
      .slice(0, 4)
      .map((f) => ({
        disk: f.fs,
        mountPath: f.mount,
        total: Math.round(f.size / MB),
        used: Math.round(f.used / MB),
        free: Math.round(Math.max(0, f.size - f.used) / MB),
      }));
  if (net)
    dm.network = net.map((n) => ({
      iName: n.iface,
      txBytes: n.tx_bytes,
      rxBytes: n.rx_bytes,
      txDrops: n.tx_dropped,
      rxDrops: n.rx_dropped,
      txErrors: n.tx_errors,
      rxErrors: n.rx_errors,
    }));
  if (lastConfigAt) dm.last_processed_config = ts(lastConfigAt);
  const am: eve.metrics.appMetric.$Properties[] = [];
  for (const [uuid, m] of apps) {
    const st = appStatus(uuid);
    am.push({
      AppID: uuid,
      AppName: st?.displayName ?? "",
      appVersion: st?.version ?? "",
      cpu: appCpuMetric(m.cpuTotalNs, st?.bootTime),
      memory: {
        usedMem: Math.round(m.memoryBytes / MB),
        availMem: m.memoryLimitBytes ? Math.round(Math.max(0, m.memoryLimitBytes - m.memoryBytes) / MB) : 0,
        usedPercentage: m.memoryLimitBytes ? (100 * m.memoryBytes) / m.memoryLimitBytes : 0,
      },
      appMemory: { usedMB: Math.round(m.memoryBytes / MB), allocatedMB: Math.round(m.memoryLimitBytes / MB) },
    });
  }
  return { devID: devId, atTimeStamp: ts(Date.now()), dm, am };
}
