// The node's CPU, memory and disk for the heartbeat, from /proc and statfs (read off the main loop).
import { readFile, statfs } from "node:fs/promises";
import type { Resources } from "@outpost/mqttedge";

export class ResourceSampler {
  private last: { busy: number; total: number } | undefined;

  constructor(private readonly diskPath: string) {}

  async sample(): Promise<Resources> {
    const [stat, mem, fs] = await Promise.all([
      readFile("/proc/stat", "utf8"),
      readFile("/proc/meminfo", "utf8"),
      statfs(this.diskPath),
    ]);
    const cpu = (stat.split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    const now = { busy: total - idle, total };
    const prev = this.last;
    this.last = now;
    const cpuPercent =
      prev && now.total > prev.total ? ((now.busy - prev.busy) / (now.total - prev.total)) * 100 : 0;
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(mem)?.[1] ?? 0) * 1024;
    const memTotal = kib("MemTotal");
    return {
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      memoryTotalBytes: memTotal,
      memoryUsedBytes: memTotal - kib("MemAvailable"),
      diskTotalBytes: fs.blocks * fs.bsize,
      diskUsedBytes: (fs.blocks - fs.bfree) * fs.bsize,
    };
  }
}
