// EdgeDevConfig.networkInstances -> NetworkInstanceConfig, and an app's NetworkAdapters -> its
// interfaces (network instance, static IP, MAC, port maps). Pure, like parse.ts, which calls these.
import type { eve } from "@outpost/evecloud";
import {
  type AppInterface,
  AppInterfaceCodec,
  type NetworkInstanceConfig,
  NetworkInstanceConfigCodec,
} from "@outpost/types";

// EVE enum values (org.lfedge.eve.config.ZNetworkInstType, AddressType), spelled out.
const NI_SWITCH = 1;
const NI_LOCAL = 2;
const ADDR_FIRST = 0;
const ADDR_IPV4 = 1;

/** Thrown for what cannot be applied; parse.ts turns it into its ConfigParseError. */
export class NetworkConfigError extends Error {}

export function mapNetworkInstance(n: eve.config.NetworkInstanceConfig.$Properties): NetworkInstanceConfig {
  const uuid = n.uuidandversion?.uuid;
  if (!uuid) throw new NetworkConfigError("network instance uuid: missing");
  const t = n.instType ?? 0;
  if (t !== NI_LOCAL && t !== NI_SWITCH)
    throw new NetworkConfigError(
      `network instance ${uuid}: type ${t} is not supported (local = 2, switch = 1)`,
    );
  const ipType = n.ipType ?? ADDR_FIRST;
  if (ipType !== ADDR_FIRST && ipType !== ADDR_IPV4)
    throw new NetworkConfigError(`network instance ${uuid}: address type ${ipType} is not supported (IPv4)`);
  const ip = n.ip ?? {};
  return NetworkInstanceConfigCodec.decode({
    uuid,
    version: n.uuidandversion?.version ?? "0",
    displayName: n.displayname || uuid,
    kind: t === NI_LOCAL ? "local" : "switch",
    activate: n.activate ?? true,
    port: n.port?.name ?? "",
    subnet: ip.subnet ?? "",
    gateway: ip.gateway ?? "",
    dhcpRangeStart: ip.dhcpRange?.start ?? "",
    dhcpRangeEnd: ip.dhcpRange?.end ?? "",
    dns: ip.dns ?? [],
    mtu: n.mtu ?? 0,
  });
}

/**
 * One app adapter. Port maps are EVE's ACEs with the portmap action: the match "lport" is the port
 * on the device, "protocol" tcp (default) or udp, ACEAction.appPort the port inside the app. Other
 * ACEs (allow/drop by host, ip, port) are not enforced: the instance lets the app's traffic through.
 */
export function mapInterface(appUuid: string, a: eve.config.NetworkAdapter.$Properties): AppInterface {
  const network = a.networkId;
  if (!network)
    throw new NetworkConfigError(`app ${appUuid}: adapter ${a.name ?? ""} names no network instance`);
  const portMaps: AppInterface["portMaps"] = [];
  for (const ace of a.acls ?? []) {
    const action = (ace.actions ?? []).find((x) => x.portmap);
    if (!action) continue;
    const match = (type: string) => (ace.matches ?? []).find((m) => m.type === type)?.value ?? "";
    const lport = Number(match("lport"));
    const protocol = (match("protocol") || "tcp").toLowerCase();
    const appPort = action.appPort ?? 0;
    const where = `app ${appUuid}: adapter ${a.name ?? network}: port map ${ace.name || ace.id || ""}`;
    if (!Number.isInteger(lport) || lport < 1 || lport > 65_535)
      throw new NetworkConfigError(`${where}: lport "${match("lport")}" is not a port`);
    if (appPort < 1 || appPort > 65_535)
      throw new NetworkConfigError(`${where}: appPort ${appPort} is not a port`);
    if (protocol !== "tcp" && protocol !== "udp")
      throw new NetworkConfigError(`${where}: protocol "${protocol}" is not tcp or udp`);
    portMaps.push({ protocol, port: lport, appPort });
  }
  return AppInterfaceCodec.decode({
    name: a.name ?? "",
    network,
    ip: a.addr ?? "",
    mac: a.macAddress ?? "",
    portMaps,
  });
}

/** An app's adapters in order (EVE: interface_order when set, else the list order). */
export function mapInterfaces(
  appUuid: string,
  list: eve.config.NetworkAdapter.$Properties[] | null | undefined,
): AppInterface[] {
  const ordered = (list ?? []).map((a, i) => ({ a, i }));
  ordered.sort((x, y) => (x.a.interface_order ?? 0) - (y.a.interface_order ?? 0) || x.i - y.i);
  return ordered.map(({ a }) => mapInterface(appUuid, a));
}

/** Every instance of the config, keyed by uuid; an app adapter naming an unknown one is refused. */
export function mapNetworkInstances(
  list: eve.config.NetworkInstanceConfig.$Properties[] | null | undefined,
): Map<string, NetworkInstanceConfig> {
  const m = new Map<string, NetworkInstanceConfig>();
  for (const n of list ?? []) {
    const ni = mapNetworkInstance(n);
    if (m.has(ni.uuid)) throw new NetworkConfigError(`network instance ${ni.uuid}: listed twice`);
    m.set(ni.uuid, ni);
  }
  return m;
}
