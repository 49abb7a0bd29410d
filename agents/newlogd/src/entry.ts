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

/** One JSON line (with its "\n"), exactly as EVE's newlogd writes it. Byte for byte what
 * `JSON.stringify` of an object with these fields in this order gives (the test compares the two);
 * written out by hand because it runs for every line and a generic stringify of nested objects was
 * the largest part of newlogd's own per-line work (README "Performance"). */
export function encodeEntry(e: LogEntry, msgid: number): string {
  let s = "";
  if (e.severity) s += `,"severity":${JSON.stringify(e.severity)}`;
  if (e.source) s += `,"source":${JSON.stringify(e.source)}`;
  if (e.iid) s += `,"iid":${JSON.stringify(e.iid)}`;
  if (e.content) s += `,"content":${JSON.stringify(e.content)}`;
  if (msgid) s += `,"msgid":${jsonNumber(msgid)}`;
  if (e.tags && Object.keys(e.tags).length > 0) s += `,"tags":${JSON.stringify(e.tags)}`;
  const seconds = Math.floor(e.timeMs / 1000);
  const nanos = Math.round((e.timeMs - seconds * 1000) * 1e6) + (e.subMsNanos ?? 0);
  let ts = "";
  if (seconds) ts += `,"seconds":${jsonNumber(seconds)}`;
  if (nanos) ts += `,"nanos":${jsonNumber(nanos)}`;
  s += `,"timestamp":{${ts.slice(1)}}`;
  if (e.filename) s += `,"filename":${JSON.stringify(e.filename)}`;
  if (e.function) s += `,"function":${JSON.stringify(e.function)}`;
  return `{${s.slice(1)}}\n`;
}

/** A number as JSON writes it (non-finite ones are null). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}
