// Which stored log lines an operator asked for (`ctl logs` filters, also applied to --follow):
// parsed once from the admin API's query string, then a pure predicate over stored records.
import { SEVERITY_RANK, severityRank } from "@outpost/types";
import type { ReportRecord } from "./store/index.js";

export interface LogQuery {
  app?: string;
  source?: string;
  severity?: { op: ">=" | "="; rank: number };
  /** RFC 3339 with 9 fractional digits, comparable with stored timestamps as strings. */
  since?: string;
  grep?: RegExp;
}

export class LogQueryError extends Error {}

/** "2026-01-02T03:04:05Z", or an age: "90s", "15m", "2h", "1d". */
export function parseSince(v: string, now: number): number {
  const age = /^(\d+)([smhd])$/.exec(v.trim());
  if (age) return now - Number(age[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[age[2] as "s"];
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new LogQueryError(`since: expected a time (RFC 3339) or an age like 15m, got "${v}"`);
  return t;
}

export function isoNanos(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

export function parseLogQuery(p: URLSearchParams, now = Date.now()): LogQuery {
  const q: LogQuery = {};
  const app = p.get("app");
  if (app) q.app = app;
  const source = p.get("source");
  if (source) q.source = source;
  const sev = p.get("severity");
  if (sev) {
    const m = /^(>=|=)?\s*([a-z]+)$/i.exec(sev.trim());
    const rank = m?.[2] ? severityRank(m[2]) : undefined;
    if (!m || rank === undefined)
      throw new LogQueryError(
        `severity: expected [>=|=]<level> with a level out of ${Object.keys(SEVERITY_RANK).join(", ")}, got "${sev}"`,
      );
    q.severity = { op: m[1] === "=" ? "=" : ">=", rank };
  }
  const since = p.get("since");
  if (since) q.since = isoNanos(parseSince(since, now));
  const grep = p.get("grep");
  if (grep) {
    if (grep.length > 256) throw new LogQueryError("grep: at most 256 characters");
    try {
      q.grep = new RegExp(grep);
    } catch (e) {
      throw new LogQueryError(`grep: ${(e as Error).message}`);
    }
  }
  return q;
}

interface EntryView {
  app?: string;
  source: string;
  severity: string;
  content: string;
  timestamp: string;
}

/** The fields a filter looks at, from a newlogs record (timestamp already RFC 3339) or a legacy
 * LogBundle one (timestamp as {seconds, nanos}). */
export function entryView(r: ReportRecord): EntryView {
  const v = (typeof r.value === "object" && r.value !== null ? r.value : {}) as Record<string, unknown>;
  let timestamp = "";
  if (typeof v.timestamp === "string") timestamp = v.timestamp;
  else if (typeof v.timestamp === "object" && v.timestamp !== null) {
    const t = v.timestamp as { seconds?: number; nanos?: number };
    const ms = Number(t.seconds ?? 0) * 1000;
    timestamp = `${new Date(ms).toISOString().slice(0, 19)}.${String(Number(t.nanos ?? 0)).padStart(9, "0")}Z`;
  }
  return {
    ...(r.key.startsWith("app/") ? { app: r.key.slice(4) } : {}),
    source: String(v.source ?? ""),
    severity: String(v.severity ?? ""),
    content: String(v.content ?? ""),
    timestamp,
  };
}

export function matchLog(q: LogQuery): (r: ReportRecord) => boolean {
  return (r) => {
    const e = entryView(r);
    if (q.app !== undefined && !(e.app ?? "").startsWith(q.app)) return false;
    if (q.source !== undefined && e.source !== q.source) return false;
    if (q.severity) {
      const rank = severityRank(e.severity);
      if (rank === undefined) return false;
      if (q.severity.op === "=" ? rank !== q.severity.rank : rank > q.severity.rank) return false;
    }
    if (q.since !== undefined && e.timestamp < q.since) return false;
    if (q.grep && !q.grep.test(e.content)) return false;
    return true;
  };
}
