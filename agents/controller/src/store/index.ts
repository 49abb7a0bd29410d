// The controller's store layer (README.md beside this file): the interface and its two stores.
import { LmdbStore } from "./lmdb.js";
import type { ControllerStore, StoreOptions } from "./types.js";

export { LmdbStore } from "./lmdb.js";
export * from "./types.js";
// PgStore is loaded only when asked for (openStore): a controller on LMDB never loads the client.

export type StoreSpec = { kind: "lmdb"; dir: string } | { kind: "postgres"; url: string; password?: string };

/** `--store`: "lmdb" or a postgres:// URL. A password in the URL is refused: argv is visible to every
 * user of the machine (ps); it comes from PGPASSWORD or a 0600 file instead. */
export function parseStoreFlag(v: string): { kind: "lmdb" } | { kind: "postgres"; url: string } {
  if (v === "lmdb") return { kind: "lmdb" };
  if (/^postgres(ql)?:\/\//.test(v)) {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new Error(`--store: not a URL: ${redact(v)}`);
    }
    if (u.password)
      throw new Error(
        "--store: a password in the URL would show in ps output and logs; give it in PGPASSWORD or --store-password-file instead",
      );
    return { kind: "postgres", url: v };
  }
  throw new Error(`--store: expected "lmdb" or a postgres:// URL, got "${redact(v)}"`);
}

/** The URL as it may be logged: without a password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}

export async function openStore(
  spec: StoreSpec,
  o: StoreOptions & { applicationName?: string } = {},
): Promise<ControllerStore> {
  if (spec.kind === "lmdb") return LmdbStore.open(spec.dir, o);
  const { PgStore } = await import("./postgres.js");
  return PgStore.open({
    ...o,
    url: spec.url,
    ...(spec.password !== undefined ? { password: spec.password } : {}),
  });
}
