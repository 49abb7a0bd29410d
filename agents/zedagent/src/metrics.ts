// ZMetricMsg: device CPU, memory, disk, network (systeminformation, loaded only when first needed)
// and per-app CPU/memory from domainmgr's DomainMetric. Best effort: a failing probe leaves its part out.
import type { eve } from "@outpost/evecloud";
import type { AppInstanceStatus, DomainMetric } from "@outpost/types";

type Si = typeof import("systeminformation");
let si: Si | undefined;

function ts(ms: number) {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

const MB = 2 ** 20;

export async function collectMetrics(
  devId: string,
  root: string,
  apps: Iterable<[string, DomainMetric]>,
  appStatus: (uuid: string) => AppInstanceStatus | undefined,
  lastConfigAt: number | undefined,
): Promise<eve.metrics.ZMetricMsg.$Properties> {
  si ??= (await import("systeminformation")).default as unknown as Si;
  const s = si;
  const [load, mem, fs, net, time] = await Promise.all([
    s.currentLoad().catch(() => undefined),
    s.mem().catch(() => undefined),
    s.fsSize().catch(() => undefined),
    s.networkStats("*").catch(() => undefined),
    Promise.resolve(s.time()),
  ]);
  const dm: eve.metrics.deviceMetric.$Properties = {};
  if (mem)
    dm.memory = {
      usedMem: Math.round((mem.total - mem.available) / MB),
      availMem: Math.round(mem.available / MB),
      usedPercentage: (100 * (mem.total - mem.available)) / mem.total,
      availPercentage: (100 * mem.available) / mem.total,
    };
  if (load) {
    const upMs = Date.now() - Number(time.uptime) * 1000;
    dm.cpuMetric = {
      upTime: ts(upMs),
      // EVE's total is CPU seconds used; we report the current load's share of the uptime window.
      total: Math.round(((load.currentLoad ?? 0) / 100) * Number(time.uptime)),
      systemTotal: Math.round(((load.currentLoadSystem ?? 0) / 100) * Number(time.uptime)),
    };
  }
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
      cpu: {
        total: Math.round(m.cpuPercent * 100) / 100,
        upTime: st?.bootTime ? ts(Date.parse(st.bootTime)) : undefined,
      },
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
