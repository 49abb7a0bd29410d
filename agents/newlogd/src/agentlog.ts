// An Outpost agent's log line (pino JSON from agentbase's logger) as a LogEntry. Pure.
import type { LogEntry } from "./entry.js";

const PINO_LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warning",
  50: "error",
  60: "fatal",
};

const OWN_FIELDS = new Set(["level", "time", "agent", "pid", "msg", "hostname"]);

/** `fallbackSource` is the file's agent (a line without "agent" is still that agent's). Undefined
 * when the line is not a JSON object (a torn or foreign line): counted as malformed. */
export function parseAgentLine(line: string, fallbackSource: string): LogEntry | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) return undefined;
  const r = o as Record<string, unknown>;
  const level = typeof r.level === "number" ? (PINO_LEVELS[r.level] ?? "info") : "info";
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    if (OWN_FIELDS.has(k) || v === undefined) continue;
    tags[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const e: LogEntry = {
    severity: level,
    source: typeof r.agent === "string" && r.agent ? r.agent : fallbackSource,
    content: typeof r.msg === "string" ? r.msg : "",
    timeMs: typeof r.time === "number" && Number.isFinite(r.time) ? r.time : Date.now(),
  };
  if (typeof r.pid === "number") e.iid = String(r.pid);
  if (Object.keys(tags).length > 0) e.tags = tags;
  return e;
}
