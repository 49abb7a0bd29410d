// baseosmgr's shell: the tables, the persisted record, the boot selector and the install job around
// the pure planner (plan.ts). One pass on the main loop builds the planner's world, publishes what it
// returns and runs its actions through the executor table; every change (a table, a job's end, the
// test window's end) asks for another pass.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AgentContext, type Executors, runSteps } from "@outpost/agentbase";
import { Backoff } from "@outpost/primitives";
import type { Publication, Subscription } from "@outpost/pubsub";
import {
  BASEOS_CONFIG_KEY,
  BASEOS_TOPICS,
  type BaseOsConfig,
  BaseOsConfigCodec,
  type BaseOsStatus,
  BaseOsStatusCodec,
  CONFIG_ITEMS_KEY,
  type ConfigItemValueMap,
  ConfigItemValueMapCodec,
  type ContentTreeRef,
  ContentTreeRefCodec,
  type ContentTreeStatus,
  ContentTreeStatusCodec,
  NODEAGENT_STATUS_KEY,
  NODEAGENT_TOPICS,
  type NodeAgentRequest,
  NodeAgentRequestCodec,
  type NodeAgentStatus,
  NodeAgentStatusCodec,
  WATCHDOG_STATUS_TOPIC,
  type WatchdogStatus,
  WatchdogStatusCodec,
  ZEDAGENT_STATUS_KEY,
  type ZedAgentStatus,
  ZedAgentStatusCodec,
} from "@outpost/types";
import type { BootEnv, BootSelector, Slot } from "./bootselector.js";
import {
  type Action,
  freshRecord,
  type Health,
  type InstallState,
  installedRecord,
  plan,
  type SlotsRecord,
} from "./plan.js";
import { bootedSlot, installRelease, writeSelectorLine } from "./slots.js";

export interface BaseosmgrOptions {
  selector: BootSelector;
  /** The version of the release this process runs from. */
  runningVersion: string;
  maxReleaseBytes: number;
  /** Overrides the config item timer.test.baseimage.update when set (ms). */
  testWindowMs?: number | undefined;
  /** How long the new slot must stay healthy before it is committed (--stable-ms). */
  stableMs: number;
  /** TEST ONLY: slows the unpack down (InstallLimits.slowUnpackRecords). */
  slowUnpackRecords?: number | undefined;
}

export const TEST_WINDOW_ITEM = "timer.test.baseimage.update";
export const REQUEST_KEY = "baseosmgr";

type Ctx = Pick<AgentContext<unknown>, "log" | "pubsub" | "loop" | "work" | "signal" | "layout" | "name">;

export class Baseosmgr {
  private record: SlotsRecord;
  private env: BootEnv = { defaultSlot: "A" };
  private install: InstallState | undefined;
  private rebootAsked = false;
  private bootDone = false;
  private healthySince: number | undefined;
  private running = false;
  private again = false;
  private wake: NodeJS.Timeout | undefined;
  private readonly retry = new Backoff({ minMs: 500, maxMs: 60_000 });
  private readonly booted: Slot;
  private readonly bootedAt: number;
  private readonly recordPath: string;
  private readonly executors: Executors<Action, [], Promise<void>>;

  private constructor(
    private readonly ctx: Ctx,
    private readonly o: BaseosmgrOptions,
    private readonly subs: {
      config: Subscription<BaseOsConfig>;
      trees: Subscription<ContentTreeStatus>;
      watchdog: Subscription<WatchdogStatus>;
      zedagent: Subscription<ZedAgentStatus>;
      items: Subscription<ConfigItemValueMap>;
      nodeagent: Subscription<NodeAgentStatus>;
    },
    private readonly pubs: {
      status: Publication<BaseOsStatus>;
      treeRef: Publication<ContentTreeRef>;
      request: Publication<NodeAgentRequest>;
    },
  ) {
    const root = ctx.layout.root;
    this.booted = bootedSlot(root, (p) => readFileSync(p, "utf8"));
    // The boot's time: outpost-boot writes run/boot-slot as it boots; the test window counts from it.
    let bootedAt = Date.now();
    try {
      bootedAt = statSync(join(root, "run", "boot-slot")).mtimeMs;
    } catch {
      // A node booted without slots: this process's start.
    }
    this.bootedAt = bootedAt;
    this.recordPath = join(ctx.layout.agentPersist(ctx.name), "record.json");
    this.record = this.readRecord() ?? freshRecord(this.booted, o.runningVersion);
    this.executors = {
      saveRecord: (a) =>
        this.io(
          () => this.writeRecord(a.record),
          () => {
            this.record = a.record;
          },
        ),
      install: async (a) => this.startInstall(a.slot, a.path, a.version, a.retryCounter),
      tryOnce: (a) => this.selectorStep(() => this.o.selector.tryOnce(a.slot)),
      commit: async (a) => {
        await this.selectorStep(() => this.o.selector.commit(a.slot));
        this.ctx.log.info({ slot: a.slot, version: this.o.runningVersion }, "update committed");
      },
      abandon: () => this.selectorStep(() => this.o.selector.abandon()),
      reboot: (a) =>
        this.ctx.loop.run(async () => {
          this.rebootAsked = true;
          this.ctx.log.warn({ reason: a.reason, detail: a.detail }, "asking nodeagent to reboot");
          await this.pubs.request.set(REQUEST_KEY, {
            op: "reboot",
            reason: a.reason,
            detail: a.detail,
            requestedAt: new Date().toISOString(),
            ...(a.slot ? { slot: a.slot } : {}),
          });
        }),
    };
  }

  static async start(ctx: Ctx, o: BaseosmgrOptions): Promise<Baseosmgr> {
    const { pubsub } = ctx;
    let self: Baseosmgr | undefined;
    const changed = () => self?.schedule();
    const handlers = { create: changed, modify: changed, delete: changed, synchronized: changed };
    const sub = <T>(
      agent: string,
      topic: string,
      codec: import("@outpost/types").Codec<T>,
      persistent = false,
    ) => pubsub.subscribe({ agent, topic, codec, handlers, persistent });
    const subs = {
      config: sub("zedagent", BASEOS_TOPICS.config, BaseOsConfigCodec, true),
      trees: sub("volumemgr", "ContentTreeStatus", ContentTreeStatusCodec),
      watchdog: sub("watchdog", WATCHDOG_STATUS_TOPIC, WatchdogStatusCodec),
      zedagent: sub("zedagent", "ZedAgentStatus", ZedAgentStatusCodec),
      items: sub("zedagent", "ConfigItemValueMap", ConfigItemValueMapCodec, true),
      nodeagent: sub("nodeagent", NODEAGENT_TOPICS.status, NodeAgentStatusCodec),
    };
    const pubs = {
      status: await pubsub.publish({ topic: BASEOS_TOPICS.status, codec: BaseOsStatusCodec }),
      treeRef: await pubsub.publish({ topic: BASEOS_TOPICS.contentTreeRef, codec: ContentTreeRefCodec }),
      request: await pubsub.publish({ topic: NODEAGENT_TOPICS.request, codec: NodeAgentRequestCodec }),
    };
    self = new Baseosmgr(ctx, o, subs, pubs);
    writeSelectorLine(ctx.layout.root, o.selector.block);
    await self.io(() => o.selector.init(self?.booted ?? "A"));
    await self.readEnv();
    for (const p of Object.values(pubs)) p.signalRestarted();
    ctx.log.info(
      { booted: self.booted, version: o.runningVersion, env: self.env, record: self.record },
      "baseosmgr running",
    );
    self.schedule();
    return self;
  }

  /** Blocking I/O off the main loop; `apply` takes its result in on the main loop. Never awaited from a
   * main-loop task (that task would wait for a task queued behind it): passes run outside the loop. */
  private io<R>(fn: () => R | Promise<R>, apply: (r: R) => void = () => {}): Promise<void> {
    return new Promise((resolve, reject) =>
      this.ctx.work(
        async () => fn(),
        (r) => {
          if (!r.ok) return reject(r.error);
          apply(r.value);
          resolve();
        },
      ),
    );
  }

  private readEnv(): Promise<void> {
    return this.io(
      () => this.o.selector.read(),
      (env) => {
        this.env = env;
      },
    );
  }

  /** A change of the boot selector, then the environment read back. */
  private selectorStep(change: () => Promise<void>): Promise<void> {
    return this.io(
      async () => {
        await change();
        return this.o.selector.read();
      },
      (env) => {
        this.env = env;
      },
    );
  }

  private readRecord(): SlotsRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.recordPath, "utf8")) as SlotsRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        this.ctx.log.error(
          { err: String(error), path: this.recordPath },
          "slot record unreadable: starting afresh",
        );
      return undefined;
    }
  }

  private writeRecord(r: SlotsRecord): void {
    mkdirSync(join(this.recordPath, ".."), { recursive: true });
    writeFileSync(`${this.recordPath}.tmp`, `${JSON.stringify(r, null, 2)}\n`, { flush: true });
    renameSync(`${this.recordPath}.tmp`, this.recordPath);
  }

  /** The install runs as a job: passes go on meanwhile (statuses say UPDATE_INITIALIZING). The job
   * writes the record itself ("updating", counter bumped) once the slot is complete. */
  private startInstall(slot: Slot, path: string, version: string, retryCounter: number): Promise<void> {
    this.install = { state: "running", version };
    this.ctx.log.info({ slot, version, path }, "installing the release into the inactive slot");
    const root = this.ctx.layout.root;
    const record = installedRecord(this.record, slot, version, retryCounter);
    this.ctx.work(
      async () => {
        const r = installRelease(root, slot, path, version, {
          maxUnpackedBytes: this.o.maxReleaseBytes,
          slowUnpackRecords: this.o.slowUnpackRecords,
        });
        this.writeRecord(record);
        return r;
      },
      (r) => {
        if (r.ok) {
          this.record = record;
          this.install = undefined;
          this.ctx.log.info({ slot, version, bytes: r.value.bytes }, "release installed");
        } else {
          const message = r.error instanceof Error ? r.error.message : String(r.error);
          this.ctx.log.error({ slot, version, err: message }, "release refused");
          this.install = { state: "failed", version, error: message };
        }
        this.schedule();
      },
    );
    return Promise.resolve();
  }

  private health(): Health {
    const statuses = [...this.subs.watchdog.entries()].map(([, s]) => s);
    const crashed = statuses.find(
      (s) => s.state === "gave-up" || (s.restarts > 0 && (s.lastEventAt ?? 0) >= this.bootedAt),
    );
    const z = this.subs.zedagent.get(ZEDAGENT_STATUS_KEY);
    const h: Health = {
      agentsUp: this.isBootDone() && statuses.length > 0 && statuses.every((s) => s.state === "running"),
      crashed: crashed?.agent,
      // zedagent's status is not persistent: "connected" with a config in force is this boot's.
      configApplied: z?.state === "connected" && z.configHash !== "",
    };
    const ok = h.agentsUp && h.configApplied && !h.crashed;
    if (!ok) this.healthySince = undefined;
    else this.healthySince ??= Date.now();
    return { ...h, healthySince: this.healthySince };
  }

  /** outpost-boot started every agent of this boot: run/boot-done names the boot in run/boot-id. Two
   * small reads of run/ per pass until it is so; then remembered for the life of this process. */
  private isBootDone(): boolean {
    if (this.bootDone) return true;
    const read = (f: string) => {
      try {
        return readFileSync(join(this.ctx.layout.root, "run", f), "utf8").trim();
      } catch {
        return undefined;
      }
    };
    const done = read("boot-done");
    this.bootDone = done !== undefined && done === read("boot-id");
    return this.bootDone;
  }

  private testWindowMs(): number {
    if (this.o.testWindowMs !== undefined) return this.o.testWindowMs;
    const v = Number(this.subs.items.get(CONFIG_ITEMS_KEY)?.items[TEST_WINDOW_ITEM]?.value ?? 600);
    return (Number.isFinite(v) && v > 0 ? v : 600) * 1000;
  }

  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass();
  }

  /** Plans and publishes on the main loop; the actions run outside it, each taking its result in
   * through a main-loop task. */
  private async pass(): Promise<void> {
    try {
      do {
        this.again = false;
        const actions = await this.ctx.loop.run(() => this.planAndPublish());
        try {
          await runSteps(this.executors, actions);
          this.retry.reset();
          // At debug level: which config the pass saw in force and what it did, so a test can tell
          // that a new config was looked at (and, with no actions, that nothing was started).
          this.ctx.log.debug(
            {
              configHash: this.subs.zedagent.get(ZEDAGENT_STATUS_KEY)?.configHash,
              actions: actions.map((a) => a.kind),
            },
            "pass",
          );
        } catch (error) {
          // A selector or record write failed (disk, grub-editenv): plan again after a backoff.
          const delay = this.retry.next();
          this.ctx.log.error({ err: String(error), retryInMs: delay }, "a slot step failed");
          clearTimeout(this.wake);
          this.wake = setTimeout(() => this.schedule(), delay);
          break;
        }
        if (actions.length > 0) this.again = true;
      } while (this.again && !this.ctx.signal.aborted);
    } finally {
      this.running = false;
    }
  }

  private async planAndPublish(): Promise<Action[]> {
    const config = this.subs.config.get(BASEOS_CONFIG_KEY);
    const tree = config ? this.subs.trees.get(config.contentTreeId) : undefined;
    const p = plan({
      now: Date.now(),
      bootedAt: this.bootedAt,
      booted: this.booted,
      runningVersion: this.o.runningVersion,
      env: this.env,
      record: this.record,
      config,
      tree,
      blobPath: tree?.state === "VERIFIED" ? tree.path : undefined,
      install: this.install,
      health: this.health(),
      maintenance: this.subs.nodeagent.get(NODEAGENT_STATUS_KEY)?.maintenanceMode === true,
      testWindowMs: this.testWindowMs(),
      stableMs: this.o.stableMs,
      rebootAsked: this.rebootAsked,
      prev: new Map([...this.pubs.status.entries()].map(([k, s]) => [k as Slot, s])),
    });
    for (const [slot, s] of p.statuses)
      if (JSON.stringify(this.pubs.status.get(slot)) !== JSON.stringify(s))
        await this.pubs.status.set(slot, s);
    for (const k of this.pubs.treeRef.keys()) if (k !== p.wantTree) await this.pubs.treeRef.delete(k);
    if (p.wantTree && !this.pubs.treeRef.get(p.wantTree))
      await this.pubs.treeRef.set(p.wantTree, { id: p.wantTree });
    clearTimeout(this.wake);
    if (p.wakeAt !== undefined)
      this.wake = setTimeout(() => this.schedule(), Math.max(0, p.wakeAt - Date.now()) + 50);
    return p.actions;
  }

  stop(): void {
    clearTimeout(this.wake);
  }
}
