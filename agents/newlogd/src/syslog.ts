// Syslog messages (RFC 3164 and RFC 5424) as LogEntries, and the framing of syslog over a stream
// (RFC 6587: octet counting, or one message per line / per NUL). Pure.
import { type LogEntry, SYSLOG_SEVERITY } from "./entry.js";

/** Facility names by number (RFC 5424 table 1, the names syslog.h uses). */
export const FACILITIES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "security",
  "console",
  "solaris-cron",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
] as const;

export interface SyslogMessage {
  format: "rfc3164" | "rfc5424";
  facility: number;
  severity: number;
  /** ms since the epoch from the message (RFC 5424 only: RFC 3164 has no year nor zone). */
  timeMs?: number;
  subMsNanos?: number;
  hostname?: string;
  tag?: string;
  pid?: string;
  msgid?: string;
  /** RFC 5424 STRUCTURED-DATA: element id -> param -> value. */
  sd?: Record<string, Record<string, string>>;
  content: string;
}

const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec";
const RFC3164_TIME = /^([A-Z][a-z]{2}) ([ 0-9][0-9]) ([0-9]{2}):([0-9]{2}):([0-9]{2}) /;
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]{1,32})\])?:$/;

/** Parses one message (without its framing). Undefined when there is no valid <PRI>: malformed.
 * Runs for every syslog line, so the PRI and the framing are read by hand (same rules as the
 * patterns they replace: `<` 1-3 digits `>`, trailing CR/LF/NUL dropped). */
export function parseSyslog(raw: string): SyslogMessage | undefined {
  if (raw.charCodeAt(0) !== 0x3c) return undefined; // <
  let pri = 0;
  let i = 1;
  for (; i <= 4 && i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    pri = pri * 10 + (c - 0x30);
  }
  if (i === 1 || i > 4 || raw.charCodeAt(i) !== 0x3e) return undefined; // 1-3 digits, then >
  if (pri > 191) return undefined;
  let end = raw.length;
  for (;;) {
    const c = raw.charCodeAt(end - 1);
    if (end > i + 1 && (c === 0x0a || c === 0x0d || c === 0x00)) end--;
    else break;
  }
  const rest = raw.slice(i + 1, end);
  const facility = pri >> 3;
  const severity = pri & 7;
  if (rest.startsWith("1 ")) {
    const r = parse5424(rest.slice(2));
    if (r) return { format: "rfc5424", facility, severity, ...r };
  }
  return parse3164(facility, severity, rest);
}

function parse3164(facility: number, severity: number, s: string): SyslogMessage {
  let rest = s;
  const t = RFC3164_TIME.exec(rest);
  if (t && MONTHS.includes(t[1] as string)) rest = rest.slice(t[0].length);
  // "[HOSTNAME ]TAG[PID]: MSG". Over /dev/log the hostname is usually left out; a first word that
  // is a tag is taken as the tag, else a second word that is one makes the first the hostname.
  const sp1 = rest.indexOf(" ");
  const w0 = sp1 < 0 ? rest : rest.slice(0, sp1);
  const first = TAG.exec(w0);
  if (first) return withTag(facility, severity, undefined, first, rest.slice(w0.length + 1));
  if (sp1 >= 0) {
    const sp2 = rest.indexOf(" ", sp1 + 1);
    const w1 = sp2 < 0 ? rest.slice(sp1 + 1) : rest.slice(sp1 + 1, sp2);
    const second = TAG.exec(w1);
    if (second) return withTag(facility, severity, w0, second, rest.slice(w0.length + w1.length + 2));
  }
  return { format: "rfc3164", facility, severity, content: rest };
}

function withTag(
  facility: number,
  severity: number,
  hostname: string | undefined,
  t: RegExpExecArray,
  content: string,
): SyslogMessage {
  const out: SyslogMessage = { format: "rfc3164", facility, severity, tag: t[1] as string, content };
  if (hostname !== undefined) out.hostname = hostname;
  if (t[2] !== undefined) out.pid = t[2];
  return out;
}

/** "TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]" after "<PRI>1 ". */
function parse5424(s: string): Omit<SyslogMessage, "format" | "facility" | "severity"> | undefined {
  const parts: string[] = [];
  let i = 0;
  for (let n = 0; n < 5; n++) {
    const sp = s.indexOf(" ", i);
    if (sp < 0) return undefined;
    parts.push(s.slice(i, sp));
    i = sp + 1;
  }
  const [ts, host, app, procid, msgid] = parts as [string, string, string, string, string];
  const sd = parseSd(s, i);
  if (!sd) return undefined;
  let content = s.slice(sd.end).replace(/^ /, "");
  if (content.startsWith("\uFEFF")) content = content.slice(1);
  const out: Omit<SyslogMessage, "format" | "facility" | "severity"> = { content };
  if (ts !== "-") {
    const time = parseIsoTime(ts);
    if (!time) return undefined;
    out.timeMs = time.ms;
    if (time.subMsNanos) out.subMsNanos = time.subMsNanos;
  }
  if (host !== "-") out.hostname = host;
  if (app !== "-") out.tag = app;
  if (procid !== "-") out.pid = procid;
  if (msgid !== "-") out.msgid = msgid;
  if (Object.keys(sd.elements).length > 0) out.sd = sd.elements;
  return out;
}

/** STRUCTURED-DATA at `start`: "-" or one or more [id param="value"...]; values escape \" \\ \]. */
function parseSd(
  s: string,
  start: number,
): { elements: Record<string, Record<string, string>>; end: number } | undefined {
  const elements: Record<string, Record<string, string>> = {};
  if (s[start] === "-") return { elements, end: start + 1 };
  let i = start;
  if (s[i] !== "[") return undefined;
  while (s[i] === "[") {
    i++;
    const idEnd = s.slice(i).search(/[ \]]/);
    if (idEnd <= 0) return undefined;
    const id = s.slice(i, i + idEnd);
    i += idEnd;
    const params: Record<string, string> = {};
    while (s[i] === " ") {
      i++;
      const eq = s.indexOf("=", i);
      if (eq < 0 || s[eq + 1] !== '"') return undefined;
      const name = s.slice(i, eq);
      i = eq + 2;
      let value = "";
      for (;;) {
        const c = s[i];
        if (c === undefined) return undefined;
        if (c === "\\" && (s[i + 1] === '"' || s[i + 1] === "\\" || s[i + 1] === "]")) {
          value += s[i + 1];
          i += 2;
          continue;
        }
        i++;
        if (c === '"') break;
        value += c;
      }
      params[name] = value;
    }
    if (s[i] !== "]") return undefined;
    i++;
    elements[id] = params;
  }
  return { elements, end: i };
}

/** RFC 3339 with up to nanosecond fractions; Date.parse alone loses everything below the ms. */
function parseIsoTime(ts: string): { ms: number; subMsNanos: number } | undefined {
  const m =
    /^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})$/.exec(
      ts,
    );
  if (!m) return undefined;
  const frac = (m[2] ?? "").padEnd(9, "0");
  const ms = Date.parse(`${m[1]}.${frac.slice(0, 3)}${m[3]}`);
  if (!Number.isFinite(ms)) return undefined;
  return { ms, subMsNanos: Number(frac.slice(3)) };
}

/** The LogEntry of a parsed message; `receivedMs` dates RFC 3164 messages and undated ones. */
export function syslogEntry(m: SyslogMessage, receivedMs: number): LogEntry {
  const tags: Record<string, string> = { facility: FACILITIES[m.facility] ?? String(m.facility) };
  if (m.hostname) tags.hostname = m.hostname;
  if (m.msgid) tags.msgid = m.msgid;
  if (m.sd)
    for (const [id, params] of Object.entries(m.sd)) {
      const names = Object.keys(params);
      if (names.length === 0) tags[`sd.${id}`] = "";
      for (const p of names) tags[`sd.${id}.${p}`] = params[p] as string;
    }
  const e: LogEntry = {
    severity: SYSLOG_SEVERITY[m.severity] ?? "info",
    source: m.tag ?? "syslog",
    content: m.content,
    timeMs: m.timeMs ?? receivedMs,
    tags,
  };
  if (m.subMsNanos) e.subMsNanos = m.subMsNanos;
  if (m.pid) e.iid = m.pid;
  return e;
}

/** Splits syslog over a stream (unix stream socket, TCP) into messages. RFC 6587: a frame that
 * starts with a digit is octet-counted ("LEN SP MSG"); otherwise a message ends at "\n" or NUL (glibc's
 * syslog(3) ends each with NUL, util-linux logger with "\n"). Keeps the unfinished tail. */
export class StreamFramer {
  private buf = "";
  /** Bytes buffered without a frame end: a peer that never ends a frame is cut at this size. */
  constructor(private readonly maxFrame = 64 * 1024) {}

  push(chunk: string): string[] {
    this.buf += chunk;
    const out: string[] = [];
    for (;;) {
      if (this.buf.length === 0) break;
      const count = /^([1-9][0-9]{0,7}) /.exec(this.buf);
      if (count) {
        const len = Number(count[1]);
        const start = count[0].length;
        // Octet counts are in bytes; compare in bytes only when the frame could be complete.
        const bytes = Buffer.from(this.buf.slice(start));
        if (bytes.length < len) break;
        const frame = bytes.subarray(0, len).toString();
        out.push(frame);
        this.buf = this.buf.slice(start + frame.length);
        continue;
      }
      const end = this.buf.search(/[\n\0]/);
      if (end < 0) {
        if (this.buf.length > this.maxFrame) {
          out.push(this.buf);
          this.buf = "";
        }
        break;
      }
      const frame = this.buf.slice(0, end);
      this.buf = this.buf.slice(end + 1);
      if (frame.length > 0) out.push(frame);
    }
    return out;
  }
}
