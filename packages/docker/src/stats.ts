// CPU and memory figures from one `docker stats` sample (stream=false: the engine fills precpu_stats
// from its previous sample, so one call gives a rate).

export interface ContainerUsage {
  /** Percent of one CPU (200 = two CPUs busy), as `docker stats` shows it. */
  cpuPercent: number;
  /** CPU time the container used since it started, in ns (cgroup cpuacct; `cpu_usage.total_usage`). */
  cpuTotalNs: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

export interface RawStats {
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: {
    cpu_usage?: { total_usage?: number };
    system_cpu_usage?: number;
  };
  memory_stats?: {
    usage?: number;
    limit?: number;
    stats?: Record<string, number | undefined>;
  };
}

/** Pure: the same arithmetic as the docker CLI (memory excludes the page cache, as `docker stats`). */
export function usageFromStats(s: RawStats): ContainerUsage {
  const cpu = s.cpu_stats;
  const pre = s.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent =
    pre?.system_cpu_usage && sysDelta > 0 && cpuDelta >= 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0;
  const mem = s.memory_stats;
  const st = mem?.stats ?? {};
  // cgroup v1 reports page cache as total_inactive_file/cache; cgroup v2 as inactive_file.
  const cache = st.total_inactive_file ?? st.inactive_file ?? st.cache ?? 0;
  const usage = mem?.usage ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    cpuTotalNs: cpu?.cpu_usage?.total_usage ?? 0,
    memoryBytes: Math.max(0, usage - (cache < usage ? cache : 0)),
    memoryLimitBytes: mem?.limit ?? 0,
  };
}
