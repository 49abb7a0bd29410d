// EVE's LogEntry and how newlogd writes it: Go encoding/json of the protobuf struct, so fields come in
// the struct's order and empty ones are left out (omitempty). README "Lines" is the contract.
import { severityRank } from "@outpost/types";

export interface LogEntry {
  severity: string;
  source: string;
  iid?: string;
  content: string;
  /** Assigned per stream when the line is written. */
  msgid?: number;
  tags?: Record<string, string>;
  /** ms since the epoch, plus sub-millisecond nanoseconds when the source gave them. */
  timeMs: number;
  subMsNanos?: number;
  filename?: string;
  function?: string;
}

/** Syslog severities 0..7 by number (RFC 5424 table 2), as EVE names them. */
export const SYSLOG_SEVERITY = [
  "emerg",
  "alert",
  "crit",
  "err",
  "warning",
  "notice",
  "info",
  "debug",
] as const;

/** A remote log level keeps a line when the line is at least that severe. "none" keeps nothing; an
 * unknown level keeps everything (a typo in the controller's config must not silence the device). */
export function passesLevel(severity: string, level: string): boolean {
  if (level === "none") return false;
  const max = severityRank(level);
  if (max === undefined) return true;
  const r = severityRank(severity);
  return r === undefined || r <= max;
}

/** One JSON line (with its "\n"), exactly as EVE's newlogd writes it. */
export function encodeEntry(e: LogEntry, msgid: number): string {
  const o: Record<string, unknown> = {};
  if (e.severity) o.severity = e.severity;
  if (e.source) o.source = e.source;
  if (e.iid) o.iid = e.iid;
  if (e.content) o.content = e.content;
  if (msgid) o.msgid = msgid;
  if (e.tags && Object.keys(e.tags).length > 0) o.tags = e.tags;
  const seconds = Math.floor(e.timeMs / 1000);
  const nanos = Math.round((e.timeMs - seconds * 1000) * 1e6) + (e.subMsNanos ?? 0);
  const ts: Record<string, number> = {};
  if (seconds) ts.seconds = seconds;
  if (nanos) ts.nanos = nanos;
  o.timestamp = ts;
  if (e.filename) o.filename = e.filename;
  if (e.function) o.function = e.function;
  return `${JSON.stringify(o)}\n`;
}
