// The bus of one process: its publications (served to other processes) and its subscriptions.
import { type Codec, decodeJson } from "@outpost/types";
import {
  checkName,
  describeTopic,
  type HandlerLoop,
  type Publication,
  type PublishOptions,
  type SubscribeOptions,
  type Subscription,
  type TopicId,
  tableName,
} from "./contract.js";
import { type BusLogger, silentLogger } from "./log.js";
import { PublisherServer, ServedTable } from "./publisher.js";
import { type PersistentStore, type PersistentTable, StoreReader } from "./store.js";
import { SubscriberClient, SubTable } from "./subscriber.js";
import type { Transport } from "./transport.js";
import { MAX_RECORD_BYTES } from "./wire.js";

export type { BusLogger } from "./log.js";

/** How often a persistent subscription re-reads the store while its publisher is not serving it. */
const STORE_POLL_MS = 1000;
/** A non-persistent table that has not signalled restarted this long after it was published is
 * probably never going to: say so, since subscribers hold keys deleted across its restart until then. */
const RESTARTED_WARN_MS = 120_000;

/** `L`: the loop type a caller passed in, kept so `bus.options.loop` is the caller's own loop. */
export interface BusOptions<L extends HandlerLoop = HandlerLoop> {
  /** This process's publisher name: its tables are (agent, scope, topic). */
  agent: string;
  transport: Transport;
  /** <root>/persist/pubsub: one LMDB store per publishing agent beneath it. */
  persistDir: string;
  /** Handlers run on this loop, one at a time. */
  loop: L;
  log?: BusLogger;
}

export class PubSub<L extends HandlerLoop = HandlerLoop> {
  private server: Promise<PublisherServer> | undefined;
  private store: Promise<PersistentStore> | undefined;
  private readonly clients = new Map<string, SubscriberClient>();
  private readonly subscriptions = new Set<SubTable<unknown>>();
  private readonly publications = new Map<string, LocalPublication<unknown>>();
  private readonly log: BusLogger;
  private closed = false;

  constructor(readonly options: BusOptions<L>) {
    checkName("agent", options.agent);
    this.log = options.log ?? silentLogger;
  }

  get agent(): string {
    return this.options.agent;
  }

  async publish<T>(o: PublishOptions<T>): Promise<Publication<T>> {
    checkName("topic", o.topic);
    if (o.scope !== undefined) checkName("scope", o.scope);
    const name = tableName(o.scope, o.topic);
    if (this.publications.has(name)) throw new Error(`${this.agent} already publishes ${name}`);
    const id: TopicId = { agent: this.agent, scope: o.scope, topic: o.topic };
    const served = new ServedTable(name, o.persistent === true);
    let persistent: PersistentTable | undefined;
    if (o.persistent) {
      this.store ??= import("./store.js").then((m) =>
        m.PersistentStore.open(this.options.persistDir, this.agent),
      );
      persistent = (await this.store).table(name);
    }
    const server = await this.ensureServer();
    const pub = new LocalPublication<T>(id, o.codec, served, server, persistent, this.log);
    if (persistent) await pub.loadPersisted();
    else pub.warnIfNeverRestarted(RESTARTED_WARN_MS);
    this.publications.set(name, pub as LocalPublication<unknown>);
    server.addTable(served);
    return pub;
  }

  subscribe<T>(o: SubscribeOptions<T>): Subscription<T> {
    checkName("agent", o.agent);
    checkName("topic", o.topic);
    if (o.scope) checkName("scope", o.scope);
    if (this.closed) throw new Error("pubsub is closed");
    const id: TopicId = { agent: o.agent, scope: o.scope, topic: o.topic };
    const sub = new SubTable<T>(
      id,
      o.codec,
      o.handlers ?? {},
      this.options.loop,
      this.log,
      o.holdAcrossRestart ?? true,
    );
    this.subscriptions.add(sub as SubTable<unknown>);
    sub.onClose(() => this.subscriptions.delete(sub as SubTable<unknown>));
    const client = this.client(o.agent);
    sub.client = client;
    const attach = () => client.add(sub as SubTable<unknown>);
    if (o.persistent) {
      // Read the store at activation, and again every second while the live publisher is not serving
      // the table, so a value a short-lived publisher wrote is seen even if it exited unheard. All the
      // subscriptions of this process to one publisher share one read-only environment (StoreReader).
      let reader: StoreReader | undefined;
      let closed = false;
      let lastErr: string | undefined;
      const readStore = () => {
        if (!reader || closed) return;
        try {
          const values = reader.read(sub.table);
          if (lastErr !== undefined)
            this.log.info({ topic: describeTopic(id) }, "pubsub: persisted table readable again");
          lastErr = undefined;
          if (values) sub.applyStore(values);
        } catch (e) {
          // Said once per distinct error, not every second; the read is retried every second.
          if (String(e) === lastErr) return;
          lastErr = String(e);
          this.log.warn({ topic: describeTopic(id), err: lastErr }, "pubsub: cannot read persisted table");
        }
      };
      StoreReader.acquire(this.options.persistDir, o.agent)
        .then((r) => {
          if (closed) return r.release();
          reader = r;
          readStore();
        })
        .catch((e) =>
          this.log.warn({ topic: describeTopic(id), err: String(e) }, "pubsub: cannot read persisted table"),
        )
        .finally(attach);
      const timer = setInterval(() => {
        if (!sub.isLive()) readStore();
      }, STORE_POLL_MS);
      timer.unref();
      sub.onClose(() => {
        closed = true;
        clearInterval(timer);
        reader?.release();
        reader = undefined;
      });
    } else attach();
    return sub;
  }

  /** Asks `agent`'s publisher which tables it publishes; undefined when nothing answers in time. */
  async describePublisher(
    agent: string,
    timeoutMs = 2000,
  ): Promise<{ instance: string; tables: string[] } | undefined> {
    checkName("agent", agent);
    const client = this.client(agent);
    if (!(await client.probe(timeoutMs))) return undefined;
    return { instance: client.publisherInstance ?? "", tables: client.publisherTables ?? [] };
  }

  /** Where `agent`'s publisher listens, for error messages. */
  describeEndpoint(agent: string): string {
    return this.options.transport.describe(agent);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const sub of [...this.subscriptions]) sub.close();
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
    if (this.server) await (await this.server).close();
    if (this.store) await (await this.store).close();
  }

  private client(agent: string): SubscriberClient {
    if (this.closed) throw new Error("pubsub is closed");
    let client = this.clients.get(agent);
    if (!client) {
      client = new SubscriberClient(agent, this.options.transport.connect(agent), this.log);
      this.clients.set(agent, client);
    }
    return client;
  }

  private ensureServer(): Promise<PublisherServer> {
    this.server ??= this.options.transport
      .listen(this.agent)
      .then((endpoint) => new PublisherServer(endpoint, this.log));
    return this.server;
  }
}

class LocalPublication<T> implements Publication<T> {
  /** What this process set, seen at once by its own get(). */
  private readonly local = new Map<string, { value: T; raw: Buffer }>();
  private restartedCounter = 0;

  constructor(
    readonly id: TopicId,
    private readonly codec: Codec<T>,
    private readonly served: ServedTable,
    private readonly server: PublisherServer,
    private readonly persistent: PersistentTable | undefined,
    private readonly log: BusLogger,
  ) {}

  warnIfNeverRestarted(ms: number): void {
    const timer = setTimeout(() => {
      if (this.restartedCounter > 0) return;
      this.log.warn(
        { topic: describeTopic(this.id), afterMs: ms },
        "pubsub: this table has not signalled restarted: subscribers hold the keys of its previous run until it does",
      );
    }, ms);
    timer.unref();
  }

  async loadPersisted(): Promise<void> {
    if (!this.persistent) return;
    for (const [key, raw] of this.persistent.load()) {
      try {
        this.local.set(key, { value: decodeJson(this.codec, raw), raw });
        this.served.values.set(key, raw);
      } catch (e) {
        // A stored value that no longer matches its type would poison every subscriber: drop it.
        this.log.error(
          { topic: describeTopic(this.id), key, err: (e as Error).message },
          "pubsub: persisted value does not match its type, removed",
        );
        await this.persistent.remove(key);
      }
    }
  }

  async set(key: string, value: T): Promise<void> {
    const raw = Buffer.from(JSON.stringify(value));
    if (raw.length + Buffer.byteLength(key) > MAX_RECORD_BYTES)
      // Subscribers' sockets drop larger frames (and the peer): it could never be delivered.
      throw new Error(
        `${describeTopic(this.id)} ${key}: value of ${raw.length} bytes is over the ${MAX_RECORD_BYTES}-byte limit of a pubsub record`,
      );
    if (this.local.get(key)?.raw.equals(raw)) return;
    this.local.set(key, { value, raw });
    await this.commit(key, raw);
  }

  async delete(key: string): Promise<void> {
    if (!this.local.has(key)) return;
    this.local.delete(key);
    await this.commit(key, undefined);
  }

  /** Makes the change visible to subscribers, after it is durable when the table is persistent. */
  private async commit(key: string, raw: Buffer | undefined): Promise<void> {
    if (this.persistent) {
      try {
        if (raw) await this.persistent.put(key, raw);
        else await this.persistent.remove(key);
      } catch (e) {
        this.log.error(
          { topic: describeTopic(this.id), key, err: String(e) },
          "pubsub: persistent write failed",
        );
        // Unless a later write replaced it, fall back to what subscribers (and the disk) hold.
        const mine = this.local.get(key);
        if (mine?.raw === raw) {
          const before = this.served.values.get(key);
          if (before) this.local.set(key, { value: decodeJson(this.codec, before), raw: before });
          else this.local.delete(key);
        }
        throw e;
      }
    }
    if (raw) this.served.values.set(key, raw);
    else this.served.values.delete(key);
    this.server.changed(this.served, key);
  }

  get(key: string): T | undefined {
    return this.local.get(key)?.value;
  }
  keys(): string[] {
    return [...this.local.keys()];
  }
  entries(): [string, T][] {
    return [...this.local].map(([k, v]) => [k, v.value]);
  }
  get size(): number {
    return this.local.size;
  }
  signalRestarted(): void {
    this.restartedCounter++;
    this.served.restarted = this.restartedCounter;
    this.server.restarted(this.served);
  }
  get restartedCount(): number {
    return this.restartedCounter;
  }
}
