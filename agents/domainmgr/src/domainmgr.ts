import { mkdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type AgentContext,
  type Executors,
  type Logger,
  runStep,
  WakeTimer,
  WorkerPool,
  type WorkResult,
} from "@outpost/agentbase";
import {
  type DockerClient,
  type DockerEvent,
  dockerErrorMessage,
  isConflict,
  isNotFound,
} from "@outpost/docker";
import { Backoff, sleep, writeFileDurable } from "@outpost/primitives";
import type { Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  type DomainConfig,
  DomainConfigCodec,
  type DomainMetric,
  DomainMetricCodec,
  type DomainStatus,
  DomainStatusCodec,
  decodeJson,
  OutpostLabels,
  t,
} from "@outpost/types";
import {
  appOf,
  createOptions,
  extraNetworks,
  type Observed,
  observe,
  parseEnvLines,
} from "./container-spec.js";
import { type Action, freshMemory, type Memory, type RestartPolicy, update } from "./update.js";

export interface DomainmgrOptions {
  /** The node's root: the value of the node label on everything this domainmgr owns. */
  node: string;
  /** Agent that publishes DomainConfig. */
  configAgent: string;
  policy: RestartPolicy;
  metricsIntervalMs: number;
  debounceMs: number;
  resyncIntervalMs: number;
  stopTimeoutS: number;
  /** persist/domainmgr/ */
  stateDir: string;
}

interface DomainRecord {
  uuid: string;
  /** undefined until the engine has been listed; null: no container. */
  container: Observed | null | undefined;
  mem: Memory;
  busy: boolean;
  /** A container id whose events arrived: inspect it when not busy. */
  inspectId?: string;
  /** The planner's next look at it (wakeAt). */
  wake: WakeTimer;
  /** A config for it was seen in this run: its deletion is real even before the table is complete. */
  hadConfig?: boolean;
  /** Back-off of stops and removes the engine refused (2 s doubling to 60 s, jittered); reset when one
   * goes through. */
  stepRetry: Backoff;
}

/** What survives a restart of domainmgr beyond the engine's labels: counters already carried out. */
const SavedDomainsCodec = t.record(
  t.object({ restartCounter: t.integer, failedRestarts: t.withDefault(t.integer, 0) }, "SavedDomain"),
);
type SavedDomain = { restartCounter: number; failedRestarts: number };

/**
 * The driver: owns the records (on the main loop), feeds update() with config, engine observations
 * and bookkeeping, runs the actions it returns through ctx.work, and applies their results on the loop.
 */
export class Domainmgr {
  private readonly records = new Map<string, DomainRecord>();
  private readonly debounces = new Map<string, NodeJS.Timeout>();
  private listed = false;
  /** Why the engine cannot be read yet, shown on the statuses of domains waiting for it. */
  private engineError: string | undefined;
  private configsComplete = false;
  private resyncing = false;
  /** Completed re-reads of the engine, logged at debug level: tests wait for one after an event to
   * know domainmgr looked again, before asserting that it did nothing (no second restart, no copy). */
  private resyncs = 0;
  private resyncAgain = false;
  private savedJson = "";
  private configs!: Subscription<DomainConfig>;
  private readonly log: Logger;
  private readonly statePath: string;
  /** Stats calls take about a second each (the engine samples twice): their own pool, so a round of
   * metrics never queues ahead of a start or a stop in ctx.work. */
  private readonly metricsPool: WorkerPool;

  private constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "loop" | "work" | "signal"> & {
      log: Logger;
      pubsub: PubSub;
    },
    private readonly docker: DockerClient,
    private readonly o: DomainmgrOptions,
    private readonly statusPub: Publication<DomainStatus>,
    private readonly metricPub: Publication<DomainMetric>,
  ) {
    this.log = ctx.log;
    this.statePath = join(o.stateDir, "domains.json");
    this.metricsPool = new WorkerPool(ctx.loop, 8);
  }

  static async start(
    ctx: Pick<AgentContext<unknown>, "loop" | "work" | "signal"> & { log: Logger; pubsub: PubSub },
    docker: DockerClient,
    o: DomainmgrOptions,
  ): Promise<Domainmgr> {
    const statusPub = await ctx.pubsub.publish({ topic: "DomainStatus", codec: DomainStatusCodec });
    const metricPub = await ctx.pubsub.publish({ topic: "DomainMetric", codec: DomainMetricCodec });
    const d = new Domainmgr(ctx, docker, o, statusPub, metricPub);
    d.loadSaved();
    d.subscribe();
    return d;
  }

  /** Runs the engine-facing loops until the agent stops. Containers are left running on purpose. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    await this.waitForEngine();
    const events = this.docker.watchContainerEvents(
      this.o.node,
      signal,
      (e) => this.ctx.loop.post(() => this.onEvent(e)),
      () => this.ctx.loop.post(() => this.resync()),
      (err) => this.log.warn({ err: dockerErrorMessage(err) }, "Docker event stream interrupted"),
    );
    const metrics = this.metricsLoop();
    const resyncs = (async () => {
      while (!signal.aborted) {
        await sleep(this.o.resyncIntervalMs, signal);
        if (!signal.aborted) this.ctx.loop.post(() => this.resync());
      }
    })();
    await Promise.all([events, metrics, resyncs]);
    await this.metricsPool.close();
    for (const r of this.records.values()) r.wake.cancel();
    for (const t of this.debounces.values()) clearTimeout(t);
  }

  private async waitForEngine(): Promise<void> {
    for (let n = 0; !this.ctx.signal.aborted; n++) {
      try {
        await this.docker.ping(5000);
        this.log.info({ endpoint: this.docker.endpoint }, "Docker engine answers");
        await this.ctx.loop.run(() => {
          this.engineError = undefined;
        });
        return;
      } catch (err) {
        if (this.engineError === undefined)
          await this.ctx.loop.run(() => {
            this.engineError = (err as Error).message;
            this.stepAll();
          });
        if (n % 10 === 0) this.log.error({ err: (err as Error).message }, "waiting for the Docker engine");
        await sleep(1000, this.ctx.signal);
      }
    }
  }

  // ---- inputs ----

  private subscribe(): void {
    this.configs = this.ctx.pubsub.subscribe({
      agent: this.o.configAgent,
      topic: "DomainConfig",
      codec: DomainConfigCodec,
      // zedmanager's table is persistent: read it at activation, before zedmanager even runs.
      persistent: true,
      handlers: {
        create: (key) => this.step(this.record(key)),
        modify: (key) => this.step(this.record(key)),
        delete: (key) => this.step(this.record(key)),
        synchronized: () => this.maybeSignalRestarted(),
        restarted: () => {
          if (this.configsComplete) return;
          this.configsComplete = true;
          this.log.info({}, "DomainConfig complete: containers without a config will be removed");
          this.stepAll();
        },
      },
    });
  }

  private record(uuid: string): DomainRecord {
    let r = this.records.get(uuid);
    if (!r) {
      const rec: DomainRecord = {
        uuid,
        container: this.listed ? null : undefined,
        mem: this.savedMemory(uuid),
        busy: false,
        stepRetry: new Backoff({ minMs: 2000, maxMs: 60_000 }),
        wake: new WakeTimer(
          (task) => this.ctx.loop.post(task),
          () => this.step(rec),
        ),
      };
      r = rec;
      this.records.set(uuid, r);
    }
    return r;
  }

  private onEvent(e: DockerEvent): void {
    const uuid = appOf(e.Actor?.Attributes);
    if (!uuid || !e.Actor?.ID) return;
    this.log.debug({ app: uuid, action: e.Action, container: e.Actor.ID.slice(0, 12) }, "container event");
    // Bursts (kill, die, stop, ...) are coalesced into one inspection per container.
    const id = e.Actor.ID;
    clearTimeout(this.debounces.get(id));
    this.debounces.set(
      id,
      setTimeout(() => {
        this.debounces.delete(id);
        this.ctx.loop.post(() => {
          const rec = this.record(uuid);
          if (rec.container && rec.container.id !== id) {
            // An event of a second container for the same app: re-read the engine.
            this.resync();
            return;
          }
          rec.inspectId = id;
          this.step(rec);
        });
      }, this.o.debounceMs),
    );
  }

  /** Re-reads every container of this node and adopts them: the engine is the truth about what runs. */
  private resync(): void {
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    const node = this.o.node;
    this.ctx.work(
      async () => {
        const list = await this.docker.listNodeContainers(node);
        const seen: Observed[] = [];
        for (const c of list) {
          const i = await this.docker.inspectContainer(c.Id);
          if (i) seen.push(observe(i));
        }
        return { list, seen };
      },
      (r) => {
        this.resyncing = false;
        if (!r.ok) {
          this.log.warn({ err: dockerErrorMessage(r.error) }, "cannot list containers");
        } else {
          this.adopt(
            r.value.list.map((c) => appOf(c.Labels)),
            r.value.seen,
          );
          this.log.debug({ resync: ++this.resyncs }, "resynced");
        }
        if (this.resyncAgain) {
          this.resyncAgain = false;
          this.resync();
        }
      },
    );
  }

  private adopt(apps: (string | undefined)[], seen: Observed[]): void {
    const byApp = new Map<string, Observed[]>();
    seen.forEach((o, n) => {
      const uuid = apps[n];
      if (!uuid) return;
      byApp.set(uuid, [...(byApp.get(uuid) ?? []), o]);
    });
    for (const uuid of byApp.keys()) this.record(uuid);
    for (const rec of this.records.values()) {
      if (rec.busy) continue; // its action's own inspection is newer than this listing
      const mine = byApp.get(rec.uuid) ?? [];
      // One container per app: keep the running one (else the newest); any other copy is removed.
      mine.sort(
        (a, b) =>
          Number(b.running) - Number(a.running) || (b.startedAt ?? "").localeCompare(a.startedAt ?? ""),
      );
      const [keep, ...extra] = mine;
      if (!this.listed && keep)
        this.log.info(
          { app: rec.uuid, container: keep.id.slice(0, 12), running: keep.running },
          "adopted container",
        );
      if (rec.container === undefined && keep?.running) rec.mem.expectRunning = true;
      rec.container = keep ?? null;
      if (extra.length === 0) delete rec.mem.duplicate;
      for (const x of extra) this.removeDuplicate(rec, x.id);
    }
    const first = !this.listed;
    this.listed = true;
    this.stepAll();
    if (first) this.maybeSignalRestarted();
  }

  /** A second container of one app goes; if the engine refuses, the app's status says so (and the
   * next listing tries again), since two copies of an app may both be running. */
  private removeDuplicate(rec: DomainRecord, id: string): void {
    const short = id.slice(0, 12);
    this.log.warn({ app: rec.uuid, container: short }, "removing a second container of the same app");
    this.ctx.work(
      () => this.docker.removeContainer(id),
      (r) => {
        if (r.ok) {
          this.log.info({ app: rec.uuid, container: short }, "removed the second container");
          delete rec.mem.duplicate;
        } else {
          const description = `cannot remove a second container ${short} of this app: ${dockerErrorMessage(r.error)}`;
          this.log.error({ app: rec.uuid, container: short, error: description }, "duplicate container kept");
          rec.mem.duplicate = { description, at: Date.now() };
        }
        this.step(rec);
      },
    );
  }

  /** DomainStatus and DomainMetric are complete once the engine was listed and zedmanager's table
   * received: say restarted (pubsub's barrier, so subscribers drop what our earlier run published). */
  private maybeSignalRestarted(): void {
    if (this.statusPub.restartedCount > 0 || !this.listed || !this.configs.synchronized) return;
    this.statusPub.signalRestarted();
    this.metricPub.signalRestarted();
  }

  // ---- the decision loop ----

  private stepAll(): void {
    for (const rec of [...this.records.values()]) this.step(rec);
  }

  /** Feeds update() with the current facts and carries out what it decides. Runs on the main loop. */
  private step(rec: DomainRecord): void {
    // A timer of a record dropped meanwhile (config and container gone) must not act for a newer one.
    if (this.records.get(rec.uuid) !== rec) return;
    if (!rec.busy && rec.inspectId && rec.container !== undefined) {
      const id = rec.inspectId;
      delete rec.inspectId;
      this.runDocker(
        rec,
        () => this.docker.inspectContainer(id),
        (r) => {
          if (r.ok) rec.container = r.value ? observe(r.value) : null;
        },
      );
      return;
    }
    const config = this.configs.get(rec.uuid);
    if (config) rec.hadConfig = true;
    const result = update({
      uuid: rec.uuid,
      config,
      container: rec.container,
      mem: rec.mem,
      prevStatus: this.statusPub.get(rec.uuid),
      now: Date.now(),
      busy: rec.busy,
      configsComplete: this.configsComplete || rec.hadConfig === true,
      engineError: this.engineError,
      policy: this.o.policy,
    });
    rec.mem = result.mem;
    this.publishStatus(rec.uuid, result.status);
    if (!config && rec.container === null && !rec.busy) {
      rec.wake.cancel();
      this.records.delete(rec.uuid);
      void this.metricPub.delete(rec.uuid);
    }
    this.save();
    for (const a of result.actions) runStep(this.executors, a, rec);
  }

  private publishStatus(uuid: string, status: DomainStatus | undefined): void {
    const prev = this.statusPub.get(uuid);
    if (status === undefined) {
      if (prev)
        void this.statusPub
          .delete(uuid)
          .catch((err) => this.log.error({ err }, "cannot delete DomainStatus"));
      return;
    }
    if (prev?.state !== status.state)
      this.log.info({ app: uuid, state: status.state, error: status.error?.description }, "domain state");
    void this.statusPub
      .set(uuid, status)
      .catch((err) => this.log.error({ err }, "cannot publish DomainStatus"));
  }

  /** One executor per action kind: a kind without one does not compile. */
  private readonly executors: Executors<Action, [rec: DomainRecord]> = {
    create: (a, rec) =>
      this.runDocker(
        rec,
        async () => {
          // The key is the app's identity (labels, adoption), whatever the value's uuid field says.
          // Secret parameters (mqttagent's 0600 file): read here, sent to the engine only.
          const secretEnv = a.config.secretEnvFile
            ? parseEnvLines(await readFile(a.config.secretEnvFile, "utf8"))
            : {};
          const opts = createOptions(this.o.node, { ...a.config, uuid: rec.uuid }, secretEnv);
          let id: string;
          try {
            id = await this.docker.createContainer(opts);
          } catch (e) {
            // Created by us just before a crash, and not seen by the listing yet: adopt it.
            const existing = isConflict(e) ? await this.docker.inspectContainer(opts.name ?? "") : undefined;
            if (!existing || existing.Config.Labels?.[OutpostLabels.node] !== this.o.node) throw e;
            id = existing.Id;
          }
          // Adapters 2..n, in order, before the start (already attached: fine, after a crash).
          for (const n of extraNetworks(a.config)) {
            await this.docker.connectNetwork(n.network, id, n.ip);
            if (n.mac)
              this.log.warn(
                { app: rec.uuid, network: n.network, mac: n.mac },
                "MAC address of a second or later adapter not applied: the engine takes a MAC for the first one only",
              );
          }
          const i = await this.docker.inspectContainer(id);
          return i ? observe(i) : null;
        },
        (r) => {
          if (r.ok) {
            rec.container = r.value;
            this.log.info(
              { app: rec.uuid, container: r.value?.id.slice(0, 12), name: r.value?.name },
              "created container",
            );
          } else {
            rec.container = null;
            this.fail(rec, `cannot create container: ${dockerErrorMessage(r.error)}`);
          }
        },
      ),
    start: (a, rec) =>
      this.runDocker(
        rec,
        async () => {
          await this.docker.startContainer(a.id);
          return this.docker.inspectContainer(a.id);
        },
        (r) => {
          if (r.ok) {
            rec.container = r.value ? observe(r.value) : null;
            rec.mem.expectRunning = true;
            this.log.info({ app: rec.uuid, container: a.id.slice(0, 12) }, "started container");
          } else if (isNotFound(r.error)) {
            rec.container = null;
          } else {
            rec.mem.startRefusals = (rec.mem.startRefusals ?? 0) + 1;
            this.fail(rec, `cannot start container: ${dockerErrorMessage(r.error)}`);
          }
        },
      ),
    restart: (a, rec) =>
      this.runDocker(
        rec,
        async () => {
          await this.docker.restartContainer(a.id, this.o.stopTimeoutS);
          return this.docker.inspectContainer(a.id);
        },
        (r) => {
          if (r.ok) {
            rec.container = r.value ? observe(r.value) : null;
            rec.mem.expectRunning = true;
            this.log.info(
              { app: rec.uuid, container: a.id.slice(0, 12) },
              "restarted container (restart counter)",
            );
          } else {
            rec.inspectId = a.id;
            this.fail(rec, `cannot restart container: ${dockerErrorMessage(r.error)}`);
          }
        },
      ),
    stop: (a, rec) =>
      this.runDocker(
        rec,
        async () => {
          await this.docker.stopContainer(a.id, this.o.stopTimeoutS);
          return this.docker.inspectContainer(a.id);
        },
        (r) => {
          if (r.ok) {
            rec.container = r.value ? observe(r.value) : null;
            rec.stepRetry.reset();
          } else this.retryLater(rec, a.id, `cannot stop container: ${dockerErrorMessage(r.error)}`);
        },
      ),
    remove: (a, rec) =>
      this.runDocker(
        rec,
        async () => {
          // A graceful stop first: the app gets SIGTERM and its grace period, as on a halt.
          if (rec.container?.running)
            await this.docker.stopContainer(a.id, this.o.stopTimeoutS).catch(() => {});
          await this.docker.removeContainer(a.id);
        },
        (r) => {
          if (r.ok) {
            rec.container = null;
            rec.stepRetry.reset();
            this.log.info({ app: rec.uuid, container: a.id.slice(0, 12) }, "removed container");
          } else this.retryLater(rec, a.id, `cannot remove container: ${dockerErrorMessage(r.error)}`);
        },
      ),
    wakeAt: (a, rec) => rec.wake.arm(a.at),
  };

  /** Runs one Docker step for a domain off the loop; at most one per domain at a time. */
  private runDocker<R>(rec: DomainRecord, fn: () => Promise<R>, apply: (r: WorkResult<R>) => void): void {
    rec.busy = true;
    this.ctx.work(fn, (r) => {
      rec.busy = false;
      apply(r);
      this.step(rec);
    });
  }

  private fail(rec: DomainRecord, description: string): void {
    this.log.warn({ app: rec.uuid, error: description }, "domain failed");
    rec.mem.failure = { description, at: Date.now() };
    delete rec.mem.retryAt;
  }

  /** A stop or remove the engine refused: look again and retry after the record's back-off. */
  private retryLater(rec: DomainRecord, id: string, description: string): void {
    const delay = rec.stepRetry.next();
    this.log.warn({ app: rec.uuid, error: description, retryInMs: delay }, "Docker step failed, retrying");
    rec.inspectId = id;
    this.executors.wakeAt({ kind: "wakeAt", at: Date.now() + delay }, rec);
  }

  // ---- metrics ----

  private async metricsLoop(): Promise<void> {
    const { signal } = this.ctx;
    while (!signal.aborted) {
      await sleep(this.o.metricsIntervalMs, signal);
      if (signal.aborted) break;
      const running = await this.ctx.loop.run(() =>
        [...this.records.values()].flatMap((r) =>
          r.container?.running ? [{ uuid: r.uuid, id: r.container.id }] : [],
        ),
      );
      for (const key of this.metricPub.keys())
        if (!running.some((r) => r.uuid === key)) await this.ctx.loop.run(() => this.metricPub.delete(key));
      await Promise.all(
        running.map(
          (r) =>
            new Promise<void>((done) =>
              this.metricsPool.submit(
                () => this.docker.containerStats(r.id),
                (res) => {
                  done();
                  if (!res.ok) return;
                  if (!this.records.get(r.uuid)?.container?.running) return;
                  void this.metricPub.set(r.uuid, { uuid: r.uuid, ...res.value, at: Date.now() });
                },
              ),
            ),
        ),
      );
    }
  }

  // ---- counters that survive our restart ----

  private loadSaved(): void {
    mkdirSync(this.o.stateDir, { recursive: true });
    try {
      this.savedJson = readFileSync(this.statePath, "utf8");
      this.saved = decodeJson(SavedDomainsCodec, this.savedJson);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT")
        this.log.warn({ err: String(e) }, "ignoring unreadable domains.json");
      this.saved = {};
    }
  }

  private saved: Record<string, SavedDomain> = {};

  private savedMemory(uuid: string): Memory {
    const s = this.saved[uuid];
    const m = freshMemory();
    if (s) {
      m.handledRestartCounter = s.restartCounter;
      m.failedRestarts = s.failedRestarts;
    }
    return m;
  }

  private save(): void {
    const out: Record<string, SavedDomain> = {};
    for (const r of this.records.values())
      if (r.mem.handledRestartCounter !== undefined)
        out[r.uuid] = { restartCounter: r.mem.handledRestartCounter, failedRestarts: r.mem.failedRestarts };
    // Domains not seen yet since our start keep what was saved for them.
    if (!this.listed) for (const [k, v] of Object.entries(this.saved)) out[k] ??= v;
    const json = JSON.stringify(out);
    if (json === this.savedJson) return;
    this.savedJson = json;
    this.saved = out;
    try {
      writeFileDurable(this.statePath, json);
    } catch (err) {
      this.log.error({ err }, "cannot save domains.json");
    }
  }
}
