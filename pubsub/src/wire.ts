// The pubsub protocol's messages. Frame 0 is the kind, frame 1 a small JSON header; a BATCH then
// carries one frame of records (u32 key length, key, u32 value length, value), where an empty value
// means "deleted" (an encoded value is JSON and never empty). One frame per batch rather than two per
// key: ZeroMQ's per-frame cost dominated throughput. Headers are decoded with codecs like any other
// input from another process.
import { decodeJson, type Infer, t } from "@outpost/types";
import type { Frames } from "./transport.js";

export const Kind = {
  /** sub -> pub: (re)start a session for one table: send me everything, then live changes. */
  Sub: "SUB",
  /** sub -> pub: batch `q` arrived; grants one more batch of credit. */
  Ack: "ACK",
  /** sub -> pub: heartbeat; answered with PONG. */
  Ping: "PING",
  Unsub: "UNSUB",
  /** pub -> sub: changes of one table for one session. */
  Batch: "BATCH",
  /** pub -> sub: heartbeat answer: publisher instance and the tables it publishes. */
  Pong: "PONG",
} as const;

export const SubHeader = t.object({ s: t.string, t: t.string, e: t.integer, w: t.integer });
export const AckHeader = t.object({ s: t.string, e: t.integer, q: t.integer });
/** s: the session ids (one per subscribed table) this subscriber process holds on this publisher */
export const PingHeader = t.object({ s: t.array(t.string), n: t.integer });
export const UnsubHeader = t.object({ s: t.string });
export const BatchHeader = t.object({
  /** session id the batch belongs to */
  s: t.string,
  /** subscriber's epoch for this table (echoed), so batches of an older session are ignored */
  e: t.integer,
  /** sequence number within the session, from 1 */
  q: t.integer,
  /** publisher instance id (changes when the publisher process restarts) */
  i: t.string,
  /** restarted counter of the table */
  r: t.integer,
  /** present on the batch that completes the initial table */
  y: t.optional(t.literal(1)),
  /** present when the table is persistent: it survives the publisher's restart, so a key missing
   * from it after a restart was really deleted */
  p: t.optional(t.literal(1)),
});
export const PongHeader = t.object({
  i: t.string,
  /** tables this publisher publishes */
  p: t.array(t.string),
  /** which of the pinged session ids the publisher knows (others must resubscribe) */
  k: t.array(t.string),
  /** the ping's number, echoed */
  n: t.integer,
});

export type BatchHeader = Infer<typeof BatchHeader>;

/** The largest key + value a table may hold (16 MiB). The biggest legitimate values are config
 * tables carrying an app's user data: the controller accepts admin documents of at most 4 MB, and
 * the contract promises (and tests) 5 MB values; 16 MiB leaves room above both. The receiving
 * sockets refuse larger frames (ZMQ_MAXMSGSIZE), so the publisher refuses such values at set(). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** A batch's records frame: at most MAX_BATCH_BYTES, or one record when that alone is larger. */
export const MAX_BATCH_BYTES = 256 * 1024;
/** What a subscriber's socket accepts in one frame: one whole record plus its length prefixes. */
export const MAX_BATCH_FRAME = MAX_RECORD_BYTES + 64 * 1024;
/** What a publisher's socket accepts in one frame: subscribers send only small control messages
 * (SUB, ACK, PING with one session id per subscribed table, UNSUB). */
export const MAX_CONTROL_FRAME = 1024 * 1024;

export function frame(kind: string, header: object, ...rest: Buffer[]): Frames {
  return [Buffer.from(kind), Buffer.from(JSON.stringify(header)), ...rest];
}

export function parse(frames: Frames): { kind: string; header: Buffer; rest: Frames } | undefined {
  const [kind, header, ...rest] = frames;
  if (!kind || !header) return undefined;
  return { kind: kind.toString(), header, rest };
}

export { decodeJson };

/** Packs (key, value) records into one frame; `undefined` value = deleted. */
export function packRecords(records: [string, Buffer | undefined][]): Buffer {
  let size = 0;
  const keys = records.map(([k]) => Buffer.from(k));
  for (let i = 0; i < records.length; i++)
    size += 8 + (keys[i] as Buffer).length + ((records[i] as [string, Buffer | undefined])[1]?.length ?? 0);
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  for (let i = 0; i < records.length; i++) {
    const key = keys[i] as Buffer;
    const value = (records[i] as [string, Buffer | undefined])[1];
    off = out.writeUInt32BE(key.length, off);
    off += key.copy(out, off);
    off = out.writeUInt32BE(value?.length ?? 0, off);
    if (value) off += value.copy(out, off);
  }
  return out;
}

/** Unpacks a record frame; throws on a malformed one. Values are copies, so a kept value does not pin
 * the whole batch in memory. */
export function unpackRecords(frame: Buffer): [string, Buffer | undefined][] {
  const out: [string, Buffer | undefined][] = [];
  let off = 0;
  const take = (n: number): Buffer => {
    if (off + n > frame.length) throw new Error("truncated batch record");
    const b = frame.subarray(off, off + n);
    off += n;
    return b;
  };
  while (off < frame.length) {
    const key = take(take(4).readUInt32BE(0)).toString();
    const value = take(take(4).readUInt32BE(0));
    out.push([key, value.length === 0 ? undefined : Buffer.from(value)]);
  }
  return out;
}
