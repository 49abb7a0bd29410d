import {
  array,
  boolean,
  type Infer,
  integer,
  object,
  oneOf,
  optional,
  range,
  record,
  string,
  withDefault,
} from "./codec.js";
import { DeviceMappingCodec } from "./domain.js";
import { ErrorInfoCodec } from "./error.js";
import { SwStateCodec } from "./swstate.js";
import { AppInterfaceCodec } from "./zedrouter.js";

// App instances (EVE's AppInstanceConfig/Status). Key: the app instance UUID.

/** A bumped counter means "do it once" (EVE InstanceOpsCmd). */
export const OpsCmdCodec = object({ counter: withDefault(integer, 0), opsTime: optional(string) });
export type OpsCmd = Infer<typeof OpsCmdCodec>;

export const AppVolumeRefCodec = object({
  volumeId: string,
  generation: withDefault(integer, 0),
  /** Where the volume is mounted in the container; the first ref of a container app is its image. */
  mountDir: withDefault(string, ""),
});
export type AppVolumeRef = Infer<typeof AppVolumeRefCodec>;

export const AppResourcesCodec = object({
  /** Memory limit in KiB (EVE's VmConfig.memory); 0 = no limit. */
  memoryKiB: withDefault(range(integer, 0, 2 ** 40), 0),
  /** CPU limit in whole CPUs (VmConfig.vcpus); 0 = no limit. */
  vcpus: withDefault(range(integer, 0, 1024), 0),
});

/** Apps that belong together (an edge app of several modules, one app instance each): started in
 * `order` (lowest first) and stopped in reverse by the manager that owns them. EVE has no such thing;
 * a controller path can use it later. */
export const AppGroupCodec = object({
  /** The group's id (an MQTT edge app's id). */
  id: string,
  name: withDefault(string, ""),
  /** The app's position in the group's pipeline, 0 first. */
  order: withDefault(range(integer, 0, 1_000_000), 0),
});
export type AppGroup = Infer<typeof AppGroupCodec>;

/** Published by zedagent (tests publish it directly) and by mqttagent (MQTT-driven edge apps),
 * consumed by zedmanager, which takes each publisher's apps as that publisher's own. */
export const AppInstanceConfigCodec = object(
  {
    uuid: string,
    version: withDefault(string, "0"),
    displayName: string,
    activate: boolean,
    resources: withDefault(AppResourcesCodec, { memoryKiB: 0, vcpus: 0 }),
    /** volumeRefs[0] is the app's image (a volume whose content tree is a container image). */
    volumeRefs: array(AppVolumeRefCodec),
    restart: withDefault(OpsCmdCodec, { counter: 0 }),
    purge: withDefault(OpsCmdCodec, { counter: 0 }),
    /** base64 of the user data: for containers, KEY=VALUE lines that become the environment. */
    userData: withDefault(string, ""),
    startDelaySeconds: withDefault(range(integer, 0, 86_400), 0),
    /** The app's adapters, in order (EVE AppInstanceConfig.interfaces); none = Docker's default network. */
    interfaces: withDefault(array(AppInterfaceCodec), []),
    /** The group it belongs to (absent for a single app). */
    group: optional(AppGroupCodec),
    /** A 0600 file of secret KEY=VALUE lines (see DomainConfig.secretEnvFile). */
    secretEnvFile: optional(string),
    /** Host devices given to the app's container (DomainConfig.devices). */
    devices: optional(array(DeviceMappingCodec)),
  },
  "AppInstanceConfig",
);
export type AppInstanceConfig = Infer<typeof AppInstanceConfigCodec>;

export const AppVolumeRefStatusCodec = object({
  volumeId: string,
  generation: integer,
  state: SwStateCodec,
  progress: withDefault(integer, 0),
  error: optional(ErrorInfoCodec),
});

/** Published by zedmanager: the app as a whole. `state` is the least advanced of its parts. */
export const AppInstanceStatusCodec = object(
  {
    uuid: string,
    version: string,
    displayName: string,
    state: SwStateCodec,
    activated: boolean,
    /** 0-100, of the part currently in progress (download, verify, load). */
    progress: withDefault(integer, 0),
    volumeRefs: array(AppVolumeRefStatusCodec),
    /** Counters of the restart/purge commands already carried out. */
    restartCounter: withDefault(integer, 0),
    purgeCounter: withDefault(integer, 0),
    /** The error of whichever part failed, naming that part in error.source. */
    error: optional(ErrorInfoCodec),
    containerId: optional(string),
    exitCode: optional(integer),
    /** ISO time the app last started running. */
    bootTime: optional(string),
    /** Start delay pending until this ISO time. */
    startAfter: optional(string),
    env: optional(record(string)),
    /** A local stop (AppLocalOverride) in force: the app is halted although its config activates
     * it, until the controller next changes the app. */
    localOverride: optional(object({ state: string, since: string, by: string })),
    /** The publisher of its AppInstanceConfig (zedagent, mqttagent); absent = zedagent. */
    manager: optional(string),
  },
  "AppInstanceStatus",
);
export type AppInstanceStatus = Infer<typeof AppInstanceStatusCodec>;

/** zedmanager -> volumemgr: "an app needs this volume". Key: `${volumeId}#${generation}`. */
export const VolumeRefConfigCodec = object(
  {
    volumeId: string,
    generation: integer,
    /** Apps using it (the reference count). */
    apps: array(string),
    /** Bumped by a purge: recreate the volume from its content (a data volume is emptied). */
    localGeneration: withDefault(integer, 0),
  },
  "VolumeRefConfig",
);
export type VolumeRefConfig = Infer<typeof VolumeRefConfigCodec>;

/** volumemgr -> zedmanager. Key: `${volumeId}#${generation}`. */
export const VolumeRefStatusCodec = object(
  {
    volumeId: string,
    generation: integer,
    localGeneration: withDefault(integer, 0),
    state: SwStateCodec,
    progress: withDefault(integer, 0),
    /** "image": a container image (imageId set); "volume": a Docker volume (dockerVolume set). */
    kind: optional(string),
    imageId: optional(string),
    dockerVolume: optional(string),
    readOnly: withDefault(boolean, false),
    error: optional(ErrorInfoCodec),
  },
  "VolumeRefStatus",
);
export type VolumeRefStatus = Infer<typeof VolumeRefStatusCodec>;

export function volumeKey(volumeId: string, generation: number): string {
  return `${volumeId}#${generation}`;
}

/** A local operator's stop of one app (key: app uuid), published by localapi (persistent) and honoured
 * by zedmanager while the app's AppInstanceConfig is still the one it was made against (same
 * `configDigest`, see appConfigDigest): the controller's next change of that app ends it. */
export const AppLocalOverrideCodec = object(
  {
    /** Only "stopped" for now: the app is halted as if its config said activate: false. */
    state: oneOf(["stopped"] as const),
    configDigest: string,
    requestedAt: string,
    by: string,
  },
  "AppLocalOverride",
);
export type AppLocalOverride = Infer<typeof AppLocalOverrideCodec>;
export const APP_LOCAL_OVERRIDE_TOPIC = "AppLocalOverride";

/** A digest of an app's config as decoded (fields in codec order): equal while the controller has not
 * changed the app. FNV-1a over the JSON, hex; not a security check, a change detector. */
export function appConfigDigest(config: AppInstanceConfig): string {
  const text = JSON.stringify(config);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}${text.length.toString(16)}`;
}
