// What the controller's config items (zedagent's ConfigItemValueMap) change in newlogd, over the
// defaults from the flags. Pure. Names are EVE's where EVE has the setting (README, Config items).
import type { ConfigItemValueMap } from "@outpost/types";

export interface Settings {
  /** A batch closes when its lines reach this many bytes (JSON, before gzip). */
  batchMaxBytes: number;
  /** ... or when its first line is this old. */
  batchMaxMs: number;
  /** Total size of persist/newlog/: the oldest closed batches go first. */
  budgetBytes: number;
  /** Per source: sustained lines per second and the burst above it. */
  rateLinesPerSec: number;
  rateBurst: number;
  /** Remote log levels: default for agents, per agent, syslog, kernel. */
  defaultLevel: string;
  agentLevels: Record<string, string>;
  syslogLevel: string;
  kernelLevel: string;
}

export const ITEM = {
  budgetMb: "newlog.gzipfiles.ondisk.maxmegabytes",
  fastUpload: "newlog.allow.fastupload",
  batchMaxBytes: "newlog.batch.maxbytes",
  batchMaxSeconds: "newlog.batch.maxseconds",
  rateLinesPerSec: "newlog.source.maxlinespersec",
  rateBurst: "newlog.source.burst",
  defaultLevel: "debug.default.remote.loglevel",
  syslogLevel: "debug.syslog.remote.loglevel",
  kernelLevel: "debug.kernel.remote.loglevel",
} as const;

/** EVE's batch timeout with newlog.allow.fastupload (10 s instead of its default 300 s). */
export const FAST_UPLOAD_MS = 10_000;
const AGENT_LEVEL = /^debug\.([A-Za-z0-9_-]+)\.remote\.loglevel$/;
const NOT_AGENTS = new Set(["default", "syslog", "kernel"]);

/** Only values the controller set count: a default zedagent fills in is zedagent's idea of a
 * default, and the flags are newlogd's. */
function configured(items: ConfigItemValueMap | undefined, key: string): string | undefined {
  const it = items?.items[key];
  if (!it || it.source === "default" || it.source === "invalid") return undefined;
  return it.configured ?? it.value;
}

function positive(v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= min ? n : undefined;
}

export function settingsFrom(defaults: Settings, items: ConfigItemValueMap | undefined): Settings {
  const s: Settings = { ...defaults, agentLevels: { ...defaults.agentLevels } };
  const mb = positive(configured(items, ITEM.budgetMb));
  if (mb !== undefined) s.budgetBytes = Math.floor(mb * 1024 * 1024);
  if (configured(items, ITEM.fastUpload) === "true") s.batchMaxMs = FAST_UPLOAD_MS;
  const secs = positive(configured(items, ITEM.batchMaxSeconds));
  if (secs !== undefined) s.batchMaxMs = secs * 1000;
  const bytes = positive(configured(items, ITEM.batchMaxBytes), 1024);
  if (bytes !== undefined) s.batchMaxBytes = Math.floor(bytes);
  const rate = positive(configured(items, ITEM.rateLinesPerSec));
  if (rate !== undefined) s.rateLinesPerSec = rate;
  const burst = positive(configured(items, ITEM.rateBurst));
  if (burst !== undefined) s.rateBurst = burst;
  s.defaultLevel = configured(items, ITEM.defaultLevel) ?? s.defaultLevel;
  s.syslogLevel = configured(items, ITEM.syslogLevel) ?? s.syslogLevel;
  s.kernelLevel = configured(items, ITEM.kernelLevel) ?? s.kernelLevel;
  for (const key of Object.keys(items?.items ?? {})) {
    const m = AGENT_LEVEL.exec(key);
    if (!m || NOT_AGENTS.has(m[1] as string)) continue;
    const v = configured(items, key);
    if (v !== undefined) s.agentLevels[m[1] as string] = v;
  }
  return s;
}

export type SourceKind = "agent" | "syslog" | "kernel" | "app";

/** The remote log level that applies to a line from `source` of `kind`. Apps are not filtered. */
export function levelFor(s: Settings, kind: SourceKind, source: string): string | undefined {
  if (kind === "syslog") return s.syslogLevel;
  if (kind === "kernel") return s.kernelLevel;
  if (kind === "agent") return s.agentLevels[source] ?? s.defaultLevel;
  return undefined;
}
