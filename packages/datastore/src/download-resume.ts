// Fetches one blob into a .part file, resuming what a previous attempt (or a previous process, or a
// previous boot) left there. Invariant: the .part file only ever holds a prefix of the blob as the
// server identified it in the .meta file beside it (URL + ETag); anything else is discarded and the
// download starts from zero. This module never verifies content: the verifier does.

import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type DatastoreClient, DatastoreHttpError } from "./http-client.js";

/** Bytes received between background datasyncs of the .part file. */
const SYNC_EVERY = 32 << 20;
/** Bytes received between free-space checks while the body streams in. */
const SPACE_EVERY = 1 << 20;

export type DownloadErrorKind = "tooLarge" | "noSpace" | "stalled" | "http" | "sizeMismatch" | "network";

export class DownloadError extends Error {
  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
    /** False when retrying cannot help until the config or the datastore changes. */
    readonly retryable = true,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

/** The disk is full (ENOSPC/EDQUOT) or the download would eat into the free space it must leave. The
 * .part is kept: it is a prefix of the blob, and resuming once space is back continues from it. */
export class NoSpaceError extends DownloadError {
  constructor(
    message: string,
    /** Bytes still to fetch when known (0 = unknown). */
    readonly needBytes: number,
  ) {
    super("noSpace", message);
    this.name = "NoSpaceError";
  }
}

export function isNoSpace(e: unknown): boolean {
  if (e instanceof DownloadError) return e.kind === "noSpace";
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

export interface DownloadProgress {
  /** Bytes in the .part file. */
  currentSize: number;
  /** Total size when known (0 = unknown). */
  totalSize: number;
  /** Bytes received over the network by this call. */
  fetchedBytes: number;
}

export interface DownloadOptions {
  client: DatastoreClient;
  url: URL;
  /** Extra request headers (Accept for manifests). */
  headers?: Record<string, string>;
  authScope?: string;
  partPath: string;
  metaPath: string;
  /** Extra identity of the attempt, stored in .meta; a .part with another identity is discarded. */
  identity?: string;
  /** Known size (0 = unknown). */
  expectedSize: number;
  /** 0 = no limit. */
  maxSizeBytes: number;
  /** Abort when no byte arrives for this long. */
  stallMs: number;
  /** Free bytes on the file system holding partPath (statfs) that this download may use (the
   * caller subtracts any reserve it keeps). Checked before the body and every MiB while it streams. */
  freeBytes: () => Promise<number>;
  signal: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
}

export interface DownloadResult {
  size: number;
  fetchedBytes: number;
  /** Where this call started (0 = from scratch). */
  resumedFrom: number;
  mediaType?: string;
}

interface PartMeta {
  url: string;
  identity?: string;
  etag?: string;
}

/** fsync a directory, so a rename or create in it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** primitives' writeFileDurable without blocking the event loop on the fsyncs: temp file, fsync,
 * rename, fsync the directory. */
async function writeFileDurableAsync(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
}

async function readMeta(path: string): Promise<PartMeta | undefined> {
  try {
    const doc = JSON.parse(await readFile(path, "utf8")) as Partial<PartMeta>;
    if (typeof doc.url !== "string") return undefined;
    return {
      url: doc.url,
      ...(typeof doc.identity === "string" ? { identity: doc.identity } : {}),
      ...(typeof doc.etag === "string" ? { etag: doc.etag } : {}),
    };
  } catch {
    return undefined;
  }
}

export async function removePart(partPath: string, metaPath: string): Promise<void> {
  await Promise.all([unlink(partPath).catch(() => {}), unlink(metaPath).catch(() => {})]);
}

function tooLarge(size: number, max: number, what: string): DownloadError {
  return new DownloadError("tooLarge", `${what} is ${size} bytes, more than maxSizeBytes ${max}`, false);
}

async function checkSpace(o: DownloadOptions, needed: number): Promise<void> {
  if (needed <= 0) return;
  const free = await o.freeBytes();
  if (needed > free)
    throw new NoSpaceError(
      `not enough disk space: need ${needed} more bytes, ${free} free for ${o.partPath}`,
      needed,
    );
}

/** Downloads (or resumes) o.url into o.partPath. Resolves when the .part file holds the whole blob
 * and is fsynced; the caller renames it into place. */
export async function downloadToFile(o: DownloadOptions): Promise<DownloadResult> {
  let offset = await sizeOf(o.partPath);
  const meta = await readMeta(o.metaPath);
  if (offset > 0 && (meta === undefined || meta.url !== o.url.href || meta.identity !== o.identity)) {
    await removePart(o.partPath, o.metaPath);
    offset = 0;
  }
  if (o.expectedSize > 0 && o.maxSizeBytes > 0 && o.expectedSize > o.maxSizeBytes)
    throw tooLarge(o.expectedSize, o.maxSizeBytes, "the blob");
  if (o.expectedSize > 0 && offset > o.expectedSize) {
    await removePart(o.partPath, o.metaPath);
    offset = 0;
  }
  if (o.expectedSize > 0 && offset === o.expectedSize)
    return { size: offset, fetchedBytes: 0, resumedFrom: offset };
  if (o.expectedSize > 0) await checkSpace(o, o.expectedSize - offset);

  for (let attempt = 0; attempt < 2; attempt++) {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (offset > 0) {
      headers.Range = `bytes=${offset}-`;
      // A weak ETag may not be used in If-Range; then the Content-Range check below is all we have.
      if (meta?.etag && !meta.etag.startsWith("W/")) headers["If-Range"] = meta.etag;
    }
    let res: IncomingMessage;
    try {
      res = await o.client.request(o.url, { headers, signal: o.signal, timeoutMs: o.stallMs }, o.authScope);
    } catch (e) {
      if (e instanceof DatastoreHttpError) throw new DownloadError("http", e.message);
      throw new DownloadError("network", `${o.url.href}: ${(e as Error).message}`);
    }
    const status = res.statusCode ?? 0;
    const mediaType = (res.headers["content-type"] ?? "").split(";")[0]?.trim() || undefined;
    if (status === 416 && offset > 0) {
      // Already complete if the server says the blob is exactly what we hold.
      res.resume();
      const total = Number(/\/(\d+)$/.exec(String(res.headers["content-range"] ?? ""))?.[1] ?? Number.NaN);
      if (total === offset)
        return { size: offset, fetchedBytes: 0, resumedFrom: offset, ...(mediaType ? { mediaType } : {}) };
      await removePart(o.partPath, o.metaPath);
      offset = 0;
      continue;
    }
    if (status !== 200 && status !== 206) {
      res.resume();
      throw new DownloadError(
        "http",
        `${o.url.href}: HTTP ${status}${status === 404 ? " (not found on the datastore)" : ""}`,
      );
    }
    let start = 0;
    let total = 0;
    const length = Number(res.headers["content-length"] ?? Number.NaN);
    if (status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers["content-range"] ?? ""));
      if (!m || Number(m[1]) !== offset) {
        // Not the range we asked for: start over rather than splice unknown bytes.
        res.destroy();
        await removePart(o.partPath, o.metaPath);
        offset = 0;
        continue;
      }
      start = offset;
      total = m[3] === "*" ? 0 : Number(m[3]);
    } else {
      // 200: the server ignored Range (or If-Range said the blob changed): from zero.
      total = Number.isFinite(length) ? length : 0;
    }
    if (o.maxSizeBytes > 0 && total > o.maxSizeBytes) {
      res.destroy();
      await removePart(o.partPath, o.metaPath);
      throw tooLarge(total, o.maxSizeBytes, o.url.href);
    }
    if (o.expectedSize > 0 && total > 0 && total !== o.expectedSize) {
      res.destroy();
      throw new DownloadError("sizeMismatch", `${o.url.href} is ${total} bytes, expected ${o.expectedSize}`);
    }
    try {
      await checkSpace(o, (total || o.expectedSize) - start);
    } catch (e) {
      res.destroy();
      throw e;
    }
    const etag = res.headers.etag;
    await writeFileDurableAsync(
      o.metaPath,
      JSON.stringify({
        url: o.url.href,
        ...(o.identity ? { identity: o.identity } : {}),
        ...(etag ? { etag } : {}),
      }),
    );
    const fetched = await receive(o, res, start, total || o.expectedSize);
    const size = start + fetched;
    if (total > 0 && size !== total)
      throw new DownloadError("network", `${o.url.href}: connection closed at ${size} of ${total} bytes`);
    const fh = await open(o.partPath, "r+");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { size, fetchedBytes: fetched, resumedFrom: start, ...(mediaType ? { mediaType } : {}) };
  }
  throw new DownloadError("http", `${o.url.href}: the server keeps answering ranges we did not ask for`);
}

/** Streams the body into the .part file from `start`, watching size and stalls. */
async function receive(
  o: DownloadOptions,
  res: IncomingMessage,
  start: number,
  total: number,
): Promise<number> {
  let fetched = 0;
  let failure: DownloadError | undefined;
  const fail = (e: DownloadError) => {
    failure ??= e;
    res.destroy(e);
  };
  const stall = setTimeout(
    () =>
      fail(
        new DownloadError(
          "stalled",
          `${o.url.href}: stalled, no bytes for ${o.stallMs / 1000} s at ${start + fetched} bytes`,
        ),
      ),
    o.stallMs,
  );
  const fh = await open(o.partPath, start > 0 ? "a" : "w");
  const out = fh.createWriteStream({ highWaterMark: 1 << 20 });
  // Flush to disk as we go (one datasync in flight at a time), so the final fsync of a large blob
  // does not write it all at the end: disk writes overlap the network instead of following it.
  let unsynced = 0;
  let syncing = false;
  let sinceSpaceCheck = 0;
  const pass = (chunk: Buffer, cb: (e?: Error | null, d?: Buffer) => void) => {
    stall.refresh();
    fetched += chunk.length;
    unsynced += chunk.length;
    if (unsynced >= SYNC_EVERY && !syncing) {
      unsynced = 0;
      syncing = true;
      fh.datasync().then(
        () => (syncing = false),
        () => (syncing = false),
      );
    }
    const current = start + fetched;
    if (o.maxSizeBytes > 0 && current > o.maxSizeBytes) {
      const e = tooLarge(current, o.maxSizeBytes, `${o.url.href} (so far)`);
      failure ??= e;
      cb(e);
      return;
    }
    o.onProgress?.({ currentSize: current, totalSize: total, fetchedBytes: fetched });
    cb(null, chunk);
  };
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sinceSpaceCheck += chunk.length;
      if (sinceSpaceCheck < SPACE_EVERY) return pass(chunk, cb);
      sinceSpaceCheck = 0;
      // Another writer may fill the disk while we stream: stop at the caller's limit (its reserve)
      // rather than at ENOSPC, which would hit every other writer on the disk too.
      o.freeBytes().then(
        (free) => {
          if (free > 0) return pass(chunk, cb);
          const at = start + fetched;
          const e = new NoSpaceError(
            `not enough disk space: ${free} bytes free for ${o.partPath} at ${at} bytes`,
            total > 0 ? total - at : 0,
          );
          failure ??= e;
          cb(e);
        },
        () => pass(chunk, cb),
      );
    },
  });
  try {
    await pipeline(res, meter, out, { signal: o.signal });
  } catch (e) {
    if (failure?.kind === "tooLarge") await removePart(o.partPath, o.metaPath);
    if (failure) throw failure;
    if (o.signal.aborted) throw e;
    if (isNoSpace(e))
      throw new NoSpaceError(
        `${(e as Error).message} at ${start + fetched} bytes of ${o.partPath}`,
        total > 0 ? total - start - fetched : 0,
      );
    throw new DownloadError("network", `${o.url.href}: ${(e as Error).message} at ${start + fetched} bytes`);
  } finally {
    clearTimeout(stall);
  }
  return fetched;
}
