// Test blobs: random bytes whose digest the test knows, written in 1 MiB chunks so a 500 MB blob
// never sits in memory whole.
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";

/** Writes `size` random bytes to `path`; returns their sha256 (hex). */
export function randomFile(path: string, size: number): string {
  const h = createHash("sha256");
  const fd = openSync(path, "w");
  try {
    for (let left = size; left > 0; ) {
      const n = Math.min(left, 1 << 20);
      const b = Buffer.allocUnsafe(n);
      // getRandomValues fills at most 64 KiB per call.
      for (let off = 0; off < n; off += 65536)
        globalThis.crypto.getRandomValues(b.subarray(off, Math.min(n, off + 65536)));
      writeSync(fd, b);
      h.update(b);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest("hex");
}

export function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Writes zeros to `path` until the file system says ENOSPC (a full disk, for real); returns the
 * bytes written. The caller frees the space by deleting or truncating the file. */
export function fillDisk(path: string): number {
  const fd = openSync(path, "a");
  const chunk = Buffer.alloc(64 << 10);
  let total = 0;
  try {
    for (;;) total += writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
  return total;
}
