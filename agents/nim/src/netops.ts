// The kernel side of nim: what the links are (ip -j addr / route, which follow the network namespace
// nim runs in, unlike /sys/class/net, which follows the mount namespace), and the iproute2 commands
// that configure a port. Every change goes through `ip`; nothing here decides anything.
import { spawnSync } from "node:child_process";
import type { PortConfig } from "@outpost/types";

export interface Link {
  ifname: string;
  mac: string;
  /** Operationally up (operstate UP, or UNKNOWN with carrier). */
  up: boolean;
  /** "ether", "loopback", ... (ip's link_type). */
  linkType: string;
  mtu: number;
  /** Global-scope addresses, CIDR. */
  addrs: string[];
}

export interface Route {
  dev: string;
  gateway: string;
}

export class IpError extends Error {}

/** `ip <args>`; throws IpError with ip's own message. */
export function ip(args: string[]): string {
  const r = spawnSync("ip", args, { encoding: "utf8", timeout: 10_000 });
  if (r.status !== 0)
    throw new IpError(`ip ${args.join(" ")}: ${(r.stderr || r.error?.message || "failed").trim()}`);
  return r.stdout;
}

interface IpAddrJson {
  ifname: string;
  address?: string;
  link_type?: string;
  operstate?: string;
  flags?: string[];
  mtu?: number;
  addr_info?: { family: string; local: string; prefixlen: number; scope: string }[];
}

export function parseLinks(json: string): Link[] {
  const rows = JSON.parse(json || "[]") as IpAddrJson[];
  return rows.map((r) => ({
    ifname: r.ifname,
    mac: r.address ?? "",
    up: r.operstate === "UP" || (r.operstate === "UNKNOWN" && (r.flags ?? []).includes("LOWER_UP")),
    linkType: r.link_type ?? "",
    mtu: r.mtu ?? 0,
    addrs: (r.addr_info ?? []).filter((a) => a.scope === "global").map((a) => `${a.local}/${a.prefixlen}`),
  }));
}

export function links(): Link[] {
  return parseLinks(ip(["-j", "addr", "show"]));
}

export function defaultRoutes(): Route[] {
  const out: Route[] = [];
  for (const fam of ["-4", "-6"]) {
    const rows = JSON.parse(ip([fam, "-j", "route", "show", "default"]) || "[]") as {
      dev?: string;
      gateway?: string;
    }[];
    for (const r of rows) if (r.dev && r.gateway) out.push({ dev: r.dev, gateway: r.gateway });
  }
  return out;
}

/** Ethernet ports among the links (the last-resort DPC puts each of them on DHCP). */
export function ethernetPorts(all: Link[]): string[] {
  return all.filter((l) => l.linkType === "ether").map((l) => l.ifname);
}

/** An allow-list of interface names with "*" wildcards ("eth*,enp*"). */
export function portMatcher(globs: string[]): (ifname: string) => boolean {
  const res = globs.map(
    (g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  );
  return (ifname) => res.some((r) => r.test(ifname));
}

/** Removes nim's addresses and default route from a port (it stays up). */
export function flushPort(ifname: string): void {
  ip(["addr", "flush", "dev", ifname, "scope", "global"]);
}

/** A static port: the address, the MTU, link up, the default route through the gateway. */
export function applyStatic(p: PortConfig, metric: number): void {
  const want = p.addr;
  const have = links().find((l) => l.ifname === p.ifname);
  if (!have) throw new IpError(`no interface ${p.ifname}`);
  if (p.mtu > 0 && have.mtu !== p.mtu) ip(["link", "set", "dev", p.ifname, "mtu", String(p.mtu)]);
  ip(["link", "set", "dev", p.ifname, "up"]);
  if (!(have.addrs.length === 1 && have.addrs[0] === want)) {
    flushPort(p.ifname);
    if (want) ip(["addr", "add", want, "dev", p.ifname]);
  }
  if (p.gateway) {
    const fam = p.gateway.includes(":") ? "-6" : "-4";
    ip([fam, "route", "replace", "default", "via", p.gateway, "dev", p.ifname, "metric", String(metric)]);
  }
}

/** A DHCP port before its client starts: MTU, up, no static leftovers. */
export function prepareDhcp(p: PortConfig): void {
  const have = links().find((l) => l.ifname === p.ifname);
  if (!have) throw new IpError(`no interface ${p.ifname}`);
  if (p.mtu > 0 && have.mtu !== p.mtu) ip(["link", "set", "dev", p.ifname, "mtu", String(p.mtu)]);
  ip(["link", "set", "dev", p.ifname, "up"]);
}

/** resolv.conf text for the name servers and search domains given. */
export function resolvConf(servers: string[], domains: string[]): string {
  const lines = ["# written by Outpost nim: the DNS of the management ports in use"];
  if (domains.length) lines.push(`search ${[...new Set(domains)].join(" ")}`);
  for (const s of [...new Set(servers)]) lines.push(`nameserver ${s}`);
  return `${lines.join("\n")}\n`;
}
