// The one place an app instance's state machine lives. update() is pure: it takes the app's config
// (undefined once deleted), what zedmanager remembers about it, and what the other agents report, and
// returns the new record plus the actions to carry out. It is called again whenever any of those
// change, so every action it returns must be idempotent.
import {
  type AppInstanceConfig,
  type AppInstanceStatus,
  type DomainConfig,
  type DomainNetwork,
  type DomainStatus,
  type ErrorInfo,
  type ErrorSource,
  makeError,
  minSwState,
  type NetworkInstanceStatus,
  stableError,
  type VolumeRefConfig,
  type VolumeRefStatus,
  viaPart,
  volumeKey,
} from "@outpost/types";
import { parseUserDataEnv } from "./user-data.js";

/** What zedmanager remembers about one app between updates. */
export interface AppRecord {
  status: AppInstanceStatus;
  /** A purge being carried out: first the domain goes away, then its volumes are recreated. */
  purge?: { counter: number; phase: "stopping" | "recreating"; targets: Record<string, number> };
  /** The start delay runs out at this time (ms since the epoch). */
  startAfterMs?: number;
}

/** What the other agents (and zedmanager's own publications) say, for this app. */
export interface Deps {
  now: number;
  /** VolumeRefStatus by key, at least for the app's refs. */
  refStatus: Readonly<Record<string, VolumeRefStatus>>;
  /** The VolumeRefConfig zedmanager publishes, by key. */
  refConfig: Readonly<Record<string, VolumeRefConfig>>;
  /** Keys of the VolumeRefConfigs that list this app. */
  heldRefs: readonly string[];
  /** The DomainConfig zedmanager publishes for this app, if any. */
  domainConfig: DomainConfig | undefined;
  domainStatus: DomainStatus | undefined;
  /** zedrouter's NetworkInstanceStatus, at least for the instances the app's adapters name. */
  networks?: Readonly<Record<string, NetworkInstanceStatus>>;
  /** The agent that published the app's config (zedagent, mqttagent); absent = zedagent. */
  manager?: string;
}

export type Action =
  | { kind: "ensureVolumeRef"; key: string; volumeId: string; generation: number }
  | { kind: "releaseVolumeRef"; key: string }
  /** Raise the ref's localGeneration to at least this (purge). */
  | { kind: "bumpVolumeRef"; key: string; localGeneration: number }
  | { kind: "publishDomain"; config: DomainConfig }
  | { kind: "deleteDomain" }
  /** Run update() again at this time (start delay). */
  | { kind: "wakeAt"; atMs: number };

export interface UpdateResult {
  /** undefined: the app is gone (its status is deleted). */
  app: AppRecord | undefined;
  actions: Action[];
}

export function update(
  config: AppInstanceConfig | undefined,
  app: AppRecord | undefined,
  deps: Deps,
): UpdateResult {
  if (!config) return removeApp(app, deps);
  const actions: Action[] = [];
  const prev = app?.status;
  const record: AppRecord = {
    status: {
      uuid: config.uuid,
      version: config.version,
      displayName: config.displayName,
      state: "INITIAL",
      activated: false,
      progress: 0,
      volumeRefs: [],
      restartCounter: prev?.restartCounter ?? 0,
      purgeCounter: prev?.purgeCounter ?? 0,
      ...(prev?.startAfter ? { startAfter: prev.startAfter } : {}),
      ...(deps.manager && deps.manager !== "zedagent" ? { manager: deps.manager } : {}),
    },
    ...(app?.purge ? { purge: app.purge } : {}),
    ...(app?.startAfterMs !== undefined ? { startAfterMs: app.startAfterMs } : {}),
  };
  const status = record.status;
  const setError = (e: ErrorInfo | undefined) => {
    if (e) status.error = stableError(prev?.error, e);
  };

  // Volume refs: hold every ref the config names, release the ones it no longer names.
  const refs = config.volumeRefs.map((r, index) => {
    const key = volumeKey(r.volumeId, r.generation);
    return { ref: r, index, key, st: deps.refStatus[key], cfg: deps.refConfig[key] };
  });
  const wanted = new Set(refs.map((r) => r.key));
  for (const r of refs)
    if (!deps.heldRefs.includes(r.key))
      actions.push({
        kind: "ensureVolumeRef",
        key: r.key,
        volumeId: r.ref.volumeId,
        generation: r.ref.generation,
      });
  // A ref the config dropped (an upgrade to a new image, a removed volume) is released once the
  // published domain no longer uses it, so volumemgr never removes what a container still mounts.
  for (const key of deps.heldRefs) {
    if (wanted.has(key)) continue;
    const st = deps.refStatus[key];
    const dc = deps.domainConfig;
    const inUse =
      dc !== undefined &&
      st !== undefined &&
      ((st.imageId !== undefined && dc.image === st.imageId) ||
        (st.dockerVolume !== undefined && dc.mounts.some((m) => m.volume === st.dockerVolume)));
    if (!inUse) actions.push({ kind: "releaseVolumeRef", key });
  }

  status.volumeRefs = refs.map((r) => ({
    volumeId: r.ref.volumeId,
    generation: r.ref.generation,
    state: r.st?.state ?? "INITIAL",
    progress: r.st?.progress ?? 0,
    ...(r.st?.error ? { error: withSource(r.st.error, { type: "Volume", id: r.key }) } : {}),
  }));

  if (refs.length === 0) {
    status.state = "INITIAL";
    setError(
      makeError("the app has no volume refs: its first volume ref must be its container image", {
        source: appSource(config),
        retryCondition: "fix the app's config",
        now: new Date(deps.now),
      }),
    );
    if (deps.domainConfig) actions.push({ kind: "deleteDomain" });
    return { app: record, actions };
  }

  // Purge: stop and remove the domain, recreate the data volumes from their content, start again.
  if (!record.purge && config.purge.counter > status.purgeCounter)
    record.purge = { counter: config.purge.counter, phase: "stopping", targets: {} };
  if (record.purge) {
    const purge = record.purge;
    if (purge.phase === "stopping") {
      if (deps.domainConfig) actions.push({ kind: "deleteDomain" });
      if (deps.domainConfig || deps.domainStatus) {
        status.state = "HALTING";
        copyDomain(status, deps.domainStatus);
        return { app: record, actions };
      }
      // The image (ref 0) is not a volume a container writes to: recreating it would change nothing.
      const targets: Record<string, number> = {};
      for (const r of refs.slice(1)) {
        targets[r.key] = (r.cfg?.localGeneration ?? 0) + 1;
        actions.push({ kind: "bumpVolumeRef", key: r.key, localGeneration: targets[r.key] as number });
      }
      record.purge = { ...purge, phase: "recreating", targets };
    }
    const p = record.purge;
    const recreated = Object.entries(p.targets).every(([key, gen]) => {
      const st = deps.refStatus[key];
      return st !== undefined && st.localGeneration >= gen && st.state === "CREATED_VOLUME";
    });
    if (!recreated) {
      status.state = minSwState(
        Object.keys(p.targets).map((key) => {
          const st = deps.refStatus[key];
          return st && st.localGeneration >= (p.targets[key] ?? 0) ? st.state : "CREATING_VOLUME";
        }),
      );
      const failed = refs.find((r) => r.st?.error);
      if (failed?.st?.error) setError(withSource(failed.st.error, { type: "Volume", id: failed.key }));
      return { app: record, actions };
    }
    status.purgeCounter = p.counter;
    delete record.purge;
  }

  // Until every volume is ready, the app is as far as its least advanced volume.
  const notReady = refs.filter((r) => !volumeReady(r.st, r.cfg));
  if (notReady.length > 0) {
    status.state = minSwState(notReady.map((r) => r.st?.state ?? "INITIAL"));
    status.progress = notReady[0]?.st?.progress ?? 0;
    const failed = refs.find((r) => r.st?.error);
    if (failed?.st?.error) setError(withSource(failed.st.error, { type: "Volume", id: failed.key }));
    // A running domain stays as it is while, e.g., another app's purge recreates a shared volume.
    if (deps.domainConfig) copyDomain(status, deps.domainStatus);
    return { app: record, actions };
  }

  // Every volume is ready: the domain's config follows from them and the app's config.
  status.progress = 100;
  const now = new Date(deps.now);
  const image = refs[0]?.st?.imageId;
  const wrongKind = refs.find((r, i) => (i === 0 ? !r.st?.imageId : !r.st?.dockerVolume));
  const env = parseUserDataEnv(config.userData);
  const configError = !image
    ? `volume ref ${refs[0]?.key} is not a container image: the first volume ref must be the app's image`
    : wrongKind
      ? `volume ref ${wrongKind.key} is not a data volume: only data volumes can be mounted`
      : env.ok
        ? undefined
        : env.error;
  if (configError || !image || !env.ok) {
    setError(
      makeError(configError ?? "invalid config", {
        source: appSource(config),
        retryCondition: "fix the app's config",
        now,
      }),
    );
    if (deps.domainConfig) actions.push({ kind: "deleteDomain" });
    status.state = deps.domainConfig || deps.domainStatus ? "HALTING" : "INSTALLED";
    return { app: record, actions };
  }
  status.env = env.env;

  // Network instances: every adapter's instance ONLINE before the domain is first published. A domain
  // already running keeps its attachments while an instance's status is missing (zedrouter restarts).
  const nets = domainNetworks(config, deps);
  const networks = nets.ok ? nets.networks : (deps.domainConfig?.networks ?? []);
  const domain: DomainConfig = {
    uuid: config.uuid,
    version: config.version,
    displayName: config.displayName,
    activate: config.activate,
    image,
    env: env.env,
    mounts: refs.slice(1).map((r) => ({
      volume: r.st?.dockerVolume as string,
      target: r.ref.mountDir || `/mnt/${r.ref.volumeId}`,
      readOnly: r.st?.readOnly ?? false,
    })),
    memoryBytes: config.resources.memoryKiB * 1024,
    cpus: config.resources.vcpus,
    restartCounter: config.restart.counter,
    ...(networks.length ? { networks } : {}),
    ...(deps.manager && deps.manager !== "zedagent" ? { manager: deps.manager } : {}),
    ...(config.group ? { group: config.group.id } : {}),
    ...(config.secretEnvFile ? { secretEnvFile: config.secretEnvFile } : {}),
    ...(config.devices?.length ? { devices: config.devices } : {}),
  };

  if (!config.activate) {
    delete record.startAfterMs;
    if (!deps.domainConfig) {
      // Never started: nothing to stop, the volumes stay ready.
      status.state = "HALTED";
      return { app: record, actions };
    }
    actions.push({ kind: "publishDomain", config: domain });
    copyDomain(status, deps.domainStatus);
    status.state = deps.domainStatus && !deps.domainStatus.activated ? deps.domainStatus.state : "HALTING";
    return { app: record, actions };
  }

  if (!nets.ok && !deps.domainConfig?.activate) {
    status.state = "AWAITNETWORKINSTANCE";
    if (nets.error) setError(nets.error);
    return { app: record, actions };
  }

  // The start delay applies when the domain is about to start, not to one already running.
  if (config.startDelaySeconds > 0 && !deps.domainConfig?.activate) {
    record.startAfterMs ??= deps.now + config.startDelaySeconds * 1000;
    status.startAfter = new Date(record.startAfterMs).toISOString();
    if (deps.now < record.startAfterMs) {
      status.state = "INSTALLED";
      actions.push({ kind: "wakeAt", atMs: record.startAfterMs });
      return { app: record, actions };
    }
  }
  delete record.startAfterMs;
  actions.push({ kind: "publishDomain", config: domain });
  copyDomain(status, deps.domainStatus);
  const ds = deps.domainStatus;
  status.state = !ds?.activated ? "BOOTING" : ds.state;
  status.activated = ds?.activated === true && ds.state === "RUNNING";
  if (ds && ds.restartCounter >= config.restart.counter) status.restartCounter = config.restart.counter;
  if (ds?.error)
    setError(withSource(ds.error, { type: "Domain", id: config.uuid, name: config.displayName }));
  return { app: record, actions };
}

type NetworksResult = { ok: true; networks: DomainNetwork[] } | { ok: false; error?: ErrorInfo };

/** The app's adapters as container attachments, once every instance they name is ONLINE. Port maps
 * (local instances) are published on the instance's uplink address ("" without nim: every address). */
export function domainNetworks(config: AppInstanceConfig, deps: Deps): NetworksResult {
  const networks: DomainNetwork[] = [];
  for (const [n, itf] of config.interfaces.entries()) {
    const ni = deps.networks?.[itf.network];
    if (ni?.state !== "ONLINE" || !ni.dockerNetwork) {
      const what = ni
        ? `network instance ${ni.displayName || itf.network} is ${ni.state}${ni.error ? `: ${ni.error.description}` : ""}`
        : `network instance ${itf.network} (adapter ${itf.name || n}) is not known to zedrouter yet`;
      return {
        ok: false,
        error: makeError(`waiting for ${what}`, {
          severity: ni?.state === "ERROR" ? "error" : "notice",
          source: {
            type: "NetworkInstance",
            id: itf.network,
            ...(ni?.displayName ? { name: ni.displayName } : {}),
          },
          retryCondition: "the app starts once the instance is ONLINE",
          now: new Date(deps.now),
        }),
      };
    }
    networks.push({
      network: ni.dockerNetwork,
      ip: itf.ip,
      mac: itf.mac,
      dns: ni.dns,
      portMaps:
        ni.kind === "local"
          ? itf.portMaps.map((p) => ({
              protocol: p.protocol,
              hostIp: ni.uplinkAddr,
              hostPort: p.port,
              appPort: p.appPort,
            }))
          : [],
      ...(itf.aliases?.length ? { aliases: itf.aliases } : {}),
    });
  }
  return { ok: true, networks };
}

/** The app's config is gone: remove its domain, then let go of its volumes. */
function removeApp(app: AppRecord | undefined, deps: Deps): UpdateResult {
  const actions: Action[] = [];
  if (deps.domainConfig) actions.push({ kind: "deleteDomain" });
  if (deps.domainConfig || deps.domainStatus) {
    // Volumes are released only once the container that mounts them is gone.
    if (!app) return { app: undefined, actions };
    const status: AppInstanceStatus = { ...app.status, state: "HALTING", activated: false };
    copyDomain(status, deps.domainStatus);
    return { app: { status }, actions };
  }
  for (const key of deps.heldRefs) actions.push({ kind: "releaseVolumeRef", key });
  return { app: undefined, actions };
}

export function volumeReady(st: VolumeRefStatus | undefined, cfg: VolumeRefConfig | undefined): boolean {
  return (
    st !== undefined && st.state === "CREATED_VOLUME" && st.localGeneration >= (cfg?.localGeneration ?? 0)
  );
}

function copyDomain(status: AppInstanceStatus, ds: DomainStatus | undefined): void {
  if (!ds) return;
  if (ds.containerId) status.containerId = ds.containerId;
  if (ds.exitCode !== undefined) status.exitCode = ds.exitCode;
  if (ds.startedAt) status.bootTime = ds.startedAt;
}

function appSource(config: AppInstanceConfig): ErrorSource {
  return { type: "AppInstance", id: config.uuid, name: config.displayName };
}

/** A part's error as the app shows it: the part's own source is kept (one is added when missing) and
 * the part is prepended to its path. */
function withSource(e: ErrorInfo, source: ErrorSource): ErrorInfo {
  return viaPart(e, source);
}
