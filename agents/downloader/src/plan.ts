// The downloader's decision for one blob, from plain facts. Pure: the executor (downloads.ts) gathers
// the facts, runs the actions, and calls it again whenever a fact changes.
import type {
  BlobOwner,
  DownloaderConfig,
  DownloaderStatus,
  ErrorInfo,
  VerifyImageStatus,
} from "@outpost/types";

export interface DownloadFacts {
  config: DownloaderConfig | undefined;
  /** What we publish now (undefined: nothing published). */
  status: DownloaderStatus | undefined;
  /** The DatastoreConfig named by config.datastoreId is known. */
  datastoreKnown: boolean;
  /** A fetch is in flight (or being aborted) for this attempt number. */
  running: { retry: number } | undefined;
  /** The downloader's own finished file (downloaded/<sha>), when there is one. */
  downloaded: { path: string; size: number } | undefined;
  /** The verifier's word on this blob (VerifyImageStatus on the bus): VERIFIED means the verifier has
   * the blob in its store, so there is nothing to fetch; VERIFYING means it took our file. */
  verifier: VerifyImageStatus | undefined;
  /** A failed attempt waits for its back-off timer. */
  waitingForRetry: boolean;
  /** An error retrying cannot fix (too large) holds until the config changes. */
  blocked: boolean;
  /** A download slot is free (the concurrency cap). */
  slotFree: boolean;
}

export type DownloadAction =
  /** Stop the fetch in flight; its result is ignored. */
  | { kind: "abort" }
  /** Abort, delete the files, forget counters: the config asked for a fresh download (retry bump). */
  | { kind: "reset"; retry: number }
  /** Delete .part, .meta and the downloaded file; drop the status. */
  | { kind: "remove" }
  | { kind: "start" }
  | { kind: "publish"; status: DownloaderStatus }
  /** Decide again, now that the published status has changed. */
  | { kind: "again" };

export function initialStatus(c: DownloaderConfig): DownloaderStatus {
  return {
    sha256: c.sha256,
    state: "INITIAL",
    currentSize: 0,
    totalSize: c.size,
    progress: 0,
    fetchedBytes: 0,
    retryCount: 0,
    retry: c.retry,
  };
}

/** What went wrong, for the executor to turn into an ErrorInfo (with its clock). */
export type Problem = { kind: "unknownDatastore" } | { kind: "fileGone"; path: string };

export function decide(f: DownloadFacts, problem: (p: Problem) => ErrorInfo): DownloadAction[] {
  const c = f.config;
  if (!c) return f.running ? [{ kind: "abort" }, { kind: "remove" }] : [{ kind: "remove" }];
  // First sight of this config in this process: files left by an earlier run are kept (resumed).
  if (!f.status && !f.running) return [{ kind: "publish", status: initialStatus(c) }, { kind: "again" }];
  const answered = f.running?.retry ?? f.status?.retry ?? c.retry;
  if (answered !== c.retry) return [{ kind: "reset", retry: c.retry }];
  const s = f.status;
  if (!s) return [];
  const held = heldBlob(f);
  if (held && !f.running) {
    if (s.state === "DOWNLOADED" && s.path === held.path && s.owner === held.owner) return [];
    const size = held.size;
    const { error: _dropped, ...rest } = s;
    return [
      {
        kind: "publish",
        status: {
          ...rest,
          state: "DOWNLOADED",
          path: held.path,
          owner: held.owner,
          currentSize: size,
          totalSize: size,
          progress: 100,
        },
      },
    ];
  }
  if (f.running) return [];
  if (s.state === "DOWNLOADED" && s.path !== undefined) {
    // The verifier took our file (a VerifyImageConfig named it) and has not answered yet: it moves the
    // file into its store or deletes it, and its status says which. Nothing is gone yet.
    if (f.verifier?.state === "VERIFYING" && f.verifier.retry === s.retry) return [];
    // The finished file went away at this retry: the verifier deletes a file whose sha256 did not
    // match. Fetching it again unasked would be an attempt volumemgr does not count, and would leave an
    // unverified file behind for good once it has given up; a new download comes with a retry bump.
    return [
      {
        kind: "publish",
        status: {
          ...withoutPath(s),
          state: "INITIAL",
          currentSize: 0,
          progress: 0,
          error: problem({ kind: "fileGone", path: s.path }),
        },
      },
    ];
  }
  if (s.state === "INITIAL" && s.error?.source?.type === "DownloadedFile") return [];
  if (!f.datastoreKnown) {
    if (s.error && s.state === "INITIAL" && s.error.source?.type === "Datastore") return [];
    return [
      {
        kind: "publish",
        status: { ...withoutPath(s), state: "INITIAL", error: problem({ kind: "unknownDatastore" }) },
      },
    ];
  }
  if (f.blocked || f.waitingForRetry) return [];
  if (!f.slotFree) {
    // Queued behind the concurrency cap: DOWNLOADING at progress 0 until a slot frees up.
    if (s.state === "DOWNLOADING" && s.progress === 0 && !s.error) return [];
    return [
      { kind: "publish", status: { ...withoutPath(s), state: "DOWNLOADING", progress: 0, error: undefined } },
    ];
  }
  return [{ kind: "start" }];
}

/** Where the blob is, if it is anywhere: our own finished file first, else the verifier's. */
function heldBlob(f: DownloadFacts): { path: string; size: number; owner: BlobOwner } | undefined {
  if (f.downloaded) return { ...f.downloaded, owner: "downloader" };
  const v = f.verifier;
  if (v?.state === "VERIFIED" && v.path) return { path: v.path, size: v.size, owner: "verifier" };
  return undefined;
}

/** The status without a finished file: no path, so no owner either. */
export function withoutPath(s: DownloaderStatus): DownloaderStatus {
  const { path: _p, owner: _o, ...rest } = s;
  return rest;
}

/** Percent done, when the total is known. */
export function percent(current: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((current * 100) / total));
}
