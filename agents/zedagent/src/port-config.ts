// The controller's port configuration (EdgeDevConfig.systemAdapterList + networks) as the
// DevicePortConfig nim tests and applies (key "zedagent"). Kept apart from the other config tables:
// nim owns what happens to it. EVE's adapter names a physical port by its logical label, with the
// kernel name in lowerLayerName (after deviceIoList); here the kernel name is lowerLayerName when
// given, else the adapter's name.
import type { eve } from "@outpost/evecloud";
import type { Publication } from "@outpost/pubsub";
import { type DevicePortConfig, DPC_KEY_ZEDAGENT, type PortConfig, type PortProxy } from "@outpost/types";

/** EVE DHCPType: Static 1, DHCPNone 2, Client 4 (0, Noop: client as well). */
const DHCP_STATIC = 1;
const DHCP_NONE = 2;

function prefixOf(subnet: string): string | undefined {
  const m = /\/(\d+)$/.exec(subnet.trim());
  return m?.[1];
}

function proxyOf(p: eve.common.IProxyConfig | null | undefined): PortProxy | undefined {
  if (!p) return undefined;
  const exceptions = p.exceptions ?? "";
  if (p.networkProxyURL) return { url: p.networkProxyURL, exceptions };
  const first = p.proxies?.[0];
  if (first?.server && first.port) return { url: `http://${first.server}:${first.port}`, exceptions };
  return undefined;
}

/** The DPC the config asks for; undefined when it names no ports (nim then keeps its other sources). */
export function portsFromConfig(cfg: eve.config.IEdgeDevConfig, now: number): DevicePortConfig | undefined {
  const adapters = cfg.systemAdapterList ?? [];
  if (adapters.length === 0) return undefined;
  const nets = new Map((cfg.networks ?? []).map((n) => [n.id ?? "", n]));
  const ports: PortConfig[] = adapters.map((a) => {
    const net = a.networkUUID ? nets.get(a.networkUUID) : undefined;
    const ip = net?.ip;
    const dhcp = !net
      ? "none"
      : ip?.dhcp === DHCP_STATIC
        ? "static"
        : ip?.dhcp === DHCP_NONE
          ? "none"
          : "dhcp";
    const prefix = prefixOf(ip?.subnet ?? "");
    const proxy = proxyOf(net?.entProxy);
    const name = a.name ?? "";
    return {
      ifname: a.lowerLayerName || name,
      logicalLabel: a.alias || name,
      isMgmt: a.uplink === true,
      dhcp,
      addr:
        dhcp === "static" && a.addr
          ? `${a.addr}${prefix ? `/${prefix}` : a.addr.includes(":") ? "/64" : "/24"}`
          : "",
      gateway: dhcp === "static" ? (ip?.gateway ?? "") : "",
      dns: dhcp === "static" ? [...(ip?.dns ?? [])] : [],
      domain: ip?.domain ?? "",
      ntpServers: [ip?.ntp ?? "", ...(ip?.more_ntp ?? [])].filter(Boolean),
      mtu: net?.mtu ?? 0,
      ...(proxy ? { proxy } : {}),
    };
  });
  return { key: DPC_KEY_ZEDAGENT, timePriority: now, ports };
}

/** Publishes the controller's DPC when its ports changed (keeping the time it first came), or
 * removes it when the config names no ports. */
export async function publishPorts(
  pub: Publication<DevicePortConfig>,
  cfg: eve.config.IEdgeDevConfig,
  now = Date.now(),
): Promise<void> {
  const next = portsFromConfig(cfg, now);
  const prev = pub.get(DPC_KEY_ZEDAGENT);
  if (!next) {
    if (prev) await pub.delete(DPC_KEY_ZEDAGENT);
    return;
  }
  if (prev && JSON.stringify(prev.ports) === JSON.stringify(next.ports)) return;
  await pub.set(DPC_KEY_ZEDAGENT, next);
}
