// The executor for DownloaderConfig: gathers each blob's facts, asks plan.decide what to do, and does
// it. Loop-owned state lives here; fetching runs in the worker pool and comes back as loop tasks.
import { statfsSync, statSync, unlinkSync } from "node:fs";
import { rename, statfs, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { type AgentContext, type Executors, KeyedJobs, runStep } from "@outpost/agentbase";
import {
  archiveUrl,
  blobUrl,
  type DatastoreClient,
  DownloadError,
  type DownloadProgress,
  type DownloadResult,
  downloadToFile,
  fsyncDir,
  isNoSpace,
  MANIFEST_ACCEPT,
  manifestUrl,
  NoSpaceError,
} from "@outpost/datastore";
import type { Publication } from "@outpost/pubsub";
import {
  type DatastoreConfig,
  type DownloaderConfig,
  type DownloaderStatus,
  type ErrorInfo,
  makeError,
  type VerifyImageStatus,
} from "@outpost/types";
import type { DownloadFiles } from "./files.js";
import { type DownloadAction, decide, initialStatus, percent, withoutPath } from "./plan.js";
import { RetryTimer } from "./retry-timer.js";

export interface DownloadTuning {
  maxConcurrent: number;
  stallMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** At most one progress publication per blob per this period. */
  progressMs: number;
  /** Free space downloads leave on persist/: the smaller of these two (see the README). */
  reserveBytes: number;
  reservePercent: number;
  /** Longest wait between free-space checks of a download paused on a full disk. */
  spacePollMaxMs: number;
}

/** statfs of the downloader's directory, with the reserve downloads must leave. */
export interface Space {
  free: number;
  reserve: number;
  /** What downloads may still use (free - reserve; negative when the reserve is already eaten). */
  usable: number;
}

export function spaceOf(
  st: { bavail: number | bigint; bsize: number | bigint; blocks: number | bigint },
  t: Pick<DownloadTuning, "reserveBytes" | "reservePercent">,
): Space {
  const bsize = Number(st.bsize);
  const free = Number(st.bavail) * bsize;
  const reserve = Math.min(t.reserveBytes, Math.floor((Number(st.blocks) * bsize * t.reservePercent) / 100));
  return { free, reserve, usable: free - reserve };
}

/** Smallest free space that resumes a paused download whose remaining size is unknown. */
const RESUME_MIN_BYTES = 1 << 20;

interface Entry {
  key: string;
  config: DownloaderConfig | undefined;
  /** The next attempt after a retryable failure (--retry-min doubling to --retry-max). */
  retry: RetryTimer;
  blocked: boolean;
  /** Bytes fetched over the network by earlier attempts of this download, in this process. */
  fetchedBytes: number;
  retryCount: number;
  /** Why the last attempt failed: stays on the status while the next attempt runs. */
  lastFailure: ErrorInfo | undefined;
  /** Paused on a full disk: the bytes it waits for. */
  space: { need: number; keptBytes: number } | undefined;
  /** The free-space checks while paused (1 s doubling to --space-poll-max). */
  spacePoll: RetryTimer;
}

export interface DatastoreAccess {
  get(id: string): DatastoreConfig | undefined;
  client(ds: DatastoreConfig): DatastoreClient;
}

export class Downloads {
  private readonly entries = new Map<string, Entry>();
  /** The fetch in flight per sha256, tagged with the DownloaderConfig.retry it answers. */
  private readonly jobs: KeyedJobs<number>;

  constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "log" | "loop" | "work">,
    private readonly pub: Publication<DownloaderStatus>,
    private readonly files: DownloadFiles,
    private readonly datastores: DatastoreAccess,
    private readonly tuning: DownloadTuning,
    /** The verifier's VerifyImageStatus for a sha256, as the bus shows it. */
    private readonly verifier: (sha256: string) => VerifyImageStatus | undefined,
  ) {
    this.jobs = new KeyedJobs(ctx.work);
  }

  setConfig(key: string, config: DownloaderConfig | undefined): void {
    let e = this.entries.get(key);
    if (!e) {
      if (!config) return;
      e = {
        key,
        config: undefined,
        retry: new RetryTimer({ minMs: this.tuning.retryMinMs, maxMs: this.tuning.retryMaxMs }, (task) =>
          this.ctx.loop.post(task),
        ),
        blocked: false,
        fetchedBytes: 0,
        retryCount: 0,
        lastFailure: undefined,
        space: undefined,
        spacePoll: new RetryTimer({ minMs: 1000, maxMs: this.tuning.spacePollMaxMs }, (task) =>
          this.ctx.loop.post(task),
        ),
      };
      this.entries.set(key, e);
    }
    const old = e.config;
    e.config = config;
    if (config && old && fetchChanged(old, config)) {
      // Different source or limits: whatever failed before may work now.
      this.clearRetry(e);
      e.blocked = false;
      e.lastFailure = undefined;
      this.jobs.abort(key);
    }
    this.update(key);
    if (!config) this.updateAll();
  }

  /** A DatastoreConfig appeared or changed: retry the blobs that use it now. */
  datastoreChanged(id: string): void {
    for (const e of this.entries.values()) {
      if (e.config?.datastoreId !== id) continue;
      this.clearRetry(e);
      this.update(e.key);
    }
  }

  updateAll(): void {
    for (const key of [...this.entries.keys()]) this.update(key);
  }

  /** Deletes files of blobs nobody asks for (after volumemgr said its table is complete). */
  collectGarbage(): void {
    for (const sha of this.files.shas()) {
      const e = this.entries.get(sha);
      if (e?.config || this.jobs.isRunning(sha)) continue;
      this.ctx.log.info({ sha256: sha }, "removing download nobody asks for");
      this.removeFiles(sha);
    }
  }

  update(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    const status = this.pub.get(key);
    const c = e.config;
    const runningRetry = this.jobs.running(key);
    const actions = decide(
      {
        config: c,
        status,
        datastoreKnown: c ? this.datastores.get(c.datastoreId) !== undefined : false,
        running: runningRetry !== undefined ? { retry: runningRetry } : undefined,
        downloaded: c ? this.files.finished(c.sha256) : undefined,
        verifier: this.verifier(key),
        // A download paused on a full disk waits like one waiting for its retry timer.
        waitingForRetry: e.retry.waiting || e.space !== undefined,
        blocked: e.blocked,
        slotFree: this.jobs.size < this.tuning.maxConcurrent,
      },
      (p) =>
        p.kind === "fileGone"
          ? makeError(
              `blob ${key}: the downloaded file ${p.path} is gone (a failed verification deletes it)`,
              {
                retryCondition: "not fetched again until DownloaderConfig.retry is bumped",
                source: { type: "DownloadedFile", id: p.path },
              },
            )
          : makeError(`unknown datastore ${c?.datastoreId}`, {
              retryCondition: "waiting for its DatastoreConfig",
              source: { type: "Datastore", id: c?.datastoreId ?? "" },
            }),
    );
    for (const a of actions) runStep(this.executors, a, e);
  }

  private readonly executors: Executors<DownloadAction, [e: Entry]> = {
    abort: (_a, e) => this.jobs.abort(e.key),
    reset: (a, e) => {
      if (this.jobs.isRunning(e.key)) {
        // The fetch must settle before its files can go; its completion calls update again.
        this.jobs.abort(e.key);
        return;
      }
      this.clearRetry(e);
      this.removeFiles(e.key);
      e.blocked = false;
      e.fetchedBytes = 0;
      e.retryCount = 0;
      e.lastFailure = undefined;
      e.retry.reset();
      if (!e.config) return;
      this.publish(e.key, { ...initialStatus(e.config), retry: a.retry });
      this.update(e.key);
    },
    remove: (_a, e) => {
      if (this.jobs.isRunning(e.key)) return;
      this.clearRetry(e);
      this.removeFiles(e.key);
      if (this.pub.get(e.key))
        void this.pub
          .delete(e.key)
          .catch((err: unknown) => this.ctx.log.error({ err, key: e.key }, "cannot unpublish"));
      this.entries.delete(e.key);
    },
    start: (_a, e) => this.start(e),
    publish: (a, e) => this.publish(e.key, a.status),
    again: (_a, e) => this.update(e.key),
  };

  private clearRetry(e: Entry): void {
    e.retry.cancel();
    e.spacePoll.cancel();
    e.space = undefined;
    e.spacePoll.reset();
  }

  private space(): Space {
    return spaceOf(statfsSync(this.files.dir), this.tuning);
  }

  private publish(key: string, status: DownloaderStatus): void {
    void this.pub
      .set(key, status)
      .catch((err: unknown) => this.ctx.log.error({ err, key }, "cannot publish DownloaderStatus"));
  }

  private removeFiles(sha: string): void {
    for (const p of [this.files.part(sha), this.files.meta(sha), this.files.done(sha)]) {
      try {
        unlinkSync(p);
      } catch {
        // not there
      }
    }
  }

  private start(e: Entry): void {
    const c = e.config;
    const ds = c && this.datastores.get(c.datastoreId);
    if (!c || !ds) return;
    const prior = e.fetchedBytes;
    const status = this.pub.get(e.key) ?? initialStatus(c);
    const { error: _e, ...rest } = withoutPath(status);
    // A retry must not look like a first attempt: the last failure and the attempt count stay on the
    // status until the blob is DOWNLOADED (a stall that keeps coming back is what the user must see).
    const error = e.lastFailure && {
      ...e.lastFailure,
      severity: "warning" as const,
      retryCondition:
        e.lastFailure.source?.type === "Disk"
          ? `space is back: resuming from byte ${sizeOf(this.files.part(c.sha256))}`
          : `retrying now (attempt ${e.retryCount + 1}; ${e.retryCount} failed)`,
    };
    this.publish(e.key, {
      ...rest,
      state: "DOWNLOADING",
      retryCount: e.retryCount,
      fetchedBytes: prior,
      ...(error ? { error } : {}),
    });
    let url: URL;
    try {
      url = sourceUrl(ds, c);
    } catch (err) {
      e.blocked = true;
      this.fail(
        e,
        makeError(`blob ${c.sha256}: ${(err as Error).message}`, {
          source: { type: "Datastore", id: ds.id },
        }),
        false,
      );
      return;
    }
    this.ctx.log.info(
      { sha256: c.sha256, url: url.href, kind: c.kind, retry: c.retry, attempt: e.retryCount },
      "downloading",
    );
    let latest: DownloadProgress = { currentSize: 0, totalSize: c.size, fetchedBytes: 0 };
    let lastPost = 0;
    const started = Date.now();
    this.jobs.start(
      e.key,
      c.retry,
      async (signal, current): Promise<DownloadResult> => {
        const onProgress = (p: DownloadProgress) => {
          latest = p;
          const now = Date.now();
          if (now - lastPost < this.tuning.progressMs) return;
          lastPost = now;
          // Only while this fetch is still the blob's current one: a superseded fetch's progress
          // must not overwrite the newer one's.
          this.ctx.loop.post(() => {
            if (current()) this.progress(e.key, prior, p);
          });
        };
        const r = await downloadToFile({
          client: this.datastores.client(ds),
          url,
          ...(c.kind === "manifest" || c.kind === "index" ? { headers: { Accept: MANIFEST_ACCEPT } } : {}),
          authScope: ds.type === "registry" ? `repository:${c.relativeUrl}:pull` : "default",
          // A .part left by an attempt before a retry bump is not resumed.
          identity: `retry=${c.retry}`,
          partPath: this.files.part(c.sha256),
          metaPath: this.files.meta(c.sha256),
          expectedSize: c.size,
          maxSizeBytes: c.maxSizeBytes,
          stallMs: this.tuning.stallMs,
          // What this download may use: the reserve stays free for everything else on persist/.
          freeBytes: async () => spaceOf(await statfs(this.files.dir), this.tuning).usable,
          signal,
          onProgress,
        });
        if (signal.aborted) throw new Error("aborted");
        await rename(this.files.part(c.sha256), this.files.done(c.sha256));
        await fsyncDir(dirname(this.files.done(c.sha256)));
        await unlink(this.files.meta(c.sha256)).catch(() => {});
        return r;
      },
      ({ result: res, aborted }) => {
        if (this.entries.get(e.key) !== e) return;
        if (aborted) {
          // Stopped on purpose (config removed, retry bumped, source changed): decide again.
          this.update(e.key);
          this.updateAll();
          return;
        }
        if (res.ok) {
          e.fetchedBytes = prior + res.value.fetchedBytes;
          e.retry.reset();
          e.lastFailure = undefined;
          const cur = this.pub.get(e.key) ?? initialStatus(c);
          const { error: _x, ...ok } = cur;
          this.publish(e.key, {
            ...ok,
            state: "DOWNLOADED",
            path: this.files.done(c.sha256),
            owner: "downloader",
            currentSize: res.value.size,
            totalSize: res.value.size,
            progress: 100,
            fetchedBytes: e.fetchedBytes,
            retryCount: e.retryCount,
            ...(res.value.mediaType ? { mediaType: res.value.mediaType } : {}),
          });
          this.ctx.log.info(
            {
              sha256: c.sha256,
              size: res.value.size,
              fetchedBytes: res.value.fetchedBytes,
              resumedFrom: res.value.resumedFrom,
              ms: Date.now() - started,
            },
            "downloaded",
          );
        } else if (isNoSpace(res.error)) {
          e.fetchedBytes = prior + latest.fetchedBytes;
          this.pause(e, res.error, latest);
        } else {
          e.fetchedBytes = prior + latest.fetchedBytes;
          const err = res.error;
          const retryable = !(err instanceof DownloadError) || err.retryable;
          const msg = err instanceof Error ? err.message : String(err);
          this.ctx.log.warn(
            {
              sha256: c.sha256,
              kind: err instanceof DownloadError ? err.kind : "error",
              retryable,
              err: msg,
            },
            "download failed",
          );
          if (!retryable) e.blocked = true;
          this.fail(
            e,
            makeError(`download of blob ${c.sha256} failed: ${msg}`, {
              source: { type: "Blob", id: c.sha256 },
            }),
            retryable,
            latest,
          );
        }
        this.updateAll();
      },
    );
  }

  private progress(key: string, prior: number, p: DownloadProgress): void {
    const s = this.pub.get(key);
    if (!s) return;
    this.publish(key, {
      ...s,
      state: "DOWNLOADING",
      currentSize: p.currentSize,
      totalSize: p.totalSize,
      progress: percent(p.currentSize, p.totalSize),
      fetchedBytes: prior + p.fetchedBytes,
    });
  }

  /** The disk is full, or the download reached the reserve: keep the .part, say so, and poll the free
   * space with back-off; the download resumes from the .part once the space it needs is there. */
  private pause(e: Entry, err: unknown, p: DownloadProgress): void {
    const c = e.config;
    if (!c) return;
    const kept = sizeOf(this.files.part(c.sha256));
    const total = p.totalSize || c.size || this.pub.get(e.key)?.totalSize || 0;
    const need = total > 0 ? total - kept : err instanceof NoSpaceError ? err.needBytes : 0;
    let sp: Space;
    try {
      sp = this.space();
    } catch {
      sp = { free: 0, reserve: 0, usable: 0 };
    }
    const error = makeError(
      `download of blob ${c.sha256} paused: not enough disk space: ` +
        `${need > 0 ? `need ${need} more bytes` : "need more"}, ${Math.max(0, sp.usable)} free ` +
        `(${sp.free} free on ${this.files.dir}, ${sp.reserve} of it kept in reserve)`,
      {
        retryCondition: `keeps the ${kept} bytes fetched; resumes from there by itself once space is freed`,
        source: { type: "Disk", id: this.files.dir },
      },
    );
    const first = e.lastFailure?.source?.type !== "Disk";
    e.lastFailure = error;
    e.space = { need: Math.max(need, RESUME_MIN_BYTES), keptBytes: kept };
    if (first)
      this.ctx.log.warn(
        { sha256: c.sha256, keptBytes: kept, need, free: sp.free, reserve: sp.reserve, err: String(err) },
        "download paused: disk full",
      );
    const s = this.pub.get(e.key) ?? initialStatus(c);
    const rest = withoutPath(s);
    this.publish(e.key, {
      ...rest,
      state: "DOWNLOADING",
      currentSize: kept,
      totalSize: total,
      progress: percent(kept, total),
      fetchedBytes: e.fetchedBytes,
      retryCount: e.retryCount,
      error,
    });
    this.pollSpace(e);
  }

  /** One free-space check after the next back-off delay (1 s doubling up to --space-poll-max). */
  private pollSpace(e: Entry): void {
    if (!e.space) return;
    e.spacePoll.schedule(() =>
      statfs(this.files.dir).then(
        (st) => this.ctx.loop.post(() => this.spaceChecked(e, spaceOf(st, this.tuning))),
        () => this.ctx.loop.post(() => this.pollSpace(e)),
      ),
    );
  }

  private spaceChecked(e: Entry, sp: Space): void {
    const wait = e.space;
    if (!wait || this.entries.get(e.key) !== e) return;
    if (sp.usable < wait.need) {
      this.pollSpace(e);
      return;
    }
    this.ctx.log.info(
      { sha256: e.key, keptBytes: wait.keptBytes, free: sp.free, reserve: sp.reserve },
      "disk space is back: resuming the download",
    );
    e.space = undefined;
    e.spacePoll.reset();
    this.update(e.key);
  }

  private fail(e: Entry, error: ErrorInfo, retryable: boolean, p?: DownloadProgress): void {
    const c = e.config;
    if (!c) return;
    e.lastFailure = error;
    const s = this.pub.get(e.key) ?? initialStatus(c);
    const rest = withoutPath(s);
    const sizes = p
      ? {
          currentSize: p.currentSize,
          totalSize: p.totalSize || s.totalSize,
          progress: percent(p.currentSize, p.totalSize),
        }
      : {};
    if (!retryable) {
      this.publish(e.key, {
        ...rest,
        ...sizes,
        state: "INITIAL",
        fetchedBytes: e.fetchedBytes,
        error: { ...error, retryCondition: "not retried: change the config or the datastore" },
      });
      return;
    }
    e.retryCount++;
    const delay = e.retry.schedule(() => this.update(e.key));
    this.publish(e.key, {
      ...rest,
      ...sizes,
      state: "DOWNLOADING",
      fetchedBytes: e.fetchedBytes,
      retryCount: e.retryCount,
      error: {
        ...error,
        severity: "warning",
        retryCondition: `retrying in ${Math.ceil(delay / 1000)} s (attempt ${e.retryCount + 1})`,
      },
    });
  }

  close(): void {
    for (const e of this.entries.values()) this.clearRetry(e);
    this.jobs.abortAll();
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function fetchChanged(a: DownloaderConfig, b: DownloaderConfig): boolean {
  return (
    a.datastoreId !== b.datastoreId ||
    a.relativeUrl !== b.relativeUrl ||
    a.kind !== b.kind ||
    a.size !== b.size ||
    a.maxSizeBytes !== b.maxSizeBytes
  );
}

/** Where a blob comes from: the archive path on an http(s) datastore, or the registry repository
 * (relativeUrl "repo", optionally "repo:tag" whose tag is ignored) by digest. */
export function sourceUrl(ds: DatastoreConfig, c: DownloaderConfig): URL {
  if (ds.type !== "registry") return archiveUrl(ds, c.relativeUrl);
  const repo = c.relativeUrl.replace(/@sha256:[0-9a-f]{64}$/, "").replace(/:[^/:]+$/, "");
  if (c.kind === "manifest" || c.kind === "index") return manifestUrl(ds, repo, `sha256:${c.sha256}`);
  return blobUrl(ds, repo, c.sha256);
}
