// zedmanager and network instances: an app with adapters waits in AWAITNETWORKINSTANCE until each
// instance is ONLINE, then its DomainConfig carries the attachments (in order, static IP, MAC, port
// maps on the uplink address); a running app keeps them while zedrouter's status is away.
import type { NetworkInstanceStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { update } from "../src/update.js";
import { appConfig, deps, domain } from "./builders.js";

const LAN = "22222222-2222-4222-8222-222222222222";
const DMZ = "33333333-3333-4333-8333-333333333333";

function ni(uuid: string, over: Partial<NetworkInstanceStatus> = {}): NetworkInstanceStatus {
  return {
    uuid,
    version: "1",
    displayName: uuid === LAN ? "lan" : "dmz",
    kind: "local",
    state: "ONLINE",
    activated: true,
    dockerNetwork: `outpost-abc-ni-${uuid.slice(0, 8)}`,
    bridgeName: "bn1",
    bridgeNum: 1,
    bridgeIp: "10.1.0.1",
    subnet: "10.1.0.0/24",
    mtu: 1500,
    dns: [],
    uplink: "eth0",
    uplinkAddr: "192.0.2.5",
    ipAssignments: [],
    heldBy: [],
    ...over,
  };
}

const withInterfaces = () =>
  appConfig({
    interfaces: [
      { network: LAN, ip: "10.1.0.10", mac: "02:00:00:00:00:0a", portMaps: [{ port: 8080, appPort: 80 }] },
      { network: DMZ },
    ],
  });

describe("update: network instances", () => {
  it("waits in AWAITNETWORKINSTANCE, naming the instance, while one is not ONLINE; no domain yet", () => {
    const r = update(
      withInterfaces(),
      undefined,
      deps({ networks: { [LAN]: ni(LAN), [DMZ]: ni(DMZ, { state: "INIT" }) } }),
    );
    expect(r.app?.status.state).toBe("AWAITNETWORKINSTANCE");
    expect(r.app?.status.error?.description).toBe("waiting for network instance dmz is INIT");
    expect(r.app?.status.error?.source).toMatchObject({ type: "NetworkInstance", id: DMZ });
    expect(r.actions.some((a) => a.kind === "publishDomain")).toBe(false);

    const unknown = update(withInterfaces(), undefined, deps({ networks: { [LAN]: ni(LAN) } }));
    expect(unknown.app?.status.state).toBe("AWAITNETWORKINSTANCE");
    expect(unknown.app?.status.error?.description).toContain("is not known to zedrouter yet");
  });

  it("an instance in ERROR shows its error on the waiting app", () => {
    const err = { description: "subnet is bad", severity: "error" as const, time: "2026-01-01T00:00:00Z" };
    const r = update(
      withInterfaces(),
      undefined,
      deps({ networks: { [LAN]: ni(LAN, { state: "ERROR", error: err }), [DMZ]: ni(DMZ) } }),
    );
    expect(r.app?.status.error?.description).toBe("waiting for network instance lan is ERROR: subnet is bad");
    expect(r.app?.status.error?.severity).toBe("error");
  });

  it("every instance ONLINE: the domain gets the attachments in order, port maps on the uplink address", () => {
    const r = update(withInterfaces(), undefined, deps({ networks: { [LAN]: ni(LAN), [DMZ]: ni(DMZ) } }));
    const pub = r.actions.find((a) => a.kind === "publishDomain");
    expect(pub?.kind === "publishDomain" && pub.config.networks).toEqual([
      {
        network: ni(LAN).dockerNetwork,
        ip: "10.1.0.10",
        mac: "02:00:00:00:00:0a",
        dns: [],
        portMaps: [{ protocol: "tcp", hostIp: "192.0.2.5", hostPort: 8080, appPort: 80 }],
      },
      { network: ni(DMZ).dockerNetwork, ip: "", mac: "", dns: [], portMaps: [] },
    ]);
    expect(r.app?.status.state).toBe("BOOTING");
  });

  it("without nim (no uplink address) port maps are published on every address", () => {
    const r = update(
      withInterfaces(),
      undefined,
      deps({ networks: { [LAN]: ni(LAN, { uplinkAddr: "" }), [DMZ]: ni(DMZ) } }),
    );
    const pub = r.actions.find((a) => a.kind === "publishDomain");
    expect(pub?.kind === "publishDomain" && pub.config.networks?.[0]?.portMaps[0]?.hostIp).toBe("");
  });

  it("a running app keeps its attachments while zedrouter's status is missing (zedrouter restarting)", () => {
    const first = update(withInterfaces(), undefined, deps({ networks: { [LAN]: ni(LAN), [DMZ]: ni(DMZ) } }));
    const pub = first.actions.find((a) => a.kind === "publishDomain");
    if (pub?.kind !== "publishDomain") throw new Error("no domain");
    const again = update(
      withInterfaces(),
      first.app,
      deps({ networks: {}, domainConfig: pub.config, domainStatus: domain() }),
    );
    expect(again.app?.status.state).toBe("RUNNING");
    const republished = again.actions.find((a) => a.kind === "publishDomain");
    expect(republished?.kind === "publishDomain" && republished.config).toEqual(pub.config);
  });

  it("an app without adapters gets no networks (Docker's default network, as before)", () => {
    const r = update(appConfig(), undefined, deps());
    const pub = r.actions.find((a) => a.kind === "publishDomain");
    expect(pub?.kind === "publishDomain" && "networks" in pub.config).toBe(false);
  });
});
