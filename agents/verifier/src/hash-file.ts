// sha256 of a file, streamed in 1 MiB chunks: each chunk is ~1 ms of hashing, so the event loop (and
// with it the agent's main loop, pubsub and touch file) gets a turn between chunks however big the
// file is.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

export const HASH_CHUNK = 1 << 20;

export async function sha256File(
  path: string,
  signal?: AbortSignal,
): Promise<{ sha256: string; size: number }> {
  const h = createHash("sha256");
  let size = 0;
  const input = createReadStream(path, { highWaterMark: HASH_CHUNK, ...(signal ? { signal } : {}) });
  for await (const chunk of input as AsyncIterable<Buffer>) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha256: h.digest("hex"), size };
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
