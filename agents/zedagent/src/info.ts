// Statuses -> ZInfoMsg, one object per message, as EVE's zedagent reports them. Pure builders; the
// queue (report-queue.ts) sends them. A deleted object is reported as EVE does: a message of its kind
// carrying only its id (no name, state INVALID), which a controller reads as "gone".
import { eve } from "@outpost/evecloud";
import type {
  AppInstanceStatus,
  BaseOsStatus,
  BootReason,
  ConfigItemValueMap,
  ContentTreeStatus,
  DeviceState,
  ErrorInfo,
  SwState,
  VolumeStatus,
} from "@outpost/types";

const Z = eve.info.ZSwState;

export const SW_TO_Z: Record<SwState, eve.info.ZSwState> = {
  INITIAL: Z.INITIAL,
  DOWNLOADING: Z.DOWNLOAD_STARTED,
  DOWNLOADED: Z.DOWNLOADED,
  VERIFYING: Z.VERIFYING,
  VERIFIED: Z.VERIFIED,
  LOADING: Z.LOADING,
  LOADED: Z.LOADED,
  CREATING_VOLUME: Z.CREATING_VOLUME,
  CREATED_VOLUME: Z.CREATED_VOLUME,
  INSTALLED: Z.INSTALLED,
  AWAITNETWORKINSTANCE: Z.AWAITNETWORKINSTANCE,
  BOOTING: Z.BOOTING,
  RUNNING: Z.RUNNING,
  PAUSING: Z.HALTING,
  PAUSED: Z.HALTED,
  HALTING: Z.HALTING,
  HALTED: Z.HALTED,
  BROKEN: Z.ERROR,
  UNKNOWN: Z.INVALID,
  FAILED: Z.ERROR,
};

export type InfoKey =
  | `device`
  | `app/${string}`
  | `volume/${string}`
  | `contentTree/${string}`
  | `networkInstance/${string}`;

function ts(iso: string | undefined): { seconds: number; nanos: number } | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return undefined;
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

const SEVERITY = {
  notice: eve.info.Severity.SEVERITY_NOTICE,
  warning: eve.info.Severity.SEVERITY_WARNING,
  error: eve.info.Severity.SEVERITY_ERROR,
} as const;

const ENTITY: Record<string, eve.info.Entity> = {
  ContentTree: eve.info.Entity.ENTITY_CONTENT_TREE,
  Blob: eve.info.Entity.ENTITY_CONTENT_BLOB,
  Volume: eve.info.Entity.ENTITY_VOLUME,
  App: eve.info.Entity.ENTITY_APP_INSTANCE,
  AppInstance: eve.info.Entity.ENTITY_APP_INSTANCE,
};

export function errorInfo(e: ErrorInfo | undefined): eve.info.ErrorInfo.$Properties | undefined {
  if (!e) return undefined;
  return {
    description: e.description,
    timestamp: ts(e.time),
    severity: SEVERITY[e.severity],
    retry_condition: e.retryCondition ?? "",
    // Every object on the error's path (the part of this object that failed, down to the one that
    // caused it), as "<type>/<id>"; the source's name is known for the last one.
    entities: (e.path ?? (e.source ? [`${e.source.type}/${e.source.id}`] : [])).map((ref) => {
      const slash = ref.indexOf("/");
      const type = ref.slice(0, slash);
      const id = ref.slice(slash + 1);
      const named = e.source && e.source.type === type && e.source.id === id;
      return {
        entity: ENTITY[type] ?? eve.info.Entity.ENTITY_UNSPECIFIED,
        entity_id: id,
        entity_name: named ? (e.source?.name ?? "") : "",
      };
    }),
  };
}

function envelope(devId: string, now: Date, ztype: eve.info.ZInfoTypes): eve.info.ZInfoMsg.$Properties {
  return { ztype, devId, atTimeStamp: ts(now.toISOString()) };
}

export function appInfo(
  devId: string,
  uuid: string,
  s: AppInstanceStatus | undefined,
  now = new Date(),
  /** The app's adapters (network-info.ts appNetworks), when it has any. */
  network: eve.info.ZInfoNetwork.$Properties[] = [],
) {
  const msg = envelope(devId, now, eve.info.ZInfoTypes.ZiApp);
  if (!s) return { ...msg, ainfo: { AppID: uuid } };
  const state = s.startAfter && s.state !== "RUNNING" ? Z.START_DELAYED : SW_TO_Z[s.state];
  const err = errorInfo(s.error);
  return {
    ...msg,
    ainfo: {
      AppID: uuid,
      appVersion: s.version,
      AppName: s.displayName,
      state,
      bootTime: ts(s.bootTime),
      appErr: err ? [err] : [],
      volumeRefs: s.volumeRefs.map((r) => r.volumeId),
      softwareList: s.volumeRefs.slice(0, 1).map((r) => ({
        swVersion: s.version,
        state: SW_TO_Z[r.state],
        downloadProgress: r.progress,
        imageName: r.volumeId,
      })),
      ...(network.length ? { network } : {}),
    },
  };
}

export function volumeInfo(devId: string, id: string, s: VolumeStatus | undefined, now = new Date()) {
  const msg = envelope(devId, now, eve.info.ZInfoTypes.ZiVolume);
  if (!s) return { ...msg, vinfo: { uuid: id } };
  return {
    ...msg,
    vinfo: {
      uuid: id,
      displayName: s.displayName,
      state: SW_TO_Z[s.state],
      progressPercentage: s.progress,
      generation_count: s.generation,
      resources: { curSizeBytes: s.sizeBytes },
      volumeErr: errorInfo(s.error),
    },
  };
}

export function contentTreeInfo(
  devId: string,
  id: string,
  s: ContentTreeStatus | undefined,
  now = new Date(),
) {
  const msg = envelope(devId, now, eve.info.ZInfoTypes.ZiContentTree);
  if (!s) return { ...msg, cinfo: { uuid: id } };
  return {
    ...msg,
    cinfo: {
      uuid: id,
      displayName: s.displayName,
      sha256: s.sha256,
      state: SW_TO_Z[s.state],
      progressPercentage: s.progress,
      resources: { curSizeBytes: s.currentSize },
      componentShaList: s.blobs,
      err: errorInfo(s.error),
    },
  };
}

/** What ZInfoDevice says about this machine (gathered by device-facts.ts). */
export interface DeviceFacts {
  machineArch: string;
  cpuArch: string;
  platform: string;
  ncpu: number;
  memoryBytes: number;
  storageBytes: number;
  bootTime: string;
  hostname: string;
  softwareVersion: string;
  restartCounter: number;
  rebootConfigCounter: number;
  /** The device's life cycle as nodeagent reports it; without nodeagent only what zedagent knows. */
  life: Lifecycle;
  /** baseosmgr's two slots, when it runs. */
  slots?: BaseOsStatus[] | undefined;
}

/** One slot as ZInfoDevSW: the running one RUNNING, an installed one INSTALLED, a failed one ERROR. */
export function slotSw(s: BaseOsStatus): eve.info.ZInfoDevSW.$Properties {
  const status = s.activated
    ? Z.RUNNING
    : s.error
      ? Z.ERROR
      : s.userStatus === "DOWNLOADING"
        ? Z.DOWNLOAD_STARTED
        : s.version
          ? Z.INSTALLED
          : Z.INITIAL;
  return {
    partitionLabel: s.slot === "A" ? "IMGA" : "IMGB",
    partitionState: s.partitionState,
    activated: s.activated,
    status,
    shortVersion: s.version,
    longVersion: s.version ? `outpost ${s.version}` : "",
    // EVE's enums by name (types' codecs use the proto's names); subStatusStr is the human text.
    userStatus: eve.info.BaseOsStatus[s.userStatus],
    subStatus: eve.info.BaseOsSubStatus[s.subStatus],
    subStatusStr: s.subStatusStr,
    subStatusProgress: s.progress,
    downloadProgress: s.userStatus === "DOWNLOADING" ? s.progress : 0,
    ...(s.error ? { swErr: errorInfo(s.error) } : {}),
  };
}

/** What ZInfoDevice says about reboots, shutdowns and maintenance mode. */
export interface Lifecycle {
  state: DeviceState;
  bootReason?: BootReason;
  lastRebootReason?: string;
  lastRebootTime?: string;
  shutdownConfigCounter: number;
  rebootInProgress: boolean;
  maintenanceMode: boolean;
}

export function deviceInfo(devId: string, f: DeviceFacts, now = new Date()) {
  return {
    ...envelope(devId, now, eve.info.ZInfoTypes.ZiDevice),
    dinfo: {
      machineArch: f.machineArch,
      cpuArch: f.cpuArch,
      platform: f.platform,
      ncpu: f.ncpu,
      // EVE reports memory in MB and storage in MB.
      memory: Math.round(f.memoryBytes / 2 ** 20),
      storage: Math.round(f.storageBytes / 2 ** 20),
      bootTime: ts(f.bootTime),
      HostName: f.hostname,
      // With baseosmgr: its two slots (directories under <root>/slots, standing in for IMGA/IMGB).
      // Without it, the software that runs and only that: no partition fields, nothing "activated".
      swList: f.slots?.length
        ? f.slots.map(slotSw)
        : [
            {
              status: Z.RUNNING,
              shortVersion: f.softwareVersion,
              longVersion: `outpost ${f.softwareVersion}`,
            },
          ],
      ...(f.slots?.length ? { baseos_update_counter: f.slots[0]?.updateCounter ?? 0 } : {}),
      restartCounter: f.restartCounter,
      rebootConfigCounter: f.rebootConfigCounter,
      shutdown_config_counter: f.life.shutdownConfigCounter,
      state: eve.info.ZDeviceState[`ZDEVICE_STATE_${f.life.state}`],
      reboot_inprogress: f.life.rebootInProgress,
      ...(f.life.bootReason
        ? { last_boot_reason: eve.info.BootReason[`BOOT_REASON_${f.life.bootReason}`] }
        : {}),
      ...(f.life.lastRebootReason ? { lastRebootReason: f.life.lastRebootReason } : {}),
      ...(f.life.lastRebootTime ? { lastRebootTime: ts(f.life.lastRebootTime) } : {}),
      maintenance_mode: f.life.maintenanceMode,
    },
  };
}

export function encodeInfo(msg: eve.info.ZInfoMsg.$Properties): Uint8Array {
  return eve.info.ZInfoMsg.encode(msg).finish();
}

/** EVE's ZInfoDevice.configItemStatus: every item that is not at its default (set by the controller,
 * out of range, or overridden locally) with the value in force and, for one that is out of range, the
 * error; items the controller sent that this node does not know go to unknownConfigItems. A local
 * override (localapi) shows as the value in force, so the controller sees what the device really uses.
 * Undefined before any config was applied. */
export function configItemStatus(
  m: ConfigItemValueMap | undefined,
): eve.info.IZInfoConfigItemStatus | undefined {
  if (!m) return undefined;
  const known: Record<string, eve.info.IZInfoConfigItem> = {};
  const unknown: Record<string, eve.info.IZInfoConfigItem> = {};
  for (const k of Object.keys(m.items).sort()) {
    const v = m.items[k];
    if (!v || v.source === "default") continue;
    if (v.source === "unknown")
      unknown[k] = { value: v.configured ?? v.value, error: v.error ?? "unknown config item" };
    else known[k] = { value: v.value, ...(v.error ? { error: v.error } : {}) };
  }
  return { configItems: known, unknownConfigItems: unknown };
}
