// mqttagent's I/O around its planners: the broker link (commands in, heartbeats out), the edge apps
// it holds (persist/mqttagent/state.json), the org key and the decrypted secret files, and the config
// tables it publishes for the app machinery (zedmanager, volumemgr, zedrouter read them as they read
// zedagent's). Everything that changes state runs on the main loop.
import { createHmac } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { AgentContext } from "@outpost/agentbase";
import {
  type Command,
  type Heartbeat,
  keyFingerprint,
  ManifestCodec,
  nodeTopics,
  parseCommand,
  parseOrgKey,
  secretEnvText,
} from "@outpost/mqttedge";
import { ensurePrivateDir, sleep, writeFileDurable } from "@outpost/primitives";
import type { Publication, Subscription } from "@outpost/pubsub";
import {
  type AppInstanceConfig,
  AppInstanceConfigCodec,
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  BASEOS_TOPICS,
  type Codec,
  type ContentTreeConfig,
  ContentTreeConfigCodec,
  type ContentTreeRef,
  ContentTreeRefCodec,
  type DatastoreConfig,
  DatastoreConfigCodec,
  type ErrorInfo,
  MQTT_STATUS_KEY,
  MQTT_TOPICS,
  type MqttAgentStatus,
  MqttAgentStatusCodec,
  makeError,
  type NetworkInstanceConfig,
  NetworkInstanceConfigCodec,
  t,
  type VolumeConfig,
  VolumeConfigCodec,
  ZEDROUTER_TOPICS,
} from "@outpost/types";
import { Broker, type BrokerOptions } from "./broker.js";
import { applyCommand } from "./commands.js";
import { type EdgeApp, moduleUuid, plan } from "./plan.js";
import { ResourceSampler } from "./resources.js";
import { changeKey, edgeAppReport } from "./status.js";

export interface MqttAgentConfig {
  broker: Omit<BrokerOptions, "will" | "subscriptions" | "clientId">;
  nodeId: string;
  nodeName: string;
  heartbeatMs: number;
  subnetPool: string;
}

const StateFileCodec = t.object({
  apps: t.record(
    t.object({
      manifest: ManifestCodec,
      desired: t.oneOf(["running", "stopped", "undeployed", "removed"] as const),
      subnet: t.string,
    }),
  ),
});

interface Tables {
  apps: Publication<AppInstanceConfig>;
  networks: Publication<NetworkInstanceConfig>;
  datastores: Publication<DatastoreConfig>;
  contentTrees: Publication<ContentTreeConfig>;
  volumes: Publication<VolumeConfig>;
  keptTrees: Publication<ContentTreeRef>;
}

export class MqttAgent {
  private apps = new Map<string, EdgeApp>();
  private orgKey: Buffer | undefined;
  /** Per edge app: why its modules are held stopped (secrets that cannot be decrypted yet). */
  private readonly blocked = new Map<string, string>();
  private readonly secretFiles = new Map<string, string>();
  private lastCommand: Heartbeat["lastCommand"];
  private lastCommandError: ErrorInfo | undefined;
  private heartbeats = 0;
  private lastSent = "";
  private statusesSynced = false;
  private restartedSignalled = false;
  private link: MqttAgentStatus;
  private readonly dir: string;
  private readonly secretsDir: string;
  private readonly topics: ReturnType<typeof nodeTopics>;
  readonly broker: Broker;
  private readonly sampler: ResourceSampler;
  private resources: Heartbeat["resources"];
  private readonly stopLink = new AbortController();

  private constructor(
    private readonly ctx: AgentContext<unknown>,
    private readonly c: MqttAgentConfig,
    private readonly tables: Tables,
    private readonly statusPub: Publication<MqttAgentStatus>,
    private readonly statuses: Subscription<AppInstanceStatus>,
  ) {
    this.dir = ctx.layout.agentPersist("mqttagent");
    this.secretsDir = join(this.dir, "secrets");
    ensurePrivateDir(this.dir);
    ensurePrivateDir(this.secretsDir);
    this.topics = nodeTopics(c.nodeId);
    this.sampler = new ResourceSampler(ctx.layout.persist);
    this.link = {
      state: "connecting",
      broker: redactUrl(c.broker.url),
      nodeId: c.nodeId,
      nodeName: c.nodeName,
      reconnects: 0,
      edgeApps: 0,
      heartbeats: 0,
      orgKey: "",
    };
    this.loadState();
    this.broker = new Broker(
      {
        ...c.broker,
        clientId: `outpost-${c.nodeId}`.slice(0, 64),
        will: {
          topic: this.topics.status,
          payload: JSON.stringify({ nodeId: c.nodeId, nodeName: c.nodeName, status: "disconnected" }),
        },
        subscriptions: [this.topics.orchestration, this.topics.orgKey],
      },
      {
        state: (state, d) => ctx.loop.post(() => this.onLink(state, d)),
        message: (topic, payload) => ctx.loop.post(() => this.onMessage(topic, payload)),
      },
    );
  }

  static async start(ctx: AgentContext<unknown>, c: MqttAgentConfig): Promise<MqttAgent> {
    const pub = <T>(topic: string, codec: Codec<T>) => ctx.pubsub.publish({ topic, codec, persistent: true });
    const tables: Tables = {
      apps: await pub("AppInstanceConfig", AppInstanceConfigCodec),
      networks: await pub(ZEDROUTER_TOPICS.config, NetworkInstanceConfigCodec),
      datastores: await pub("DatastoreConfig", DatastoreConfigCodec),
      contentTrees: await pub("ContentTreeConfig", ContentTreeConfigCodec),
      volumes: await pub("VolumeConfig", VolumeConfigCodec),
      keptTrees: await pub(BASEOS_TOPICS.contentTreeRef, ContentTreeRefCodec),
    };
    const statusPub = await ctx.pubsub.publish({ topic: MQTT_TOPICS.status, codec: MqttAgentStatusCodec });
    let agent: MqttAgent | undefined;
    const changed = () => agent?.schedule();
    const statuses = ctx.pubsub.subscribe({
      agent: "zedmanager",
      topic: "AppInstanceStatus",
      codec: AppInstanceStatusCodec,
      persistent: true,
      handlers: {
        create: changed,
        modify: changed,
        delete: changed,
        synchronized: () => {
          if (agent) agent.statusesSynced = true;
          changed();
        },
      },
    });
    agent = new MqttAgent(ctx, c, tables, statusPub, statuses);
    if (statuses.synchronized) agent.statusesSynced = true;
    await agent.publishLink();
    return agent;
  }

  /** Runs the broker link and the heartbeat timer until the agent is stopped. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    this.schedule();
    const link = this.broker.run(this.stopLink.signal);
    const heartbeat = (async () => {
      while (!signal.aborted) {
        try {
          this.resources = await this.sampler.sample();
        } catch (e) {
          this.ctx.log.warn({ err: (e as Error).message }, "cannot sample resources");
        }
        await this.ctx.loop.run(() => this.heartbeat(true));
        await sleep(this.c.heartbeatMs, signal);
      }
    })();
    await heartbeat;
    // Stopping: say so on the status topic (a clean disconnect sends no will), then close.
    await this.broker.close({
      topic: this.topics.status,
      payload: JSON.stringify(this.disconnectedHeartbeat()),
    });
    this.stopLink.abort();
    await link;
    this.link = { ...this.link, state: "disconnected" };
    await this.publishLink();
  }

  // ---- broker events ----

  private async onLink(
    state: "connecting" | "connected" | "refused",
    d: { error?: string; retryInMs?: number },
  ): Promise<void> {
    const prev = this.link.state;
    const retry = d.retryInMs !== undefined ? `retrying in ${Math.ceil(d.retryInMs / 1000)} s` : undefined;
    const error = d.error
      ? makeError(
          state === "refused" ? `the broker refused the connection: ${d.error}` : `broker link: ${d.error}`,
          {
            severity: state === "refused" ? "error" : "warning",
            ...(retry ? { retryCondition: retry } : {}),
          },
        )
      : undefined;
    const { error: _e, connectedSince: _c, ...rest } = this.link;
    this.link = {
      ...rest,
      state,
      reconnects: this.broker.reconnectCount,
      ...(error ? { error } : {}),
      ...(state === "connected" ? { connectedSince: new Date().toISOString() } : {}),
    };
    if (state !== prev || error)
      (state === "refused"
        ? this.ctx.log.error
        : state === "connected"
          ? this.ctx.log.info
          : this.ctx.log.warn
      ).call(this.ctx.log, { broker: this.link.broker, state, error: d.error, retry }, "broker link");
    await this.publishLink();
    if (state === "connected") {
      this.lastSent = "";
      await this.heartbeat(true);
    }
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    if (topic === this.topics.orgKey) return this.onOrgKey(payload);
    if (topic !== this.topics.orchestration) return;
    const parsed = parseCommand(payload);
    if (!parsed.ok) {
      // Never the payload itself in the log: a manifest may carry sealed secrets.
      return this.commandDone(parsed.command ?? "?", parsed.id ?? "", parsed.error);
    }
    const cmd = parsed.value;
    const id = cmd.command === "deploy" ? cmd.manifest.id : cmd.id;
    if (cmd.command === "deploy" && this.orgKey) {
      for (const m of cmd.manifest.modules) {
        const r = secretEnvText(this.orgKey, m.secretEnv);
        if (!r.ok) return this.commandDone(cmd.command, id, `deploy ${id}: module ${m.name}: ${r.error}`);
      }
    }
    const r = applyCommand(this.apps, cmd, this.c.subnetPool);
    if (!r.ok) return this.commandDone(cmd.command, id, r.error);
    if (r.changed) {
      this.apps = r.apps;
      this.saveState();
    }
    await this.commandDone(cmd.command, id, undefined, r.note, cmd);
    this.schedule();
  }

  private async onOrgKey(payload: Buffer): Promise<void> {
    if (payload.length === 0) return;
    try {
      const key = parseOrgKey(payload);
      if (this.orgKey?.equals(key)) return;
      this.orgKey = key;
      writeFileDurable(join(this.dir, "orgkey"), key.toString("base64"), 0o600);
      this.link = { ...this.link, orgKey: keyFingerprint(key) };
      this.ctx.log.info({ fingerprint: keyFingerprint(key) }, "organisation key received");
      await this.publishLink();
      this.schedule();
    } catch (e) {
      this.ctx.log.warn({ error: (e as Error).message }, "organisation key refused");
      await this.commandDone("orgkey", "", (e as Error).message);
    }
  }

  private async commandDone(
    command: string,
    id: string,
    error: string | undefined,
    note?: string,
    cmd?: Command,
  ): Promise<void> {
    const at = new Date().toISOString();
    this.lastCommand = { command, id, at, ok: !error, ...(error ? { error } : {}) };
    this.lastCommandError = error
      ? makeError(error, { retryCondition: "send a corrected command" })
      : undefined;
    if (error) this.ctx.log.warn({ command, id, error }, "command refused");
    else
      this.ctx.log.info(
        {
          command,
          id,
          ...(note ? { note } : {}),
          ...(cmd?.command === "deploy" ? { version: cmd.manifest.version } : {}),
        },
        "command",
      );
    this.link = {
      ...this.link,
      lastCommand: { command, id, at, ...(this.lastCommandError ? { error: this.lastCommandError } : {}) },
    };
    await this.publishLink();
    await this.heartbeat(false);
  }

  // ---- planning ----

  private planPosted = false;
  schedule(): void {
    if (this.planPosted) return;
    this.planPosted = true;
    this.ctx.loop.post(async () => {
      this.planPosted = false;
      await this.apply();
    });
  }

  /** Secrets, then the tables, then the heartbeat if anything a manager sees changed. */
  private async apply(): Promise<void> {
    // Until zedmanager's statuses are known the sequencing has nothing to go on: the persisted
    // tables stay as they are.
    if (!this.statusesSynced) return;
    this.writeSecrets();
    const statuses = new Map(this.statuses.entries());
    const running = new Map<string, EdgeApp>();
    for (const [id, app] of this.apps)
      running.set(
        id,
        this.blocked.has(id) && app.desired === "running" ? { ...app, desired: "stopped" } : app,
      );
    const out = plan({
      nodeId: this.c.nodeId,
      apps: running,
      statuses,
      published: new Map(this.tables.apps.entries()),
      secretFiles: this.secretFiles,
    });
    const kept = new Map([...out.keptTrees].map((id) => [id, { id }]));
    // Sources before users on the way in; users before sources on the way out.
    await sync(this.tables.datastores, out.datastores, "set");
    await sync(this.tables.contentTrees, out.contentTrees, "set");
    await sync(this.tables.keptTrees, kept, "set");
    await sync(this.tables.volumes, out.volumes, "set");
    await sync(this.tables.networks, out.networks, "set");
    await sync(this.tables.apps, out.apps, "both");
    await sync(this.tables.networks, out.networks, "delete");
    await sync(this.tables.volumes, out.volumes, "delete");
    await sync(this.tables.keptTrees, kept, "delete");
    await sync(this.tables.contentTrees, out.contentTrees, "delete");
    await sync(this.tables.datastores, out.datastores, "delete");
    if (out.forget.length) {
      for (const id of out.forget) {
        this.apps.delete(id);
        this.ctx.log.info({ id }, "edge app removed");
      }
      this.saveState();
    }
    this.removeStaleSecrets();
    if (!this.restartedSignalled) {
      this.restartedSignalled = true;
      for (const p of Object.values(this.tables)) p.signalRestarted();
      this.ctx.log.info({ edgeApps: this.apps.size }, "tables complete: restarted signalled");
    }
    await this.heartbeat(false);
  }

  /** Each module's secret parameters, decrypted into persist/mqttagent/secrets/<uuid>.<mac>.env (0600):
   * the name changes with the content (an HMAC under the org key, which says nothing about it), so
   * the container is recreated when a secret changes. */
  private writeSecrets(): void {
    this.secretFiles.clear();
    this.blocked.clear();
    for (const [id, app] of this.apps) {
      if (app.desired === "removed" || app.desired === "undeployed") continue;
      for (const m of app.manifest.modules) {
        if (Object.keys(m.secretEnv).length === 0) continue;
        const r = secretEnvText(this.orgKey, m.secretEnv);
        if (!r.ok) {
          this.blocked.set(id, `module ${m.name}: ${r.error}`);
          continue;
        }
        const uuid = moduleUuid(this.c.nodeId, id, m.name);
        const mac = createHmac("sha256", this.orgKey as Buffer)
          .update(r.text)
          .digest("hex")
          .slice(0, 16);
        const file = join(this.secretsDir, `${uuid}.${mac}.env`);
        if (!existsSync(file)) writeFileDurable(file, r.text, 0o600);
        this.secretFiles.set(uuid, file);
      }
    }
  }

  /** Secret files no published config names any more (an old version, a removed app). */
  private removeStaleSecrets(): void {
    const inUse = new Set(
      [...this.secretFiles.values(), ...this.tables.apps.entries().map(([, a]) => a.secretEnvFile)].filter(
        Boolean,
      ),
    );
    for (const f of readdirSync(this.secretsDir)) {
      const p = join(this.secretsDir, f);
      if (!inUse.has(p)) rmSync(p, { force: true });
    }
  }

  // ---- heartbeat ----

  private buildHeartbeat(): Heartbeat {
    const statuses = new Map(this.statuses.entries());
    return {
      nodeId: this.c.nodeId,
      nodeName: this.c.nodeName,
      status: "connected",
      timestamp: new Date().toISOString(),
      ...(this.lastCommand ? { lastCommand: this.lastCommand } : {}),
      orgKey: this.orgKey ? keyFingerprint(this.orgKey) : "",
      edgeApps: [...this.apps].map(([id, app]) =>
        edgeAppReport(this.c.nodeId, id, app, statuses, this.blocked.get(id)),
      ),
      ...(this.resources ? { resources: this.resources } : {}),
    };
  }

  private disconnectedHeartbeat(): Heartbeat {
    return { nodeId: this.c.nodeId, nodeName: this.c.nodeName, status: "disconnected" };
  }

  /** Sends the heartbeat: always when `periodic`, else only when something other than the time
   * and the resources changed. Retained, so a manager that subscribes later sees the node at once. */
  private async heartbeat(periodic: boolean): Promise<void> {
    const h = this.buildHeartbeat();
    const key = changeKey(h);
    if (!periodic && key === this.lastSent) return;
    if (!this.broker.connected) return;
    this.lastSent = key;
    if (await this.broker.publish(this.topics.status, JSON.stringify(h), true)) {
      this.heartbeats++;
      this.ctx.log.debug({ periodic, apps: h.edgeApps?.length }, "heartbeat");
    }
    const edgeApps = this.apps.size;
    if (edgeApps !== this.link.edgeApps || this.heartbeats - this.link.heartbeats >= 1) {
      this.link = { ...this.link, edgeApps, heartbeats: this.heartbeats };
      await this.publishLink();
    }
  }

  private async publishLink(): Promise<void> {
    await this.statusPub.set(MQTT_STATUS_KEY, this.link);
  }

  // ---- state file ----

  private loadState(): void {
    const file = join(this.dir, "state.json");
    const keyFile = join(this.dir, "orgkey");
    try {
      if (existsSync(keyFile)) {
        this.orgKey = parseOrgKey(readFileSync(keyFile, "utf8"));
        this.link = { ...this.link, orgKey: keyFingerprint(this.orgKey) };
      }
    } catch (e) {
      this.ctx.log.error({ file: keyFile, error: (e as Error).message }, "cannot read the organisation key");
    }
    if (!existsSync(file)) return;
    try {
      const s = StateFileCodec.decode(JSON.parse(readFileSync(file, "utf8")));
      this.apps = new Map(Object.entries(s.apps));
      this.ctx.log.info({ edgeApps: this.apps.size }, "edge apps loaded");
    } catch (e) {
      // The published tables (persistent) keep what runs; the manager must deploy again.
      this.ctx.log.error({ file, error: (e as Error).message }, "cannot read the edge apps state");
    }
  }

  private saveState(): void {
    writeFileDurable(
      join(this.dir, "state.json"),
      JSON.stringify({ apps: Object.fromEntries(this.apps) }, null, 1),
      0o600,
    );
  }
}

/** Makes a publication hold exactly `want`: "set" adds and updates, "delete" removes what is not
 * wanted, "both" does both. */
async function sync<T>(pub: Publication<T>, want: ReadonlyMap<string, T>, what: "set" | "delete" | "both") {
  if (what !== "delete")
    for (const [k, v] of want) if (JSON.stringify(pub.get(k)) !== JSON.stringify(v)) await pub.set(k, v);
  if (what !== "set") for (const k of pub.keys()) if (!want.has(k)) await pub.delete(k);
}

/** The broker URL without a password in it (for the status table and logs). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
