// sha256 of a file, read in 1 MiB chunks: each chunk is ~1 ms of hashing, so the event loop (and
// with it the agent's main loop, pubsub and touch file) gets a turn between chunks however big the
// file is.
import { createHash } from "node:crypto";
import { copyFile, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

export const HASH_CHUNK = 1 << 20;

export async function sha256File(
  path: string,
  signal?: AbortSignal,
): Promise<{ sha256: string; size: number }> {
  const h = createHash("sha256");
  const fh = await open(path, "r");
  try {
    // Two reused buffers: the next chunk is read (thread pool) while this one is hashed (here).
    const bufs: Buffer[] = [Buffer.allocUnsafe(HASH_CHUNK), Buffer.allocUnsafe(HASH_CHUNK)];
    let size = 0;
    let i = 0;
    let pending: Promise<{ bytesRead: number }> = fh.read(bufs[0] as Buffer, 0, HASH_CHUNK, 0);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      const cur = bufs[i % 2] as Buffer;
      size += bytesRead;
      i++;
      pending = fh.read(bufs[i % 2] as Buffer, 0, HASH_CHUNK, size);
      h.update(cur.subarray(0, bytesRead));
    }
    return { sha256: h.digest("hex"), size };
  } finally {
    await fh.close();
  }
}

async function fsyncPath(path: string, flags = "r"): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Moves a file into the store durably: fsync the file, rename (copy + unlink across file systems),
 * fsync the store directory, so after a power cut the verified file is either whole there or not. */
export async function moveDurably(from: string, to: string): Promise<void> {
  await fsyncPath(from);
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    const tmp = `${to}.tmp-${process.pid}`;
    await copyFile(from, tmp);
    await fsyncPath(tmp);
    await rename(tmp, to);
    await unlink(from);
  }
  await fsyncPath(dirname(to));
}
