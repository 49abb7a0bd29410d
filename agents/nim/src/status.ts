// DeviceNetworkStatus as a pure function of what nim applied and what the kernel and the DHCP
// clients say now.
import type { DeviceNetworkStatus, DevicePortConfig, NetworkPortStatus } from "@outpost/types";
import type { Lease } from "./dhcp.js";
import type { Link, Route } from "./netops.js";

export interface Observed {
  links: Link[];
  routes: Route[];
  leases: Map<string, Lease>;
}

export function portStatuses(dpc: DevicePortConfig, obs: Observed): NetworkPortStatus[] {
  return dpc.ports.map((p) => {
    const link = obs.links.find((l) => l.ifname === p.ifname);
    const lease = obs.leases.get(p.ifname);
    const addrs = link?.addrs ?? [];
    const error = !link
      ? `no interface ${p.ifname}`
      : !link.up
        ? `${p.ifname}: link down`
        : p.dhcp === "dhcp" && !lease
          ? `${p.ifname}: no DHCP lease yet`
          : p.dhcp === "static" && p.addr && !addrs.includes(p.addr)
            ? `${p.ifname}: ${p.addr} not configured`
            : "";
    return {
      ifname: p.ifname,
      logicalLabel: p.logicalLabel || p.ifname,
      isMgmt: p.isMgmt,
      up: link?.up ?? false,
      mac: link?.mac ?? "",
      dhcp: p.dhcp,
      addrs,
      gateways: obs.routes.filter((r) => r.dev === p.ifname).map((r) => r.gateway),
      dns: p.dhcp === "dhcp" ? (lease?.dns ?? []) : p.dns,
      domain: p.dhcp === "dhcp" ? (lease?.domain ?? "") : p.domain,
      ntpServers: p.ntpServers.length ? p.ntpServers : (lease?.ntpServers ?? []),
      mtu: link?.mtu ?? 0,
      ...(p.proxy ? { proxy: p.proxy } : {}),
      error,
    };
  });
}

/** Unmanaged (no --ports): the links with a default route, read-only, as they are. */
export function observedPorts(obs: Observed): NetworkPortStatus[] {
  const devs = [...new Set(obs.routes.map((r) => r.dev))].sort();
  return devs.flatMap((dev) => {
    const link = obs.links.find((l) => l.ifname === dev);
    if (!link) return [];
    return [
      {
        ifname: dev,
        logicalLabel: dev,
        isMgmt: true,
        up: link.up,
        mac: link.mac,
        dhcp: "none" as const,
        addrs: link.addrs,
        gateways: obs.routes.filter((r) => r.dev === dev).map((r) => r.gateway),
        dns: [],
        domain: "",
        ntpServers: [],
        mtu: link.mtu,
        error: "",
      },
    ];
  });
}

/** The same status apart from updatedAt. */
export function sameStatus(a: DeviceNetworkStatus | undefined, b: DeviceNetworkStatus): boolean {
  return !!a && JSON.stringify({ ...a, updatedAt: 0 }) === JSON.stringify({ ...b, updatedAt: 0 });
}
