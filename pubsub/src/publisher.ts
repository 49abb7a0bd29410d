// Publisher side of the protocol: one server per publishing process, serving all its tables.
//
// Invariant (convergence, never loss): for every subscriber session the publisher keeps a set of
// keys whose latest value that subscriber has not yet been sent ("dirty"). A change marks the key
// dirty in every session; a flush sends the *current* value of dirty keys. So a slow subscriber skips
// intermediate values (coalescing) but always gets the latest, deletions included, and memory per
// session is bounded by the table size. Sending is credit-based (at most `window` unacknowledged
// batches per session), so nothing piles up in ZeroMQ queues where a high-water mark would drop it.
import { newId } from "./ids.js";
import type { BusLogger } from "./log.js";
import type { ServerEndpoint } from "./transport.js";
import {
  AckHeader,
  type BatchHeader,
  decodeJson,
  frame,
  Kind,
  MAX_BATCH_BYTES,
  PingHeader,
  packRecords,
  parse,
  SubHeader,
  UnsubHeader,
} from "./wire.js";

const MAX_BATCH_ITEMS = 512;
const MAX_WINDOW = 64;
/** A session not heard from (ack, ping, sub) for this long is dropped; subscribers ping every 1 s. */
const SESSION_IDLE_MS = 15_000;

interface Session {
  sid: string;
  table: string;
  peer: Buffer;
  epoch: number;
  window: number;
  dirty: Set<string>;
  seq: number;
  acked: number;
  synced: boolean;
  /** restarted counter changed and not yet sent */
  metaDirty: boolean;
  lastSeen: number;
}

export class ServedTable {
  readonly values = new Map<string, Buffer>();
  restarted = 0;
  constructor(
    readonly name: string,
    /** Survives a restart of the publisher: subscribers apply deletions at once (see subscriber.ts). */
    readonly persistent = false,
  ) {}
}

export class PublisherServer {
  readonly instance = newId();
  private readonly tables = new Map<string, ServedTable>();
  private readonly sessions = new Map<string, Session>();
  /** table name -> its sessions. Sessions may exist before their table is published. */
  private readonly byTable = new Map<string, Set<Session>>();
  private flushScheduled = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly endpoint: ServerEndpoint,
    private readonly log: BusLogger,
  ) {
    endpoint.onMessage((peer, frames) => this.onMessage(peer, frames));
    this.sweeper = setInterval(() => this.dropIdleSessions(), SESSION_IDLE_MS / 3);
    this.sweeper.unref();
  }

  addTable(table: ServedTable): void {
    this.tables.set(table.name, table);
    for (const s of this.byTable.get(table.name) ?? []) for (const k of table.values.keys()) s.dirty.add(k);
    this.scheduleFlush();
  }

  /** The served value of `key` changed (or was deleted). */
  changed(table: ServedTable, key: string): void {
    const sessions = this.byTable.get(table.name);
    if (!sessions || sessions.size === 0) return;
    for (const s of sessions) s.dirty.add(key);
    this.scheduleFlush();
  }

  restarted(table: ServedTable): void {
    for (const s of this.byTable.get(table.name) ?? []) s.metaDirty = true;
    this.scheduleFlush();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.endpoint.close();
  }

  private onMessage(peer: Buffer, frames: Buffer[]): void {
    const m = parse(frames);
    if (!m) return;
    try {
      switch (m.kind) {
        case Kind.Sub:
          this.onSub(peer, decodeJson(SubHeader, m.header));
          break;
        case Kind.Ack:
          this.onAck(peer, decodeJson(AckHeader, m.header));
          break;
        case Kind.Ping:
          this.onPing(peer, decodeJson(PingHeader, m.header));
          break;
        case Kind.Unsub:
          this.drop(decodeJson(UnsubHeader, m.header).s);
          break;
        default:
          this.log.warn({ kind: m.kind }, "pubsub: unknown message kind from a subscriber, ignored");
      }
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "pubsub: malformed message from a subscriber, ignored");
    }
  }

  private onSub(peer: Buffer, h: { s: string; t: string; e: number; w: number }): void {
    this.drop(h.s);
    const table = this.tables.get(h.t);
    // A (re)subscription starts from scratch: the whole table, then synchronized.
    const s: Session = {
      sid: h.s,
      table: h.t,
      peer,
      epoch: h.e,
      window: Math.max(1, Math.min(MAX_WINDOW, h.w)),
      dirty: new Set(table ? table.values.keys() : []),
      seq: 0,
      acked: 0,
      synced: false,
      metaDirty: false,
      lastSeen: Date.now(),
    };
    this.sessions.set(s.sid, s);
    let set = this.byTable.get(s.table);
    if (!set) {
      set = new Set();
      this.byTable.set(s.table, set);
    }
    set.add(s);
    this.scheduleFlush();
  }

  private drop(sid: string): void {
    const s = this.sessions.get(sid);
    if (!s) return;
    this.sessions.delete(sid);
    this.byTable.get(s.table)?.delete(s);
  }

  private onAck(peer: Buffer, h: { s: string; e: number; q: number }): void {
    const s = this.sessions.get(h.s);
    if (!s || s.epoch !== h.e) return;
    s.peer = peer;
    s.lastSeen = Date.now();
    if (h.q > s.acked && h.q <= s.seq) s.acked = h.q;
    this.scheduleFlush();
  }

  private onPing(peer: Buffer, h: { s: string[]; n: number }): void {
    const known: string[] = [];
    for (const sid of h.s) {
      const s = this.sessions.get(sid);
      if (!s) continue;
      s.lastSeen = Date.now();
      s.peer = peer;
      known.push(sid);
    }
    this.endpoint.send(
      peer,
      frame(Kind.Pong, { i: this.instance, p: [...this.tables.keys()], k: known, n: h.n }),
    );
  }

  private dropIdleSessions(): void {
    const cutoff = Date.now() - SESSION_IDLE_MS;
    for (const s of [...this.sessions.values()]) if (s.lastSeen < cutoff) this.drop(s.sid);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate: changes made in the same turn go out in one batch.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    for (const s of this.sessions.values()) {
      const table = this.tables.get(s.table);
      if (!table) continue;
      while (s.seq - s.acked < s.window && (s.dirty.size > 0 || !s.synced || s.metaDirty))
        this.sendBatch(table, s);
    }
  }

  private sendBatch(table: ServedTable, s: Session): void {
    const records: [string, Buffer | undefined][] = [];
    let bytes = 0;
    for (const key of s.dirty) {
      const value = table.values.get(key);
      const size = 8 + Buffer.byteLength(key) + (value?.length ?? 0);
      // The frame stays under the subscriber's size limit: a record that does not fit waits for the
      // next batch, and a record alone is never larger than MAX_RECORD_BYTES (checked at set()).
      if (records.length >= MAX_BATCH_ITEMS || (bytes + size > MAX_BATCH_BYTES && records.length > 0)) break;
      records.push([key, value]);
      bytes += size;
      s.dirty.delete(key);
    }
    s.seq++;
    s.metaDirty = false;
    const header: BatchHeader = { s: s.sid, e: s.epoch, q: s.seq, i: this.instance, r: table.restarted };
    if (table.persistent) header.p = 1;
    if (!s.synced && s.dirty.size === 0) {
      header.y = 1;
      s.synced = true;
    }
    this.endpoint.send(s.peer, frame(Kind.Batch, header, packRecords(records)));
  }
}
