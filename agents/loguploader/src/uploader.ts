// loguploader's shell: owns the queue view, the counters and one upload at a time on the main loop.
// Directory scans, file reads, the HTTPS call, deletes and moves run off the loop (KeyedJobs /
// ctx.work); their results come back as loop tasks, where the pure planner (plan.ts) decides and the
// executor table carries its actions out. One timer drives everything: it posts a tick into the loop.
import { X509Certificate } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  type AgentContext,
  DeviceNetwork,
  type Executors,
  KeyedJobs,
  releaseIdleMemory,
  runStep,
} from "@outpost/agentbase";
// Not the @outpost/evecloud index: it re-exports the full EVE API module (proto.ts), which an uploader
// never uses and which would cost every loguploader process a few MB. Uploads need the envelope only.
import { HttpClient, parseServer } from "@outpost/evecloud/src/http-client.js";
import { CONFIG_FILES, loadIdentity, readBootstrap } from "@outpost/evecloud/src/identity.js";
import { SignedSession } from "@outpost/evecloud/src/session.js";
import { Backoff } from "@outpost/primitives";
import type { Publication } from "@outpost/pubsub";
import {
  type ErrorInfo,
  LOGUPLOADER_STATUS_KEY,
  type LoguploaderStatus,
  makeError,
  ONBOARDING_PUBLISHER,
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  OnboardingStatusCodec,
  stableError,
} from "@outpost/types";
import {
  type Batch,
  buildQueue,
  FAILED_KEEP,
  NEWLOG_DIRS,
  nextBatch,
  parseBatchName,
  type Queue,
  summarize,
  uploadPath,
} from "./batches.js";
import { type Action, afterAttempt, initialState, type Outcome, paceMs, retryAfterMs } from "./plan.js";
import { type Phase, statusOf } from "./status.js";

export interface UploaderOptions {
  /** How often the batch directories are looked at while nothing is being sent. */
  scanIntervalMs: number;
  /** Least pause between two uploads while draining (see paceMs). */
  gapMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** 4xx answers in a row before a batch is given up (EVE: 10). */
  max4xx: number;
  /** Deadline of one upload. */
  sendTimeoutMs: number;
}

type Ctx = AgentContext<UploaderOptions>;

export class Loguploader {
  private phase: Phase = "waiting-onboarding";
  private uuid = "";
  private session: SignedSession | undefined;
  private state = initialState();
  /** releaseIdleMemory ran once since start (the first time the queue was found empty). */
  private releasedAtStart = false;
  private queue: Queue = new Map();
  /** Sizes of files already seen (dir/name): a scan stats only new names. */
  private readonly sizes = new Map<string, number>();
  /** Files being deleted or moved right now: a scan in between must not offer them again. */
  private readonly leaving = new Set<string>();
  private retryAt: number | undefined;
  private lastError: ErrorInfo | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** nim's DeviceNetworkStatus (the proxy), once subscribed. */
  private net: DeviceNetwork | undefined;
  private readonly jobs: KeyedJobs<"scan" | "upload">;
  private readonly backoff: Backoff;
  private readonly dirs: { device: string; app: string; failed: string };
  private readonly executors: Executors<Action, [], void>;

  constructor(
    private readonly ctx: Ctx,
    private readonly pub: Publication<LoguploaderStatus>,
  ) {
    const o = ctx.options;
    this.jobs = new KeyedJobs(ctx.work);
    this.backoff = new Backoff({ minMs: o.retryMinMs, maxMs: o.retryMaxMs });
    const base = join(ctx.layout.persist, "newlog");
    this.dirs = {
      device: join(base, NEWLOG_DIRS.device),
      app: join(base, NEWLOG_DIRS.app),
      failed: join(base, NEWLOG_DIRS.failed),
    };
    this.executors = {
      delete: (a) => this.leave(a.batch, (path) => unlink(path)),
      giveUp: (a) => {
        this.ctx.log.error(
          { batch: a.batch.name, stream: a.batch.stream, status: a.status, reason: a.reason },
          `batch refused ${this.ctx.options.max4xx} times in a row (${a.reason}): given up, kept in ${NEWLOG_DIRS.failed}/`,
        );
        this.lastError = makeError(
          `batch ${a.batch.name} refused ${this.ctx.options.max4xx} times (${a.reason}): moved to ${NEWLOG_DIRS.failed}/`,
          { source: { type: "LogBatch", id: a.batch.name } },
        );
        this.leave(a.batch, (path) => this.moveToFailed(path, a.batch.name));
      },
      retryLater: (a) => {
        const delay = Math.max(a.minMs, this.backoff.next());
        this.retryAt = Date.now() + delay;
        const first = this.phase !== "offline" && this.phase !== "backoff";
        this.phase = a.cause === "unreachable" ? "offline" : "backoff";
        const what =
          a.cause === "unreachable" ? `controller unreachable: ${a.reason}` : `upload refused: ${a.reason}`;
        this.lastError = stableError(
          this.lastError,
          makeError(what, {
            severity: a.cause === "unreachable" ? "warning" : "error",
            retryCondition: a.minMs ? "retried after the controller's Retry-After" : "retried with backoff",
          }),
        );
        // Quiet while it lasts: one line when it starts, then only at debug.
        const fields = { queuedFiles: summarize(this.queue).files, retryInMs: delay };
        if (first) this.ctx.log.warn(fields, `${what}; batches stay queued`);
        else this.ctx.log.debug(fields, what);
        this.wake(delay);
      },
      next: () => {
        if (this.phase === "offline" || this.phase === "backoff")
          this.ctx.log.info(
            { queuedFiles: summarize(this.queue).files },
            "uploads accepted again: draining the backlog",
          );
        this.backoff.reset();
        this.retryAt = undefined;
        this.phase = "uploading";
        this.wake(paceMs(this.state.uploadMs.last, this.ctx.options.gapMs));
      },
    };
  }

  /** Runs until the agent stops. */
  async run(): Promise<void> {
    const { pubsub, signal } = this.ctx;
    await this.publish();
    this.pub.signalRestarted();
    const onboarding = pubsub.subscribe({
      agent: ONBOARDING_PUBLISHER,
      topic: ONBOARDING_STATUS_TOPIC,
      codec: OnboardingStatusCodec,
      persistent: true,
      handlers: {
        create: (k, v) => this.onboarded(k, v.deviceUuid),
        modify: (k, v) => this.onboarded(k, v.deviceUuid),
      },
    });
    // nim's ports: the proxy for the controller, and a reset of the connection when the management
    // addresses or the proxy change.
    const net = new DeviceNetwork(pubsub, {
      onRouteChange: () => {
        const http = this.session?.http;
        if (!http) return;
        http.setProxy(net.proxyFor(http.host));
        http.resetConnections();
      },
    });
    this.net = net;
    const known = onboarding.get(ONBOARDING_STATUS_KEY)?.deviceUuid;
    if (known) this.onboarded(ONBOARDING_STATUS_KEY, known);
    await new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true }));
    clearTimeout(this.timer);
    this.jobs.abortAll();
    this.session?.http.close();
  }

  private onboarded(key: string, uuid: string): void {
    if (key !== ONBOARDING_STATUS_KEY || !uuid || uuid === this.uuid) return;
    this.uuid = uuid;
    this.session?.http.close();
    this.session = undefined;
    this.phase = "idle";
    this.ctx.log.info({ deviceUuid: uuid }, "onboarded: uploading log batches");
    this.wake(0);
  }

  /** One timer: a later wake replaces an earlier one. Its tick runs on the main loop. */
  private wake(ms: number): void {
    clearTimeout(this.timer);
    if (this.ctx.signal.aborted) return;
    this.timer = setTimeout(() => this.ctx.loop.post(() => this.tick()), ms);
  }

  private tick(): void {
    if (!this.uuid || this.jobs.size > 0) return;
    if (!this.session && !this.openSession()) return;
    this.jobs.start(
      "scan",
      "scan",
      () => this.scan(),
      (end) => this.scanned(end.result),
    );
  }

  private openSession(): boolean {
    const dir = this.ctx.layout.config;
    try {
      const boot = readBootstrap(dir);
      const http = new HttpClient({
        server: boot.server,
        rootCa: boot.rootCa,
        timeoutMs: this.ctx.options.sendTimeoutMs,
        maxSockets: 1,
        proxy: this.net?.proxyFor(parseServer(boot.server).host),
      });
      const identity = loadIdentity(join(dir, CONFIG_FILES.deviceKey), join(dir, CONFIG_FILES.deviceCert));
      this.session = new SignedSession(http, new X509Certificate(boot.rootCa), identity);
      return true;
    } catch (e) {
      this.lastError = stableError(
        this.lastError,
        makeError(`cannot read the device identity under ${dir}: ${(e as Error).message}`, {
          retryCondition: "retried with backoff",
        }),
      );
      void this.publish();
      this.wake(this.backoff.next());
      return false;
    }
  }

  /** Lists both directories; stats only names not seen before. Off the main loop. */
  private async scan(): Promise<Batch[]> {
    const out: Batch[] = [];
    for (const dir of ["device", "app"] as const) {
      let names: string[];
      try {
        names = await readdir(this.dirs[dir]);
      } catch {
        continue; // not there yet: newlogd has not written anything
      }
      for (const name of names) {
        const id = `${dir}/${name}`;
        if (this.leaving.has(id)) continue;
        let size = this.sizes.get(id);
        if (size === undefined) {
          if (!parseBatchName(dir, name, 0)) continue;
          try {
            size = (await stat(join(this.dirs[dir], name))).size;
          } catch {
            continue; // removed meanwhile by newlogd's budget
          }
        }
        const b = parseBatchName(dir, name, size);
        if (b) out.push(b);
      }
    }
    return out;
  }

  private async scanned(result: { ok: true; value: Batch[] } | { ok: false; error: unknown }): Promise<void> {
    if (!result.ok) {
      this.ctx.log.warn({ err: result.error }, "cannot list the batch directories");
      this.wake(this.ctx.options.scanIntervalMs);
      return;
    }
    this.sizes.clear();
    for (const b of result.value) this.sizes.set(`${b.dir}/${b.name}`, b.size);
    this.queue = buildQueue(result.value);
    const now = Date.now();
    if (this.retryAt !== undefined && this.retryAt > now) {
      await this.publish();
      this.wake(this.retryAt - now);
      return;
    }
    const batch = nextBatch(this.queue);
    if (!batch) {
      // Idle for the first time since start: give the start-up heap back now rather than whenever
      // V8's memory reducer gets to it (agentbase memory.ts). Not after each drain: measured, that
      // did not lower PSS (README, Performance).
      if (!this.releasedAtStart) {
        this.releasedAtStart = true;
        releaseIdleMemory();
      }
      if (this.phase === "uploading") this.phase = "idle";
      await this.publish();
      this.wake(this.ctx.options.scanIntervalMs);
      return;
    }
    if (this.phase === "idle") this.phase = "uploading";
    await this.publish();
    this.upload(batch);
  }

  private upload(batch: Batch): void {
    const session = this.session;
    if (!session) return;
    const path = join(this.dirs[batch.dir], batch.name);
    const url = uploadPath(this.uuid, batch);
    this.jobs.start(
      "upload",
      "upload",
      async (signal): Promise<Outcome> => {
        let data: Buffer;
        try {
          data = await readFile(path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT") return { kind: "vanished" };
          throw e;
        }
        batch.size = data.length;
        const t0 = performance.now();
        try {
          const res = await session.post(url, data, false, signal);
          const ms = Math.round(performance.now() - t0);
          if (res.status >= 200 && res.status < 300) return { kind: "accepted", status: res.status, ms };
          const text = res.body.toString("utf8").trim().slice(0, 300);
          const after = retryAfterMs(res.headers["retry-after"], Date.now());
          return {
            kind: "refused",
            status: res.status,
            reason: /^[\x20-\x7e]*$/.test(text) && text ? text : "no reason given",
            ...(after !== undefined ? { retryAfterMs: after } : {}),
          };
        } catch (e) {
          return { kind: "unreachable", reason: (e as Error).message };
        }
      },
      async (end) => {
        const outcome: Outcome = end.result.ok
          ? end.result.value
          : { kind: "unreachable", reason: `reading ${batch.name}: ${String(end.result.error)}` };
        if (end.aborted) return;
        this.settle(batch, outcome);
        await this.publish();
      },
    );
  }

  private settle(batch: Batch, outcome: Outcome): void {
    const { state, actions } = afterAttempt(this.state, batch, outcome, Date.now(), {
      max4xx: this.ctx.options.max4xx,
    });
    this.state = state;
    if (outcome.kind === "accepted")
      this.ctx.log.debug(
        {
          batch: batch.name,
          stream: batch.stream,
          bytes: batch.size,
          ms: outcome.ms,
          status: outcome.status,
        },
        "batch uploaded",
      );
    else if (outcome.kind === "vanished")
      this.ctx.log.info({ batch: batch.name }, "batch removed by newlogd before it was sent (disk budget)");
    for (const a of actions) runStep(this.executors, a);
  }

  /** Takes a batch out of the queue now, and off the disk in the pool. */
  private leave(batch: Batch, fn: (path: string) => Promise<void>): void {
    const id = `${batch.dir}/${batch.name}`;
    this.leaving.add(id);
    this.sizes.delete(id);
    const list = this.queue.get(batch.stream);
    if (list?.[0]?.name === batch.name) list.shift();
    this.ctx.work(
      async () => {
        try {
          await fn(join(this.dirs[batch.dir], batch.name));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
      },
      (r) => {
        this.leaving.delete(id);
        if (!r.ok) this.ctx.log.error({ err: r.error, batch: batch.name }, "cannot remove a sent batch");
      },
    );
  }

  /** failedUpload/ keeps the newest FAILED_KEEP batches (EVE's max4xxdropFiles). */
  private async moveToFailed(path: string, name: string): Promise<void> {
    await mkdir(this.dirs.failed, { recursive: true });
    await rename(path, join(this.dirs.failed, name));
    const kept = (await readdir(this.dirs.failed)).sort();
    for (const old of kept.slice(0, Math.max(0, kept.length - FAILED_KEEP)))
      await unlink(join(this.dirs.failed, old)).catch(() => undefined);
  }

  private async publish(): Promise<void> {
    await this.pub.set(
      LOGUPLOADER_STATUS_KEY,
      statusOf({
        phase: this.phase,
        deviceUuid: this.uuid,
        state: this.state,
        queue: summarize(this.queue),
        now: Date.now(),
        ...(this.retryAt !== undefined ? { retryAt: this.retryAt } : {}),
        ...(this.lastError ? { lastError: this.lastError } : {}),
      }),
    );
  }
}
