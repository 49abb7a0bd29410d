import {
  array,
  boolean,
  type Infer,
  integer,
  number,
  object,
  optional,
  record,
  string,
  withDefault,
} from "./codec.js";
import { ErrorInfoCodec } from "./error.js";
import { SwStateCodec } from "./swstate.js";

// domainmgr runs each DomainConfig as a container. Key: app instance UUID.

export const DomainMountCodec = object({
  /** A Docker volume name... */
  volume: optional(string),
  /** ...or a host directory. */
  hostPath: optional(string),
  target: string,
  readOnly: withDefault(boolean, false),
});
export type DomainMount = Infer<typeof DomainMountCodec>;

/** One network the container is attached to (an app adapter on a network instance). */
export const DomainNetworkCodec = object({
  /** The Docker network (NetworkInstanceStatus.dockerNetwork). */
  network: string,
  /** Static IPv4 address, "" = the engine's IPAM picks one from the instance's range. */
  ip: withDefault(string, ""),
  mac: withDefault(string, ""),
  /** DNS servers of the instance (the container's resolvers, from its first network); none = the engine's. */
  dns: withDefault(array(string), []),
  /** Published ports: hostIp "" = every address of the device. */
  portMaps: withDefault(
    array(object({ protocol: string, hostIp: withDefault(string, ""), hostPort: integer, appPort: integer })),
    [],
  ),
  /** Names the container answers to on this network (NetworkingConfig Aliases). */
  aliases: optional(array(string)),
});
export type DomainNetwork = Infer<typeof DomainNetworkCodec>;

/** A device node of the host given to the container (Docker HostConfig.Devices), with the cgroup
 * permissions the container gets on it. */
export const DeviceMappingCodec = object({
  /** The device on the host: a path under /dev/. */
  hostPath: string,
  /** Where it appears inside the container: a path under /dev/. */
  containerPath: string,
  /** cgroup permissions: r (read), w (write), m (mknod), at least one. */
  permissions: withDefault(string, "rwm"),
});
export type DeviceMapping = Infer<typeof DeviceMappingCodec>;

/** Why a device mapping is refused (undefined: acceptable). Both paths must name something under
 * /dev/ (absolute, no "." or ".." segment, no trailing or doubled slash): a mapping can give a container
 * device nodes, never files or directories of the host. Checked where a manifest is accepted and again
 * by domainmgr before it asks the engine. */
export function deviceMappingError(d: DeviceMapping): string | undefined {
  for (const [what, p] of [
    ["host path", d.hostPath],
    ["container path", d.containerPath],
  ] as const) {
    const segs = p.split("/").slice(2);
    if (!p.startsWith("/dev/") || segs.length === 0 || segs.some((s) => s === "" || s === "." || s === ".."))
      return `device ${what} "${p}": only paths under /dev/ can be mapped`;
  }
  if (!/^(?!.*(.).*\1)[rwm]{1,3}$/.test(d.permissions))
    return `device "${d.hostPath}": permissions "${d.permissions}": one or more of r, w, m`;
  return undefined;
}

/** zedmanager -> domainmgr. */
export const DomainConfigCodec = object(
  {
    uuid: string,
    version: string,
    displayName: string,
    activate: boolean,
    /** Docker image id ("sha256:...") loaded by volumemgr. */
    image: string,
    env: withDefault(record(string), {}),
    mounts: withDefault(array(DomainMountCodec), []),
    /** 0 = no limit */
    memoryBytes: withDefault(integer, 0),
    /** whole CPUs; 0 = no limit */
    cpus: withDefault(number, 0),
    /** Bumped: stop and start the container once. */
    restartCounter: withDefault(integer, 0),
    /** The networks, in adapter order (the first at create, the others connected before the start);
     * empty = Docker's default network, as before network instances existed. */
    networks: optional(array(DomainNetworkCodec)),
    /** Who manages the app ("zedagent" = the controller, "mqttagent"): the container's
     * org.outpost.manager label. Absent = zedagent. */
    manager: optional(string),
    /** The app group it belongs to (an edge app of several modules): org.outpost.group label. */
    group: optional(string),
    /** A 0600 file of KEY=VALUE lines (secret parameters) added to `env` when the container is
     * created, so the clear values never travel on the bus; its name changes when its content does. */
    secretEnvFile: optional(string),
    /** Host devices given to the container (only paths under /dev/: deviceMappingError). */
    devices: optional(array(DeviceMappingCodec)),
  },
  "DomainConfig",
);
export type DomainConfig = Infer<typeof DomainConfigCodec>;

export const DomainStatusCodec = object(
  {
    uuid: string,
    version: string,
    displayName: string,
    state: SwStateCodec,
    activated: boolean,
    containerId: optional(string),
    containerName: optional(string),
    exitCode: optional(integer),
    startedAt: optional(string),
    /** Restarts by domainmgr after the app failed. */
    failedRestarts: withDefault(integer, 0),
    restartCounter: withDefault(integer, 0),
    error: optional(ErrorInfoCodec),
  },
  "DomainStatus",
);
export type DomainStatus = Infer<typeof DomainStatusCodec>;

export const DomainMetricCodec = object(
  {
    uuid: string,
    cpuPercent: number,
    /** CPU time used since the container started, ns (Docker stats cpu_usage.total_usage). */
    cpuTotalNs: withDefault(number, 0),
    memoryBytes: integer,
    memoryLimitBytes: withDefault(integer, 0),
    /** ms since the epoch */
    at: integer,
  },
  "DomainMetric",
);
export type DomainMetric = Infer<typeof DomainMetricCodec>;

/** Docker labels that mark what Outpost owns: the truth about what runs is re-readable from the engine. */
export const OutpostLabels = {
  owner: "org.outpost.owner",
  app: "org.outpost.app",
  version: "org.outpost.version",
  volume: "org.outpost.volume",
  contentTree: "org.outpost.content-tree",
  /** The root a node runs under, so several nodes (and tests) on one engine do not adopt each other's. */
  node: "org.outpost.node",
  /** Which manager created the app (zedagent = the controller, mqttagent); absent = zedagent. */
  manager: "org.outpost.manager",
  /** The app group (an edge app's id) the container belongs to. */
  group: "org.outpost.group",
} as const;
