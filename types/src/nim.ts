import {
  array,
  boolean,
  type Infer,
  integer,
  object,
  oneOf,
  optional,
  string,
  withDefault,
} from "./codec.js";

// nim's view of the device's management ports, published for every agent that uses the network
// (zedagent, client, downloader, loguploader for the proxy; zedrouter for the uplink of a network
// instance; ledmanager for "no usable IP"; diag). Shared contract between nim and its readers.

export const NIM_TOPICS = {
  /** Key "global": the ports as they are now, under the DPC in use. */
  deviceNetworkStatus: "DeviceNetworkStatus",
} as const;
export const DEVICE_NETWORK_KEY = "global";

/** An HTTP(S) proxy for controller traffic on one port (EVE ProxyConfig, reduced to what is used). */
export const PortProxyCodec = object({
  /** http://host:port for http and https traffic (EVE networkProxyURL or the first proxy server). */
  url: string,
  /** Host names (or suffixes starting with ".") that are reached directly, comma-separated like EVE. */
  exceptions: withDefault(string, ""),
});
export type PortProxy = Infer<typeof PortProxyCodec>;

export const PortDhcpCodec = oneOf(["static", "dhcp", "none"] as const);
export type PortDhcp = Infer<typeof PortDhcpCodec>;

/** One management (or app-shared) port as it is: what the kernel and the DHCP client say. */
export const NetworkPortStatusCodec = object({
  /** Kernel interface name (eth0). */
  ifname: string,
  /** The controller's name for it (SystemAdapter.name / alias), else the ifname. */
  logicalLabel: string,
  /** Used to reach the controller (EVE uplink / isMgmt). */
  isMgmt: boolean,
  /** Link up (operstate up or unknown with carrier). */
  up: boolean,
  mac: withDefault(string, ""),
  dhcp: PortDhcpCodec,
  /** Addresses with prefix length ("192.0.2.5/24", "2001:db8::5/64"). */
  addrs: withDefault(array(string), []),
  gateways: withDefault(array(string), []),
  dns: withDefault(array(string), []),
  domain: withDefault(string, ""),
  ntpServers: withDefault(array(string), []),
  mtu: withDefault(integer, 0),
  proxy: optional(PortProxyCodec),
  /** What is wrong with this port, "" when nothing. */
  error: withDefault(string, ""),
});
export type NetworkPortStatus = Infer<typeof NetworkPortStatusCodec>;

/** Key "global". */
export const DeviceNetworkStatusCodec = object(
  {
    /** The DPC in use (its key in the DevicePortConfigList: "lastresort", "override", "zedagent"). */
    dpcKey: string,
    /** Its index in the DevicePortConfigList (SystemAdapterInfo.currentIndex); -1 while none works. */
    currentIndex: integer,
    /** Testing a DPC, using a tested one, or none of them works. */
    state: oneOf(["testing", "ok", "failing"] as const),
    ports: array(NetworkPortStatusCodec),
    /** Time sync: last successful SNTP exchange and the offset then corrected (ms), if any. */
    ntp: optional(object({ server: string, syncedAt: string, offsetMs: integer })),
    /** Each NTP server of the management ports as last asked (ZInfoNTPSources). */
    ntpSources: optional(
      array(
        object({
          server: string,
          reachable: boolean,
          /** When it was last asked (ISO). */
          lastAt: string,
          offsetMs: withDefault(integer, 0),
          delayMs: withDefault(integer, 0),
          stratum: withDefault(integer, 0),
          error: withDefault(string, ""),
        }),
      ),
    ),
    /** ms since the epoch of this publication. */
    updatedAt: integer,
  },
  "DeviceNetworkStatus",
);
export type DeviceNetworkStatus = Infer<typeof DeviceNetworkStatusCodec>;

/** The proxy for controller traffic to `host`: the one of the first usable management port, unless
 * `host` is in its exceptions (comma-separated names; ".example.com" matches the domain). */
export function proxyFor(s: DeviceNetworkStatus | undefined, host: string): string | undefined {
  const p = s ? usableMgmtPorts(s)[0]?.proxy : undefined;
  if (!p?.url) return undefined;
  const h = host.toLowerCase();
  const except = p.exceptions
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .some((e) => (e.startsWith(".") ? h.endsWith(e) || h === e.slice(1) : h === e));
  return except ? undefined : p.url;
}

/** What a controller connection depends on (the management ports' addresses and proxies): when it
 * changes, connections made before are reset (from an address the device no longer has they hang). */
export function connectionFingerprint(s: DeviceNetworkStatus | undefined): string {
  if (!s) return "";
  return JSON.stringify(
    s.ports.filter((p) => p.isMgmt).map((p) => [p.ifname, [...p.addrs].sort(), p.proxy?.url ?? ""]),
  );
}

/** The management ports that have a usable IPv4 or IPv6 address (not link-local). */
export function usableMgmtPorts(s: DeviceNetworkStatus): NetworkPortStatus[] {
  return s.ports.filter(
    (p) => p.isMgmt && p.up && p.addrs.some((a) => !a.startsWith("169.254.") && !/^fe80:/i.test(a)),
  );
}

// ---- DevicePortConfig: what the ports should be (EVE's DPC), and nim's persistent list of them ----

export const DPC_TOPICS = {
  /** zedagent's translation of the controller's systemAdapterList + networks, key "zedagent". */
  devicePortConfig: "DevicePortConfig",
  /** nim's DevicePortConfigList, key "global", persistent. */
  devicePortConfigList: "DevicePortConfigList",
} as const;
export const DPC_KEY_ZEDAGENT = "zedagent";
export const DPC_KEY_OVERRIDE = "override";
export const DPC_KEY_LASTRESORT = "lastresort";
export const DPC_LIST_KEY = "global";

/** One port of a DPC: how it should be configured. */
export const PortConfigCodec = object({
  /** Kernel interface name. */
  ifname: string,
  /** The controller's name for it (SystemAdapter.name), else the ifname. */
  logicalLabel: withDefault(string, ""),
  /** Used for controller traffic (SystemAdapter.uplink / EVE isMgmt). */
  isMgmt: withDefault(boolean, true),
  dhcp: PortDhcpCodec,
  /** Static address with prefix length ("192.0.2.5/24"), for dhcp "static". */
  addr: withDefault(string, ""),
  gateway: withDefault(string, ""),
  dns: withDefault(array(string), []),
  domain: withDefault(string, ""),
  ntpServers: withDefault(array(string), []),
  /** 0: leave the MTU as it is. */
  mtu: withDefault(integer, 0),
  proxy: optional(PortProxyCodec),
});
export type PortConfig = Infer<typeof PortConfigCodec>;

/** A whole port configuration from one source. */
export const DevicePortConfigCodec = object(
  {
    /** "zedagent", "override" or "lastresort". */
    key: string,
    /** ms since the epoch: when this configuration was made; the newest is tried first. */
    timePriority: integer,
    ports: array(PortConfigCodec),
  },
  "DevicePortConfig",
);
export type DevicePortConfig = Infer<typeof DevicePortConfigCodec>;

/** A DPC in nim's list, with what testing it showed. */
export const DevicePortConfigEntryCodec = object({
  ...DevicePortConfigCodec.shape,
  /** ms since the epoch of the last failed / successful test; 0 never. */
  lastFailed: withDefault(integer, 0),
  lastSucceeded: withDefault(integer, 0),
  lastError: withDefault(string, ""),
});
export type DevicePortConfigEntry = Infer<typeof DevicePortConfigEntryCodec>;

/** Key "global": every known DPC, highest priority first. */
export const DevicePortConfigListCodec = object(
  {
    /** Index of the DPC in use; -1 none. */
    currentIndex: integer,
    entries: array(DevicePortConfigEntryCodec),
  },
  "DevicePortConfigList",
);
export type DevicePortConfigList = Infer<typeof DevicePortConfigListCodec>;
