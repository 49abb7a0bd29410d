// The config checkpoint under persist/checkpoint/: the last accepted config answer, still signed, and
// the certificate that signed it. Plain file I/O, run in the worker pool by its callers.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensurePrivateDir, writeFileDurable } from "@outpost/primitives";

export const CHECKPOINT_FILES = { config: "lastconfig", certs: "controllercerts" } as const;

export interface Checkpoint {
  /** The AuthContainer bytes as the controller sent them. */
  raw: Uint8Array;
  /** The controller's signing certificate (PEM) that signed them. */
  signingPem: string;
}

export function writeCheckpoint(dir: string, raw: Uint8Array, signingPem: string | undefined): void {
  // The config carries datastore credentials: owner-only, like the rest of persist/.
  ensurePrivateDir(dir);
  // The signing certificate first: a checkpoint is only usable with the certificate that signed it.
  if (signingPem) writeFileDurable(join(dir, CHECKPOINT_FILES.certs), signingPem, 0o600);
  writeFileDurable(join(dir, CHECKPOINT_FILES.config), raw, 0o600);
}

/** Undefined when either file is missing (no config was ever accepted). */
export function readCheckpoint(dir: string): Checkpoint | undefined {
  const cfgFile = join(dir, CHECKPOINT_FILES.config);
  const certFile = join(dir, CHECKPOINT_FILES.certs);
  if (!existsSync(cfgFile) || !existsSync(certFile)) return undefined;
  return { raw: readFileSync(cfgFile), signingPem: readFileSync(certFile, "utf8") };
}
