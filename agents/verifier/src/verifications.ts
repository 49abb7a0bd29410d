// The executor for VerifyImageConfig. Loop-owned state lives here; hashing runs in the worker pool
// (streamed, so the loop stays responsive) and its outcome is applied by a main-loop task.
import { mkdirSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { IntervalHistogram } from "node:perf_hooks";
import { type AgentContext, type Executors, KeyedJobs, runStep } from "@outpost/agentbase";
import type { Publication } from "@outpost/pubsub";
import { makeError, type VerifyImageConfig, type VerifyImageStatus } from "@outpost/types";
import { moveDurably, sha256File } from "./hash-file.js";
import { configKey, decideVerify, type VerifyAction } from "./plan.js";

type Outcome =
  | { kind: "match"; size: number }
  /** notDeleted: why the mismatching file could not be deleted (it was, when undefined) */
  | { kind: "mismatch"; actual: string; size: number; notDeleted?: string }
  | { kind: "missing" };

/** "No such file" is an answer; anything else (EACCES, EIO, ...) is a fault to report, never to take
 * as "not there". */
const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === "ENOENT";
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface Entry {
  config: VerifyImageConfig | undefined;
  attemptedFor: string | undefined;
}

export class Verifications {
  private readonly entries = new Map<string, Entry>();
  /** The hash in flight per sha256, tagged with the config (configKey) it answers. */
  private readonly jobs: KeyedJobs<string>;
  readonly store: string;

  constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "log" | "loop" | "work">,
    private readonly pub: Publication<VerifyImageStatus>,
    dir: string,
    private readonly lag: IntervalHistogram,
    /** Files to verify must lie under this directory (persist/): a mismatch deletes the file. */
    private readonly allowedRoot: string,
  ) {
    this.store = join(dir, "verified");
    mkdirSync(this.store, { recursive: true });
    this.jobs = new KeyedJobs(ctx.work);
  }

  /** After a restart: drop VERIFIED entries whose file vanished from the store. */
  recheckStore(): void {
    for (const [key, s] of this.pub.entries()) {
      if (s.state !== "VERIFIED") continue;
      const l = this.lookup(key);
      if (l.stored) continue;
      if (l.error !== undefined) {
        // Unreadable is not gone: keep the status (and the file), and say why.
        this.ctx.log.error({ sha256: key, err: l.error }, "cannot check a verified file");
        this.publish(key, {
          ...s,
          error: makeError(l.error, {
            source: { type: "Blob", id: key },
            retryCondition: "fix the file or its permissions; checked again at the next start",
          }),
        });
        continue;
      }
      this.ctx.log.warn({ sha256: key, path: s.path }, "verified file vanished: dropping its status");
      void this.pub.delete(key);
    }
  }

  /** Once volumemgr's table is complete after its restart: statuses and files nobody asks for go. */
  collectGarbage(): void {
    const wanted = (k: string) => this.entries.get(k)?.config !== undefined;
    for (const key of this.pub.keys()) if (!wanted(key)) this.remove(key);
    for (const f of readdirSync(this.store)) {
      // A file with a status was handled above (remove() reports a failure on the status).
      if (wanted(f) || this.pub.get(f)) continue;
      this.ctx.log.info({ file: f }, "removing verified file nobody asks for");
      try {
        unlinkSync(join(this.store, f));
      } catch (e) {
        if (!isMissing(e))
          this.ctx.log.error({ file: f, err: reason(e) }, "cannot remove a verified file nobody asks for");
      }
    }
  }

  setConfig(key: string, config: VerifyImageConfig | undefined): void {
    let e = this.entries.get(key);
    if (!e) {
      e = { config: undefined, attemptedFor: undefined };
      this.entries.set(key, e);
    }
    e.config = config;
    this.update(key);
  }

  private lookup(sha: string): { stored?: { path: string; size: number }; error?: string } {
    const path = join(this.store, sha);
    try {
      const st = statSync(path);
      return st.isFile() ? { stored: { path, size: st.size } } : {};
    } catch (e) {
      return isMissing(e) ? {} : { error: `cannot read the verified file ${path}: ${reason(e)}` };
    }
  }

  update(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    const l = this.lookup(key);
    const runningFor = this.jobs.running(key);
    const actions = decideVerify({
      config: e.config,
      status: this.pub.get(key),
      stored: l.stored,
      storeError: l.error,
      running: runningFor !== undefined ? { for: runningFor } : undefined,
      attemptedFor: e.attemptedFor,
    });
    for (const a of actions) runStep(this.executors, a, key, e);
  }

  private readonly executors: Executors<VerifyAction, [key: string, e: Entry]> = {
    abort: (_a, key) => this.jobs.abort(key),
    remove: (_a, key) => {
      this.remove(key);
      this.entries.delete(key);
      this.jobs.forget(key);
    },
    verify: (_a, key, e) => this.verify(key, e),
    publish: (a, key) => this.publish(key, a.status),
  };

  /** The verifier owns the verified store: a blob whose VerifyImageConfig is gone is deleted. */
  private remove(key: string): void {
    const path = join(this.store, key);
    try {
      unlinkSync(path);
      this.ctx.log.info({ sha256: key, path }, "deleted verified file: its VerifyImageConfig is gone");
    } catch (e) {
      if (!isMissing(e)) {
        // Still on disk: keep a status that says so (the next garbage collection tries again).
        const description = `cannot delete the verified file ${path}: ${reason(e)}`;
        this.ctx.log.error({ sha256: key, err: description }, "verified file not deleted");
        const prev = this.pub.get(key);
        this.publish(key, {
          sha256: key,
          state: prev?.state ?? "INITIAL",
          size: prev?.size ?? 0,
          retry: prev?.retry ?? 0,
          ...(prev?.path ? { path: prev.path, owner: "verifier" as const } : {}),
          error: makeError(description, {
            source: { type: "Blob", id: key },
            retryCondition: "fix the file or its permissions; retried when volumemgr says restarted",
          }),
        });
        return;
      }
    }
    if (this.pub.get(key))
      void this.pub.delete(key).catch((err: unknown) => this.ctx.log.error({ err, key }, "cannot unpublish"));
  }

  private publish(key: string, s: VerifyImageStatus): void {
    void this.pub
      .set(key, s)
      .catch((err: unknown) => this.ctx.log.error({ err, key }, "cannot publish VerifyImageStatus"));
  }

  private verify(key: string, e: Entry): void {
    const c = e.config;
    if (!c) return;
    const full = resolve(c.path);
    if (!full.startsWith(`${resolve(this.allowedRoot)}/`)) {
      // The verifier deletes what does not match: never anything outside the node's persist/.
      e.attemptedFor = configKey(c);
      this.publish(key, {
        sha256: c.sha256,
        state: "INITIAL",
        size: c.size,
        retry: c.retry,
        error: makeError(`refusing to verify ${c.path}: not under ${this.allowedRoot}`, {
          source: { type: "Blob", id: c.sha256 },
          retryCondition: "publish a path under persist/",
        }),
      });
      return;
    }
    const want = configKey(c);
    this.publish(key, { sha256: c.sha256, state: "VERIFYING", size: c.size, retry: c.retry });
    const target = join(this.store, c.sha256);
    const started = performance.now();
    this.lag.reset();
    this.jobs.start(
      key,
      want,
      async (signal): Promise<Outcome> => {
        let got: { sha256: string; size: number };
        try {
          got = await sha256File(c.path, signal);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
          throw err;
        }
        if (signal.aborted) throw new Error("aborted");
        if (got.sha256 !== c.sha256.toLowerCase()) {
          let notDeleted: string | undefined;
          await unlink(c.path).catch((err: unknown) => {
            if (!isMissing(err)) notDeleted = reason(err);
          });
          return { kind: "mismatch", actual: got.sha256, size: got.size, notDeleted };
        }
        if (c.path !== target) await moveDurably(c.path, target);
        return { kind: "match", size: got.size };
      },
      ({ result: res, aborted }) => {
        if (aborted) {
          // Stopped on purpose (config changed or removed): decide again.
          this.update(key);
          return;
        }
        e.attemptedFor = want;
        const ms = performance.now() - started;
        const lag = { lagP99Ms: round(this.lag.percentile(99) / 1e6), lagMaxMs: round(this.lag.max / 1e6) };
        const source = { type: "Blob", id: c.sha256 };
        if (!res.ok) {
          const msg = res.error instanceof Error ? res.error.message : String(res.error);
          this.ctx.log.warn({ sha256: key, path: c.path, err: msg }, "cannot verify");
          this.publish(key, {
            sha256: c.sha256,
            state: "INITIAL",
            size: c.size,
            retry: c.retry,
            error: makeError(`cannot verify blob ${c.sha256} at ${c.path}: ${msg}`, {
              source,
              retryCondition: "bump the VerifyImageConfig retry",
            }),
          });
        } else if (res.value.kind === "match") {
          const size = res.value.size;
          this.ctx.log.info(
            { sha256: key, size, ms: round(ms), mbPerSec: round(size / 1048576 / (ms / 1000)), ...lag },
            "verified",
          );
          this.publish(key, {
            sha256: c.sha256,
            state: "VERIFIED",
            path: target,
            owner: "verifier",
            size,
            retry: c.retry,
          });
        } else if (res.value.kind === "mismatch") {
          const notDeleted = res.value.notDeleted;
          if (notDeleted === undefined)
            this.ctx.log.warn(
              { sha256: key, actual: res.value.actual, path: c.path, ...lag },
              "sha256 mismatch: file deleted",
            );
          else
            this.ctx.log.error(
              { sha256: key, actual: res.value.actual, path: c.path, err: notDeleted },
              "sha256 mismatch: the file could not be deleted",
            );
          this.publish(key, {
            sha256: c.sha256,
            state: "INITIAL",
            size: res.value.size,
            retry: c.retry,
            error: makeError(
              `sha256 mismatch for blob: expected ${c.sha256}, got ${res.value.actual} (${res.value.size} bytes); ${notDeleted === undefined ? "the file was deleted" : `the file could not be deleted: ${notDeleted}`}`,
              {
                source,
                retryCondition: "download again (bump DownloaderConfig.retry)",
              },
            ),
          });
        } else {
          this.publish(key, {
            sha256: c.sha256,
            state: "INITIAL",
            size: c.size,
            retry: c.retry,
            error: makeError(`blob ${c.sha256}: no file at ${c.path}`, {
              source,
              retryCondition: "download again (bump DownloaderConfig.retry)",
            }),
          });
        }
      },
    );
  }

  close(): void {
    this.jobs.abortAll();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
