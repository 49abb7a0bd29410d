// Persistent publications live in LMDB: one environment per publishing agent under
// <persistDir>/<agent>, one named database per table. LMDB commits are atomic and, with
// overlappingSync off, a write's promise resolves only once it is on disk; commits happen in write
// order, so after a crash the table is a prefix of the writes, never a torn value.
import { existsSync } from "node:fs";
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

export class PersistentStore {
  private constructor(private readonly env: RootDatabase) {}

  /** The store's directory is 0700 and its files 0600 whatever the umask: published tables can hold
   * secrets (DatastoreConfig carries datastore credentials). */
  static async open(persistDir: string, agent: string): Promise<PersistentStore> {
    const { open } = await loadLmdb();
    const path = join(persistDir, agent);
    ensurePrivateDir(path);
    const env = open({
      path,
      maxDbs: MAX_TABLES,
      overlappingSync: false,
      compression: false,
      encoding: "binary",
    });
    restrictTree(path);
    return new PersistentStore(env);
  }

  table(name: string): PersistentTable {
    return new PersistentTable(this.env.openDB({ name, encoding: "binary" }));
  }

  async close(): Promise<void> {
    await this.env.close();
  }
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

/** Reads another agent's persistent table without that agent running (read-only; empty if none). */
export async function readPersistentTable(
  persistDir: string,
  agent: string,
  table: string,
): Promise<Map<string, Buffer>> {
  const path = join(persistDir, agent);
  if (!existsSync(join(path, "data.mdb"))) return new Map();
  const { open } = await loadLmdb();
  const env = open({ path, readOnly: true, maxDbs: MAX_TABLES, encoding: "binary" });
  try {
    let db: Database<Buffer, string>;
    try {
      db = env.openDB({ name: table, encoding: "binary", create: false } as never);
    } catch {
      return new Map();
    }
    return new PersistentTable(db).load();
  } finally {
    await env.close();
  }
}
