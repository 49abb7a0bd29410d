import type { DecodedConfigResponse } from "@outpost/evecloud";
import type { Publication } from "@outpost/pubsub";
import {
  type AppInstanceConfig,
  BASEOS_CONFIG_KEY,
  type BaseOsConfig,
  CONFIG_ITEMS_KEY,
  type ConfigItemValueMap,
  type ContentTreeConfig,
  type DatastoreConfig,
  type DeviceOpsCmd,
  type DevicePortConfig,
  type NetworkInstanceConfig,
  type VolumeConfig,
} from "@outpost/types";
import { writeCheckpoint } from "./checkpoint.js";
import { mergeLocalItems } from "./config-items.js";
import type { ConfigSource, ConnEvent } from "./connection.js";
import { ConfigParseError, type DesiredTables, diffTable, parseEdgeDevConfig } from "./parse.js";
import { publishPorts } from "./port-config.js";
import type { StatusBoard } from "./status-board.js";
import type { UnitContext } from "./unit-context.js";

export interface ConfigPublications {
  datastores: Publication<DatastoreConfig>;
  contentTrees: Publication<ContentTreeConfig>;
  volumes: Publication<VolumeConfig>;
  apps: Publication<AppInstanceConfig>;
  configItems: Publication<ConfigItemValueMap>;
  deviceOps: Publication<DeviceOpsCmd>;
  baseos: Publication<BaseOsConfig>;
  networkInstances: Publication<NetworkInstanceConfig>;
  /** The controller's ports for nim (port-config.ts). */
  ports: Publication<DevicePortConfig>;
}

export interface ConfigTablesOptions extends UnitContext {
  pubs: ConfigPublications;
  board: StatusBoard;
  checkpointDir: string;
  /** The config items in force changed (timers re-read their periods). */
  onItems: () => void;
  /** The controller's reboot/shutdown counters or maintenance mode changed (ZInfoDevice carries them). */
  onReboot: () => void;
}

export class ConfigTables {
  /** Hash of the config in force ("" before any): sent with each poll, 304 when unchanged. */
  hash = "";
  /** When a config was last applied (ZMetricMsg's last_processed_config). */
  lastAppliedAt: number | undefined;
  private restarted = false;
  private writing = false;
  private toWrite: { raw: Uint8Array; pem: string | undefined } | undefined;

  /** The controller's items as last applied, and the local overrides (localapi) merged over them. */
  private controllerItems: ConfigItemValueMap | undefined;
  private localItems: Record<string, string> = {};

  constructor(private readonly o: ConfigTablesOptions) {}

  /** localapi's ConfigItemOverride changed: republished at once when a config is in force. */
  async setLocalItems(items: Record<string, string>): Promise<void> {
    this.localItems = items;
    if (!this.controllerItems) return;
    await this.publishItems();
    this.o.onItems();
  }

  private async publishItems(): Promise<void> {
    if (!this.controllerItems) return;
    const { map, refused } = mergeLocalItems(this.controllerItems, this.localItems);
    for (const r of refused) this.o.log.warn(r, "local config item override refused");
    await this.o.pubs.configItems.set(CONFIG_ITEMS_KEY, map);
  }

  get items(): ConfigItemValueMap | undefined {
    return this.o.pubs.configItems.get(CONFIG_ITEMS_KEY);
  }

  get rebootCounter(): number {
    return this.o.pubs.deviceOps.get("reboot")?.counter ?? 0;
  }

  get shutdownCounter(): number {
    return this.o.pubs.deviceOps.get("shutdown")?.counter ?? 0;
  }

  /** Applies a verified config; one that does not parse, or is for another device, changes nothing. */
  async apply(
    res: DecodedConfigResponse,
    raw: Uint8Array,
    source: ConfigSource,
    ctx: { uuid: string; rootPem: string; signingPem: string | undefined },
  ): Promise<ConnEvent> {
    const { log } = this.o;
    const cfg = res.config;
    const invalid = (message: string): ConnEvent => ({ kind: "invalid-config", source, message });
    if (!cfg) return invalid("config: the answer carries no EdgeDevConfig");
    if (cfg.id?.uuid && cfg.id.uuid !== ctx.uuid)
      return invalid(`config: for device ${cfg.id.uuid}, not this device (${ctx.uuid})`);
    let tables: DesiredTables;
    try {
      tables = parseEdgeDevConfig(cfg, { extraCaPems: [ctx.rootPem] });
    } catch (e) {
      if (!(e instanceof ConfigParseError)) throw e;
      return invalid(`config: ${e.message}`);
    }
    if (source === "controller") this.saveCheckpoint(raw, ctx.signingPem);
    await this.applyTables(tables);
    await publishPorts(this.o.pubs.ports, cfg);
    this.hash = res.configHash;
    this.lastAppliedAt = Date.now();
    if (!this.restarted) {
      this.restarted = true;
      const p = this.o.pubs;
      for (const pub of [
        p.datastores,
        p.contentTrees,
        p.volumes,
        p.apps,
        p.configItems,
        p.deviceOps,
        p.ports,
      ])
        pub.signalRestarted();
      p.networkInstances.signalRestarted();
    }
    await this.o.board.set({
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
    return { kind: "applied", source };
  }

  private async applyTables(t: DesiredTables): Promise<void> {
    const { log, pubs } = this.o;
    const changes = {
      datastores: diffTable(pubs.datastores.entries(), t.datastores),
      contentTrees: diffTable(pubs.contentTrees.entries(), t.contentTrees),
      volumes: diffTable(pubs.volumes.entries(), t.volumes),
      apps: diffTable(pubs.apps.entries(), t.apps),
      networkInstances: diffTable(pubs.networkInstances.entries(), t.networkInstances),
    };
    // Creations bottom-up (what an app needs exists before the app), deletions top-down.
    for (const [k, v] of changes.datastores.set) await pubs.datastores.set(k, v);
    for (const [k, v] of changes.contentTrees.set) await pubs.contentTrees.set(k, v);
    for (const [k, v] of changes.volumes.set) await pubs.volumes.set(k, v);
    // Network instances before the apps that attach to them; removed after the apps (zedrouter keeps
    // an instance until no app uses it anyway).
    for (const [k, v] of changes.networkInstances.set) await pubs.networkInstances.set(k, v);
    for (const [k, v] of changes.apps.set) await pubs.apps.set(k, v);
    for (const k of changes.apps.delete) await pubs.apps.delete(k);
    for (const k of changes.networkInstances.delete) await pubs.networkInstances.delete(k);
    for (const k of changes.volumes.delete) await pubs.volumes.delete(k);
    for (const k of changes.contentTrees.delete) await pubs.contentTrees.delete(k);
    for (const k of changes.datastores.delete) await pubs.datastores.delete(k);
    this.controllerItems = t.configItems;
    await this.publishItems();
    if (t.baseos) await pubs.baseos.set(BASEOS_CONFIG_KEY, t.baseos);
    else if (pubs.baseos.get(BASEOS_CONFIG_KEY)) await pubs.baseos.delete(BASEOS_CONFIG_KEY);
    this.o.onItems();
    for (const [k, v] of Object.entries(t.configItems.items))
      if (v.error) log.warn({ item: k, value: v.configured }, v.error);
    // nodeagent acts on a bumped counter (once) and on maintenance mode; zedagent only records them.
    const ops: [string, Omit<DeviceOpsCmd, "receivedAt">][] = [
      ["reboot", t.reboot],
      ["shutdown", t.shutdown],
      ["maintenance", { counter: 0, desiredState: t.maintenance, opsTime: "" }],
    ];
    let opsChanged = false;
    for (const [key, cmd] of ops) {
      const prev = pubs.deviceOps.get(key);
      if (prev && prev.counter === cmd.counter && prev.desiredState === cmd.desiredState) continue;
      if (prev && cmd.counter > prev.counter)
        log.info(
          { op: key, counter: cmd.counter, previous: prev.counter },
          `${key} requested by the controller`,
        );
      await pubs.deviceOps.set(key, { ...cmd, receivedAt: new Date().toISOString() });
      opsChanged = true;
    }
    if (opsChanged) this.o.onReboot();
    const summary = Object.fromEntries(
      Object.entries(changes).map(([k, c]) => [k, { set: c.set.length, delete: c.delete.length }]),
    );
    log.info({ changes: summary }, "config tables updated");
  }

  /** One write at a time, latest wins: two quick configs never race on the same files, and the file
   * ends up holding the newest. A failed write is logged; the config still applies. */
  private saveCheckpoint(raw: Uint8Array, pem: string | undefined): void {
    this.toWrite = { raw, pem };
    if (this.writing) return;
    const next = this.toWrite;
    this.toWrite = undefined;
    this.writing = true;
    this.o.work(
      async () => writeCheckpoint(this.o.checkpointDir, next.raw, next.pem),
      (r) => {
        this.writing = false;
        if (!r.ok)
          this.o.log.error(
            { err: (r.error as Error).message, dir: this.o.checkpointDir },
            "cannot write the config checkpoint: a restart without the controller would start without config",
          );
        if (this.toWrite) this.saveCheckpoint(this.toWrite.raw, this.toWrite.pem);
      },
    );
  }
}
