// zedrouter's planner and the instance -> Docker network mapping, without Docker.
import {
  type DeviceNetworkStatus,
  type NetworkInstanceConfig,
  NetworkInstanceConfigCodec,
} from "@outpost/types";
import { describe, expect, it } from "vitest";
import {
  createRequest,
  freeBridgeNum,
  networkName,
  networkSpec,
  type ObservedNetwork,
  parseIp,
  rangeToCidr,
} from "../src/network-spec.js";
import { freshMemory, type UpdateInput, update } from "../src/update.js";

const NODE = "/var/lib/outpost";
const NI = "44444444-4444-4444-8444-444444444444";
const NOW = Date.parse("2026-01-01T00:00:00Z");

function config(over: Partial<NetworkInstanceConfig> = {}): NetworkInstanceConfig {
  return NetworkInstanceConfigCodec.decode({
    uuid: NI,
    version: "1",
    displayName: "lan",
    kind: "local",
    subnet: "10.1.0.0/24",
    dhcpRangeStart: "10.1.0.100",
    dhcpRangeEnd: "10.1.0.199",
    ...over,
  });
}

const dns: DeviceNetworkStatus = {
  dpcKey: "zedagent",
  currentIndex: 0,
  state: "ok",
  ports: [
    {
      ifname: "eth0",
      logicalLabel: "uplink",
      isMgmt: true,
      up: true,
      mac: "",
      dhcp: "dhcp",
      addrs: ["192.0.2.5/24"],
      gateways: ["192.0.2.1"],
      dns: [],
      domain: "",
      ntpServers: [],
      mtu: 1500,
      error: "",
    },
  ],
  updatedAt: NOW,
};

function spec(c = config()) {
  const r = networkSpec(NODE, c, dns);
  if (!r.ok) throw new Error(r.error);
  return r.spec;
}

function observed(over: Partial<ObservedNetwork> = {}): ObservedNetwork {
  return {
    id: "n1",
    name: networkName(NODE, NI),
    spec: spec().hash,
    bridgeNum: 1,
    bridgeName: "bn1",
    subnet: "10.1.0.0/24",
    gateway: "10.1.0.1",
    users: [],
    ...over,
  };
}

function input(over: Partial<UpdateInput> = {}): UpdateInput {
  return {
    uuid: NI,
    node: NODE,
    config: config(),
    network: null,
    dns,
    bridgeNums: [],
    mem: freshMemory(),
    prev: undefined,
    now: NOW,
    busy: false,
    configsComplete: true,
    retryDelay: (n) => 1000 * 2 ** n,
    ...over,
  };
}

describe("network spec", () => {
  it("local: subnet, first host as gateway, the DHCP range as the largest CIDR inside it", () => {
    const s = spec();
    expect(s).toMatchObject({
      driver: "bridge",
      subnet: "10.1.0.0/24",
      gateway: "10.1.0.1",
      ipRange: "10.1.0.128/26",
    });
    const req = createRequest(NODE, NI, s, 3);
    expect(req.Options).toMatchObject({
      "com.docker.network.bridge.name": "bn3",
      "com.docker.network.bridge.enable_ip_masquerade": "true",
    });
    expect(req.Labels).toMatchObject({ "org.outpost.network-instance": NI, "org.outpost.node": NODE });
    expect(req.IPAM.Config[0]).toEqual({
      Subnet: "10.1.0.0/24",
      Gateway: "10.1.0.1",
      IPRange: "10.1.0.128/26",
    });
  });

  it("MTU goes to the driver option; a change of addressing changes the hash, the bridge number does not", () => {
    const s = spec(config({ mtu: 1400 }));
    expect(createRequest(NODE, NI, s, 1).Options["com.docker.network.driver.mtu"]).toBe("1400");
    expect(spec(config({ subnet: "10.2.0.0/24", dhcpRangeStart: "", dhcpRangeEnd: "" })).hash).not.toBe(
      spec().hash,
    );
  });

  it("switch: macvlan on the port nim names, with the port's own subnet and gateway when none is given", () => {
    const s = spec(
      config({ kind: "switch", port: "uplink", subnet: "", dhcpRangeStart: "", dhcpRangeEnd: "" }),
    );
    expect(s).toMatchObject({
      driver: "macvlan",
      parent: "eth0",
      subnet: "192.0.2.0/24",
      gateway: "192.0.2.1",
    });
    expect(createRequest(NODE, NI, s, 0).Options).toEqual({ parent: "eth0", macvlan_mode: "bridge" });
    const noNim = networkSpec(NODE, config({ kind: "switch", port: "eth1", subnet: "" }), undefined);
    expect(noNim).toMatchObject({ ok: false, waitForNim: true });
  });

  it("refuses what cannot work: bad subnet, gateway outside, range outside, odd MTU", () => {
    expect(networkSpec(NODE, config({ subnet: "10.1.0.0" }), dns)).toMatchObject({ ok: false });
    expect(networkSpec(NODE, config({ gateway: "10.9.0.1" }), dns)).toMatchObject({
      ok: false,
      error: 'gateway "10.9.0.1" is not an address of 10.1.0.0/24',
    });
    expect(networkSpec(NODE, config({ dhcpRangeEnd: "10.2.0.5" }), dns)).toMatchObject({ ok: false });
    expect(networkSpec(NODE, config({ mtu: 100 }), dns)).toMatchObject({ ok: false });
  });

  it("range and bridge number arithmetic", () => {
    const ip = (s: string) => parseIp(s) as number;
    expect(rangeToCidr(ip("10.0.0.0"), ip("10.0.0.255"))).toEqual({ base: ip("10.0.0.0"), prefix: 24 });
    expect(rangeToCidr(ip("10.0.0.5"), ip("10.0.0.5"))).toEqual({ base: ip("10.0.0.5"), prefix: 32 });
    expect(rangeToCidr(ip("10.0.0.9"), ip("10.0.0.2"))).toBeUndefined();
    expect(freeBridgeNum([])).toBe(1);
    expect(freeBridgeNum([1, 2, 4])).toBe(3);
  });
});

describe("update", () => {
  it("no network yet: create it on the lowest free bridge number; INIT until it is listed", () => {
    const r = update(input({ bridgeNums: [1, 2] }));
    expect(r.status?.state).toBe("INIT");
    expect(r.actions).toEqual([{ kind: "create", spec: spec(), bridgeNum: 3 }]);
  });

  it("before the engine is listed nothing is created; an engine error shows on the status", () => {
    const r = update(input({ network: undefined, engineError: "no Docker engine answers" }));
    expect(r.actions).toEqual([]);
    expect(r.status).toMatchObject({ state: "INIT", error: { description: "no Docker engine answers" } });
  });

  it("the network matches: ONLINE with bridge, gateway, uplink address and each app's addresses", () => {
    const r = update(
      input({
        network: observed({
          users: [{ app: "app-b", container: "c2", name: "b", mac: "02:00:00:00:00:02", ip: "10.1.0.129" }],
        }),
      }),
    );
    expect(r.actions).toEqual([]);
    expect(r.status).toMatchObject({
      state: "ONLINE",
      activated: true,
      bridgeName: "bn1",
      bridgeIp: "10.1.0.1",
      uplink: "eth0",
      uplinkAddr: "192.0.2.5",
      onlineSince: new Date(NOW).toISOString(),
      ipAssignments: [{ app: "app-b", vifName: "b", mac: "02:00:00:00:00:02", ips: ["10.1.0.129"] }],
    });
    // Fed the same facts again: nothing to do, the same status.
    const again = update(
      input({
        network: observed({
          users:
            r.status?.ipAssignments.map((a) => ({
              app: a.app,
              container: "c2",
              name: a.vifName,
              mac: a.mac,
              ip: a.ips[0] ?? "",
            })) ?? [],
        }),
        mem: r.mem,
        prev: r.status,
        now: NOW + 5000,
      }),
    );
    expect(again.actions).toEqual([]);
    expect(again.status).toEqual(r.status);
  });

  it("without nim the instance still comes up, with no uplink address", () => {
    const r = update(input({ network: observed(), dns: undefined, config: config({ dns: ["10.1.0.53"] }) }));
    expect(r.status).toMatchObject({ state: "ONLINE", uplink: "", uplinkAddr: "", dns: ["10.1.0.53"] });
  });

  it("a refused create: ERROR with the engine's message, retried after the back-off", () => {
    const mem = {
      ...freshMemory(),
      failure: { description: "cannot create network: pool overlaps", at: NOW },
    };
    const r = update(input({ mem }));
    expect(r.status).toMatchObject({
      state: "ERROR",
      error: { description: "cannot create network: pool overlaps" },
    });
    expect(r.actions).toEqual([{ kind: "wakeAt", at: NOW + 1000 }]);
    const later = update(input({ mem: r.mem, now: NOW + 1000, prev: r.status }));
    expect(later.actions.map((a) => a.kind)).toEqual(["create"]);
  });

  it("a bad config: ERROR naming what is wrong, nothing created", () => {
    const r = update(input({ config: config({ subnet: "nonsense" }) }));
    expect(r.status?.state).toBe("ERROR");
    expect(r.status?.error?.description).toContain('subnet "nonsense"');
    expect(r.status?.error?.retryCondition).toBe("fix the config");
    expect(r.actions).toEqual([]);
  });

  it("addressing changed: recreated when unused; ERROR while apps are attached", () => {
    const stale = observed({ spec: "old" });
    expect(update(input({ network: stale })).actions).toEqual([
      { kind: "remove", id: "n1", name: stale.name },
    ]);
    const used = update(
      input({
        network: { ...stale, users: [{ app: "a", container: "c", name: "a", mac: "", ip: "10.1.0.5" }] },
      }),
    );
    expect(used.actions).toEqual([]);
    expect(used.status?.state).toBe("ERROR");
  });

  it("deleted from the config: kept while an app uses it, removed once none does", () => {
    const user = { app: "app-a", container: "c", name: "a", mac: "", ip: "10.1.0.5" };
    const held = update(
      input({
        config: undefined,
        network: observed({ users: [user] }),
        prev: update(input({ network: observed() })).status,
      }),
    );
    expect(held.actions).toEqual([]);
    expect(held.status?.heldBy).toEqual(["app-a"]);
    const gone = update(input({ config: undefined, network: observed(), prev: held.status }));
    expect(gone.actions).toEqual([{ kind: "remove", id: "n1", name: observed().name }]);
    expect(update(input({ config: undefined, network: null, prev: held.status })).status).toBeUndefined();
  });

  it("a second network labelled with the same instance is removed once no app uses it", () => {
    const extra = observed({ id: "n2" });
    const r = update(input({ network: observed(), duplicates: [extra] }));
    expect(r.status?.state).toBe("ONLINE");
    expect(r.actions).toEqual([{ kind: "remove", id: "n2", name: extra.name }]);
    const used = { ...extra, users: [{ app: "a", container: "c", name: "a", mac: "", ip: "10.1.0.7" }] };
    expect(update(input({ network: observed(), duplicates: [used] })).actions).toEqual([]);
  });

  it("deleted, and the engine refused the removal: ERROR with its message, retried after the back-off", () => {
    const mem = {
      ...freshMemory(),
      failure: { description: "cannot remove network: has active endpoints", at: NOW },
    };
    const prev = update(input({ network: observed() })).status;
    const r = update(input({ config: undefined, network: observed(), mem, prev }));
    expect(r.status).toMatchObject({
      state: "ERROR",
      error: { description: "cannot remove network: has active endpoints" },
    });
    expect(r.actions).toEqual([{ kind: "wakeAt", at: NOW + 1000 }]);
    const later = update(
      input({ config: undefined, network: observed(), mem: r.mem, prev: r.status, now: NOW + 1000 }),
    );
    expect(later.actions).toEqual([{ kind: "remove", id: "n1", name: observed().name }]);
  });

  it("a network without config is left alone until zedagent's table is complete", () => {
    const r = update(input({ config: undefined, network: observed(), configsComplete: false }));
    expect(r.actions).toEqual([]);
  });

  it("a switch instance on a port nim does not report waits in INIT, saying so", () => {
    const r = update(
      input({
        config: config({ kind: "switch", port: "eth9", subnet: "", dhcpRangeStart: "", dhcpRangeEnd: "" }),
      }),
    );
    expect(r.status?.state).toBe("INIT");
    expect(r.status?.error?.retryCondition).toBe("waiting for nim to report the port");
    expect(r.actions).toEqual([]);
  });
});
