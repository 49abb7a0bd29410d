// The readable device configuration an operator writes (YAML or JSON), and its translation into
// EVE's EdgeDevConfig. Names in the document are short; ids may be UUIDs or any name, which becomes a
// stable name-based UUID so the same document always yields the same object UUIDs.
import { createHash } from "node:crypto";
import { eve } from "@outpost/evecloud";
import { type Codec, DecodeError, type Infer, t } from "@outpost/types";

/** Like t.object, but an unknown key is an error: a typo in a hand-written document must not be
 * silently dropped. */
function strict<S extends Record<string, Codec<unknown>>>(shape: S, name: string) {
  const inner = t.object(shape, name);
  return {
    ...inner,
    decode(v: unknown, p = "") {
      if (typeof v === "object" && v !== null && !Array.isArray(v))
        for (const k of Object.keys(v))
          if (!(k in shape))
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
    id: t.string,
    type: t.withDefault(t.oneOf(Object.keys(DS_TYPES) as (keyof typeof DS_TYPES)[]), "http"),
    /** http://host:port, https://host or a registry host. */
    fqdn: t.string,
    path: t.withDefault(t.string, ""),
    apiKey: t.optional(t.string),
    password: t.optional(t.string),
  },
  "datastore",
);

export const ContentTreeDocCodec = strict(
  {
    id: t.string,
    name: t.optional(t.string),
    datastore: t.string,
    /** Path below the datastore's path (an image archive), or an image reference for a registry. */
    url: t.string,
    format: t.withDefault(t.oneOf(Object.keys(FORMATS) as (keyof typeof FORMATS)[]), "container"),
    sha256: t.withDefault(t.string, ""),
    maxSizeBytes: size,
    generation: count,
  },
  "contentTree",
);

export const VolumeDocCodec = strict(
  {
    id: t.string,
    name: t.optional(t.string),
    /** The content tree the volume is made from; absent = a blank volume. */
    contentTree: t.optional(t.string),
    maxSizeBytes: size,
    /** Bump to recreate the volume. */
    generation: count,
    readonly: t.withDefault(t.boolean, false),
  },
  "volume",
);

export const AppDocCodec = strict(
  {
    id: t.string,
    name: t.string,
    activate: t.withDefault(t.boolean, true),
    memoryKiB: count,
    vcpus: count,
    /** The first volume of a container app is its image. */
    volumes: t.withDefault(
      t.array(strict({ id: t.string, mountDir: t.withDefault(t.string, "") }, "app volume")),
      [],
    ),
    /** Environment of the container: becomes userData (base64 of KEY=VALUE lines). */
    env: t.optional(t.record(t.string)),
    /** Raw userData (base64), for what env cannot say; not together with env. */
    userData: t.optional(t.string),
    /** Bump to restart / purge the app once. */
    restart: count,
    purge: count,
    startDelaySeconds: count,
  },
  "app",
);

export const ConfigDocCodec = strict(
  {
    datastores: t.withDefault(t.array(DatastoreDocCodec), []),
    contentTrees: t.withDefault(t.array(ContentTreeDocCodec), []),
    volumes: t.withDefault(t.array(VolumeDocCodec), []),
    apps: t.withDefault(t.array(AppDocCodec), []),
    /** Global settings, e.g. timer.config.interval: "5". Values are strings, as in EVE. */
    configItems: t.withDefault(t.record(t.string), {}),
    /** Bump to reboot the device once. */
    reboot: count,
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
    })),
    configItems: Object.entries(doc.configItems).map(([key, value]) => ({ key, value })),
    reboot: { counter: doc.reboot },
  };
  return { config, objectVersions };
}
