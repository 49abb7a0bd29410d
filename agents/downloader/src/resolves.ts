// ResolveConfig -> ResolveStatus: a registry tag to its manifest digest. Small requests; a failure is
// published as an error and retried with back-off.
import { type AgentContext, KeyedJobs } from "@outpost/agentbase";
import { resolveTag } from "@outpost/datastore";
import type { Publication } from "@outpost/pubsub";
import { type ErrorInfo, makeError, type ResolveConfig, type ResolveStatus } from "@outpost/types";
import type { DatastoreAccess } from "./downloads.js";
import { RetryTimer } from "./retry-timer.js";

interface Entry {
  config: ResolveConfig | undefined;
  /** The config (as JSON) the in-flight or published answer is for. */
  answeredFor: string | undefined;
  /** The next lookup after a failure. */
  retry: RetryTimer;
}

export class Resolves {
  private readonly entries = new Map<string, Entry>();
  /** The lookup in flight per content tree, tagged with the config (as JSON) it answers. */
  private readonly jobs: KeyedJobs<string>;

  constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "log" | "loop" | "work">,
    private readonly pub: Publication<ResolveStatus>,
    private readonly datastores: DatastoreAccess,
    private readonly retry: { minMs: number; maxMs: number; timeoutMs: number },
  ) {
    this.jobs = new KeyedJobs(ctx.work);
  }

  setConfig(key: string, config: ResolveConfig | undefined): void {
    let e = this.entries.get(key);
    if (!e) {
      if (!config) return;
      e = {
        config,
        answeredFor: undefined,
        retry: new RetryTimer(this.retry, (task) => this.ctx.loop.post(task)),
      };
      this.entries.set(key, e);
    }
    e.config = config;
    e.retry.cancel();
    e.retry.reset();
    this.update(key);
  }

  datastoreChanged(id: string): void {
    for (const [key, e] of this.entries) {
      if (e.config?.datastoreId !== id) continue;
      // A fixed datastore deserves a fresh answer, also for a tag answered with an error.
      e.answeredFor = undefined;
      e.retry.cancel();
      this.update(key);
    }
  }

  update(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    const c = e.config;
    if (!c) {
      this.jobs.forget(key);
      e.retry.cancel();
      this.entries.delete(key);
      if (this.pub.get(key)) void this.pub.delete(key);
      return;
    }
    const want = JSON.stringify(c);
    const runningFor = this.jobs.running(key);
    if (runningFor !== undefined) {
      if (runningFor !== want) this.jobs.abort(key);
      return;
    }
    if (e.answeredFor === want || e.retry.waiting) return;
    const ds = this.datastores.get(c.datastoreId);
    if (!ds) {
      e.answeredFor = want;
      this.setError(
        key,
        c,
        makeError(`unknown datastore ${c.datastoreId}`, {
          retryCondition: "waiting for its DatastoreConfig",
          source: { type: "Datastore", id: c.datastoreId },
        }),
      );
      return;
    }
    if (ds.type !== "registry") {
      e.answeredFor = want;
      this.setError(
        key,
        c,
        makeError(`datastore ${ds.id} is ${ds.type}, not a registry: nothing to resolve`, {
          source: { type: "Datastore", id: ds.id },
        }),
      );
      return;
    }
    this.jobs.start(
      key,
      want,
      (signal) => resolveTag(this.datastores.client(ds), c.relativeUrl, signal, this.retry.timeoutMs),
      ({ result: res, aborted }) => {
        if (aborted || this.entries.get(key) !== e) {
          this.update(key);
          return;
        }
        if (res.ok) {
          e.answeredFor = want;
          e.retry.reset();
          this.ctx.log.info({ contentTreeId: key, ref: c.relativeUrl, sha256: res.value.sha256 }, "resolved");
          this.set(key, { contentTreeId: c.contentTreeId, generation: c.generation, ...res.value });
          return;
        }
        const msg = res.error instanceof Error ? res.error.message : String(res.error);
        const delay = e.retry.schedule(() => this.update(key));
        this.ctx.log.warn(
          { contentTreeId: key, ref: c.relativeUrl, err: msg, retryInMs: delay },
          "resolve failed",
        );
        this.setError(
          key,
          c,
          makeError(`cannot resolve ${c.relativeUrl}: ${msg}`, {
            retryCondition: `retrying in ${Math.ceil(delay / 1000)} s`,
            source: { type: "ContentTree", id: c.contentTreeId },
          }),
        );
      },
    );
  }

  /** No digest for this config: the status says why. */
  private setError(key: string, c: ResolveConfig, error: ErrorInfo): void {
    this.set(key, { contentTreeId: c.contentTreeId, generation: c.generation, sha256: "", size: 0, error });
  }

  private set(key: string, s: ResolveStatus): void {
    void this.pub
      .set(key, s)
      .catch((err: unknown) => this.ctx.log.error({ err, key }, "cannot publish ResolveStatus"));
  }

  close(): void {
    for (const e of this.entries.values()) e.retry.cancel();
    this.jobs.abortAll();
  }
}
