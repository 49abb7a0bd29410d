// One /dev/kmsg record ("<prio>,<seq>,<usec since boot>,<flags>[,...];<text>\n[ KEY=value\n...]") as
// a LogEntry. Pure. The kernel's own documentation: Documentation/ABI/testing/dev-kmsg.
import { type LogEntry, SYSLOG_SEVERITY } from "./entry.js";
import { FACILITIES } from "./syslog.js";

export interface KmsgRecord {
  seq: number;
  entry: LogEntry;
}

/** `bootMs`: the wall-clock time of boot (now - uptime), to date the record. */
export function parseKmsg(record: string, bootMs: number): KmsgRecord | undefined {
  const semi = record.indexOf(";");
  if (semi < 0) return undefined;
  const fields = record.slice(0, semi).split(",");
  const prio = Number(fields[0]);
  const seq = Number(fields[1]);
  const usec = Number(fields[2]);
  if (!Number.isInteger(prio) || !Number.isInteger(seq) || !Number.isFinite(usec)) return undefined;
  const text = record.slice(semi + 1).split("\n")[0] ?? "";
  const facility = prio >> 3;
  return {
    seq,
    entry: {
      severity: SYSLOG_SEVERITY[prio & 7] ?? "info",
      source: "kernel",
      content: unescapeKmsg(text),
      timeMs: bootMs + Math.floor(usec / 1000),
      subMsNanos: (usec % 1000) * 1000,
      tags: { facility: FACILITIES[facility] ?? String(facility), seq: String(seq) },
    },
  };
}

/** The kernel escapes non-printable bytes as \xNN. */
function unescapeKmsg(s: string): string {
  return s.replace(/\\x([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}
