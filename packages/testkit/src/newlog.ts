// Test-only: newlog batches in the on-disk contract newlogd writes, for loguploader tests and the
// bench. One gzip member whose header carries FCOMMENT = the bundle metadata JSON, body = one JSON
// LogEntry per line. node:zlib cannot write a header comment, so the member is put together by hand
// (RFC 1952): header, raw deflate, CRC-32 and length.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";

export interface BatchMeta {
  devID: string;
  image: string;
  eveVersion: string;
}

/** A LogEntry line as EVE's newlogd writes it (Go encoding/json of the proto struct). */
export interface TestLogEntry {
  severity: string;
  source: string;
  iid?: string;
  content: string;
  msgid?: number;
  tags?: Record<string, string>;
  timestamp: { seconds: number; nanos?: number };
  filename?: string;
  function?: string;
}

const FCOMMENT = 0x10;

/** One gzip member with `comment` (Latin-1, as RFC 1952 says) in its header. */
export function gzipWithComment(body: Buffer, comment: string | undefined, mtime = 0): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, comment === undefined ? 0 : FCOMMENT, 0, 0, 0, 0, 0, 3]);
  header.writeUInt32LE(mtime >>> 0, 4);
  const parts = [header];
  if (comment !== undefined) parts.push(Buffer.from(comment, "latin1"), Buffer.from([0]));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(body) >>> 0, 0);
  trailer.writeUInt32LE(body.length >>> 0, 4);
  parts.push(deflateRawSync(body), trailer);
  return Buffer.concat(parts);
}

export function entryAt(ms: number, e: Omit<TestLogEntry, "timestamp">): TestLogEntry {
  return { ...e, timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } };
}

/** The gzip bytes of a batch. */
export function newlogBatch(meta: BatchMeta, entries: TestLogEntry[]): Buffer {
  return gzipWithComment(
    Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join("")),
    JSON.stringify(meta),
  );
}

/** Writes a batch where newlogd would, renamed in whole. `ms` names it (13 digits). Returns the path. */
export function writeNewlogBatch(root: string, o: { ms: number; app?: string; bytes: Buffer }): string {
  const dir = join(root, "persist/newlog", o.app ? "appUpload" : "devUpload");
  mkdirSync(dir, { recursive: true });
  const name = o.app ? `app.${o.app}.log.${o.ms}.gz` : `dev.log.${o.ms}.gz`;
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, o.bytes);
  renameSync(tmp, join(dir, name));
  return join(dir, name);
}

/**
 * Sends each message as one datagram to a unix datagram socket (a syslog `/dev/log`), as syslog(3),
 * busybox `logger` and musl do, and resolves once every datagram was accepted by the kernel (a full
 * receive queue makes the sender wait, as a blocking client would). A trailing newline is not added.
 */
export async function sendSyslogDatagrams(path: string, msgs: string[]): Promise<void> {
  const { DgramSocket } = await import("node-unix-socket");
  const s = new DgramSocket();
  try {
    for (const m of msgs) {
      const b = Buffer.from(m);
      await new Promise<void>((resolve, reject) =>
        s.sendTo(b, 0, b.length, path, (err) => (err ? reject(err) : resolve())),
      );
    }
  } finally {
    s.close();
  }
}
