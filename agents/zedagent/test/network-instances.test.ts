// The reference controller's document -> EdgeDevConfig -> zedagent's tables, for network instances
// and app adapters (static IP, MAC, port maps as EVE portmap ACEs); and the info builders.
import { buildEdgeDevConfig, decodeConfigDoc, idToUuid } from "@outpost/controller";
import { eve } from "@outpost/evecloud";
import type { NetworkInstanceStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { appInfo } from "../src/info.js";
import { appNetworks, networkInstanceInfo, networkInstanceMetrics } from "../src/network-info.js";
import { mapInterface } from "../src/network-instances.js";
import { ConfigParseError, parseEdgeDevConfig } from "../src/parse.js";

const DEV = "55555555-5555-4555-8555-555555555555";

const doc = {
  datastores: [{ id: "ds", type: "http", fqdn: "http://127.0.0.1:1" }],
  contentTrees: [{ id: "img", datastore: "ds", url: "a.tar" }],
  volumes: [{ id: "root", contentTree: "img" }],
  networkInstances: [
    {
      id: "lan",
      kind: "local",
      port: "eth0",
      subnet: "10.1.0.0/24",
      gateway: "10.1.0.1",
      dhcpRange: { start: "10.1.0.100", end: "10.1.0.199" },
      dns: ["10.1.0.1"],
      mtu: 1400,
    },
    { id: "sw", kind: "switch", port: "eth1" },
  ],
  apps: [
    {
      id: "web",
      name: "web",
      volumes: [{ id: "root" }],
      interfaces: [
        {
          network: "lan",
          ip: "10.1.0.10",
          mac: "02:00:00:00:00:0a",
          portMaps: [{ port: 8080, appPort: 80 }],
        },
        { network: "sw" },
      ],
    },
  ],
};

function tables(d: unknown = doc) {
  const built = buildEdgeDevConfig(DEV, decodeConfigDoc(d), 1);
  // Through the wire, as the node receives it.
  const wire = eve.config.EdgeDevConfig.decode(eve.config.EdgeDevConfig.encode(built.config).finish());
  return parseEdgeDevConfig(wire);
}

describe("network instances through the controller's document and zedagent's parser", () => {
  it("become NetworkInstanceConfig: kind, port, subnet, gateway, DHCP range, DNS, MTU", () => {
    const t = tables();
    expect(t.networkInstances.get(idToUuid("lan"))).toEqual({
      uuid: idToUuid("lan"),
      version: "1",
      displayName: "lan",
      kind: "local",
      activate: true,
      port: "eth0",
      subnet: "10.1.0.0/24",
      gateway: "10.1.0.1",
      dhcpRangeStart: "10.1.0.100",
      dhcpRangeEnd: "10.1.0.199",
      dns: ["10.1.0.1"],
      mtu: 1400,
    });
    expect(t.networkInstances.get(idToUuid("sw"))).toMatchObject({
      kind: "switch",
      port: "eth1",
      subnet: "",
    });
  });

  it("app adapters keep their order, static IP, MAC and port maps (EVE portmap ACEs)", () => {
    const web = tables().apps.get(idToUuid("web"));
    expect(web?.interfaces).toEqual([
      {
        name: "eth0",
        network: idToUuid("lan"),
        ip: "10.1.0.10",
        mac: "02:00:00:00:00:0a",
        portMaps: [{ protocol: "tcp", port: 8080, appPort: 80 }],
      },
      { name: "eth1", network: idToUuid("sw"), ip: "", mac: "", portMaps: [] },
    ]);
  });

  it("the document refuses an adapter on an unknown instance, port maps on a switch, a local without subnet", () => {
    const bad = (change: (d: typeof doc) => unknown) => () => decodeConfigDoc(change(structuredClone(doc)));
    expect(
      bad((d) => {
        (d.apps[0] as { interfaces: { network: string }[] }).interfaces[0] = { network: "nope" };
        return d;
      }),
    ).toThrow(/a network instance id of this document/);
    expect(
      bad((d) => {
        (d.apps[0] as { interfaces: unknown[] }).interfaces[1] = {
          network: "sw",
          portMaps: [{ port: 1, appPort: 1 }],
        };
        return d;
      }),
    ).toThrow(/port maps on a local instance only/);
    expect(
      bad((d) => {
        d.networkInstances[0] = { ...d.networkInstances[0], subnet: "" } as (typeof d.networkInstances)[0];
        return d;
      }),
    ).toThrow(/subnet/);
  });

  it("zedagent refuses a config whose adapter names an instance it does not carry, or a bad port map", () => {
    const built = buildEdgeDevConfig(DEV, decodeConfigDoc(doc), 1).config;
    expect(() => parseEdgeDevConfig({ ...built, networkInstances: [] })).toThrow(ConfigParseError);
    expect(() =>
      mapInterface("a", {
        networkId: "n",
        acls: [{ matches: [{ type: "lport", value: "99999" }], actions: [{ portmap: true, appPort: 80 }] }],
      }),
    ).toThrow(/lport "99999" is not a port/);
    expect(() =>
      parseEdgeDevConfig({ networkInstances: [{ uuidandversion: { uuid: "x" }, instType: 3 }] }),
    ).toThrow(/type 3 is not supported/);
  });
});

describe("network instance info", () => {
  const ni: NetworkInstanceStatus = {
    uuid: "ni-1",
    version: "2",
    displayName: "lan",
    kind: "local",
    state: "ONLINE",
    activated: true,
    dockerNetwork: "outpost-x-ni-1",
    bridgeName: "bn1",
    bridgeNum: 1,
    bridgeIp: "10.1.0.1",
    subnet: "10.1.0.0/24",
    mtu: 1500,
    dns: [],
    uplink: "eth0",
    uplinkAddr: "192.0.2.5",
    ipAssignments: [{ app: "app-1", vifName: "web", mac: "02:00:00:00:00:0a", ips: ["10.1.0.10"] }],
    onlineSince: "2026-01-01T00:00:00.000Z",
    heldBy: [],
  };

  it("ZInfoNetworkInstance: state, bridge, uplink, assignments and vifs; a deleted one carries its id only", () => {
    const msg = networkInstanceInfo("dev", "ni-1", ni, new Date(0));
    expect(msg.ztype).toBe(eve.info.ZInfoTypes.ZiNetworkInstance);
    expect(msg.niinfo).toMatchObject({
      networkID: "ni-1",
      instType: 2,
      state: eve.info.ZNetworkInstanceState.ZNETINST_STATE_ONLINE,
      bridgeName: "bn1",
      bridgeNum: 1,
      bridgeIPAddr: "10.1.0.1",
      CurrentUplinkIntf: "eth0",
      ipAssignments: [{ macAddress: "02:00:00:00:00:0a", ipAddress: ["10.1.0.10"] }],
      vifs: [{ vifName: "web", macAddress: "02:00:00:00:00:0a", appID: "app-1" }],
    });
    // It goes over the wire as EVE defines it.
    const wire = eve.info.ZInfoMsg.decode(eve.info.ZInfoMsg.encode(msg).finish());
    expect(wire.niinfo?.bridgeName).toBe("bn1");
    expect(networkInstanceInfo("dev", "ni-1", undefined).niinfo).toEqual({ networkID: "ni-1" });
  });

  it("ZInfoApp.network lists the app's addresses per instance; nm names each instance", () => {
    const nets = appNetworks("app-1", [ni]);
    expect(nets).toEqual([
      expect.objectContaining({
        macAddr: "02:00:00:00:00:0a",
        IPAddrs: ["10.1.0.10"],
        localName: "lan",
        ipv4_up: true,
      }),
    ]);
    expect(appNetworks("other", [ni])).toEqual([]);
    const status = {
      uuid: "app-1",
      version: "1",
      displayName: "web",
      state: "RUNNING" as const,
      activated: true,
      progress: 100,
      volumeRefs: [],
      restartCounter: 0,
      purgeCounter: 0,
    };
    const ainfo = appInfo("dev", "app-1", status, new Date(0), nets).ainfo as { network?: unknown };
    expect(ainfo.network).toEqual(nets);
    const nm = networkInstanceMetrics([ni], (n) => (n === "bn1" ? { iName: "bn1", txBytes: 5 } : undefined));
    expect(nm).toEqual([
      {
        networkID: "ni-1",
        networkVersion: "2",
        instType: 2,
        displayname: "lan",
        activated: true,
        network: [{ iName: "bn1", txBytes: 5 }],
      },
    ]);
  });
});
