// Two of the three DPC sources, as pure functions: the override file (EVE's
// config/DevicePortConfig/override.json, its Go field names) and the last resort (every Ethernet
// port nim may manage, on DHCP). The third, the controller's, is zedagent's DevicePortConfig table.
import {
  type DevicePortConfig,
  DPC_KEY_LASTRESORT,
  DPC_KEY_OVERRIDE,
  type PortConfig,
  type PortDhcp,
  type PortProxy,
} from "@outpost/types";

export class OverrideError extends Error {}

/** EVE DhcpType: Static 1, None 2, Client 4. */
const DHCP: Record<number, PortDhcp> = { 1: "static", 2: "none", 4: "dhcp" };

const str = (v: unknown, what: string): string => {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new OverrideError(`${what}: expected a string, got ${JSON.stringify(v)}`);
  return v;
};
const strs = (v: unknown, what: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OverrideError(`${what}: expected a list of strings`);
  return v.map((x, i) => str(x, `${what}[${i}]`)).filter(Boolean);
};

function proxyOf(p: Record<string, unknown>, at: string): PortProxy | undefined {
  const url = str(p.NetworkProxyURL, `${at}.NetworkProxyURL`);
  const exceptions = str(p.Exceptions, `${at}.Exceptions`);
  if (url) return { url, exceptions };
  const list = p.Proxies;
  if (Array.isArray(list) && list.length > 0) {
    const e = list[0] as Record<string, unknown>;
    const server = str(e.Server, `${at}.Proxies[0].Server`);
    const port = Number(e.Port);
    if (!server || !Number.isInteger(port) || port <= 0 || port > 65535)
      throw new OverrideError(`${at}.Proxies[0]: needs Server and a Port of 1-65535`);
    return { url: `http://${server}:${port}`, exceptions };
  }
  return undefined;
}

/** override.json (EVE's DevicePortConfig JSON) -> a DPC; throws OverrideError saying what is wrong. */
export function parseOverride(text: string, mtimeMs: number): DevicePortConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new OverrideError(`not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { Ports?: unknown }).Ports))
    throw new OverrideError("expected an object with a Ports list");
  const d = doc as { Ports: unknown[]; TimePriority?: unknown };
  const ports: PortConfig[] = d.Ports.map((raw, i) => {
    const at = `Ports[${i}]`;
    if (typeof raw !== "object" || raw === null) throw new OverrideError(`${at}: expected an object`);
    const p = raw as Record<string, unknown>;
    const ifname = str(p.IfName, `${at}.IfName`);
    if (!ifname) throw new OverrideError(`${at}.IfName: required`);
    const dhcp = DHCP[Number(p.Dhcp ?? 4)];
    if (!dhcp)
      throw new OverrideError(
        `${at}.Dhcp: expected 1 (static), 2 (none) or 4 (client), got ${String(p.Dhcp)}`,
      );
    const addr = str(p.AddrSubnet, `${at}.AddrSubnet`);
    if (dhcp === "static" && !/^[0-9a-fA-F.:]+\/\d+$/.test(addr))
      throw new OverrideError(`${at}.AddrSubnet: a static port needs an address with prefix (192.0.2.5/24)`);
    const ntp = str(p.NTPServer, `${at}.NTPServer`);
    const proxy = proxyOf(p, at);
    return {
      ifname,
      logicalLabel: str(p.Logicallabel, `${at}.Logicallabel`) || ifname,
      isMgmt: p.IsMgmt === undefined ? true : p.IsMgmt === true,
      dhcp,
      addr: dhcp === "static" ? addr : "",
      gateway: str(p.Gateway, `${at}.Gateway`),
      dns: strs(p.DNSServers, `${at}.DNSServers`),
      domain: str(p.DomainName, `${at}.DomainName`),
      ntpServers: ntp ? [ntp] : [],
      mtu: Number(p.MTU ?? 0) || 0,
      ...(proxy ? { proxy } : {}),
    };
  });
  const tp = typeof d.TimePriority === "string" ? Date.parse(d.TimePriority) : Number.NaN;
  return { key: DPC_KEY_OVERRIDE, timePriority: Number.isFinite(tp) ? tp : Math.round(mtimeMs), ports };
}

/** Every Ethernet port nim may manage, on DHCP, for controller traffic. */
export function lastResort(ifnames: string[]): DevicePortConfig {
  return {
    key: DPC_KEY_LASTRESORT,
    timePriority: 0,
    ports: [...ifnames].sort().map((ifname) => ({
      ifname,
      logicalLabel: ifname,
      isMgmt: true,
      dhcp: "dhcp" as const,
      addr: "",
      gateway: "",
      dns: [],
      domain: "",
      ntpServers: [],
      mtu: 0,
    })),
  };
}
