// Pure mapping between a NetworkInstanceConfig and the Docker network that implements it: the
// addresses (subnet, gateway, the range IPAM gives out), the driver and its options, a hash of what
// cannot change in place, and back from what the engine lists to what the planner decides on.
import { createHash } from "node:crypto";
import {
  type DeviceNetworkStatus,
  NETWORK_INSTANCE_LABEL,
  type NetworkInstanceConfig,
  type NetworkPortStatus,
  OutpostLabels,
  usableMgmtPorts,
} from "@outpost/types";

export const SPEC_LABEL = "org.outpost.ni-spec";
export const BRIDGE_NUM_LABEL = "org.outpost.bridge-num";
/** Docker's option naming the Linux bridge of a bridge network. */
export const BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

// ---- IPv4 arithmetic ----

export function parseIp(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const [ip, len] = s.trim().split("/");
  const base = parseIp(ip ?? "");
  const prefix = Number(len);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { base: (base & mask(prefix)) >>> 0, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function inCidr(ip: number, c: Cidr): boolean {
  return (ip & mask(c.prefix)) >>> 0 === c.base;
}

/** The largest aligned CIDR block inside [start, end] (Docker's IPAM gives out addresses from a
 * CIDR, EVE's DHCP range is start-end: the block that fits best, from its low end). */
export function rangeToCidr(start: number, end: number): Cidr | undefined {
  if (end < start) return undefined;
  let best: Cidr | undefined;
  for (let prefix = 32; prefix >= 0; prefix--) {
    const size = 2 ** (32 - prefix);
    const base = Math.ceil(start / size) * size;
    if (base + size - 1 <= end && base <= 0xffffffff) best = { base: base >>> 0, prefix };
    else if (best) break;
  }
  return best;
}

// ---- the network for an instance ----

/** What zedrouter asks the engine for: everything here but bridgeNum is covered by the spec hash. */
export interface NetworkSpec {
  name: string;
  driver: "bridge" | "macvlan";
  subnet: string;
  gateway: string;
  ipRange?: string;
  mtu: number;
  /** macvlan: the device port the apps are bridged onto. */
  parent?: string;
  hash: string;
}

export type SpecResult = { ok: true; spec: NetworkSpec } | { ok: false; error: string; waitForNim?: boolean };

/** A short stable id of the node (its root), so networks of several nodes on one engine never clash. */
export function nodeId(node: string): string {
  return createHash("sha256").update(node).digest("hex").slice(0, 8);
}

export function networkName(node: string, uuid: string): string {
  const uuid8 = uuid.replace(/[^a-zA-Z0-9]/g, "").slice(0, 8) || "x";
  return `outpost-${nodeId(node)}-ni-${uuid8}`;
}

/** The device port an instance names (logical label or interface name); "" = the first management
 * port with a usable address. */
export function findPort(dns: DeviceNetworkStatus | undefined, port: string): NetworkPortStatus | undefined {
  if (!dns) return undefined;
  if (!port) return usableMgmtPorts(dns)[0];
  return dns.ports.find((p) => p.logicalLabel === port || p.ifname === port);
}

/** The first IPv4 address of a port, without its prefix length, and its subnet. */
export function portIpv4(p: NetworkPortStatus | undefined): { addr: string; subnet: Cidr } | undefined {
  for (const a of p?.addrs ?? []) {
    const c = parseCidr(a);
    const ip = a.split("/")[0] ?? "";
    if (c && parseIp(ip) !== undefined && !ip.startsWith("169.254.")) return { addr: ip, subnet: c };
  }
  return undefined;
}

/**
 * The Docker network of an instance. local: a bridge with the config's subnet, gateway (default the
 * first host) and DHCP range (IPAM ip_range), masqueraded to the uplink. switch: a macvlan on the port
 * (bridge mode), with the config's subnet or else the port's own subnet and gateway from nim.
 */
export function networkSpec(
  node: string,
  c: NetworkInstanceConfig,
  dns: DeviceNetworkStatus | undefined,
): SpecResult {
  const name = networkName(node, c.uuid);
  let parent: string | undefined;
  let subnetText = c.subnet;
  let gatewayText = c.gateway;
  if (c.kind === "switch") {
    if (!c.port) return { ok: false, error: "a switch network instance needs a port to bridge onto" };
    const port = findPort(dns, c.port);
    parent = port?.ifname ?? c.port;
    if (!subnetText) {
      const own = portIpv4(port);
      if (!own)
        return {
          ok: false,
          error: `switch network instance on port ${c.port}: no subnet in the config and nim reports no IPv4 address on the port`,
          waitForNim: true,
        };
      subnetText = formatCidr(own.subnet);
      gatewayText ||= port?.gateways.find((g) => parseIp(g) !== undefined) ?? "";
    }
  }
  const subnet = parseCidr(subnetText);
  if (!subnet) return { ok: false, error: `subnet "${subnetText}" is not an IPv4 CIDR` };
  if (subnet.prefix > 30) return { ok: false, error: `subnet ${subnetText} is too small (at most /30)` };
  let gateway = gatewayText ? parseIp(gatewayText) : subnet.base + 1;
  if (gateway === undefined || !inCidr(gateway, subnet))
    return { ok: false, error: `gateway "${gatewayText}" is not an address of ${formatCidr(subnet)}` };
  gateway >>>= 0;
  let ipRange: string | undefined;
  if (c.dhcpRangeStart || c.dhcpRangeEnd) {
    const start = parseIp(c.dhcpRangeStart);
    const end = parseIp(c.dhcpRangeEnd);
    if (start === undefined || end === undefined || !inCidr(start, subnet) || !inCidr(end, subnet))
      return {
        ok: false,
        error: `DHCP range ${c.dhcpRangeStart}-${c.dhcpRangeEnd} is not inside ${formatCidr(subnet)}`,
      };
    const block = rangeToCidr(start, end);
    if (!block) return { ok: false, error: `DHCP range ${c.dhcpRangeStart}-${c.dhcpRangeEnd} is empty` };
    ipRange = formatCidr(block);
  }
  if (c.mtu !== 0 && (c.mtu < 576 || c.mtu > 65_535))
    return { ok: false, error: `MTU ${c.mtu} is out of range (576..65535)` };
  const base = {
    name,
    driver: c.kind === "local" ? ("bridge" as const) : ("macvlan" as const),
    subnet: formatCidr(subnet),
    gateway: formatIp(gateway),
    ...(ipRange ? { ipRange } : {}),
    mtu: c.mtu,
    ...(parent ? { parent } : {}),
  };
  const hash = createHash("sha256").update(JSON.stringify(base)).digest("hex").slice(0, 16);
  return { ok: true, spec: { ...base, hash } };
}

/** The lowest bridge number (bn<N>) no network of the engine uses. */
export function freeBridgeNum(used: Iterable<number>): number {
  const taken = new Set(used);
  let n = 1;
  while (taken.has(n)) n++;
  return n;
}

/** The engine's create request for a spec (dockerode NetworkCreateOptions). */
export function createRequest(node: string, uuid: string, spec: NetworkSpec, bridgeNum: number) {
  const options: Record<string, string> = {};
  if (spec.driver === "bridge") {
    options[BRIDGE_NAME_OPTION] = `bn${bridgeNum}`;
    options["com.docker.network.bridge.enable_ip_masquerade"] = "true";
  } else {
    options.parent = spec.parent ?? "";
    options.macvlan_mode = "bridge";
  }
  if (spec.mtu) options["com.docker.network.driver.mtu"] = String(spec.mtu);
  return {
    Name: spec.name,
    Driver: spec.driver,
    CheckDuplicate: true,
    Attachable: true,
    Labels: {
      [OutpostLabels.owner]: "outpost",
      [OutpostLabels.node]: node,
      [NETWORK_INSTANCE_LABEL]: uuid,
      [SPEC_LABEL]: spec.hash,
      [BRIDGE_NUM_LABEL]: String(spec.driver === "bridge" ? bridgeNum : 0),
    },
    Options: options,
    IPAM: {
      Driver: "default",
      Config: [
        { Subnet: spec.subnet, Gateway: spec.gateway, ...(spec.ipRange ? { IPRange: spec.ipRange } : {}) },
      ],
    },
  };
}

/** One app container attached to a network, as the engine lists it. */
export interface Attached {
  app: string;
  container: string;
  name: string;
  mac: string;
  ip: string;
}

/** What zedrouter knows about an instance's network from the last listing of the engine. */
export interface ObservedNetwork {
  id: string;
  name: string;
  spec: string | undefined;
  bridgeNum: number;
  bridgeName: string;
  subnet: string;
  gateway: string;
  users: Attached[];
}
