// Persistent publications live in LMDB: one environment per publishing agent under
// <persistDir>/<agent>, one named database per table. LMDB commits are atomic and, with
// overlappingSync off, a write's promise resolves only once it is on disk; commits happen in write
// order, so after a crash the table is a prefix of the writes, never a torn value.
import { statSync } from "node:fs";
import { join } from "node:path";
import type { Database, RootDatabase } from "lmdb";
import { ensurePrivateDir, restrictTree } from "./private-files.js";

type Lmdb = typeof import("lmdb");

// lmdb is a native module: loaded only by processes that use a persistent table.
let lmdbModule: Lmdb | undefined;
async function loadLmdb(): Promise<Lmdb> {
  lmdbModule ??= await import("lmdb");
  return lmdbModule;
}

const MAX_TABLES = 256;

/** Options of an LMDB root environment as lmdb-js takes them (`asClass` is not in its typings). */
type RootOptions = Parameters<Lmdb["open"]>[0] & { asClass?: boolean };

/**
 * Opens an LMDB environment without leaking it when lmdb-js fails half way.
 *
 * lmdb-js's `open()` opens the native environment, then runs a first transaction in the root store's
 * constructor; when that transaction fails, the native environment stays open and registered in
 * lmdb-js's per-process table of environments (keyed by the data file), where every later `open()`
 * of the same path in this process finds and reuses it, failing the same way, and its shared lock on
 * lock.mdb keeps every other process from repairing the lock region (see README "persistent tables").
 * So the class is built with `asClass`, the root constructed here, and on failure the orphaned
 * environment is closed through the class's own close before the error is rethrown.
 */
function openRoot(lmdb: Lmdb, options: RootOptions): RootDatabase {
  const Root = lmdb.open({ ...options, asClass: true } as RootOptions) as unknown as new (
    name: null,
    o: RootOptions,
  ) => RootDatabase;
  try {
    // open() would pass its options with its defaults; of those the root store needs isRoot (close()
    // closes the environment only for the root).
    return new Root(null, { ...options, isRoot: true } as RootOptions);
  } catch (e) {
    // A bare instance: close() only needs isRoot and the environment held in the class's closure.
    const orphan = Object.create(Root.prototype) as RootDatabase & { isRoot: boolean; _endWrites?: unknown };
    orphan.isRoot = true;
    orphan._endWrites = undefined;
    try {
      void orphan.close();
    } catch {
      // already closed: nothing to release
    }
    throw e;
  }
}

/** Attempts (and the pause before each retry) of a read-write open that fails in LMDB's lock race. */
const OPEN_RETRY_MS = [50, 100, 200, 400, 800];

export class PersistentStore {
  private constructor(private readonly env: RootDatabase) {}

  /** The store's directory is 0700 and its files 0600 whatever the umask: published tables can hold
   * secrets (DatastoreConfig carries datastore credentials). */
  static async open(persistDir: string, agent: string): Promise<PersistentStore> {
    const lmdb = await loadLmdb();
    const path = join(persistDir, agent);
    ensurePrivateDir(path);
    // A read-only environment this process holds on its own store would be shared by lmdb-js with
    // this open, which would then be read-only: let it go first (readers reopen and share this one).
    StoreReader.dropAll(path);
    for (let attempt = 0; ; attempt++) {
      try {
        const env = openRoot(lmdb, {
          path,
          maxDbs: MAX_TABLES,
          overlappingSync: false,
          compression: false,
          encoding: "binary",
        });
        restrictTree(path);
        return new PersistentStore(env);
      } catch (e) {
        // Only the transient lock-region race is retried (openRoot closed the failed environment).
        const wait = OPEN_RETRY_MS[attempt];
        if (wait === undefined || !isLockRace(e)) throw e;
        await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
      }
    }
  }

  table(name: string): PersistentTable {
    return new PersistentTable(this.env.openDB({ name, encoding: "binary" }));
  }

  async close(): Promise<void> {
    await this.env.close();
  }
}

/** EINVAL from a lock region whose mutexes another process destroyed (README "persistent tables"). */
function isLockRace(e: unknown): boolean {
  return (e as { code?: unknown }).code === 22;
}

export class PersistentTable {
  constructor(private readonly db: Database<Buffer, string>) {}

  load(): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const { key, value } of this.db.getRange()) out.set(String(key), Buffer.from(value));
    return out;
  }

  /** Resolves once the write is durable. */
  async put(key: string, value: Buffer): Promise<void> {
    await this.db.put(key, value);
  }

  async remove(key: string): Promise<void> {
    await this.db.remove(key);
  }
}

/** Smallest data.mdb LMDB can have: two meta pages. A smaller (empty) one is a store being created;
 * lmdb opening it read-only crashes the process. */
const MIN_DATA_BYTES = 8192;
/** Opens of a store one read tries before it reports the error (each is a fraction of a millisecond). */
const READ_ATTEMPTS = 3;

/**
 * Read-only access to another agent's store, one per path per process, shared by all its readers
 * (the subscriptions of a bus, readPersistentTable). The environment is opened on first read and kept
 * open across reads (each read is one fresh read transaction, so it sees the latest commit), closed
 * when the last user releases it, and closed and reopened after any error or when data.mdb was
 * replaced. Reads are synchronous and short: no read waits on another one.
 */
export class StoreReader {
  private static readonly byPath = new Map<string, StoreReader>();
  private users = 0;
  private env: RootDatabase | undefined;
  private ino = 0;
  private readonly dbs = new Map<string, Database<Buffer, string>>();

  private constructor(
    private readonly lmdb: Lmdb,
    readonly path: string,
  ) {}

  /** Takes a share of `persistDir/agent`'s reader; `release()` it when done. */
  static async acquire(persistDir: string, agent: string): Promise<StoreReader> {
    const lmdb = await loadLmdb();
    const path = join(persistDir, agent);
    let r = StoreReader.byPath.get(path);
    if (!r) {
      r = new StoreReader(lmdb, path);
      StoreReader.byPath.set(path, r);
    }
    r.users++;
    return r;
  }

  /** Closes the environment of `path` (if a reader holds one); the next read reopens it. */
  static dropAll(path: string): void {
    StoreReader.byPath.get(path)?.drop();
  }

  release(): void {
    if (--this.users > 0) return;
    this.drop();
    StoreReader.byPath.delete(this.path);
  }

  /** The table's entries; undefined while the store does not exist yet or is being created. Throws
   * what LMDB says if the store cannot be read even after reopening it once. */
  read(table: string): Map<string, Buffer> | undefined {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.readOnce(table);
      } catch (e) {
        // readOnce closed the failed environment; reopening it is retried at once: the error is most
        // often a race that is over by now (another process closing the store as this one opened it).
        if (attempt >= READ_ATTEMPTS) throw e;
      }
    }
  }

  private readOnce(table: string): Map<string, Buffer> | undefined {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(join(this.path, "data.mdb"));
    } catch {
      this.drop();
      return undefined;
    }
    if (st.size < MIN_DATA_BYTES) return undefined;
    if (this.env && st.ino !== this.ino) this.drop();
    try {
      if (!this.env) {
        this.env = openRoot(this.lmdb, {
          path: this.path,
          readOnly: true,
          maxDbs: MAX_TABLES,
          encoding: "binary",
        });
        this.ino = st.ino;
      }
      let db = this.dbs.get(table);
      if (!db) {
        try {
          db = this.env.openDB({ name: table, encoding: "binary", create: false } as never);
        } catch {
          db = undefined; // not created yet ("Database not found")
        }
        if (!db) return new Map();
        this.dbs.set(table, db);
      }
      return new PersistentTable(db).load();
    } catch (e) {
      this.drop();
      throw e;
    }
  }

  private drop(): void {
    const env = this.env;
    this.env = undefined;
    this.dbs.clear();
    if (env) void env.close().catch(() => undefined);
  }
}

/** Reads another agent's persistent table without that agent running (read-only; empty if none). */
export async function readPersistentTable(
  persistDir: string,
  agent: string,
  table: string,
): Promise<Map<string, Buffer>> {
  const reader = await StoreReader.acquire(persistDir, agent);
  try {
    return reader.read(table) ?? new Map();
  } finally {
    reader.release();
  }
}
