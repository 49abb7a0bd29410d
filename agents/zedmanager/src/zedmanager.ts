// zedmanager's I/O around update(): subscriptions feed it, an executor table carries out its actions
// on zedmanager's three publications, and a timer wakes apps whose start delay runs out.
import { type Executors, MergedSubscription, runSteps } from "@outpost/agentbase";
import type { MainLoop } from "@outpost/primitives";
import type { BusLogger, Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  APP_LOCAL_OVERRIDE_TOPIC,
  type AppInstanceConfig,
  AppInstanceConfigCodec,
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  type AppLocalOverride,
  AppLocalOverrideCodec,
  appConfigDigest,
  type DomainConfig,
  DomainConfigCodec,
  type DomainStatus,
  DomainStatusCodec,
  makeError,
  type NetworkInstanceStatus,
  NetworkInstanceStatusCodec,
  NODEAGENT_STATUS_KEY,
  NodeAgentStatusCodec,
  type VolumeRefConfig,
  VolumeRefConfigCodec,
  type VolumeRefStatus,
  VolumeRefStatusCodec,
  volumeKey,
  ZEDROUTER_TOPICS,
} from "@outpost/types";
import { type Action, type AppRecord, type Deps, update } from "./update.js";

export interface ZedmanagerOptions {
  pubsub: PubSub;
  loop: MainLoop;
  log: BusLogger;
  now?: () => number;
  /** The agents whose AppInstanceConfig tables name the apps to run, each owning its own apps
   * (default zedagent; appConfigPublishers adds mqttagent on an MQTT-managed node). */
  configAgents?: readonly string[];
}

/** Runs one action for one app; resolves true when it changed one of zedmanager's publications. */
type Executor = Executors<Action, [uuid: string], Promise<boolean>>;

export class Zedmanager {
  private readonly records = new Map<string, AppRecord>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private flushPosted = false;
  private started = false;
  private stopped = false;
  private readonly now: () => number;

  private constructor(
    private readonly o: ZedmanagerOptions,
    private readonly statusPub: Publication<AppInstanceStatus>,
    private readonly refPub: Publication<VolumeRefConfig>,
    private readonly domainPub: Publication<DomainConfig>,
  ) {
    this.now = o.now ?? Date.now;
    // What a previous run already carried out (restart and purge counters) survives in the persisted status.
    for (const [uuid, status] of statusPub.entries()) this.records.set(uuid, { status });
  }

  private configs!: MergedSubscription<AppInstanceConfig>;
  /** nodeagent's haltApps (a reboot under way, maintenance mode): every app runs as if deactivated. */
  private haltApps = false;
  private refStatus!: Subscription<VolumeRefStatus>;
  /** Local stops (localapi's AppLocalOverride), and the apps one is in force for now. */
  private overrides!: Subscription<AppLocalOverride>;
  private readonly overridden = new Set<string>();
  private domainStatus!: Subscription<DomainStatus>;
  private networks!: Subscription<NetworkInstanceStatus>;

  static async start(o: ZedmanagerOptions): Promise<Zedmanager> {
    // Persistent, so a restarted zedmanager serves the same DomainConfig and VolumeRefConfig tables
    // it left: domainmgr and volumemgr must not see an empty table and tear down running apps.
    const statusPub = await o.pubsub.publish({
      topic: "AppInstanceStatus",
      codec: AppInstanceStatusCodec,
      persistent: true,
    });
    const refPub = await o.pubsub.publish({
      topic: "VolumeRefConfig",
      codec: VolumeRefConfigCodec,
      persistent: true,
    });
    const domainPub = await o.pubsub.publish({
      topic: "DomainConfig",
      codec: DomainConfigCodec,
      persistent: true,
    });
    const z = new Zedmanager(o, statusPub, refPub, domainPub);
    z.subscribe();
    z.subscribeNetworks();
    return z;
  }

  private subscribe(): void {
    const { pubsub } = this.o;
    const onSync = () => this.maybeStart();
    this.configs = new MergedSubscription(pubsub, {
      agents: this.o.configAgents ?? ["zedagent"],
      topic: "AppInstanceConfig",
      codec: AppInstanceConfigCodec,
      handlers: {
        create: (uuid) => this.schedule(uuid),
        modify: (uuid) => this.schedule(uuid),
        delete: (uuid) => this.schedule(uuid),
        synchronized: onSync,
      },
    });
    const onOverride = (uuid: string) => this.schedule(uuid);
    this.overrides = pubsub.subscribe({
      agent: "localapi",
      topic: APP_LOCAL_OVERRIDE_TOPIC,
      codec: AppLocalOverrideCodec,
      handlers: { create: onOverride, modify: onOverride, delete: onOverride },
    });
    const onNode = (_k: string, v: { haltApps: boolean }) => {
      if (v.haltApps === this.haltApps) return;
      this.haltApps = v.haltApps;
      this.o.log.info(
        { haltApps: v.haltApps },
        v.haltApps ? "nodeagent: halting every app" : "nodeagent: apps may run",
      );
      for (const uuid of this.configs.keys()) this.schedule(uuid);
    };
    pubsub.subscribe({
      agent: "nodeagent",
      topic: "NodeAgentStatus",
      codec: NodeAgentStatusCodec,
      handlers: {
        create: onNode,
        modify: onNode,
        delete: () => onNode(NODEAGENT_STATUS_KEY, { haltApps: false }),
      },
    });
    const refChanged = (key: string) => this.scheduleUsersOf(key);
    this.refStatus = pubsub.subscribe({
      agent: "volumemgr",
      topic: "VolumeRefStatus",
      codec: VolumeRefStatusCodec,
      handlers: { create: refChanged, modify: refChanged, delete: refChanged, synchronized: onSync },
    });
    this.domainStatus = pubsub.subscribe({
      agent: "domainmgr",
      topic: "DomainStatus",
      codec: DomainStatusCodec,
      handlers: {
        create: (uuid) => this.schedule(uuid),
        modify: (uuid) => this.schedule(uuid),
        delete: (uuid) => this.schedule(uuid),
        synchronized: onSync,
      },
    });
  }

  /** zedrouter's instances: an app whose adapters name one waits in AWAITNETWORKINSTANCE until it is
   * ONLINE. Not one of the inputs waited for at start: a node without zedrouter (or apps without
   * adapters) runs as before, and a running app's published domain is kept while the table is away. */
  private subscribeNetworks(): void {
    const changed = (ni: string) => {
      for (const [uuid, c] of this.configs.entries())
        if (c.interfaces.some((i) => i.network === ni)) this.schedule(uuid);
    };
    this.networks = this.o.pubsub.subscribe({
      agent: "zedrouter",
      topic: ZEDROUTER_TOPICS.status,
      codec: NetworkInstanceStatusCodec,
      handlers: { create: changed, modify: changed, delete: changed },
    });
  }

  /** Nothing is decided until all three inputs are complete: a half-known world would tear down
   * apps that are merely not reported yet. Then every app known anywhere is brought up to date. */
  private maybeStart(): void {
    if (
      this.started ||
      !this.configs.synchronized ||
      !this.refStatus.synchronized ||
      !this.domainStatus.synchronized
    )
      return;
    this.started = true;
    const uuids = new Set<string>([
      ...this.configs.keys(),
      ...this.records.keys(),
      ...this.domainPub.keys(),
      ...this.refPub.entries().flatMap(([, r]) => r.apps),
    ]);
    this.o.log.info({ apps: uuids.size }, "inputs synchronized: reconciling every app");
    for (const uuid of uuids) this.dirty.add(uuid);
    this.o.loop.post(async () => {
      await this.flush();
      // Our tables are now complete after this (re)start: owners downstream may garbage-collect.
      this.statusPub.signalRestarted();
      this.refPub.signalRestarted();
      this.domainPub.signalRestarted();
      this.o.log.info({}, "signalled restarted");
    });
  }

  private schedule(uuid: string): void {
    this.dirty.add(uuid);
    if (!this.started || this.flushPosted || this.stopped) return;
    this.flushPosted = true;
    this.o.loop.post(() => this.flush());
  }

  private scheduleUsersOf(key: string): void {
    for (const [uuid, c] of this.configs.entries())
      if (c.volumeRefs.some((r) => volumeKey(r.volumeId, r.generation) === key)) this.schedule(uuid);
    for (const uuid of this.refPub.get(key)?.apps ?? []) this.schedule(uuid);
  }

  private async flush(): Promise<void> {
    this.flushPosted = false;
    // An app whose actions changed our own tables is updated again until nothing changes (bounded,
    // in case two decisions ever disagree).
    for (let round = 0; round < 10 && this.dirty.size > 0 && !this.stopped; round++) {
      const batch = [...this.dirty];
      this.dirty.clear();
      for (const uuid of batch) if (await this.updateApp(uuid)) this.dirty.add(uuid);
    }
    if (this.dirty.size > 0 && !this.stopped)
      this.o.log.warn({ apps: [...this.dirty] }, "apps still changing after 10 rounds");
  }

  private deps(uuid: string, config: AppInstanceConfig | undefined): Deps {
    const heldRefs = this.refPub
      .entries()
      .filter(([, r]) => r.apps.includes(uuid))
      .map(([k]) => k);
    const keys = new Set([
      ...heldRefs,
      ...(config?.volumeRefs ?? []).map((r) => volumeKey(r.volumeId, r.generation)),
    ]);
    const refStatus: Record<string, VolumeRefStatus> = {};
    const refConfig: Record<string, VolumeRefConfig> = {};
    for (const k of keys) {
      const st = this.refStatus.get(k);
      if (st) refStatus[k] = st;
      const cfg = this.refPub.get(k);
      if (cfg) refConfig[k] = cfg;
    }
    return {
      now: this.now(),
      refStatus,
      refConfig,
      heldRefs,
      domainConfig: this.domainPub.get(uuid),
      domainStatus: this.domainStatus.get(uuid),
      ...(this.configs.owner(uuid) ? { manager: this.configs.owner(uuid) } : {}),
      networks: Object.fromEntries(
        (config?.interfaces ?? []).flatMap((i) => {
          const ni = this.networks.get(i.network);
          return ni ? [[i.network, ni]] : [];
        }),
      ),
    };
  }

  /** Runs update() for one app and carries out its result; true when our own tables changed. */
  private async updateApp(uuid: string): Promise<boolean> {
    const configured = this.configs.get(uuid);
    const local = this.localOverride(uuid, configured);
    const config = configured && (this.haltApps || local) ? { ...configured, activate: false } : configured;
    const before = this.records.get(uuid);
    const { app, actions } = update(config, before, this.deps(uuid, config));
    const changed = (await runSteps(this.executor, actions, uuid)).some(Boolean);
    if (app) {
      this.records.set(uuid, app);
      const prev = this.statusPub.get(uuid);
      if (
        prev?.state !== app.status.state ||
        JSON.stringify(prev?.error) !== JSON.stringify(app.status.error)
      )
        this.o.log.info(
          {
            app: uuid,
            name: app.status.displayName,
            state: app.status.state,
            error: app.status.error?.description,
          },
          "app state",
        );
      await this.statusPub.set(uuid, local ? withOverride(app.status, local) : app.status);
    } else {
      if (before) this.o.log.info({ app: uuid }, "app removed");
      this.records.delete(uuid);
      await this.statusPub.delete(uuid);
      this.clearTimer(uuid);
    }
    return changed;
  }

  /** The local stop in force for this app: one made against the config it has now. The controller's
   * next change of the app (another digest) ends it. */
  private localOverride(uuid: string, config: AppInstanceConfig | undefined): AppLocalOverride | undefined {
    const o = config ? this.overrides.get(uuid) : undefined;
    const inForce = o && config && o.configDigest === appConfigDigest(config) ? o : undefined;
    if (inForce && !this.overridden.has(uuid)) {
      this.overridden.add(uuid);
      this.o.log.info({ app: uuid, by: inForce.by, at: inForce.requestedAt }, "local override: app stopped");
    } else if (!inForce && this.overridden.delete(uuid))
      this.o.log.info(
        { app: uuid, reason: o ? "the controller changed the app" : "withdrawn" },
        "local override ended",
      );
    return inForce;
  }

  private readonly executor: Executor = {
    ensureVolumeRef: async (a, uuid) => {
      const cur = this.refPub.get(a.key);
      if (cur?.apps.includes(uuid)) return false;
      const apps = [...(cur?.apps ?? []), uuid].sort();
      await this.refPub.set(a.key, {
        volumeId: a.volumeId,
        generation: a.generation,
        apps,
        localGeneration: cur?.localGeneration ?? 0,
      });
      this.scheduleOthers(uuid, apps);
      return true;
    },
    releaseVolumeRef: async (a, uuid) => {
      const cur = this.refPub.get(a.key);
      if (!cur?.apps.includes(uuid)) return false;
      const apps = cur.apps.filter((x) => x !== uuid);
      // Nobody uses it any more: volumemgr removes the volume (and then, unreferenced, its content).
      if (apps.length === 0) await this.refPub.delete(a.key);
      else await this.refPub.set(a.key, { ...cur, apps });
      this.scheduleOthers(uuid, apps);
      return true;
    },
    bumpVolumeRef: async (a, uuid) => {
      const cur = this.refPub.get(a.key);
      if (!cur || cur.localGeneration >= a.localGeneration) return false;
      await this.refPub.set(a.key, { ...cur, localGeneration: a.localGeneration });
      this.scheduleOthers(uuid, cur.apps);
      return true;
    },
    publishDomain: async (a, uuid) => {
      const cur = this.domainPub.get(uuid);
      if (cur && JSON.stringify(cur) === JSON.stringify(a.config)) return false;
      await this.domainPub.set(uuid, a.config);
      return true;
    },
    deleteDomain: async (_a, uuid) => {
      if (!this.domainPub.get(uuid)) return false;
      await this.domainPub.delete(uuid);
      return true;
    },
    wakeAt: async (a, uuid) => {
      this.clearTimer(uuid);
      const t = setTimeout(
        () => this.o.loop.post(() => this.schedule(uuid)),
        Math.max(0, a.atMs - this.now()),
      );
      this.timers.set(uuid, t);
      return false;
    },
  };

  private scheduleOthers(uuid: string, apps: readonly string[]): void {
    for (const other of apps) if (other !== uuid) this.schedule(other);
  }

  private clearTimer(uuid: string): void {
    const t = this.timers.get(uuid);
    if (t) clearTimeout(t);
    this.timers.delete(uuid);
  }

  stop(): void {
    this.stopped = true;
    for (const uuid of [...this.timers.keys()]) this.clearTimer(uuid);
  }
}

/** The status as published while a local stop is in force: the override, and (when nothing else is
 * wrong) a notice saying so, which zedagent reports to the controller with the app's info. */
function withOverride(status: AppInstanceStatus, o: AppLocalOverride): AppInstanceStatus {
  const notice = makeError(`stopped locally (${o.by}); ends when the controller next changes this app`, {
    severity: "notice",
    now: Number.isNaN(Date.parse(o.requestedAt)) ? new Date(0) : new Date(o.requestedAt),
  });
  return {
    ...status,
    localOverride: { state: o.state, since: o.requestedAt, by: o.by },
    error: status.error ?? notice,
  };
}
