// EdgeDevConfig -> the pubsub tables of the apps issue, as plain data. Pure: no I/O, so what a config
// turns into (and what makes it refused as a whole) is unit-tested without sockets.
import type { eve } from "@outpost/evecloud";
import {
  type AppInstanceConfig,
  AppInstanceConfigCodec,
  type BaseOsConfig,
  type ConfigItemValueMap,
  type ContentTreeConfig,
  ContentTreeConfigCodec,
  type DatastoreConfig,
  DatastoreConfigCodec,
  type DeviceOpsCmd,
  type NetworkInstanceConfig,
  type VolumeConfig,
  VolumeConfigCodec,
  volumeKey,
} from "@outpost/types";
import { resolveConfigItems } from "./config-items.js";
import { mapInterfaces, mapNetworkInstances } from "./network-instances.js";

/** Everything zedagent publishes from one config, keyed as in the tables. */
export interface DesiredTables {
  datastores: Map<string, DatastoreConfig>;
  contentTrees: Map<string, ContentTreeConfig>;
  volumes: Map<string, VolumeConfig>;
  apps: Map<string, AppInstanceConfig>;
  configItems: ConfigItemValueMap;
  reboot: Omit<DeviceOpsCmd, "receivedAt">;
  shutdown: Omit<DeviceOpsCmd, "receivedAt">;
  /** EdgeDevConfig.maintenance_mode */
  maintenance: boolean;
  /** EdgeDevConfig.baseos: the Outpost release to run (baseosmgr), when the config names one. */
  baseos?: BaseOsConfig | undefined;
  /** EdgeDevConfig.networkInstances (zedrouter). */
  networkInstances: Map<string, NetworkInstanceConfig>;
}

/** A config that cannot be applied; the whole config is refused. */
export class ConfigParseError extends Error {
  override name = "ConfigParseError";
}

// EVE enum values (org.lfedge.eve.config), spelled out so this module needs no generated code at run time.
const DS_HTTP = 1;
const DS_HTTPS = 2;
const DS_CONTAINER_REGISTRY = 5;
const FORMAT_RAW = 1;
const FORMAT_CONTAINER = 8;
const VCOT_BLANK = 1;
const VCOT_DOWNLOAD = 2;

export interface ParseOptions {
  /** PEM certificates trusted for every https datastore besides its own dsCertPEM: the node's
   * config/root-certificate.pem, so the controller's own datastore (https) verifies. */
  extraCaPems?: string[];
}

/**
 * How EVE's datastore fields become DatastoreConfig:
 * - DsHttp / DsHttps: type http / https; fqdn as sent ("host[:port]" or a base URL with scheme; the
 *   scheme wins when present), dpath -> path. https trusts dsCertPEM plus the node's root certificate.
 * - DsContainerRegistry: type registry; fqdn "host[:port]", "docker://host" or "https://host" is
 *   https; "http://host[:port]" means a plain-http (local) registry: insecure, scheme stripped.
 * - apiKey / password: basic-auth user and password (anonymous when empty).
 * - Other types (S3, SFTP, Azure, GCS) are refused: the node cannot download from them.
 */
export function mapDatastore(
  d: eve.config.DatastoreConfig.$Properties,
  o: ParseOptions = {},
): DatastoreConfig {
  const id = d.id ?? "";
  const fqdn = (d.fqdn ?? "").trim();
  const common = {
    id,
    path: d.dpath ?? "",
    username: d.apiKey ?? "",
    password: d.password ?? "",
  };
  const ownCerts = (d.dsCertPEM ?? []).map((b) => Buffer.from(b).toString());
  switch (d.dType ?? 0) {
    case DS_HTTP:
      return DatastoreConfigCodec.decode({ ...common, type: "http", fqdn, caCertsPem: [] });
    case DS_HTTPS:
      return DatastoreConfigCodec.decode({
        ...common,
        type: "https",
        fqdn,
        caCertsPem: [...ownCerts, ...(o.extraCaPems ?? [])],
      });
    case DS_CONTAINER_REGISTRY: {
      const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(fqdn);
      const scheme = m?.[1]?.toLowerCase();
      const host = (m ? (m[2] ?? "") : fqdn).replace(/\/+$/, "");
      return DatastoreConfigCodec.decode({
        ...common,
        type: "registry",
        fqdn: host,
        insecure: scheme === "http",
        caCertsPem: ownCerts,
      });
    }
    default:
      throw new ConfigParseError(`datastore ${id}: type ${d.dType} is not supported (http, https, registry)`);
  }
}

function need(v: string | null | undefined, what: string): string {
  if (!v) throw new ConfigParseError(`${what}: missing`);
  return v;
}

function unique<T>(kind: string, list: T[], key: (t: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const t of list) {
    const k = key(t);
    if (m.has(k)) throw new ConfigParseError(`${kind} ${k}: listed twice`);
    m.set(k, t);
  }
  return m;
}

/** Turns a verified EdgeDevConfig into the tables; throws ConfigParseError for what cannot be applied. */
export function parseEdgeDevConfig(
  cfg: eve.config.EdgeDevConfig.$Properties,
  o: ParseOptions = {},
): DesiredTables {
  try {
    const datastores = unique(
      "datastore",
      (cfg.datastores ?? []).map((d) => mapDatastore({ ...d, id: need(d.id, "datastore id") }, o)),
      (d) => d.id,
    );
    const contentTrees = unique(
      "content tree",
      (cfg.contentInfo ?? []).map((c) => {
        const id = need(c.uuid, "content tree uuid");
        // RAW: a plain file kept as verified (a base OS release); CONTAINER: an image.
        const format = c.iformat ?? 0;
        if (format !== FORMAT_CONTAINER && format !== FORMAT_RAW)
          throw new ConfigParseError(
            `content tree ${id}: format ${c.iformat} is not supported (CONTAINER, RAW)`,
          );
        return ContentTreeConfigCodec.decode({
          id,
          datastoreId: need(c.dsId, `content tree ${id}: dsId`),
          relativeUrl: need(c.URL, `content tree ${id}: URL`),
          format: format === FORMAT_RAW ? "RAW" : "CONTAINER",
          sha256: (c.sha256 ?? "").toLowerCase(),
          maxSizeBytes: Number(c.maxSizeBytes ?? 0),
          displayName: c.displayName ?? "",
          generation: Number(c.generation_count ?? 0),
        });
      }),
      (c) => c.id,
    );
    const volumes = unique(
      "volume",
      (cfg.volumes ?? []).map((v) => {
        const id = need(v.uuid, "volume uuid");
        const t = v.origin?.type ?? 0;
        if (t !== VCOT_BLANK && t !== VCOT_DOWNLOAD)
          throw new ConfigParseError(`volume ${id}: origin type ${t} is not supported (blank, download)`);
        return VolumeConfigCodec.decode({
          id,
          generation: Number(v.generationCount ?? 0),
          origin: t === VCOT_BLANK ? "blank" : "download",
          contentTreeId:
            t === VCOT_DOWNLOAD ? need(v.origin?.downloadContentTreeID, `volume ${id}: content tree`) : "",
          maxSizeBytes: Number(v.maxsizebytes ?? 0),
          readOnly: v.readonly ?? false,
          displayName: v.displayName ?? "",
        });
      }),
      (v) => volumeKey(v.id, v.generation),
    );
    const apps = unique(
      "app",
      (cfg.apps ?? []).map((a) => {
        const uuid = need(a.uuidandversion?.uuid, "app uuid");
        return AppInstanceConfigCodec.decode({
          uuid,
          version: a.uuidandversion?.version ?? "0",
          displayName: a.displayname || uuid,
          activate: a.activate ?? false,
          resources: {
            memoryKiB: Number(a.fixedresources?.memory ?? 0),
            vcpus: Number(a.fixedresources?.vcpus ?? 0),
          },
          volumeRefs: (a.volumeRefList ?? []).map((r) => ({
            volumeId: need(r.uuid, `app ${uuid}: volume ref`),
            generation: Number(r.generationCount ?? 0),
            mountDir: r.mount_dir ?? "",
          })),
          restart: {
            counter: a.restart?.counter ?? 0,
            ...(a.restart?.opsTime ? { opsTime: a.restart.opsTime } : {}),
          },
          purge: {
            counter: a.purge?.counter ?? 0,
            ...(a.purge?.opsTime ? { opsTime: a.purge.opsTime } : {}),
          },
          userData: a.userData ?? "",
          startDelaySeconds: a.start_delay_in_seconds ?? 0,
          interfaces: mapInterfaces(uuid, a.interfaces),
        });
      }),
      (a) => a.uuid,
    );
    const configItems = resolveConfigItems(
      (cfg.configItems ?? []).map((i) => ({ key: i.key ?? "", value: i.value ?? "" })),
    );
    const ops = (c: eve.config.IDeviceOpsCmd | null | undefined) => ({
      counter: c?.counter ?? 0,
      desiredState: c?.desiredState ?? false,
      opsTime: c?.opsTime ?? "",
    });
    const reboot = ops(cfg.reboot);
    const shutdown = ops(cfg.shutdown);
    const maintenance = cfg.maintenance_mode === true;
    const baseos = cfg.baseos?.content_tree_uuid
      ? {
          contentTreeId: cfg.baseos.content_tree_uuid,
          version: need(cfg.baseos.base_os_version || undefined, "baseos: base_os_version"),
          activate: cfg.baseos.activate ?? false,
          retryCounter: cfg.baseos.retry_update?.counter ?? 0,
        }
      : undefined;
    const networkInstances = mapNetworkInstances(cfg.networkInstances);
    for (const a of apps.values())
      for (const itf of a.interfaces)
        if (!networkInstances.has(itf.network))
          throw new ConfigParseError(
            `app ${a.uuid}: adapter names network instance ${itf.network}, not in the config`,
          );
    return {
      datastores,
      contentTrees,
      volumes,
      apps,
      configItems,
      reboot,
      shutdown,
      maintenance,
      baseos,
      networkInstances,
    };
  } catch (e) {
    if (e instanceof ConfigParseError) throw e;
    throw new ConfigParseError((e as Error).message);
  }
}

/** What to change in one table to go from `current` to `desired`: values that differ, keys to delete. */
export interface TableChanges<T> {
  set: [string, T][];
  delete: string[];
}

export function diffTable<T>(current: Iterable<[string, T]>, desired: Map<string, T>): TableChanges<T> {
  const cur = new Map(current);
  const set: [string, T][] = [];
  for (const [k, v] of desired) if (JSON.stringify(cur.get(k)) !== JSON.stringify(v)) set.push([k, v]);
  const del = [...cur.keys()].filter((k) => !desired.has(k));
  return { set, delete: del };
}
