// zedagent's I/O: waits for onboarding, polls the controller for config, turns an accepted config into
// the pubsub tables (parse.ts), checkpoints it, and reports statuses through the reliable queue.
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Layout } from "@outpost/agentbase";
import {
  ApiError,
  CONFIG_FILES,
  DeviceSession,
  decodeOr,
  eve,
  HttpClient,
  loadIdentity,
  readBootstrap,
  TransportError,
} from "@outpost/evecloud";
import { Backoff, ensurePrivateDir, sleep, writeFileDurable } from "@outpost/primitives";
import type { Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  type AppInstanceConfig,
  AppInstanceConfigCodec,
  AppInstanceStatusCodec,
  CONFIG_ITEMS_KEY,
  type ConfigItemValueMap,
  ConfigItemValueMapCodec,
  type ContentTreeConfig,
  ContentTreeConfigCodec,
  ContentTreeStatusCodec,
  type DatastoreConfig,
  DatastoreConfigCodec,
  type DeviceOpsCmd,
  DeviceOpsCmdCodec,
  DomainMetricCodec,
  InfoQueueEntryCodec,
  type InfoReported,
  InfoReportedCodec,
  LED_BLINK_KEY,
  LED_BLINK_TOPIC,
  type LedBlinkCounter,
  LedBlinkCounterCodec,
  LedCount,
  ONBOARDING_PUBLISHER,
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  OnboardingStatusCodec,
  type VolumeConfig,
  VolumeConfigCodec,
  VolumeStatusCodec,
  ZEDAGENT_STATUS_KEY,
  type ZedAgentStatus,
  ZedAgentStatusCodec,
} from "@outpost/types";
import type { Logger } from "pino";
import { itemNumber } from "./config-items.js";
import { deviceFacts, restartCounter } from "./device-facts.js";
import { appInfo, contentTreeInfo, deviceInfo, encodeInfo, volumeInfo } from "./info.js";
import { collectMetrics } from "./metrics.js";
import { watchNewlogMetric } from "./newlog-metrics.js";
import { ConfigParseError, type DesiredTables, diffTable, parseEdgeDevConfig } from "./parse.js";
import { ReportQueue } from "./report-queue.js";
import { nextPollDelayMs } from "./schedule.js";

export const CHECKPOINT_FILES = { config: "lastconfig", certs: "controllercerts" } as const;

export interface ZedagentOptions {
  pubsub: PubSub;
  log: Logger;
  layout: Layout;
  signal: AbortSignal;
  random?: () => number;
}

type Source = "controller" | "checkpoint";

export class Zedagent {
  private uuid = "";
  private session: DeviceSession | undefined;
  private token: Uint8Array | undefined;
  private configHash = "";
  private applied = false;
  private lastConfigAt: number | undefined;
  private status: ZedAgentStatus = ZedAgentStatusCodec.decode({ state: "waiting-onboarding" });
  private ledCount = -1;
  private readonly checkpointDir: string;
  private readonly queue: ReportQueue;
  private deviceInfoJson = "";

  private constructor(
    private readonly o: ZedagentOptions,
    private readonly pubs: {
      datastores: Publication<DatastoreConfig>;
      contentTrees: Publication<ContentTreeConfig>;
      volumes: Publication<VolumeConfig>;
      apps: Publication<AppInstanceConfig>;
      configItems: Publication<ConfigItemValueMap>;
      deviceOps: Publication<DeviceOpsCmd>;
      status: Publication<ZedAgentStatus>;
      led: Publication<LedBlinkCounter>;
    },
    infoQueue: Publication<import("@outpost/types").InfoQueueEntry>,
    private readonly reported: Publication<InfoReported>,
  ) {
    this.checkpointDir = o.layout.checkpoint;
    this.queue = new ReportQueue(infoQueue);
  }

  static async start(o: ZedagentOptions): Promise<Zedagent> {
    const p = o.pubsub;
    // The config tables are persistent: a restarted zedagent serves the table it left, so zedmanager and
    // volumemgr never see an empty table (and tear running apps down) before the config is re-read.
    const z = new Zedagent(
      o,
      {
        datastores: await p.publish({
          topic: "DatastoreConfig",
          codec: DatastoreConfigCodec,
          persistent: true,
        }),
        contentTrees: await p.publish({
          topic: "ContentTreeConfig",
          codec: ContentTreeConfigCodec,
          persistent: true,
        }),
        volumes: await p.publish({ topic: "VolumeConfig", codec: VolumeConfigCodec, persistent: true }),
        apps: await p.publish({
          topic: "AppInstanceConfig",
          codec: AppInstanceConfigCodec,
          persistent: true,
        }),
        configItems: await p.publish({
          topic: "ConfigItemValueMap",
          codec: ConfigItemValueMapCodec,
          persistent: true,
        }),
        deviceOps: await p.publish({ topic: "DeviceOpsCmd", codec: DeviceOpsCmdCodec, persistent: true }),
        status: await p.publish({ topic: "ZedAgentStatus", codec: ZedAgentStatusCodec }),
        led: await p.publish({ topic: LED_BLINK_TOPIC, codec: LedBlinkCounterCodec }),
      },
      await p.publish({ topic: "InfoQueueEntry", codec: InfoQueueEntryCodec, persistent: true }),
      await p.publish({ topic: "InfoReported", codec: InfoReportedCodec, persistent: true }),
    );
    return z;
  }

  private get configItems(): ConfigItemValueMap | undefined {
    return this.pubs.configItems.get(CONFIG_ITEMS_KEY);
  }

  private async setStatus(patch: Partial<ZedAgentStatus>): Promise<void> {
    this.status = { ...this.status, ...patch, pendingReports: this.queue.size };
    await this.pubs.status.set(ZEDAGENT_STATUS_KEY, this.status);
  }

  private async led(count: number, source: string): Promise<void> {
    if (count === this.ledCount) return;
    this.ledCount = count;
    await this.pubs.led.set(LED_BLINK_KEY, {
      blinkCount: count,
      source: `zedagent: ${source}`,
      setAt: Date.now(),
    });
  }

  /** Runs until the signal aborts. */
  async run(): Promise<void> {
    const { log } = this.o;
    await this.setStatus({});
    await this.led(LedCount.connecting, "waiting for onboarding");
    // Each holds one key, set now: complete (pubsub's restart barrier).
    this.pubs.status.signalRestarted();
    this.pubs.led.signalRestarted();
    const uuid = await this.waitOnboarded();
    if (!uuid) return;
    this.uuid = uuid;
    log.info({ deviceUuid: uuid }, "onboarded: polling the controller for config");
    await this.setStatus({ state: "connecting", deviceUuid: uuid });
    this.session = this.makeSession();
    this.watchStatuses();
    await this.queueDeviceInfo();
    await Promise.all([this.configLoop(), this.senderLoop(), this.metricsLoop(), this.deviceInfoLoop()]);
    this.session.http.close();
  }

  /** The device UUID from the client's OnboardingStatus. The subscription is persistent: it answers
   * from the client's store before the client runs, and keeps following the store after the client
   * (a short-lived tool) exits. */
  private async waitOnboarded(): Promise<string | undefined> {
    const { pubsub, signal } = this.o;
    const sub = pubsub.subscribe({
      agent: ONBOARDING_PUBLISHER,
      topic: ONBOARDING_STATUS_TOPIC,
      codec: OnboardingStatusCodec,
      persistent: true,
    });
    while (!signal.aborted) {
      const uuid = sub.get(ONBOARDING_STATUS_KEY)?.deviceUuid;
      if (uuid) return uuid;
      await sleep(200, signal);
    }
    return undefined;
  }

  private makeSession(): DeviceSession {
    const dir = this.o.layout.config;
    const boot = readBootstrap(dir);
    const http = new HttpClient({
      server: boot.server,
      rootCa: boot.rootCa,
      timeoutMs: itemNumber(this.configItems, "timer.send.timeout") * 1000,
    });
    const identity = loadIdentity(join(dir, CONFIG_FILES.deviceKey), join(dir, CONFIG_FILES.deviceCert));
    return new DeviceSession(http, new X509Certificate(boot.rootCa), identity);
  }

  // ---- config ----

  private async configLoop(): Promise<void> {
    const { signal } = this.o;
    while (!signal.aborted) {
      const again = await this.pollOnce();
      if (again) continue;
      // The draw is kept, the interval re-read: a config that shortens the period takes effect at once.
      const r = (this.o.random ?? Math.random)();
      await this.waitPeriod(() =>
        nextPollDelayMs(itemNumber(this.configItems, "timer.config.interval"), () => r),
      );
    }
  }

  /** Sleeps until `periodMs()` has passed since the call, re-reading the period (config items change). */
  private async waitPeriod(periodMs: () => number): Promise<void> {
    const start = Date.now();
    const { signal } = this.o;
    while (!signal.aborted) {
      const left = periodMs() - (Date.now() - start);
      if (left <= 0) return;
      await sleep(Math.min(left, 500), signal);
    }
  }

  /** One poll; true when it should be repeated at once (a fresh integrity token is needed). */
  async pollOnce(): Promise<boolean> {
    const { log, signal } = this.o;
    const session = this.session;
    if (!session) return false;
    const at = new Date().toISOString();
    try {
      if (!this.token?.length) this.token = await session.attest(this.uuid);
      const r = await session.config(this.uuid, this.configHash, this.token, signal);
      await this.setStatus({ state: "connected", lastPollAt: at, lastPollResult: String(r.status) });
      switch (r.status) {
        case 200:
          if (r.response && r.raw) await this.accept(r.response, r.raw, "controller");
          return false;
        case 304:
          if (this.applied)
            await this.led(
              this.status.lastRejectedAt && this.rejectedNow ? LedCount.error : LedCount.onboarded,
              "config in force",
            );
          return false;
        case 403:
          log.info("config: integrity token refused (403): attesting again");
          this.token = undefined;
          return true;
        case 404:
          log.info("config: the controller has no config for this device yet (404)");
          await this.led(LedCount.onboarded, "onboarded, no config yet");
          return false;
        default:
          log.warn({ status: r.status }, `config: unexpected HTTP ${r.status}`);
          return false;
      }
    } catch (e) {
      if (signal.aborted) return false;
      if (e instanceof TransportError) {
        const first = this.status.state !== "offline";
        await this.setStatus({
          state: "offline",
          lastPollAt: at,
          lastPollResult: `${e.failure}: ${e.message}`,
        });
        if (first)
          log.warn({ cause: e.failure }, `controller unreachable: ${e.message}; the config in force stays`);
        await this.led(LedCount.connecting, "controller unreachable");
        if (!this.applied) await this.applyCheckpoint();
        return false;
      }
      if (e instanceof ApiError && e.reason) {
        // The controller (or something in its place) answered with what does not verify or decode.
        await this.setStatus({ state: "connected", lastPollAt: at, lastPollResult: `rejected: ${e.reason}` });
        await this.reject(e.reason, e.message);
        return false;
      }
      if (e instanceof ApiError) {
        await this.setStatus({ state: "connected", lastPollAt: at, lastPollResult: String(e.status) });
        log.warn({ status: e.status }, e.message);
        if (e.status === 403 || e.status === 401) this.token = undefined;
        return false;
      }
      log.error({ err: e }, "config poll failed");
      return false;
    }
  }

  private rejectedNow = false;

  private async reject(code: string, reason: string): Promise<void> {
    this.rejectedNow = true;
    this.o.log.error(
      { code, configHash: this.configHash },
      `config rejected (${code}): ${reason}; the previous config stays in force`,
    );
    await this.setStatus({
      lastRejectedAt: new Date().toISOString(),
      lastRejectedReason: reason,
      lastRejectedCode: code,
      rejectedCount: this.status.rejectedCount + 1,
    });
    await this.led(LedCount.error, `config rejected: ${code}`);
  }

  /** Applies a verified ConfigResponse; a config that does not parse is refused as a whole. */
  async accept(
    res: { configHash: string; config?: eve.config.EdgeDevConfig.$Properties | null },
    raw: Uint8Array,
    source: Source,
  ): Promise<boolean> {
    const { log } = this.o;
    const cfg = res.config;
    if (!cfg) {
      await this.reject("invalid", "config: the answer carries no EdgeDevConfig");
      return false;
    }
    if (cfg.id?.uuid && cfg.id.uuid !== this.uuid) {
      await this.reject("invalid", `config: for device ${cfg.id.uuid}, not this device (${this.uuid})`);
      return false;
    }
    let tables: DesiredTables;
    try {
      const rootPem = readFileSync(join(this.o.layout.config, CONFIG_FILES.rootCert), "utf8");
      tables = parseEdgeDevConfig(cfg, { extraCaPems: [rootPem] });
    } catch (e) {
      if (!(e instanceof ConfigParseError)) throw e;
      await this.reject("invalid", `config: ${e.message}`);
      return false;
    }
    if (source === "controller") this.writeCheckpoint(raw);
    await this.applyTables(tables);
    this.configHash = res.configHash;
    this.lastConfigAt = Date.now();
    this.rejectedNow = false;
    const first = !this.applied;
    this.applied = true;
    if (first)
      for (const p of [
        this.pubs.datastores,
        this.pubs.contentTrees,
        this.pubs.volumes,
        this.pubs.apps,
        this.pubs.configItems,
        this.pubs.deviceOps,
      ])
        p.signalRestarted();
    await this.setStatus({
      configHash: res.configHash,
      configVersion: cfg.id?.version ?? "",
      configSource: source,
      configAppliedAt: new Date().toISOString(),
    });
    log.info(
      {
        configHash: res.configHash,
        version: cfg.id?.version,
        source,
        apps: tables.apps.size,
        volumes: tables.volumes.size,
      },
      `config applied from the ${source}`,
    );
    await this.led(LedCount.onboarded, "config in force");
    return true;
  }

  private async applyTables(t: DesiredTables): Promise<void> {
    const { log } = this.o;
    const changes = {
      datastores: diffTable(this.pubs.datastores.entries(), t.datastores),
      contentTrees: diffTable(this.pubs.contentTrees.entries(), t.contentTrees),
      volumes: diffTable(this.pubs.volumes.entries(), t.volumes),
      apps: diffTable(this.pubs.apps.entries(), t.apps),
    };
    // Creations bottom-up (what an app needs exists before the app), deletions top-down.
    for (const [k, v] of changes.datastores.set) await this.pubs.datastores.set(k, v);
    for (const [k, v] of changes.contentTrees.set) await this.pubs.contentTrees.set(k, v);
    for (const [k, v] of changes.volumes.set) await this.pubs.volumes.set(k, v);
    for (const [k, v] of changes.apps.set) await this.pubs.apps.set(k, v);
    for (const k of changes.apps.delete) await this.pubs.apps.delete(k);
    for (const k of changes.volumes.delete) await this.pubs.volumes.delete(k);
    for (const k of changes.contentTrees.delete) await this.pubs.contentTrees.delete(k);
    for (const k of changes.datastores.delete) await this.pubs.datastores.delete(k);
    await this.pubs.configItems.set(CONFIG_ITEMS_KEY, t.configItems);
    for (const [k, v] of Object.entries(t.configItems.items))
      if (v.error) log.warn({ item: k, value: v.configured }, v.error);
    const prev = this.pubs.deviceOps.get("reboot");
    if (!prev || prev.counter !== t.reboot.counter) {
      if (prev && t.reboot.counter > prev.counter)
        log.warn(
          { counter: t.reboot.counter, previous: prev.counter },
          "reboot requested by the controller: recorded for nodeagent (not acted on yet)",
        );
      await this.pubs.deviceOps.set("reboot", { ...t.reboot, receivedAt: new Date().toISOString() });
      await this.queueDeviceInfo();
    }
    const summary = Object.fromEntries(
      Object.entries(changes).map(([k, c]) => [k, { set: c.set.length, delete: c.delete.length }]),
    );
    log.info({ changes: summary }, "config tables updated");
  }

  private writeCheckpoint(raw: Uint8Array): void {
    const pem = this.session?.signingCert?.pem;
    // The config carries datastore credentials: owner-only, like the rest of persist/.
    ensurePrivateDir(this.checkpointDir);
    // The signing certificate first: a checkpoint is only usable with the certificate that signed it.
    if (pem) writeFileDurable(join(this.checkpointDir, CHECKPOINT_FILES.certs), pem, 0o600);
    writeFileDurable(join(this.checkpointDir, CHECKPOINT_FILES.config), raw, 0o600);
  }

  /** Controller unreachable before any config was applied: re-verify the kept answer and apply it. */
  private async applyCheckpoint(): Promise<void> {
    const { log } = this.o;
    const cfgFile = join(this.checkpointDir, CHECKPOINT_FILES.config);
    const certFile = join(this.checkpointDir, CHECKPOINT_FILES.certs);
    if (!existsSync(cfgFile) || !existsSync(certFile) || !this.session) return;
    try {
      const raw = readFileSync(cfgFile);
      this.session.useSigningCert(readFileSync(certFile, "utf8"));
      const payload = await this.session.open(raw, "checkpoint");
      const res = decodeOr(eve.config.ConfigResponse, payload, "checkpoint");
      if (await this.accept(res, raw, "checkpoint"))
        log.info({ configHash: res.configHash }, "applied the checkpointed config (controller unreachable)");
    } catch (e) {
      this.applied = true; // do not retry a bad checkpoint on every poll
      await this.reject(
        e instanceof ApiError && e.reason ? e.reason : "checkpoint",
        `checkpoint: ${(e as Error).message}`,
      );
    }
  }

  // ---- reporting ----

  private appStatus!: Subscription<import("@outpost/types").AppInstanceStatus>;
  private volumeStatus!: Subscription<import("@outpost/types").VolumeStatus>;
  private contentTreeStatus!: Subscription<import("@outpost/types").ContentTreeStatus>;
  private domainMetric!: Subscription<import("@outpost/types").DomainMetric>;
  private newlogMetric: ReturnType<typeof watchNewlogMetric> = () => undefined;

  /** Queues one object's report and remembers (persistently) what the controller was last told
   * exists, so an object deleted while zedagent was down is still reported gone after its restart. */
  private async report(key: string, payload: Uint8Array, state: string): Promise<void> {
    await this.queue.put(key, payload, { state });
    if (state === "gone") await this.reported.delete(key);
    else await this.reported.set(key, { state });
  }

  private watchStatuses(): void {
    const { pubsub, log } = this.o;
    const q = (p: Promise<void>) => p.catch((e) => log.warn({ err: e }, "queueing an info report failed"));
    const app = (uuid: string) => {
      const s = this.appStatus.get(uuid);
      q(this.report(`app/${uuid}`, encodeInfo(appInfo(this.uuid, uuid, s)), s?.state ?? "gone"));
    };
    const ct = (id: string) => {
      const s = this.contentTreeStatus.get(id);
      q(this.report(`contentTree/${id}`, encodeInfo(contentTreeInfo(this.uuid, id, s)), s?.state ?? "gone"));
    };
    // Keyed id#generation; the controller knows one volume per id: report the newest generation,
    // and "gone" once no generation is left.
    const vol = (key: string) => {
      const id = key.split("#")[0] ?? key;
      const gens = this.volumeStatus.entries().filter(([, v]) => v.id === id);
      const s = gens.sort(([, a], [, b]) => b.generation - a.generation)[0]?.[1];
      q(this.report(`volume/${id}`, encodeInfo(volumeInfo(this.uuid, id, s)), s?.state ?? "gone"));
    };
    // Once all three tables are complete: whatever was reported before but exists no more is gone.
    let swept = false;
    const sweep = () => {
      if (
        swept ||
        !this.appStatus?.synchronized ||
        !this.contentTreeStatus?.synchronized ||
        !this.volumeStatus?.synchronized
      )
        return;
      swept = true;
      for (const key of this.reported.keys()) {
        const [kind, id = ""] = key.split("/");
        if (kind === "app" && !this.appStatus.get(id)) app(id);
        else if (kind === "contentTree" && !this.contentTreeStatus.get(id)) ct(id);
        else if (kind === "volume" && !this.volumeStatus.entries().some(([, v]) => v.id === id))
          vol(`${id}#0`);
      }
    };
    this.appStatus = pubsub.subscribe({
      agent: "zedmanager",
      topic: "AppInstanceStatus",
      codec: AppInstanceStatusCodec,
      handlers: { create: app, modify: app, delete: app, synchronized: sweep },
    });
    this.contentTreeStatus = pubsub.subscribe({
      agent: "volumemgr",
      topic: "ContentTreeStatus",
      codec: ContentTreeStatusCodec,
      handlers: { create: ct, modify: ct, delete: ct, synchronized: sweep },
    });
    this.volumeStatus = pubsub.subscribe({
      agent: "volumemgr",
      topic: "VolumeStatus",
      codec: VolumeStatusCodec,
      handlers: { create: vol, modify: vol, delete: vol, synchronized: sweep },
    });
    this.domainMetric = pubsub.subscribe({
      agent: "domainmgr",
      topic: "DomainMetric",
      codec: DomainMetricCodec,
    });
    this.newlogMetric = watchNewlogMetric(pubsub);
  }

  private async queueDeviceInfo(): Promise<void> {
    const restarts = restartCounter(
      this.o.layout.agentPersist("zedagent"),
      (await import("./device-facts.js")).bootTimeIso(),
    );
    if (restarts.error !== undefined && restarts.error !== this.status.restartCounterError) {
      this.o.log.error({ error: restarts.error }, "restart counter record is corrupt");
      await this.setStatus({ restartCounterError: restarts.error });
    }
    const facts = deviceFacts(
      this.o.layout.root,
      restarts.counter,
      this.pubs.deviceOps.get("reboot")?.counter ?? 0,
    );
    const json = JSON.stringify(facts);
    if (json === this.deviceInfoJson) return;
    this.deviceInfoJson = json;
    await this.queue.put("device", encodeInfo(deviceInfo(this.uuid, facts)), { hostname: facts.hostname });
  }

  private async deviceInfoLoop(): Promise<void> {
    const { signal } = this.o;
    while (!signal.aborted) {
      await this.waitPeriod(() => itemNumber(this.configItems, "timer.deviceinfo.interval") * 1000);
      if (!signal.aborted) await this.queueDeviceInfo().catch(() => undefined);
    }
  }

  private async senderLoop(): Promise<void> {
    const { signal, log } = this.o;
    const backoff = new Backoff({ minMs: 1000, maxMs: 60_000 });
    while (!signal.aborted) {
      await this.queue.waitForWork(signal);
      if (signal.aborted) break;
      const r = await this.queue.drain(async (payload) => {
        const res = await this.session?.post(`id/${this.uuid}/info`, payload, false, signal);
        if (!res || (res.status !== 201 && res.status !== 200)) throw new Error(`info: HTTP ${res?.status}`);
      }, signal);
      if (r.failed !== undefined) {
        const wait = backoff.next();
        if (backoff.attempts === 1)
          log.warn(
            { pending: this.queue.size, retryInMs: wait },
            `info reports not accepted: ${(r.failed as Error).message ?? r.failed}; retrying`,
          );
        await sleep(wait, signal);
      } else {
        if (backoff.attempts > 0) log.info({ sent: r.sent }, "info reports delivered again");
        backoff.reset();
        if (this.queue.size > 0) await sleep(10, signal);
      }
    }
  }

  private async metricsLoop(): Promise<void> {
    const { signal, log } = this.o;
    let failing = false;
    while (!signal.aborted) {
      await this.waitPeriod(() => itemNumber(this.configItems, "timer.metric.interval") * 1000);
      if (signal.aborted) break;
      try {
        const msg = await collectMetrics(
          this.uuid,
          this.o.layout.root,
          this.domainMetric.entries(),
          (u) => this.appStatus.get(u),
          this.lastConfigAt,
        );
        if (msg.dm) msg.dm.newlog = this.newlogMetric();
        const res = await this.session?.post(
          `id/${this.uuid}/metrics`,
          eve.metrics.ZMetricMsg.encode(msg).finish(),
          false,
          signal,
        );
        if (!res || (res.status !== 201 && res.status !== 200))
          throw new Error(`metrics: HTTP ${res?.status}`);
        failing = false;
      } catch (e) {
        if (!failing)
          log.info({ err: (e as Error).message }, "metrics not delivered (best effort; next period)");
        failing = true;
      }
    }
  }
}
