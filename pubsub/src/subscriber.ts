// Subscriber side of the protocol.
//
// Two tables per subscription: `received` (latest bytes from the publisher, updated as batches
// arrive) and `delivered` (what handlers have seen). Arriving keys go into an ordered queue; the
// main loop delivers them, comparing received with delivered, so a burst for one key coalesces into
// one handler call with the latest value, and an unchanged value fires nothing. A (re)subscription
// records which keys the publisher sends before its "synchronized" mark; any other key we still
// hold was deleted while we were away, and is swept then.
//
// A restart is not a deletion (ARCHITECTURE.md section 3). A publisher that restarts serves a table
// it may not have rebuilt yet: keys missing from it then are not deletions. So when batches come
// from a new publisher instance, the keys we got from the earlier one are *held*: a key the new
// instance does not send keeps its value (no delete handler) until the new instance says its table
// is complete (its restarted counter > 0), and only then is swept. A key the new instance sends, or
// deletes explicitly, is its word and applies at once. A persistent table survives the restart, so a
// key missing from it was really deleted: nothing is held for it.

import { type Codec, DecodeError } from "@outpost/types";
import {
  describeTopic,
  type HandlerLoop,
  type Handlers,
  type Subscription,
  type TopicId,
  tableName,
} from "./contract.js";
import { newId } from "./ids.js";
import type { BusLogger } from "./log.js";
import type { ClientEndpoint, Frames } from "./transport.js";
import { BatchHeader, decodeJson, frame, Kind, PongHeader, parse, unpackRecords } from "./wire.js";

const WINDOW = 8;
/** Every ACK_EVERY-th batch of a session is acknowledged, not every one: acks are cumulative (the
 * publisher takes the highest), and half the window means a publisher that has used its whole window
 * has been acknowledged for at least half of it, so credit never runs out. Each ack is a message the
 * publisher's process wakes up for; on a busy core one ack per batch cost a third of the one-way
 * latency (bench/README.md, "Pubsub latency on a busy machine"). */
const ACK_EVERY = WINDOW / 2;
/** A publisher not heard from for this long (it pings back every second) is not serving the table. */
const LIVE_WITHIN_MS = 3000;
const PING_MS = 1000;
/** Handler calls per main-loop task, so one busy table cannot starve the others. */
const DELIVER_CHUNK = 128;

type QueueItem = string | { sync: true } | { restarted: number };

/** The connection to one publishing agent, shared by this process's subscriptions to it. */
export class SubscriberClient {
  private readonly subs = new Map<string, SubTable<unknown>>();
  private pingNumber = 0;
  private readonly timer: NodeJS.Timeout;
  lastHeardAt = 0;
  publisherTables: string[] | undefined;
  publisherInstance: string | undefined;
  private probes: (() => void)[] = [];

  constructor(
    readonly agent: string,
    private readonly endpoint: ClientEndpoint,
    private readonly log: BusLogger,
  ) {
    endpoint.onConnect(() => {
      for (const s of this.subs.values()) this.sendSub(s);
    });
    endpoint.onMessage((frames) => this.onMessage(frames));
    this.timer = setInterval(() => this.ping(), PING_MS);
    this.timer.unref();
  }

  get size(): number {
    return this.subs.size;
  }

  add(sub: SubTable<unknown>): void {
    this.subs.set(sub.sid, sub);
    this.sendSub(sub);
    this.ping();
  }

  remove(sub: SubTable<unknown>): void {
    if (!this.subs.delete(sub.sid)) return;
    this.endpoint.send(frame(Kind.Unsub, { s: sub.sid }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.subs.values()) this.endpoint.send(frame(Kind.Unsub, { s: s.sid }));
    this.subs.clear();
    await this.endpoint.close();
  }

  private sendSub(sub: SubTable<unknown>): void {
    const epoch = sub.beginEpoch(this.pingNumber);
    this.endpoint.send(frame(Kind.Sub, { s: sub.sid, t: sub.table, e: epoch, w: WINDOW }));
  }

  /** Asks the publisher who it is; resolves on its answer (or false after `timeoutMs`). */
  probe(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(again);
        resolve(true);
      };
      const timer = setTimeout(() => {
        clearInterval(again);
        this.probes = this.probes.filter((p) => p !== done);
        resolve(false);
      }, timeoutMs);
      this.probes.push(done);
      // Ask again until answered: a ping sent before the connection is up may be lost.
      const again = setInterval(() => this.ping(true), 100);
      this.ping(true);
    });
  }

  private ping(force = false): void {
    if (this.subs.size === 0 && !force) return;
    this.pingNumber++;
    this.endpoint.send(frame(Kind.Ping, { s: [...this.subs.keys()], n: this.pingNumber }));
  }

  private onMessage(frames: Frames): void {
    const m = parse(frames);
    if (!m) return;
    try {
      this.lastHeardAt = Date.now();
      if (m.kind === Kind.Batch) {
        const h = decodeJson(BatchHeader, m.header);
        const sub = this.subs.get(h.s);
        if (!sub) return;
        const verdict = sub.onBatch(h, m.rest[0] ? unpackRecords(m.rest[0]) : []);
        if (verdict === "ack" && sub.takeAck(h.q))
          this.endpoint.send(frame(Kind.Ack, { s: h.s, e: h.e, q: h.q }));
        else if (verdict === "resync") this.sendSub(sub);
      } else if (m.kind === Kind.Pong) {
        const h = decodeJson(PongHeader, m.header);
        this.publisherTables = h.p;
        this.publisherInstance = h.i;
        for (const p of this.probes.splice(0)) p();
        const known = new Set(h.k);
        // A session the publisher does not know (it restarted, or dropped us) is started again,
        // unless our SUB for it was sent after that ping and is still on its way.
        for (const s of this.subs.values())
          if (!known.has(s.sid) && s.subscribedAtPing < h.n) this.sendSub(s);
      }
    } catch (e) {
      const err = e instanceof DecodeError ? e.message : String(e);
      this.log.warn({ agent: this.agent, err }, "pubsub: malformed message from a publisher, ignored");
    }
  }
}

export class SubTable<T> implements Subscription<T> {
  readonly sid = newId();
  readonly table: string;
  private readonly received = new Map<string, Buffer>();
  private readonly delivered = new Map<string, { raw: Buffer; value: T }>();
  private readonly queue = new Map<QueueItem, true>();
  private epoch = 0;
  private lastSeq = 0;
  /** The last sequence number acknowledged in the current epoch. */
  private ackedSeq = 0;
  /** Keys sent by the publisher since the current (re)subscription, until its synchronized mark. */
  private seen: Set<string> | undefined;
  private receivedRestarted = 0;
  /** The publisher instance whose batches we apply; undefined until the first batch. */
  private instance: string | undefined;
  /** Keys from an earlier publisher instance that the current one has not spoken about yet. */
  private readonly held = new Set<string>();
  private liveSynced = false;
  private readonly closers: (() => void)[] = [];
  private delivering = false;
  private closed = false;
  private synced = false;
  private deliveredRestarted = 0;
  private waiters: (() => void)[] = [];
  subscribedAtPing = 0;
  client: SubscriberClient | undefined;

  constructor(
    readonly id: TopicId,
    private readonly codec: Codec<T>,
    private readonly handlers: Handlers<T>,
    private readonly loop: HandlerLoop,
    private readonly log: BusLogger,
    /** Hold keys across a publisher restart until its restarted barrier (see the top of this file). */
    private readonly holdAcrossRestart = true,
  ) {
    this.table = tableName(id.scope, id.topic);
  }

  /** True while the live publisher serves this table: the current session completed its initial
   * table and the publisher answered recently. */
  isLive(now = Date.now()): boolean {
    return this.liveSynced && now - (this.client?.lastHeardAt ?? 0) < LIVE_WITHIN_MS;
  }

  /** Applies the publisher's persistent store as the table, while the live publisher is not serving
   * it (before it starts, or after it exited: a tool like `client` publishes and exits). The store is
   * never behind what the publisher served, since a persistent value is sent only once durable. */
  applyStore(values: Map<string, Buffer>): void {
    if (this.closed || this.isLive()) return;
    for (const k of this.received.keys()) {
      if (!values.has(k)) {
        this.received.delete(k);
        this.enqueue(k);
      }
    }
    for (const [k, v] of values) {
      if (this.received.get(k)?.equals(v)) continue;
      this.received.set(k, v);
      this.enqueue(k);
    }
  }

  beginEpoch(atPing: number): number {
    this.liveSynced = false;
    this.epoch++;
    this.lastSeq = 0;
    this.ackedSeq = 0;
    this.seen = new Set();
    this.subscribedAtPing = atPing;
    return this.epoch;
  }

  /** Whether batch `q` (just applied) should be acknowledged now. */
  takeAck(q: number): boolean {
    if (q - this.ackedSeq < ACK_EVERY) return false;
    this.ackedSeq = q;
    return true;
  }

  onBatch(h: BatchHeader, items: [string, Buffer | undefined][]): "ack" | "resync" | "ignore" {
    if (h.e !== this.epoch || this.closed) return "ignore";
    if (h.q !== this.lastSeq + 1) {
      this.log.warn(
        { topic: describeTopic(this.id), expected: this.lastSeq + 1, got: h.q },
        "pubsub: gap, resyncing",
      );
      return "resync";
    }
    this.lastSeq = h.q;
    const newInstance = h.i !== this.instance;
    if (newInstance) {
      // The publisher restarted: what we hold came from its earlier run.
      if (this.instance !== undefined && this.holdAcrossRestart)
        for (const key of this.received.keys()) this.held.add(key);
      this.instance = h.i;
    }
    // The table as served is the whole truth: persistent, or rebuilt and said so (restarted).
    const complete = h.r > 0 || h.p === 1;
    for (const [key, value] of items) {
      if (value === undefined) this.received.delete(key);
      else this.received.set(key, value);
      this.held.delete(key);
      this.seen?.add(key);
      this.enqueue(key);
    }
    if (h.y && this.seen) {
      this.liveSynced = true;
      for (const key of this.received.keys())
        if (!this.seen.has(key) && (complete || !this.held.has(key))) {
          this.received.delete(key);
          this.enqueue(key);
        }
      for (const key of this.delivered.keys()) if (!this.seen.has(key)) this.enqueue(key);
      this.seen = undefined;
      if (complete) this.held.clear();
      else if (this.held.size > 0)
        this.log.info(
          { topic: describeTopic(this.id), held: this.held.size },
          "pubsub: publisher restarted; keys it has not sent again are held until it says restarted",
        );
      this.enqueue({ sync: true });
    }
    if (complete && this.seen === undefined && this.held.size > 0) {
      // The barrier: the restarted publisher's table is complete, so what it did not send is gone.
      this.log.info(
        { topic: describeTopic(this.id), deleted: this.held.size },
        "pubsub: publisher's table complete after its restart; held keys it no longer has are deleted",
      );
      for (const key of this.held) {
        this.received.delete(key);
        this.enqueue(key);
      }
      this.held.clear();
    }
    // A new instance that is already complete fires restarted even if its counter equals the old one's.
    if (h.r > 0 && (h.r !== this.receivedRestarted || newInstance)) this.enqueue({ restarted: h.r });
    this.receivedRestarted = h.r;
    return "ack";
  }

  private enqueue(item: QueueItem): void {
    this.queue.set(item, true);
    if (!this.delivering && !this.closed) {
      this.delivering = true;
      this.loop.post(() => this.deliver());
    }
  }

  /** Runs on the main loop: delivers up to a chunk of queued changes, then yields. */
  private async deliver(): Promise<void> {
    let n = 0;
    for (const item of this.queue.keys()) {
      if (this.closed) return;
      if (n++ >= DELIVER_CHUNK) {
        this.loop.post(() => this.deliver());
        return;
      }
      this.queue.delete(item);
      try {
        // Awaited only when a handler returned a promise: most are synchronous, and an await per key
        // was a large part of the delivery latency.
        let pending: void | Promise<void>;
        if (typeof item === "string") pending = this.deliverKey(item);
        else if ("sync" in item) {
          this.synced = true;
          for (const w of this.waiters.splice(0)) w();
          pending = this.handlers.synchronized?.();
        } else {
          this.deliveredRestarted = item.restarted;
          pending = this.handlers.restarted?.(item.restarted);
        }
        if (pending) await pending;
      } catch (e) {
        this.log.error(
          { topic: describeTopic(this.id), err: String((e as Error)?.stack ?? e) },
          "pubsub: handler threw",
        );
      }
    }
    this.delivering = false;
  }

  private deliverKey(key: string): void | Promise<void> {
    const raw = this.received.get(key);
    const old = this.delivered.get(key);
    if (raw === undefined) {
      if (!old) return;
      this.delivered.delete(key);
      return this.handlers.delete?.(key, old.value);
    }
    if (old?.raw.equals(raw)) return;
    let value: T;
    try {
      value = decodeJson(this.codec, raw);
    } catch (e) {
      // Bad input from another process: say so where it will be seen and keep the last good value.
      this.log.error(
        { topic: describeTopic(this.id), key, err: (e as Error).message },
        "pubsub: value does not match its type, ignored",
      );
      return;
    }
    this.delivered.set(key, { raw, value });
    return old ? this.handlers.modify?.(key, value, old.value) : this.handlers.create?.(key, value);
  }

  get(key: string): T | undefined {
    return this.delivered.get(key)?.value;
  }
  keys(): string[] {
    return [...this.delivered.keys()];
  }
  entries(): [string, T][] {
    return [...this.delivered].map(([k, v]) => [k, v.value]);
  }
  get size(): number {
    return this.delivered.size;
  }
  get synchronized(): boolean {
    return this.synced;
  }
  get restartedCount(): number {
    return this.deliveredRestarted;
  }
  get publisherTables(): readonly string[] | undefined {
    return this.client?.publisherTables;
  }
  /** When the publisher last answered (ms since epoch; 0 = never). */
  get lastHeardAt(): number {
    return this.client?.lastHeardAt ?? 0;
  }

  waitSynchronized(timeoutMs = 10_000): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describeTopic(this.id)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closers.splice(0)) fn();
    this.queue.clear();
    this.client?.remove(this as SubTable<unknown>);
  }
}
