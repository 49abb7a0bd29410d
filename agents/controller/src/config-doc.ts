// The readable device configuration an operator writes (YAML or JSON), and its translation into
// EVE's EdgeDevConfig. Names in the document are short; ids may be UUIDs or any name, which becomes a
// stable name-based UUID so the same document always yields the same object UUIDs.
import { createHash } from "node:crypto";
import { eve } from "@outpost/evecloud";
import { type Codec, DecodeError, type Infer, t } from "@outpost/types";

/** Caps on a document. A document is typed by hand or generated, and then held in memory, stored,
 * signed and sent to the device on every change: these bound what one PUT can make the controller
 * and the node carry. Far above what one edge device runs; documented in README.md. */
export const DOC_LIMITS = {
  datastores: 64,
  contentTrees: 512,
  volumes: 512,
  apps: 256,
  /** Volume references of one app. */
  appVolumes: 32,
  configItems: 1024,
  /** Entries of one app's env. */
  envEntries: 256,
  /** ids, names, env names, config item keys. */
  nameLength: 256,
  /** Every other string (fqdn, path, url, password, apiKey, env and config item values). */
  stringLength: 4096,
  /** userData, given or made from env (base64 characters). */
  userDataLength: 128 * 1024,
  networkInstances: 64,
  /** Adapters of one app, and port maps of one adapter. */
  appInterfaces: 16,
  portMaps: 64,
} as const;

const plural = (n: number, what: string) => `at most ${n} ${what}`;

function bounded(max: number): Codec<string> {
  return {
    name: "string",
    decode(v: unknown, p = "") {
      const s = t.string.decode(v, p);
      if (s.length > max)
        throw new DecodeError(p, plural(max, "characters"), `${s.slice(0, 20)}... (${s.length} characters)`);
      return s;
    },
  };
}
const short = bounded(DOC_LIMITS.nameLength);
const text = bounded(DOC_LIMITS.stringLength);

function capped<T>(item: Codec<T>, max: number, what: string): Codec<T[]> {
  const inner = t.array(item);
  return {
    name: inner.name,
    decode(v: unknown, p = "") {
      if (Array.isArray(v) && v.length > max) throw new DecodeError(p, plural(max, what), v.length);
      return inner.decode(v, p);
    },
  };
}

/** A string map (env, configItems) with capped size, checked keys and string values. "__proto__" is
 * refused: as a key of a plain object it is not a property but the prototype, so it would vanish. */
function stringMap(o: {
  max: number;
  what: string;
  key: (k: string, p: string) => void;
  value: Codec<string>;
}): Codec<Record<string, string>> {
  return {
    name: "record<string>",
    decode(v: unknown, p = "") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new DecodeError(p, "object", v);
      const keys = Object.keys(v);
      if (keys.length > o.max) throw new DecodeError(p, plural(o.max, o.what), keys.length);
      const out: Record<string, string> = {};
      for (const k of keys) {
        const at = `${p}.${k}`;
        if (k === "__proto__") throw new DecodeError(at, "a name other than __proto__", k);
        o.key(k, at);
        out[k] = o.value.decode((v as Record<string, unknown>)[k], at);
      }
      return out;
    },
  };
}

/** Env names: what a shell and `docker run -e` accept without surprise. Not empty, no "=" (it ends
 * the name in KEY=VALUE), no NUL (ends a C string), no line break (userData is one KEY=VALUE per
 * line, so a line break would smuggle in another variable). */
export function checkEnvName(k: string, p: string): void {
  if (!k.length) throw new DecodeError(p, "a non-empty env name", k);
  if (k.length > DOC_LIMITS.nameLength)
    throw new DecodeError(p, `an env name of ${plural(DOC_LIMITS.nameLength, "characters")}`, k);
  if (/[=\0\r\n]/.test(k))
    throw new DecodeError(p, "an env name without '=', NUL or line breaks", JSON.stringify(k));
}

const envValue: Codec<string> = {
  name: "string",
  decode(v: unknown, p = "") {
    const s = text.decode(v, p);
    if (/[\0\r\n]/.test(s))
      throw new DecodeError(p, "an env value without NUL or line breaks", JSON.stringify(s));
    return s;
  },
};

/** Like t.object, but an unknown key is an error: a typo in a hand-written document must not be
 * silently dropped. Own keys of the shape only: `constructor` or `toString` are not fields. */
function strict<S extends Record<string, Codec<unknown>>>(shape: S, name: string) {
  const inner = t.object(shape, name);
  return {
    ...inner,
    decode(v: unknown, p = "") {
      if (typeof v === "object" && v !== null && !Array.isArray(v))
        for (const k of Object.keys(v))
          if (!Object.hasOwn(shape, k))
            throw new DecodeError(
              p ? `${p}.${k}` : k,
              `one of the ${name} fields (${Object.keys(shape).join(", ")})`,
              k,
            );
      return inner.decode(v, p);
    },
  };
}

const count = t.withDefault(t.range(t.integer, 0, 2 ** 32 - 1), 0);
const size = t.withDefault(t.range(t.integer, 0, Number.MAX_SAFE_INTEGER), 0);

const DS_TYPES = {
  http: eve.config.DsType.DsHttp,
  https: eve.config.DsType.DsHttps,
  "container-registry": eve.config.DsType.DsContainerRegistry,
  s3: eve.config.DsType.DsS3,
  sftp: eve.config.DsType.DsSFTP,
  "azure-blob": eve.config.DsType.DsAzureBlob,
  "google-storage": eve.config.DsType.DsGoogleStorage,
} as const;

const FORMATS = {
  container: eve.config.Format.CONTAINER,
  raw: eve.config.Format.RAW,
  qcow2: eve.config.Format.QCOW2,
  iso: eve.config.Format.ISO,
} as const;

export const DatastoreDocCodec = strict(
  {
    id: short,
    type: t.withDefault(t.oneOf(Object.keys(DS_TYPES) as (keyof typeof DS_TYPES)[]), "http"),
    /** http://host:port, https://host or a registry host. */
    fqdn: text,
    path: t.withDefault(text, ""),
    apiKey: t.optional(text),
    password: t.optional(text),
  },
  "datastore",
);

export const ContentTreeDocCodec = strict(
  {
    id: short,
    name: t.optional(short),
    datastore: short,
    /** Path below the datastore's path (an image archive), or an image reference for a registry. */
    url: text,
    format: t.withDefault(t.oneOf(Object.keys(FORMATS) as (keyof typeof FORMATS)[]), "container"),
    sha256: t.withDefault(short, ""),
    maxSizeBytes: size,
    generation: count,
  },
  "contentTree",
);

export const VolumeDocCodec = strict(
  {
    id: short,
    name: t.optional(short),
    /** The content tree the volume is made from; absent = a blank volume. */
    contentTree: t.optional(short),
    maxSizeBytes: size,
    /** Bump to recreate the volume. */
    generation: count,
    readonly: t.withDefault(t.boolean, false),
  },
  "volume",
);

// ---- network instances (zedrouter) ----

const NI_KINDS = {
  local: eve.config.ZNetworkInstType.ZnetInstLocal,
  switch: eve.config.ZNetworkInstType.ZnetInstSwitch,
} as const;

const port = t.range(t.integer, 1, 65_535);

export const NetworkInstanceDocCodec = strict(
  {
    id: short,
    name: t.optional(short),
    /** local: a NAT'ed bridge of its own; switch: apps bridged onto `port`. */
    kind: t.withDefault(t.oneOf(["local", "switch"] as const), "local"),
    /** The device port (logical label or interface name): uplink of a local instance ("" = the
     * management port), the port a switch bridges onto. */
    port: t.withDefault(short, ""),
    /** IPv4 CIDR; required for local, optional for switch (the port's own subnet). */
    subnet: t.withDefault(short, ""),
    gateway: t.withDefault(short, ""),
    dhcpRange: t.optional(strict({ start: short, end: short }, "dhcpRange")),
    dns: t.withDefault(capped(short, 8, "DNS servers"), []),
    mtu: t.withDefault(t.range(t.integer, 0, 65_535), 0),
  },
  "networkInstance",
);

/** One app adapter: the instance it attaches to, a static IP, a MAC, port maps (local instances). */
export const AppInterfaceDocCodec = strict(
  {
    /** A network instance id of this document. */
    network: short,
    name: t.optional(short),
    ip: t.optional(short),
    mac: t.optional(short),
    portMaps: t.withDefault(
      capped(
        strict(
          {
            /** The port on the device's uplink address (EVE's "lport"). */
            port,
            /** The port inside the app. */
            appPort: port,
            protocol: t.withDefault(t.oneOf(["tcp", "udp"] as const), "tcp"),
          },
          "portMap",
        ),
        DOC_LIMITS.portMaps,
        "port maps per adapter",
      ),
      [],
    ),
  },
  "interface",
);

export const AppDocCodec = strict(
  {
    id: short,
    name: short,
    activate: t.withDefault(t.boolean, true),
    memoryKiB: count,
    vcpus: count,
    /** The first volume of a container app is its image. */
    volumes: t.withDefault(
      capped(
        strict({ id: short, mountDir: t.withDefault(text, "") }, "app volume"),
        DOC_LIMITS.appVolumes,
        "volumes per app",
      ),
      [],
    ),
    /** Environment of the container: becomes userData (base64 of KEY=VALUE lines). */
    env: t.optional(
      stringMap({ max: DOC_LIMITS.envEntries, what: "env entries", key: checkEnvName, value: envValue }),
    ),
    /** Raw userData (base64), for what env cannot say; not together with env. */
    userData: t.optional(bounded(DOC_LIMITS.userDataLength)),
    /** Bump to restart / purge the app once. */
    restart: count,
    purge: count,
    startDelaySeconds: count,
    /** The app's adapters, in order; none = Docker's default network. */
    interfaces: t.withDefault(
      capped(AppInterfaceDocCodec, DOC_LIMITS.appInterfaces, "interfaces per app"),
      [],
    ),
  },
  "app",
);

// ---- Device ports (nim's DevicePortConfig from the controller): networks + systemAdapterList ----

const DHCP_TYPES = {
  dhcp: eve.common.DHCPType.Client,
  static: eve.common.DHCPType.Static,
  none: eve.common.DHCPType.DHCPNone,
} as const;

/** An EVE NetworkConfig: how a port gets its IP (DHCP or static subnet, gateway, DNS), MTU, proxy. */
export const NetworkDocCodec = strict(
  {
    id: short,
    dhcp: t.withDefault(t.oneOf(Object.keys(DHCP_TYPES) as (keyof typeof DHCP_TYPES)[]), "dhcp"),
    /** CIDR of the port's subnet (static). */
    subnet: t.withDefault(short, ""),
    gateway: t.withDefault(short, ""),
    dns: t.withDefault(capped(short, 8, "DNS servers"), []),
    domain: t.withDefault(short, ""),
    ntp: t.withDefault(capped(short, 8, "NTP servers"), []),
    mtu: count,
    /** http://host:port: controller traffic over this network goes through this proxy. */
    proxy: t.optional(text),
    /** Hosts reached directly despite the proxy (EVE exceptions, comma-separated). */
    proxyExceptions: t.withDefault(text, ""),
  },
  "network",
);

/** An EVE SystemAdapter: a device port, the network it uses, its static address. */
export const PortDocCodec = strict(
  {
    /** The port's logical name (SystemAdapter.name). */
    name: short,
    /** Kernel interface name, when not the same as name (SystemAdapter.lowerLayerName). */
    ifname: t.withDefault(short, ""),
    network: short,
    /** Used for controller traffic (SystemAdapter.uplink). */
    uplink: t.withDefault(t.boolean, true),
    /** Static address within the network's subnet. */
    addr: t.withDefault(short, ""),
  },
  "port",
);

function checkPortRefs(doc: ConfigDoc): void {
  const nets = new Set<string>();
  for (const [i, n] of doc.networks.entries()) {
    if (nets.has(n.id)) throw new DecodeError(`networks[${i}].id`, "an id not used before", n.id);
    nets.add(n.id);
    if (n.dhcp === "static" && !/\/\d+$/.test(n.subnet))
      throw new DecodeError(`networks[${i}].subnet`, "a CIDR subnet for a static network", n.subnet);
  }
  for (const [i, p] of doc.ports.entries()) {
    if (!nets.has(p.network))
      throw new DecodeError(`ports[${i}].network`, "a network id of this document", p.network);
    const net = doc.networks.find((n) => n.id === p.network);
    if (net?.dhcp === "static" && !p.addr)
      throw new DecodeError(`ports[${i}].addr`, "an address on a static network", p.addr);
  }
}

function portsConfig(
  doc: ConfigDoc,
): Pick<eve.config.EdgeDevConfig.$Properties, "networks" | "systemAdapterList"> {
  return {
    networks: doc.networks.map((n) => ({
      id: idToUuid(n.id),
      type: eve.common.NetworkType.V4,
      ip: {
        dhcp: DHCP_TYPES[n.dhcp],
        subnet: n.subnet,
        gateway: n.gateway,
        dns: n.dns,
        domain: n.domain,
        ntp: n.ntp[0] ?? "",
        more_ntp: n.ntp.slice(1),
      },
      mtu: n.mtu,
      ...(n.proxy
        ? { entProxy: { networkProxyEnable: true, networkProxyURL: n.proxy, exceptions: n.proxyExceptions } }
        : {}),
    })),
    systemAdapterList: doc.ports.map((p) => ({
      name: p.name,
      lowerLayerName: p.ifname || p.name,
      uplink: p.uplink,
      networkUUID: idToUuid(p.network),
      addr: p.addr,
    })),
  };
}

function checkItemKey(k: string, p: string): void {
  if (!k.length || k.length > DOC_LIMITS.nameLength)
    throw new DecodeError(p, `a key of 1 to ${DOC_LIMITS.nameLength} characters`, k);
}

export const ConfigDocCodec = strict(
  {
    datastores: t.withDefault(capped(DatastoreDocCodec, DOC_LIMITS.datastores, "datastores"), []),
    contentTrees: t.withDefault(capped(ContentTreeDocCodec, DOC_LIMITS.contentTrees, "content trees"), []),
    volumes: t.withDefault(capped(VolumeDocCodec, DOC_LIMITS.volumes, "volumes"), []),
    apps: t.withDefault(capped(AppDocCodec, DOC_LIMITS.apps, "apps"), []),
    networkInstances: t.withDefault(
      capped(NetworkInstanceDocCodec, DOC_LIMITS.networkInstances, "network instances"),
      [],
    ),
    /** Device ports and their networks (nim): see NetworkDocCodec, PortDocCodec. */
    networks: t.withDefault(capped(NetworkDocCodec, 64, "networks"), []),
    ports: t.withDefault(capped(PortDocCodec, 64, "ports"), []),
    /** Global settings, e.g. timer.config.interval: "5". Values are strings, as in EVE. */
    configItems: t.withDefault(
      stringMap({ max: DOC_LIMITS.configItems, what: "config items", key: checkItemKey, value: text }),
      {},
    ),
    /** Bump to reboot the device once. */
    reboot: count,
    /** Bump to shut the device down once. */
    shutdown: count,
    /** EdgeDevConfig.maintenance_mode: the device halts its apps and takes no updates. */
    maintenanceMode: t.withDefault(t.boolean, false),
    /** The Outpost release the device runs (baseosmgr): a RAW content tree of this document. */
    baseos: t.optional(
      strict(
        {
          contentTree: short,
          version: short,
          activate: t.withDefault(t.boolean, true),
          /** Bump to retry a version that failed. */
          retryUpdate: count,
        },
        "baseos",
      ),
    ),
  },
  "config",
);
export type ConfigDoc = Infer<typeof ConfigDocCodec>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id as EVE wants it: a UUID as is, any other name as a name-based (v5-style) UUID. */
export function idToUuid(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const h = createHash("sha1").update(`outpost:${id}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Cross-references must resolve; ids must be unique per kind. Throws DecodeError. */
export function checkReferences(doc: ConfigDoc): void {
  const ids = (kind: string, list: { id: string }[]) => {
    const seen = new Set<string>();
    for (const [i, o] of list.entries()) {
      if (seen.has(o.id)) throw new DecodeError(`${kind}[${i}].id`, "an id not used before", o.id);
      seen.add(o.id);
    }
    return seen;
  };
  const ds = ids("datastores", doc.datastores);
  const ct = ids("contentTrees", doc.contentTrees);
  const vol = ids("volumes", doc.volumes);
  ids("apps", doc.apps);
  checkNetworkReferences(doc, ids("networkInstances", doc.networkInstances));
  checkPortRefs(doc);
  if (doc.baseos && !ct.has(doc.baseos.contentTree))
    throw new DecodeError("baseos.contentTree", "a content tree id of this document", doc.baseos.contentTree);
  for (const [i, c] of doc.contentTrees.entries())
    if (!ds.has(c.datastore))
      throw new DecodeError(`contentTrees[${i}].datastore`, "a datastore id of this document", c.datastore);
  for (const [i, v] of doc.volumes.entries())
    if (v.contentTree && !ct.has(v.contentTree))
      throw new DecodeError(`volumes[${i}].contentTree`, "a contentTree id of this document", v.contentTree);
  for (const [i, a] of doc.apps.entries()) {
    for (const [j, r] of a.volumes.entries())
      if (!vol.has(r.id))
        throw new DecodeError(`apps[${i}].volumes[${j}].id`, "a volume id of this document", r.id);
    if (a.env && a.userData !== undefined)
      throw new DecodeError(`apps[${i}]`, "env or userData, not both", "both");
    if (a.env) {
      const n = envUserData(a.env).length;
      if (n > DOC_LIMITS.userDataLength)
        throw new DecodeError(
          `apps[${i}].env`,
          `env of at most ${DOC_LIMITS.userDataLength} characters once encoded as userData`,
          n,
        );
    }
  }
}

/** Adapters name instances of the document; a local instance has a subnet; port maps only on local
 * instances, each device port mapped once. */
function checkNetworkReferences(doc: ConfigDoc, nis: Set<string>): void {
  for (const [i, n] of doc.networkInstances.entries())
    if (n.kind === "local" && !n.subnet)
      throw new DecodeError(`networkInstances[${i}].subnet`, "an IPv4 CIDR for a local instance", "");
  const mapped = new Map<string, string>();
  for (const [i, a] of doc.apps.entries())
    for (const [j, itf] of a.interfaces.entries()) {
      const at = `apps[${i}].interfaces[${j}]`;
      if (!nis.has(itf.network))
        throw new DecodeError(`${at}.network`, "a network instance id of this document", itf.network);
      const ni = doc.networkInstances.find((n) => n.id === itf.network);
      if (itf.portMaps.length && ni?.kind !== "local")
        throw new DecodeError(`${at}.portMaps`, "port maps on a local instance only", ni?.kind ?? "");
      for (const p of itf.portMaps) {
        const key = `${p.protocol}/${p.port}`;
        const other = mapped.get(key);
        if (other)
          throw new DecodeError(
            `${at}.portMaps`,
            `device port ${key} mapped once (also in ${other})`,
            p.port,
          );
        mapped.set(key, at);
      }
    }
}

export function decodeConfigDoc(input: unknown): ConfigDoc {
  const doc = ConfigDocCodec.decode(input);
  checkReferences(doc);
  return doc;
}

/** Per object, the config version at which it last changed (EVE's UUIDandVersion.version). */
export type ObjectVersions = Record<string, { fingerprint: string; version: number }>;

function fingerprint(o: unknown): string {
  return createHash("sha256").update(JSON.stringify(o)).digest("hex").slice(0, 16);
}

export function envUserData(env: Record<string, string>): string {
  const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return Buffer.from(lines.join("\n")).toString("base64");
}

/** An app's adapters as EVE NetworkAdapters: a port map is an ACE matching protocol and lport with
 * the portmap action to appPort; an allow-all ACE first, as EVE controllers send. */
function appInterfaces(a: ConfigDoc["apps"][number]): eve.config.NetworkAdapter.$Properties[] {
  return a.interfaces.map((itf, n) => ({
    name: itf.name ?? `eth${n}`,
    networkId: idToUuid(itf.network),
    addr: itf.ip ?? "",
    macAddress: itf.mac ?? "",
    interface_order: n + 1,
    acls: [
      { id: 1, name: "allow-all", matches: [{ type: "ip", value: "0.0.0.0/0" }] },
      ...itf.portMaps.map((p, k) => ({
        id: k + 2,
        name: `portmap-${p.protocol}-${p.port}`,
        matches: [
          { type: "protocol", value: p.protocol },
          { type: "lport", value: String(p.port) },
        ],
        actions: [{ portmap: true, appPort: p.appPort }],
      })),
    ],
  }));
}

export interface BuiltConfig {
  config: eve.config.EdgeDevConfig.$Properties;
  objectVersions: ObjectVersions;
}

/** Turns a document into EdgeDevConfig for `deviceUuid` at `version`. Objects that did not change
 * since `previous` keep their version, so the node sees only real changes. */
export function buildEdgeDevConfig(
  deviceUuid: string,
  doc: ConfigDoc,
  version: number,
  previous: ObjectVersions = {},
): BuiltConfig {
  const objectVersions: ObjectVersions = {};
  const uv = (kind: string, id: string, o: unknown) => {
    const key = `${kind}/${id}`;
    const fp = fingerprint(o);
    const prev = previous[key];
    const v = prev && prev.fingerprint === fp ? prev.version : version;
    objectVersions[key] = { fingerprint: fp, version: v };
    return { uuid: idToUuid(id), version: String(v) };
  };
  const config: eve.config.EdgeDevConfig.$Properties = {
    id: { uuid: deviceUuid, version: String(version) },
    datastores: doc.datastores.map((d) => ({
      id: idToUuid(d.id),
      dType: DS_TYPES[d.type],
      fqdn: d.fqdn,
      dpath: d.path,
      ...(d.apiKey !== undefined ? { apiKey: d.apiKey } : {}),
      ...(d.password !== undefined ? { password: d.password } : {}),
    })),
    contentInfo: doc.contentTrees.map((c) => ({
      uuid: idToUuid(c.id),
      dsId: idToUuid(c.datastore),
      URL: c.url,
      iformat: FORMATS[c.format],
      sha256: c.sha256.toLowerCase(),
      maxSizeBytes: c.maxSizeBytes,
      displayName: c.name ?? c.id,
      generation_count: c.generation,
    })),
    volumes: doc.volumes.map((v) => ({
      uuid: idToUuid(v.id),
      origin: v.contentTree
        ? {
            type: eve.config.VolumeContentOriginType.VCOT_DOWNLOAD,
            downloadContentTreeID: idToUuid(v.contentTree),
          }
        : { type: eve.config.VolumeContentOriginType.VCOT_BLANK },
      generationCount: v.generation,
      maxsizebytes: v.maxSizeBytes,
      readonly: v.readonly,
      displayName: v.name ?? v.id,
    })),
    apps: doc.apps.map((a) => ({
      uuidandversion: uv("app", a.id, a),
      displayname: a.name,
      activate: a.activate,
      fixedresources: { memory: a.memoryKiB, maxmem: a.memoryKiB, vcpus: a.vcpus },
      volumeRefList: a.volumes.map((r) => {
        const vol = doc.volumes.find((v) => v.id === r.id);
        return { uuid: idToUuid(r.id), generationCount: vol?.generation ?? 0, mount_dir: r.mountDir };
      }),
      restart: { counter: a.restart },
      purge: { counter: a.purge },
      userData: a.env ? envUserData(a.env) : (a.userData ?? ""),
      start_delay_in_seconds: a.startDelaySeconds,
      runtime_type: eve.config.AppRuntimeType.APP_RUNTIME_TYPE_DOCKER,
      interfaces: appInterfaces(a),
    })),
    networkInstances: doc.networkInstances.map((n) => ({
      uuidandversion: uv("networkInstance", n.id, n),
      displayname: n.name ?? n.id,
      instType: NI_KINDS[n.kind],
      activate: true,
      ...(n.port ? { port: { name: n.port } } : {}),
      ipType: eve.config.AddressType.IPV4,
      ip: {
        subnet: n.subnet,
        gateway: n.gateway,
        dns: n.dns,
        ...(n.dhcpRange ? { dhcpRange: { start: n.dhcpRange.start, end: n.dhcpRange.end } } : {}),
      },
      mtu: n.mtu,
    })),
    configItems: Object.entries(doc.configItems).map(([key, value]) => ({ key, value })),
    reboot: { counter: doc.reboot },
    shutdown: { counter: doc.shutdown },
    maintenance_mode: doc.maintenanceMode,
    ...portsConfig(doc),
    ...(doc.baseos
      ? {
          baseos: {
            content_tree_uuid: idToUuid(doc.baseos.contentTree),
            base_os_version: doc.baseos.version,
            activate: doc.baseos.activate,
            retry_update: { counter: doc.baseos.retryUpdate },
          },
        }
      : {}),
  };
  return { config, objectVersions };
}
