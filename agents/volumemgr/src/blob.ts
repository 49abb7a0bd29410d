import {
  type BlobStatus,
  type DownloaderConfig,
  type DownloaderStatus,
  makeError,
  stableError,
  type VerifyImageConfig,
  type VerifyImageStatus,
} from "@outpost/types";
import type { Action } from "./actions.js";

// One blob (a docker-save archive, or an OCI manifest/index/config/layer), from "wanted by a content
// tree" to VERIFIED:
//   DOWNLOADING --DownloaderStatus DOWNLOADED--> VERIFYING --VerifyImageStatus VERIFIED--> VERIFIED
//        ^                                          |
//        +---- mismatch: DownloaderConfig.retry+1 --+   (after MAX_DOWNLOADS mismatches: error, the
//                                                       DownloaderConfig withdrawn, its files deleted)

export const MAX_DOWNLOADS = 3;

/** What the content trees ask of one blob this pass. */
export interface BlobWant {
  sha256: string;
  kind: BlobStatus["kind"];
  datastoreId: string;
  relativeUrl: string;
  /** From an OCI descriptor; 0 = unknown until downloaded. */
  size: number;
  maxSizeBytes: number;
  mediaType?: string | undefined;
  contentTrees: string[];
  /** The referencing trees' ids and generations: a new generation gives a failed blob fresh attempts. */
  epoch: string;
}

/** volumemgr's own memory of a blob's downloads (not published). */
export interface BlobAttempts {
  /** The DownloaderConfig.retry in force. */
  retry: number;
  /** Verification failures counted so far (against this epoch). */
  mismatches: number;
  /** The retry whose mismatch was last counted, so one failure is counted once. */
  countedRetry: number;
  epoch: string;
}

export interface BlobDeps {
  downloader: DownloaderStatus | undefined;
  verifier: VerifyImageStatus | undefined;
  attempts: BlobAttempts | undefined;
  /** The VerifyImageConfig published for it now, if any: kept as is once VERIFIED. */
  verifyConfig: VerifyImageConfig | undefined;
  now?: Date;
}

export interface BlobUpdate {
  status: BlobStatus;
  attempts: BlobAttempts;
  actions: Action[];
}

export function updateBlob(want: BlobWant, prev: BlobStatus | undefined, deps: BlobDeps): BlobUpdate {
  const { downloader: dl, verifier: vf } = deps;
  // After a restart of volumemgr, carry on with the retry the downloader is at rather than asking
  // it to start over.
  let a: BlobAttempts = deps.attempts ?? {
    retry: Math.max(dl?.retry ?? 0, vf?.retry ?? 0),
    mismatches: 0,
    countedRetry: -1,
    epoch: want.epoch,
  };
  if (a.epoch !== want.epoch) {
    // The config was bumped: a blob that failed gets fresh attempts (and a fresh download).
    a =
      a.mismatches > 0
        ? { retry: a.retry + 1, mismatches: 0, countedRetry: -1, epoch: want.epoch }
        : { ...a, epoch: want.epoch };
  }
  const base: BlobStatus = {
    sha256: want.sha256,
    kind: want.kind,
    state: "DOWNLOADING",
    size: want.size,
    currentSize: 0,
    progress: 0,
    contentTrees: want.contentTrees,
    ...(want.mediaType ? { mediaType: want.mediaType } : {}),
  };
  const source = { type: "Blob", id: want.sha256 };
  const dlConfig = (): DownloaderConfig => ({
    sha256: want.sha256,
    datastoreId: want.datastoreId,
    relativeUrl: want.relativeUrl,
    kind: want.kind === "index" ? "manifest" : want.kind,
    size: want.size,
    maxSizeBytes: want.maxSizeBytes,
    retry: a.retry,
  });
  // A VerifyImageConfig once published stays while the blob is wanted, until a newer download
  // replaces it. Withdrawn, it makes the verifier drop its answer and delete what it verified; and the
  // verifier's answer can reach us after the downloader's view of the same moment (its file moved into
  // the store or deleted on a mismatch looks "gone" to it), so a pass seeing only the downloader's
  // side must not take the question back.
  const done = (status: BlobStatus, actions: Action[]): BlobUpdate => ({
    status: { ...status, ...(status.error ? { error: stableError(prev?.error, status.error) } : {}) },
    attempts: a,
    actions:
      deps.verifyConfig && !actions.some((x) => x.kind === "publishVerifyImageConfig")
        ? [...actions, { kind: "publishVerifyImageConfig", config: deps.verifyConfig }]
        : actions,
  });

  if (vf?.state === "VERIFIED" && vf.path) {
    // The downloader's part is over: its config is withdrawn; the verify config stays as published
    // (a changed path or retry would make the verifier look again). Re-claiming a blob verified before
    // (after our restart, or for a new tree) names the path the statuses give: the downloader's, else
    // the verified file itself, which the verifier already holds.
    const size = vf.size || want.size || dl?.totalSize || 0;
    const verifyConfig = deps.verifyConfig ?? {
      sha256: want.sha256,
      path: dl?.path ?? vf.path,
      size,
      retry: vf.retry,
    };
    return done({ ...base, state: "VERIFIED", path: vf.path, size, currentSize: size, progress: 100 }, [
      { kind: "publishVerifyImageConfig", config: verifyConfig },
    ]);
  }

  if (vf?.error && vf.retry === a.retry) {
    if (a.countedRetry !== a.retry) a = { ...a, mismatches: a.mismatches + 1, countedRetry: a.retry };
    if (a.mismatches < MAX_DOWNLOADS) {
      a = { ...a, retry: a.retry + 1 };
      return done({ ...base, size: want.size || dl?.totalSize || 0 }, [
        { kind: "publishDownloaderConfig", config: dlConfig() },
      ]);
    }
    // Out of attempts: the DownloaderConfig is withdrawn, so the downloader deletes whatever it still
    // holds of the blob (no unverified bytes stay in downloaded/) and fetches nothing more; the verify
    // config stays, so its mismatch is remembered. A bump of the tree gives fresh attempts.
    const error = makeError(
      `sha256 mismatch after ${a.mismatches} downloads of ${want.kind} ${want.sha256}: ${vf.error.description}`,
      { retryCondition: "fix the datastore and bump the config", source, now: deps.now },
    );
    return done({ ...base, state: "VERIFYING", size: want.size || dl?.totalSize || 0, error }, []);
  }

  const current = dl && dl.retry === a.retry ? dl : undefined;
  if (current?.state === "DOWNLOADED" && current.path) {
    const size = current.totalSize || current.currentSize || want.size;
    const verifyConfig: VerifyImageConfig = { sha256: want.sha256, path: current.path, size, retry: a.retry };
    return done(
      {
        ...base,
        state: "VERIFYING",
        size,
        currentSize: size,
        progress: 100,
        ...(vf?.retry === a.retry && vf.error ? { error: vf.error } : {}),
      },
      [
        { kind: "publishDownloaderConfig", config: dlConfig() },
        { kind: "publishVerifyImageConfig", config: verifyConfig },
      ],
    );
  }

  const asked = deps.verifyConfig;
  if (asked && asked.retry === a.retry) {
    // The verifier took this download and has not answered yet: VERIFYING, whatever the downloader
    // says meanwhile (it sees its file gone once the verifier moved or deleted it).
    return done({ ...base, state: "VERIFYING", size: asked.size, currentSize: asked.size, progress: 100 }, [
      { kind: "publishDownloaderConfig", config: dlConfig() },
    ]);
  }

  const status: BlobStatus = {
    ...base,
    size: want.size || current?.totalSize || 0,
    currentSize: current?.currentSize ?? 0,
    progress: current?.progress ?? 0,
  };
  if (current?.error) status.error = { ...current.error, source: current.error.source ?? source };
  return done(status, [{ kind: "publishDownloaderConfig", config: dlConfig() }]);
}
