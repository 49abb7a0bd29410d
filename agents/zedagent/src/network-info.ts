// zedrouter's NetworkInstanceStatus -> ZInfoNetworkInstance (ZiNetworkInstance), the app's adapters
// -> ZInfoApp.network, and the instances' list -> ZMetricMsg.nm. Pure builders, as in info.ts.
import { eve } from "@outpost/evecloud";
import type { NetworkInstanceStatus } from "@outpost/types";
import { errorInfo } from "./info.js";

const NI_TYPE = { switch: 1, local: 2 } as const;
const NI_STATE = {
  INIT: eve.info.ZNetworkInstanceState.ZNETINST_STATE_INIT,
  ONLINE: eve.info.ZNetworkInstanceState.ZNETINST_STATE_ONLINE,
  ERROR: eve.info.ZNetworkInstanceState.ZNETINST_STATE_ERROR,
} as const;

function ts(iso: string | undefined) {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } : undefined;
}

/** One instance's info message; a deleted one carries only its id (the controller reads "gone"). */
export function networkInstanceInfo(
  devId: string,
  uuid: string,
  s: NetworkInstanceStatus | undefined,
  now = new Date(),
): eve.info.ZInfoMsg.$Properties {
  const msg = { ztype: eve.info.ZInfoTypes.ZiNetworkInstance, devId, atTimeStamp: ts(now.toISOString()) };
  if (!s) return { ...msg, niinfo: { networkID: uuid } };
  const err = errorInfo(s.error);
  return {
    ...msg,
    niinfo: {
      networkID: uuid,
      networkVersion: s.version,
      instType: NI_TYPE[s.kind],
      displayname: s.displayName,
      activated: s.activated,
      upTimeStamp: ts(s.onlineSince),
      CurrentUplinkIntf: s.uplink,
      ports: s.uplink ? [s.uplink] : [],
      bridgeNum: s.bridgeNum,
      bridgeName: s.bridgeName,
      bridgeIPAddr: s.bridgeIp,
      ipAssignments: s.ipAssignments.map((a) => ({ macAddress: a.mac, ipAddress: a.ips })),
      vifs: s.ipAssignments.map((a) => ({ vifName: a.vifName, macAddress: a.mac, appID: a.app })),
      networkErr: err ? [err] : [],
      state: NI_STATE[s.state],
      mtu: s.mtu,
    },
  };
}

/** An app's adapters as ZInfoApp.network: one entry per instance the app is attached to. */
export function appNetworks(
  app: string,
  instances: Iterable<NetworkInstanceStatus>,
): eve.info.ZInfoNetwork.$Properties[] {
  const out: eve.info.ZInfoNetwork.$Properties[] = [];
  for (const ni of instances)
    for (const a of ni.ipAssignments)
      if (a.app === app)
        out.push({
          macAddr: a.mac,
          devName: ni.bridgeName,
          localName: ni.displayName,
          alias: ni.uuid,
          IPAddrs: a.ips,
          defaultRouters: ni.bridgeIp ? [ni.bridgeIp] : [],
          ipv4_up: a.ips.length > 0,
          uplink: false,
        });
  return out.sort((x, y) => (x.alias ?? "").localeCompare(y.alias ?? ""));
}

/** ZMetricMsg.nm: each instance with its bridge's counters when the device reports them (by name). */
export function networkInstanceMetrics(
  instances: Iterable<NetworkInstanceStatus>,
  counters: (ifname: string) => eve.metrics.networkMetric.$Properties | undefined,
): eve.metrics.ZMetricNetworkInstance.$Properties[] {
  return [...instances].map((ni) => {
    const c = ni.bridgeName ? counters(ni.bridgeName) : undefined;
    return {
      networkID: ni.uuid,
      networkVersion: ni.version,
      instType: NI_TYPE[ni.kind],
      displayname: ni.displayName,
      activated: ni.activated,
      network: c ? [c] : [],
    };
  });
}
