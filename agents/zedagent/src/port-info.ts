// nim's ports as EVE reports them in ZInfoDevice: `network` (one ZInfoNetwork per port in use),
// `systemAdapter` (every DPC in nim's list as a DevicePortStatus, with currentIndex) and `dns`, and
// per-interface counters (networkMetric) for the device metrics.
import { readFileSync } from "node:fs";
import { eve } from "@outpost/evecloud";
import type {
  DeviceNetworkStatus,
  DevicePortConfigEntry,
  DevicePortConfigList,
  NetworkPortStatus,
  PortProxy,
} from "@outpost/types";

const DHCP_TYPE = { static: 1, none: 2, dhcp: 4 } as const;
const ORIGIN: Record<string, eve.common.NetworkConfigOrigin> = {
  zedagent: eve.common.NetworkConfigOrigin.NETWORK_CONFIG_ORIGIN_CONTROLLER,
  override: eve.common.NetworkConfigOrigin.NETWORK_CONFIG_ORIGIN_OVERRIDE,
  lastresort: eve.common.NetworkConfigOrigin.NETWORK_CONFIG_ORIGIN_LASTRESORT,
};

const tsMs = (ms: number) =>
  ms > 0 ? { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } : undefined;
const bare = (cidr: string) => cidr.replace(/\/\d+$/, "");

function proxyStatus(p: PortProxy | undefined): eve.info.IProxyStatus | undefined {
  if (!p) return undefined;
  return { networkProxyEnable: true, networkProxyURL: p.url, exceptions: p.exceptions };
}

function zinfoNetwork(p: NetworkPortStatus): eve.info.IZInfoNetwork {
  const proxy = proxyStatus(p.proxy);
  return {
    macAddr: p.mac,
    devName: p.ifname,
    alias: p.logicalLabel,
    localName: p.ifname,
    IPAddrs: p.addrs.map(bare),
    defaultRouters: p.gateways,
    dns: { DNSservers: p.dns, DNSdomain: p.domain, DNSsearch: p.domain ? [p.domain] : [] },
    ipv4_up: p.up && p.addrs.some((a) => !a.includes(":")),
    uplink: p.isMgmt,
    ntp_servers: p.ntpServers,
    ...(proxy ? { proxy } : {}),
    ...(p.error ? { networkErr: { description: p.error } } : {}),
  };
}

function devicePortStatus(
  e: DevicePortConfigEntry,
  live: DeviceNetworkStatus | undefined,
): eve.info.IDevicePortStatus {
  const applied = live?.dpcKey === e.key ? live : undefined;
  return {
    version: 1,
    key: e.key,
    timePriority: tsMs(e.timePriority) ?? { seconds: 0, nanos: 0 },
    ...(e.lastFailed ? { lastFailed: tsMs(e.lastFailed) } : {}),
    ...(e.lastSucceeded ? { lastSucceeded: tsMs(e.lastSucceeded) } : {}),
    lastError: e.lastError,
    ports: e.ports.map((p) => {
      const st = applied?.ports.find((s) => s.ifname === p.ifname);
      const proxy = proxyStatus(p.proxy);
      return {
        ifname: p.ifname,
        name: p.logicalLabel || p.ifname,
        isMgmt: p.isMgmt,
        dhcpType: DHCP_TYPE[p.dhcp],
        subnet: p.addr,
        gateway: p.gateway,
        domainname: p.domain,
        ntpServer: p.ntpServers[0] ?? "",
        more_ntp_servers: p.ntpServers.slice(1),
        dnsServers: p.dns,
        mtu: p.mtu,
        config_source: {
          origin: ORIGIN[e.key] ?? 0,
          ...(tsMs(e.timePriority) ? { submitted_at: tsMs(e.timePriority) } : {}),
        },
        ...(proxy ? { proxy } : {}),
        ...(st
          ? {
              macAddr: st.mac,
              IPAddrs: st.addrs.map(bare),
              defaultRouters: st.gateways,
              dns: { DNSservers: st.dns, DNSdomain: st.domain },
              up: st.up,
              ...(st.error ? { err: { description: st.error } } : {}),
            }
          : {}),
      };
    }),
  };
}

/** The ZInfoDevice fields nim's tables give; nothing when nim does not run. */
export function networkInfo(
  status: DeviceNetworkStatus | undefined,
  list: DevicePortConfigList | undefined,
): Pick<eve.info.IZInfoDevice, "network" | "systemAdapter" | "dns"> {
  if (!status) return {};
  const mgmt = status.ports.filter((p) => p.isMgmt);
  return {
    network: status.ports.map(zinfoNetwork),
    dns: {
      DNSservers: [...new Set(mgmt.flatMap((p) => p.dns))],
      DNSdomain: mgmt.find((p) => p.domain)?.domain ?? "",
      DNSsearch: [...new Set(mgmt.map((p) => p.domain).filter(Boolean))],
    },
    ...(list
      ? {
          systemAdapter: {
            currentIndex: Math.max(0, list.currentIndex),
            status: list.entries.map((e) => devicePortStatus(e, status)),
          },
        }
      : {}),
  };
}

/** Counters of one interface from /proc/net/dev (the namespace the process runs in). */
export interface IfCounters {
  rxBytes: number;
  rxPkts: number;
  rxErrors: number;
  rxDrops: number;
  txBytes: number;
  txPkts: number;
  txErrors: number;
  txDrops: number;
}

export function parseProcNetDev(text: string): Map<string, IfCounters> {
  const out = new Map<string, IfCounters>();
  for (const line of text.split("\n").slice(2)) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const f = (m[2] ?? "").trim().split(/\s+/).map(Number);
    out.set(m[1] ?? "", {
      rxBytes: f[0] ?? 0,
      rxPkts: f[1] ?? 0,
      rxErrors: f[2] ?? 0,
      rxDrops: f[3] ?? 0,
      txBytes: f[8] ?? 0,
      txPkts: f[9] ?? 0,
      txErrors: f[10] ?? 0,
      txDrops: f[11] ?? 0,
    });
  }
  return out;
}

/** deviceMetric.network: one networkMetric per port nim reports (none without nim). */
export function networkMetrics(
  status: DeviceNetworkStatus | undefined,
  procNetDev = "/proc/net/dev",
): eve.metrics.InetworkMetric[] {
  if (!status?.ports.length) return [];
  let counters: Map<string, IfCounters>;
  try {
    counters = parseProcNetDev(readFileSync(procNetDev, "utf8"));
  } catch {
    return [];
  }
  return status.ports.flatMap((p) => {
    const c = counters.get(p.ifname);
    if (!c) return [];
    return [
      {
        iName: p.ifname,
        alias: p.logicalLabel,
        localName: p.ifname,
        txBytes: c.txBytes,
        rxBytes: c.rxBytes,
        txPkts: c.txPkts,
        rxPkts: c.rxPkts,
        txErrors: c.txErrors,
        rxErrors: c.rxErrors,
        txDrops: c.txDrops,
        rxDrops: c.rxDrops,
      },
    ];
  });
}

/** ZInfoNTPSources (info type ZiNTPSources) from nim's last time sync; undefined before any. */
export function ntpSourcesInfo(devId: string, status: DeviceNetworkStatus | undefined, now = new Date()) {
  const sources = status?.ntpSources;
  if (!sources?.length) return undefined;
  const msg: eve.info.IZInfoMsg = {
    ztype: eve.info.ZInfoTypes.ZiNTPSources,
    devId,
    atTimeStamp: tsMs(now.getTime()),
    ntp_sources: {
      sources: sources.map((s) => ({
        hostname: s.server,
        src_addr: s.server,
        src_port: 123,
        reachable: s.reachable,
        reachability: s.reachable ? 1 : 0,
        mode: eve.info.NTPSourceMode.NTP_SOURCE_MODE_CLIENT,
        state:
          status?.ntp?.server === s.server
            ? eve.info.NTPSourceState.NTP_SOURCE_STATE_SYNC
            : s.reachable
              ? eve.info.NTPSourceState.NTP_SOURCE_STATE_CANDIDATE
              : eve.info.NTPSourceState.NTP_SOURCE_STATE_UNREACH,
        stratum: s.stratum,
        // chrony's units: seconds.
        offset: s.offsetMs / 1000,
        delay: s.delayMs / 1000,
        ...(Date.parse(s.lastAt) ? { ref_time: tsMs(Date.parse(s.lastAt)) } : {}),
      })),
    },
  };
  return msg;
}
