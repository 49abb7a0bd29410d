// Shared figures for the benchmarks: percentiles (nearest rank), unit formatting, and one printed
// line per figure with its target beside it. Benchmarks print; they never assert a timing.
import { cpus, loadavg } from "node:os";

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (q in 0..1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    min: s[0] ?? Number.NaN,
    p50: percentile(s, 0.5),
    p90: percentile(s, 0.9),
    p99: percentile(s, 0.99),
    max: s.at(-1) ?? Number.NaN,
    mean: s.length ? sum / s.length : Number.NaN,
  };
}

/** A duration given in microseconds, in the unit that reads best. */
export function fmtUs(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  if (us < 10) return `${us.toFixed(2)} us`;
  if (us < 1000) return `${us.toFixed(1)} us`;
  if (us < 10_000) return `${(us / 1000).toFixed(2)} ms`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)} ms`;
  return `${(us / 1e6).toFixed(2)} s`;
}

export function fmtMs(ms: number): string {
  return fmtUs(ms * 1000);
}

export function fmtRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString("en-US")}/s`;
}

export function fmtBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "(target <= 200 us: met)" / "(target <= 200 us: MISSED)" — informational only. */
export function target(value: number, op: "<=" | ">=", limit: number, fmt: (v: number) => string): string {
  const met = op === "<=" ? value <= limit : value >= limit;
  return `(target ${op} ${fmt(limit)}: ${met ? "met" : "MISSED"})`;
}

/** One line: label, n, min / p50 / p90 / p99 / max of samples in the unit `fmt` prints. */
export function distLine(label: string, samples: readonly number[], fmt: (v: number) => string): string {
  const s = summarize(samples);
  return (
    `${label}: n=${s.n} min ${fmt(s.min)}  p50 ${fmt(s.p50)}  p90 ${fmt(s.p90)}  ` +
    `p99 ${fmt(s.p99)}  max ${fmt(s.max)}`
  );
}

/** min / median / max across repeated runs of one figure (each run gives one number). */
export function spreadLine(label: string, values: readonly number[], fmt: (v: number) => string): string {
  const s = summarize(values);
  return `${label}: runs=${s.n} min ${fmt(s.min)}  median ${fmt(s.p50)}  max ${fmt(s.max)}`;
}

/** Monotonic nanoseconds (CLOCK_MONOTONIC: the same clock in every process on this machine). */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

export function usSince(startNs: bigint, endNs: bigint = nowNs()): number {
  return Number(endNs - startNs) / 1000;
}

export function header(title: string): void {
  console.log(`\n# ${title}`);
}

/** Noise context: the machine is small and shared, so every benchmark prints what it ran on. */
export function machineLine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `node ${process.version}, ${cpus().length} cpu (${cpus()[0]?.model ?? "?"}), load ${load}`;
}
