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
import { ErrorInfoCodec } from "./error.js";

// Network instances (EVE's NetworkInstanceConfig/Status): the networks apps attach to. zedagent
// publishes the config from EdgeDevConfig.networkInstances, zedrouter maps each onto the Docker engine
// and publishes its status; zedmanager holds an app until every instance it names is ONLINE, and puts
// the attachments into the app's DomainConfig. Key: the network instance UUID.

export const ZEDROUTER_TOPICS = {
  config: "NetworkInstanceConfig",
  status: "NetworkInstanceStatus",
} as const;

/** local: a NAT'ed bridge of its own (EVE ZnetInstLocal); switch: apps bridged onto a device port
 * (ZnetInstSwitch). EVE's other kinds (cloud, mesh, honeypot, transparent) are refused by zedagent. */
export const NetworkInstanceKindCodec = oneOf(["local", "switch"] as const);
export type NetworkInstanceKind = Infer<typeof NetworkInstanceKindCodec>;

export const NetworkInstanceConfigCodec = object(
  {
    uuid: string,
    version: withDefault(string, "0"),
    displayName: withDefault(string, ""),
    kind: NetworkInstanceKindCodec,
    activate: withDefault(boolean, true),
    /** The device port (logical label or interface name): the uplink of a local instance ("" = the
     * management port nim uses), the port a switch instance bridges onto. */
    port: withDefault(string, ""),
    /** IPv4 CIDR ("10.1.0.0/24"); for a switch instance "" means the port's own subnet. */
    subnet: withDefault(string, ""),
    /** The bridge's address, the apps' default gateway ("" = the first host of the subnet). */
    gateway: withDefault(string, ""),
    /** The addresses given out to adapters without a static address (EVE's dhcpRange). */
    dhcpRangeStart: withDefault(string, ""),
    dhcpRangeEnd: withDefault(string, ""),
    dns: withDefault(array(string), []),
    /** 0 = the engine's default (1500). */
    mtu: withDefault(integer, 0),
  },
  "NetworkInstanceConfig",
);
export type NetworkInstanceConfig = Infer<typeof NetworkInstanceConfigCodec>;

/** EVE's ZNetworkInstanceState. */
export const NetworkInstanceStateCodec = oneOf(["INIT", "ONLINE", "ERROR"] as const);
export type NetworkInstanceState = Infer<typeof NetworkInstanceStateCodec>;

/** One app adapter on the instance, as the engine reports it. */
export const NetworkIpAssignmentCodec = object({
  app: string,
  /** The container's name (EVE's vif name is the host side; Docker's veth has no stable name). */
  vifName: withDefault(string, ""),
  mac: withDefault(string, ""),
  ips: withDefault(array(string), []),
});
export type NetworkIpAssignment = Infer<typeof NetworkIpAssignmentCodec>;

export const NetworkInstanceStatusCodec = object(
  {
    uuid: string,
    version: string,
    displayName: string,
    kind: NetworkInstanceKindCodec,
    state: NetworkInstanceStateCodec,
    activated: boolean,
    error: optional(ErrorInfoCodec),
    /** The Docker network that implements it: what an app's container is attached to. */
    dockerNetwork: withDefault(string, ""),
    /** The Linux bridge (local: bn<N>; switch: the macvlan parent port). */
    bridgeName: withDefault(string, ""),
    bridgeNum: withDefault(integer, 0),
    /** The gateway address on the bridge (local). */
    bridgeIp: withDefault(string, ""),
    subnet: withDefault(string, ""),
    mtu: withDefault(integer, 0),
    /** DNS servers the instance's apps use (the config's; none = the device's own resolver). */
    dns: withDefault(array(string), []),
    /** The uplink port (interface name) and its address, from nim's DeviceNetworkStatus ("" without
     * nim): port maps are published on that address. */
    uplink: withDefault(string, ""),
    uplinkAddr: withDefault(string, ""),
    ipAssignments: withDefault(array(NetworkIpAssignmentCodec), []),
    /** ISO time the instance last went ONLINE. */
    onlineSince: optional(string),
    /** Apps still attached to an instance removed from the config (it goes when none is left). */
    heldBy: withDefault(array(string), []),
  },
  "NetworkInstanceStatus",
);
export type NetworkInstanceStatus = Infer<typeof NetworkInstanceStatusCodec>;

/** A port map of an app adapter (EVE ACE with the portmap action: match lport + protocol, appPort). */
export const PortMapCodec = object({
  protocol: withDefault(oneOf(["tcp", "udp"] as const), "tcp"),
  /** The port on the device's uplink address (EVE "lport"). */
  port: integer,
  /** The port inside the app (EVE ACEAction.appPort). */
  appPort: integer,
});
export type PortMap = Infer<typeof PortMapCodec>;

/** One app adapter (EVE NetworkAdapter): attach the app to this network instance. */
export const AppInterfaceCodec = object({
  name: withDefault(string, ""),
  /** The network instance UUID. */
  network: string,
  /** Static IPv4 address ("" = one from the instance's range). */
  ip: withDefault(string, ""),
  mac: withDefault(string, ""),
  portMaps: withDefault(array(PortMapCodec), []),
  /** Names the app answers to on this network (Docker's embedded DNS), e.g. the module names of an
   * edge app on its private network; none = only the container name. */
  aliases: optional(array(string)),
});
export type AppInterface = Infer<typeof AppInterfaceCodec>;

/** Docker label on a network zedrouter owns: the network instance UUID. */
export const NETWORK_INSTANCE_LABEL = "org.outpost.network-instance";
