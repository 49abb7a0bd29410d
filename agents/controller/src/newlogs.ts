// What a newlogs upload must be, checked as a real EVE controller does once the AuthContainer has
// verified: the payload is gzip; its header's comment (RFC 1952 FCOMMENT) is the bundle metadata JSON
// {devID, image, eveVersion}; the inflated body is lines, each one JSON LogEntry. Anything else is a
// 400 with the reason. Pure: bytes in, normalised entries or the refusal out.
import { gunzipSync } from "node:zlib";

/** The bundle metadata newlogd puts in the gzip comment. */
export interface BundleMeta {
  devID: string;
  image: string;
  eveVersion: string;
}

/** A LogEntry as stored: EVE's fields, the timestamp as RFC 3339 UTC with nanoseconds. */
export interface StoredLogEntry {
  severity: string;
  source: string;
  iid: string;
  content: string;
  msgid: number;
  tags: Record<string, string>;
  timestamp: string;
  filename: string;
  function: string;
}

export type NewlogsCheck =
  | { ok: true; meta: BundleMeta; entries: StoredLogEntry[] }
  | { ok: false; status: 400 | 413; reason: string };

const FTEXT = 1;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** The comment of the first gzip member's header; throws when the header is not gzip. */
export function gzipComment(buf: Uint8Array): string | undefined {
  if (buf.length < 10 || buf[0] !== 0x1f || buf[1] !== 0x8b) throw new Error("no gzip magic number");
  if (buf[2] !== 8) throw new Error(`compression method ${buf[2]} is not deflate`);
  const flags = buf[3] ?? 0;
  if (flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) throw new Error("reserved header flags set");
  let at = 10;
  if (flags & FEXTRA) {
    if (at + 2 > buf.length) throw new Error("truncated header");
    at += 2 + ((buf[at] ?? 0) | ((buf[at + 1] ?? 0) << 8));
  }
  const zstring = (): string => {
    const end = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(0, at);
    if (end < 0) throw new Error("truncated header");
    const s = Buffer.from(buf.subarray(at, end)).toString("latin1");
    at = end + 1;
    return s;
  };
  if (flags & FNAME) zstring();
  return flags & FCOMMENT ? zstring() : undefined;
}

function parseMeta(comment: string | undefined): BundleMeta | string {
  if (comment === undefined) return "no metadata: the gzip header has no comment";
  let v: unknown;
  try {
    v = JSON.parse(comment);
  } catch {
    return "the gzip comment is not JSON bundle metadata";
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "the gzip comment is not a JSON object";
  const m = v as Record<string, unknown>;
  for (const k of ["devID", "image", "eveVersion"] as const)
    if (typeof m[k] !== "string") return `bundle metadata: "${k}" must be a string`;
  return { devID: m.devID as string, image: m.image as string, eveVersion: m.eveVersion as string };
}

const STRING_FIELDS = ["severity", "source", "iid", "content", "filename", "function"] as const;
const KNOWN = new Set<string>([...STRING_FIELDS, "msgid", "tags", "timestamp"]);
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** A timestamp in either form EVE produces: Go's encoding/json of the proto struct
 * ({"seconds":N,"nanos":N}, zero fields left out) or protojson's RFC 3339 string. */
function timestampOf(v: unknown): string | undefined {
  let seconds: number;
  let nanos: number;
  if (typeof v === "string") {
    const m = RFC3339.exec(v);
    const t = m ? Date.parse(`${m[1]}${m[3]}`) : Number.NaN;
    if (!m || Number.isNaN(t)) return undefined;
    seconds = t / 1000;
    nanos = Number((m[2] ?? "").padEnd(9, "0"));
  } else if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).some((k) => k !== "seconds" && k !== "nanos")) return undefined;
    seconds = o.seconds === undefined ? 0 : Number(o.seconds);
    nanos = o.nanos === undefined ? 0 : Number(o.nanos);
    if (typeof o.seconds === "string" && !/^-?\d+$/.test(o.seconds)) return undefined;
    if (!Number.isSafeInteger(seconds) || !Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999)
      return undefined;
  } else return undefined;
  const base = new Date(seconds * 1000);
  if (Number.isNaN(base.getTime())) return undefined;
  return `${base.toISOString().slice(0, 19)}.${String(nanos).padStart(9, "0")}Z`;
}

/** One line as a LogEntry, or why it is not one. Unknown fields are refused: a typo in a producer
 * must show up, not lose the field silently. */
export function logEntryOf(line: string): StoredLogEntry | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "not a JSON object";
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) return `unknown field "${k}"`;
  const out: StoredLogEntry = {
    severity: "",
    source: "",
    iid: "",
    content: "",
    msgid: 0,
    tags: {},
    timestamp: "",
    filename: "",
    function: "",
  };
  for (const k of STRING_FIELDS) {
    const f = o[k];
    if (f === undefined) continue;
    if (typeof f !== "string") return `"${k}" must be a string`;
    out[k] = f;
  }
  if (o.msgid !== undefined) {
    const n = typeof o.msgid === "string" && /^\d+$/.test(o.msgid) ? Number(o.msgid) : o.msgid;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0)
      return '"msgid" must be an unsigned integer';
    out.msgid = n;
  }
  if (o.tags !== undefined) {
    if (typeof o.tags !== "object" || o.tags === null || Array.isArray(o.tags))
      return '"tags" must be an object';
    for (const [k, t] of Object.entries(o.tags)) {
      if (typeof t !== "string") return `tag "${k}" must be a string`;
      out.tags[k] = t;
    }
  }
  if (o.timestamp === undefined) return 'no "timestamp"';
  const ts = timestampOf(o.timestamp);
  if (!ts) return '"timestamp" is neither {"seconds","nanos"} nor an RFC 3339 time';
  out.timestamp = ts;
  return out;
}

/** Checks a whole upload. `maxInflated` caps the decompressed size (413 past it). */
export function checkNewlogs(payload: Uint8Array, maxInflated: number): NewlogsCheck {
  let comment: string | undefined;
  try {
    comment = gzipComment(payload);
  } catch (e) {
    return { ok: false, status: 400, reason: `newlogs: not a gzip stream: ${(e as Error).message}` };
  }
  const meta = parseMeta(comment);
  if (typeof meta === "string") return { ok: false, status: 400, reason: `newlogs: ${meta}` };
  let text: string;
  try {
    text = gunzipSync(payload, { maxOutputLength: maxInflated }).toString("utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
      return { ok: false, status: 413, reason: `newlogs: more than ${maxInflated} bytes once decompressed` };
    return { ok: false, status: 400, reason: `newlogs: not a gzip stream: ${(e as Error).message}` };
  }
  const entries: StoredLogEntry[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.trim()) continue;
    const e = logEntryOf(line);
    if (typeof e === "string")
      return { ok: false, status: 400, reason: `newlogs: line ${i + 1} is not a LogEntry: ${e}` };
    entries.push(e);
  }
  return { ok: true, meta, entries };
}
