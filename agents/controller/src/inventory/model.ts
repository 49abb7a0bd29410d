// The inventory's rows, made from what each device last reported (its info records: ZInfoDevice,
// ZInfoApp, ZInfoVolume; its newest metrics) and what the operator set (labels: tags, team,
// location). Pure functions of those records and the time: the admin API reads the store and calls
// them on every request, so the inventory is as current as the store (README.md beside this file).
import type { Row } from "./filter.js";

/** What the operator sets on a device through the admin API (stored as the "device-labels" doc). */
export interface DeviceLabels {
  tags: string[];
  team: string;
  location: string;
}

export const NO_LABELS: DeviceLabels = { tags: [], team: "", location: "" };

/** EVE's default timer.config.interval (s): how often a device polls when nobody set it. */
export const DEFAULT_POLL_S = 60;

/** A device is "not seen" once it has been silent for this many poll intervals. */
export const MISSED_POLLS = 3;

/** The columns of `inventory devices`, in order: also the fields its filters and sorts may name. */
export const DEVICE_FIELDS = [
  "uuid",
  "serial",
  "name",
  "team",
  "tags",
  "location",
  "latitude",
  "longitude",
  "positionAt",
  "geo",
  "state",
  "reportedState",
  "lastSeen",
  "lastSeenAgeS",
  "pollIntervalS",
  "registeredAt",
  "arch",
  "cpuArch",
  "platform",
  "cpus",
  "memoryMB",
  "storageMB",
  "manufacturer",
  "product",
  "version",
  "slots",
  "updateState",
  "ports",
  "ips",
  "macs",
  "apps",
  "appsRunning",
  "appsError",
  "memUsedMB",
  "memUsedPct",
  "diskUsedMB",
  "diskTotalMB",
  "cpuS",
  "configVersion",
  "warnings",
] as const;

export const APP_FIELDS = [
  "device",
  "serial",
  "deviceName",
  "team",
  "tags",
  "uuid",
  "name",
  "state",
  "version",
  "error",
  "ips",
  "macs",
  "volumes",
  "memUsedMB",
  "bootTime",
  "reportedAt",
] as const;

export const VOLUME_FIELDS = [
  "device",
  "serial",
  "team",
  "tags",
  "uuid",
  "name",
  "state",
  "progressPct",
  "sizeMB",
  "maxSizeMB",
  "refCount",
  "generation",
  "error",
  "reportedAt",
] as const;

export type DeviceRow = Row & { uuid: string; serial: string; team: string; tags: string[]; state: string };
export type AppRow = Row & { device: string; uuid: string; state: string };
export type VolumeRow = Row & { device: string; uuid: string; state: string };

export interface Warning {
  kind:
    | "not-seen"
    | "duplicate-ip"
    | "app-error"
    | "volume-error"
    | "baseos-error"
    | "port-error"
    | "never-reported";
  device: string;
  serial: string;
  team: string;
  app?: string;
  message: string;
}

/** What the inventory gets for one device from the store. */
export interface DeviceSource {
  uuid: string;
  serial: string;
  registeredAt: string;
  /** Latest info record per object key ("device", "app/<uuid>", ...). */
  info: { at: string; key: string; value: unknown }[];
  /** The newest metrics record, if any. */
  metrics?: { at: string; value: unknown };
  /** The config document set for it (configItems are read for the poll interval). */
  config?: { version: number; doc: unknown };
  labels: DeviceLabels;
  /** When the controller last heard from it (any signed call), ISO; undefined = not in this process. */
  lastSeen?: string;
}

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);
const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function tsIso(t: unknown): string {
  const s = Number(obj(t).seconds ?? 0);
  return s > 0 ? new Date(s * 1000 + Math.floor(Number(obj(t).nanos ?? 0) / 1e6)).toISOString() : "";
}

/** "ZDEVICE_STATE_BASEOS_UPDATING" -> "baseos-updating". */
function deviceState(v: unknown): string {
  const s = str(v).replace(/^ZDEVICE_STATE_/, "");
  return s && s !== "UNSPECIFIED" ? s.toLowerCase().replace(/_/g, "-") : "";
}

/** Not at a usable address of a LAN: loopback, link-local. */
function usableIp(ip: string): boolean {
  return !/^(127\.|169\.254\.|::1$|fe80:)/i.test(ip);
}

/** The poll interval the device uses: what it reports in force, else what its config sets, else
 * EVE's default. */
function pollInterval(dinfo: Rec, config: DeviceSource["config"]): number {
  const reported = obj(obj(obj(dinfo.configItemStatus).configItems)["timer.config.interval"]).value;
  const configured = obj(obj(config?.doc).configItems)["timer.config.interval"];
  for (const v of [reported, configured]) {
    const n = Number(v);
    if (v !== undefined && v !== "" && Number.isFinite(n) && n > 0) return n;
  }
  return DEFAULT_POLL_S;
}

export interface Built {
  device: DeviceRow;
  apps: AppRow[];
  volumes: VolumeRow[];
  warnings: Warning[];
}

/** One device's row, its apps' rows and the warnings that concern it alone (duplicate IPs need the
 * whole fleet: fleetWarnings). */
export function buildDevice(src: DeviceSource, now: number): Built {
  const dRec = src.info.find((r) => r.key === "device");
  const dinfo = obj(obj(dRec?.value).dinfo);
  const minfo = obj(dinfo.minfo);
  const sw = arr(dinfo.swList);
  const slots = sw.filter((s) => s.partitionLabel);
  const active = slots.find((s) => s.activated) ?? sw.find((s) => str(s.status) === "RUNNING") ?? sw[0];
  const network = arr(dinfo.network);
  const ips = network.flatMap((n) => (Array.isArray(n.IPAddrs) ? (n.IPAddrs as string[]) : []));
  const macs = network.map((n) => str(n.macAddr)).filter(Boolean);
  // Where the device is, as it reports it: a GNSS fix (ZInfoLocation, its own info message) and where
  // its ports' addresses geolocate (GeoLoc). The operator's `location` label is a separate column.
  const loc = obj(obj(src.info.find((r) => r.key === "location")?.value).locinfo);
  const hasFix = num(loc.latitude) !== undefined || num(loc.longitude) !== undefined;
  const geoLoc = network.map((n) => obj(n.location)).find((g) => g.City || g.Region || g.Country) ?? {};
  const geo = [geoLoc.City, geoLoc.Region, geoLoc.Country].map(str).filter(Boolean).join(", ");
  const reportTimes = [dRec?.at, ...src.info.map((r) => r.at), src.metrics?.at, src.lastSeen].filter(
    (t): t is string => Boolean(t),
  );
  const lastSeen = reportTimes.sort().at(-1) ?? "";
  const ageS = lastSeen ? Math.max(0, Math.round((now - Date.parse(lastSeen)) / 1000)) : undefined;
  const poll = pollInterval(dinfo, src.config);
  const stale = ageS !== undefined && ageS > poll * MISSED_POLLS;
  const reported = deviceState(dinfo.state);
  const state = !lastSeen ? "registered" : stale ? "offline" : reported || "online";

  const dm = obj(obj(src.metrics?.value).dm);
  const mem = obj(dm.memory);
  const disks = arr(dm.disk);
  const disk = disks.find((d) => d.mountPath === "/persist") ?? disks[0];
  const memUsed = num(mem.usedMem);
  const memAvail = num(mem.availMem);
  const amByApp = new Map(arr(obj(src.metrics?.value).am).map((a) => [str(a.AppID), a]));

  const base = { device: src.uuid, serial: src.serial, team: src.labels.team, tags: src.labels.tags };
  const warnings: Warning[] = [];
  const warn = (kind: Warning["kind"], message: string, app?: string) =>
    warnings.push({
      kind,
      device: src.uuid,
      serial: src.serial,
      team: src.labels.team,
      message,
      ...(app ? { app } : {}),
    });

  const apps: AppRow[] = [];
  for (const r of src.info) {
    if (!r.key.startsWith("app/")) continue;
    const a = obj(obj(r.value).ainfo);
    if (!a.AppName && !a.state) continue; // a deleted app is reported with its id only
    const uuid = str(a.AppID) || r.key.slice(4);
    const errs = arr(a.appErr)
      .map((e) => str(e.description))
      .filter(Boolean);
    const appState = str(a.state).toLowerCase();
    const anet = arr(a.network);
    const am = obj(amByApp.get(uuid));
    const row: AppRow = {
      ...base,
      deviceName: str(dinfo.device_name) || str(dinfo.HostName),
      uuid,
      name: str(a.AppName),
      state: appState || "unknown",
      version: str(a.appVersion),
      error: errs.join("; "),
      ips: anet.flatMap((n) => (Array.isArray(n.IPAddrs) ? (n.IPAddrs as string[]) : [])),
      macs: anet.map((n) => str(n.macAddr)).filter(Boolean),
      volumes: Array.isArray(a.volumeRefs) ? (a.volumeRefs as string[]) : [],
      memUsedMB: num(obj(am.appMemory).usedMB) ?? num(obj(am.memory).usedMem),
      bootTime: tsIso(a.bootTime),
      reportedAt: r.at,
    };
    apps.push(row);
    if (appState === "error" || errs.length)
      warn(
        "app-error",
        `app ${row.name || uuid} (${uuid}) is in state ${appState || "unknown"}${errs.length ? `: ${errs[0]}` : ""}`,
        uuid,
      );
  }

  const volumes: VolumeRow[] = [];
  const mb = (b: unknown) => (num(b) === undefined ? undefined : Math.round((num(b) as number) / 2 ** 20));
  for (const r of src.info) {
    if (!r.key.startsWith("volume/")) continue;
    const v = obj(obj(r.value).vinfo);
    if (!v.displayName && !v.state) continue; // a deleted volume is reported with its id only
    const uuid = str(v.uuid) || r.key.slice(7);
    const state = str(v.state).toLowerCase() || "unknown";
    const error = str(obj(v.volumeErr).description);
    volumes.push({
      device: src.uuid,
      serial: src.serial,
      team: src.labels.team,
      tags: src.labels.tags,
      uuid,
      name: str(v.displayName),
      state,
      progressPct: num(v.progressPercentage),
      sizeMB: mb(obj(v.resources).curSizeBytes),
      maxSizeMB: mb(obj(v.resources).maxSizeBytes),
      refCount: num(obj(v.usage).refCount),
      generation: num(v.generation_count),
      error,
      reportedAt: r.at,
    });
    if (state === "error" || error)
      warn(
        "volume-error",
        `volume ${str(v.displayName) || uuid} (${uuid}) is in state ${state}${error ? `: ${error}` : ""}`,
      );
  }

  if (!lastSeen)
    warn(
      "never-reported",
      "registered, but no report stored and no call to this controller process since it started",
    );
  else if (stale)
    warn(
      "not-seen",
      `not seen for ${ageS} s, more than ${MISSED_POLLS} poll intervals of ${poll} s (last seen ${lastSeen})`,
    );
  for (const s of slots)
    if (s.swErr || str(s.userStatus) === "FAILED")
      warn(
        "baseos-error",
        `slot ${str(s.partitionLabel)} (${str(s.shortVersion) || "no version"}): ${str(obj(s.swErr).description) || "update failed"}`,
      );
  for (const n of network)
    if (obj(n.networkErr).description)
      warn("port-error", `port ${str(n.devName)}: ${str(obj(n.networkErr).description)}`);

  const device: DeviceRow = {
    uuid: src.uuid,
    serial: src.serial,
    name: str(dinfo.device_name) || str(dinfo.HostName),
    team: src.labels.team,
    tags: src.labels.tags,
    location: src.labels.location,
    latitude: hasFix ? (num(loc.latitude) ?? 0) : undefined,
    longitude: hasFix ? (num(loc.longitude) ?? 0) : undefined,
    positionAt: hasFix ? tsIso(loc.utc_timestamp) : "",
    geo,
    state,
    reportedState: reported,
    lastSeen,
    lastSeenAgeS: ageS,
    pollIntervalS: poll,
    registeredAt: src.registeredAt,
    arch: str(dinfo.machineArch),
    cpuArch: str(dinfo.cpuArch),
    platform: str(dinfo.platform),
    cpus: num(dinfo.ncpu),
    memoryMB: num(dinfo.memory),
    storageMB: num(dinfo.storage),
    manufacturer: str(minfo.manufacturer),
    product: str(minfo.productName),
    version: str(active?.shortVersion),
    slots: slots.map(
      (s) =>
        `${str(s.partitionLabel)}:${str(s.shortVersion) || "-"}:${str(s.partitionState) || (s.activated ? "active" : "unused")}`,
    ),
    updateState: str(slots.find((s) => s.userStatus && s.userStatus !== "NONE")?.userStatus).toLowerCase(),
    ports: network.map((n) => `${str(n.devName)}${n.macAddr ? `/${str(n.macAddr)}` : ""}`),
    ips,
    macs,
    apps: apps.length,
    appsRunning: apps.filter((a) => a.state === "running").length,
    appsError: apps.filter((a) => a.state === "error" || a.error).length,
    memUsedMB: memUsed,
    memUsedPct:
      num(mem.usedPercentage) ??
      (memUsed !== undefined && memAvail !== undefined && memUsed + memAvail > 0
        ? Math.round((1000 * memUsed) / (memUsed + memAvail)) / 10
        : undefined),
    diskUsedMB: num(disk?.used),
    diskTotalMB: num(disk?.total),
    cpuS: num(obj(dm.cpuMetric).total),
    configVersion: src.config?.version,
    warnings: 0,
  };
  device.warnings = warnings.length;
  return { device, apps, volumes, warnings };
}

/** Warnings that need the whole fleet: the same IP address on two devices of one team (devices
 * without a team are one team, ""). Each device involved gets one. */
export function fleetWarnings(devices: DeviceRow[]): Warning[] {
  const byKey = new Map<string, DeviceRow[]>();
  for (const d of devices)
    for (const ip of new Set(d.ips as string[])) {
      if (!usableIp(ip)) continue;
      const k = `${d.team}\u0000${ip}`;
      const list = byKey.get(k) ?? [];
      list.push(d);
      byKey.set(k, list);
    }
  const out: Warning[] = [];
  for (const [k, list] of byKey) {
    if (list.length < 2) continue;
    const ip = k.split("\u0000")[1] ?? "";
    for (const d of list)
      out.push({
        kind: "duplicate-ip",
        device: d.uuid,
        serial: d.serial,
        team: d.team,
        message: `IP ${ip} is also used by ${list
          .filter((o) => o !== d)
          .map((o) => o.serial)
          .join(", ")} in team "${d.team}"`,
      });
  }
  return out;
}
