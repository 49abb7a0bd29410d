// nim from the bundle in a "device" network namespace, the reference controller and a DHCP server in
// an "upstream" one (testkit NetRig): the node gets its address from the last-resort DPC, onboards,
// takes a static DPC from the controller, survives a bad one by falling back, and recovers by itself
// when the DHCP server goes away and comes back.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NetRig, waitFor } from "@outpost/testkit";
import type { DeviceNetworkStatus, DevicePortConfigList, LedBlinkCounter } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const NIM_ARGS = [
  "--ports",
  "dev*",
  "--test-timeout-ms",
  "6000",
  // A failed DPC is retried after 5-10 s, not while the fallback test below checks the node is still
  // managed (a retest takes the ports away for --test-timeout-ms); the test after it removes that DPC.
  "--retry-min-ms",
  "10000",
  "--retry-max-ms",
  "20000",
  "--observe-ms",
  "300",
  "--dhcp-discover-s",
  "1",
  "--dhcp-retry-s",
  "1",
];

describe("nim in a device namespace", () => {
  let rig: NetRig;
  const status = () => rig.table<DeviceNetworkStatus>("nim", "DeviceNetworkStatus").global;
  const list = () => rig.table<DevicePortConfigList>("nim", "DevicePortConfigList").global;
  const waitStatus = async (pred: (s: DeviceNetworkStatus) => boolean, what: string, ms = 30_000) => {
    let last: DeviceNetworkStatus | undefined;
    return waitFor(
      () => {
        last = status();
        return last && pred(last) ? last : undefined;
      },
      ms,
      () => `${what}; last ${JSON.stringify(last)}\n${rig.log("nim", 15)}\n${rig.log("zedagent", 15)}`,
      200,
    );
  };
  const doc = (ports: string, items = "") => `configItems:
  timer.config.interval: "1"
  timer.metric.interval: "2"
${items}${ports}`;
  interface DeviceView {
    ports?: { ifname: string; name: string; uplink: boolean; addrs: string[]; gateways: string[] }[];
    portConfigs?: { key: string; inUse: boolean; lastFailed?: string; lastError?: string; ports: string[] }[];
  }
  const device = () => rig.ctlJson<DeviceView>("devices", "get", rig.serial);
  const waitDevice = async (pred: (d: DeviceView) => boolean, what: string) => {
    let last: DeviceView | undefined;
    return waitFor(
      () => {
        last = device();
        return pred(last) ? last : undefined;
      },
      30_000,
      () => `${what}; last ${JSON.stringify(last)}\n${rig.log("zedagent", 10)}`,
      500,
    );
  };

  beforeAll(async () => {
    rig = new NetRig();
    await rig.startController();
    rig.nodeConfig();
    rig.startDhcp({ leaseSeconds: 10 });
    rig.start("nim", NIM_ARGS);
    rig.start("client", ["selfRegister", "getUuid", "--retry-min-ms", "300", "--retry-max-ms", "1000"]);
  }, 60_000);

  afterAll(async () => {
    await rig?.cleanup();
  });

  it("gets an address by DHCP on the last-resort DPC and onboards over it", async () => {
    const s = await waitStatus((s) => s.state === "ok" && s.dpcKey === "lastresort", "last resort in use");
    const port = s.ports[0];
    expect(port?.ifname).toBe("dev0");
    expect(port?.dhcp).toBe("dhcp");
    expect(port?.addrs[0]).toMatch(new RegExp(`^${rig.net.replaceAll(".", "\\.")}\\.1[0-5]\\d/24$`));
    expect(port?.gateways).toEqual([rig.upIp]);
    expect(port?.dns).toEqual([rig.upIp]);
    await waitFor(
      () => rig.onboardingUuid(),
      30_000,
      () => `onboarding\n${rig.agent("client")?.output()}`,
    );
    // zedagent from here on, with a first config to poll every second.
    rig.setConfig(doc(""));
    rig.start("zedagent");
  }, 60_000);

  it("applies a static DPC from the controller and reports it in use", async () => {
    rig.setConfig(
      doc(`networks:
  - { id: lan, dhcp: static, subnet: ${rig.net}.0/24, gateway: ${rig.upIp}, dns: [${rig.upIp}] }
ports:
  - { name: uplink, ifname: dev0, network: lan, addr: ${rig.net}.50 }
`),
    );
    const s = await waitStatus(
      (s) => s.state === "ok" && s.dpcKey === "zedagent" && s.ports[0]?.addrs[0] === `${rig.net}.50/24`,
      "the controller's DPC in use",
    );
    expect(s.ports[0]).toMatchObject({
      ifname: "dev0",
      logicalLabel: "uplink",
      dhcp: "static",
      addrs: [`${rig.net}.50/24`],
      gateways: [rig.upIp],
    });
    const l = list();
    expect(l?.entries.map((e) => e.key)).toEqual(["zedagent", "lastresort"]);
    expect(l?.currentIndex).toBe(0);
    // Reported: ZInfoDevice.network and systemAdapter, as `ctl devices get` shows them.
    const d = await waitDevice(
      (d) => d.ports?.[0]?.addrs[0] === `${rig.net}.50` && d.portConfigs?.[0]?.inUse === true,
      "the static port reported",
    );
    expect(d.ports?.[0]).toMatchObject({
      ifname: "dev0",
      name: "uplink",
      uplink: true,
      gateways: [rig.upIp],
    });
    expect(d.portConfigs?.map((c) => [c.key, c.ports])).toEqual([
      ["zedagent", [`dev0:static ${rig.net}.50/24`]],
      ["lastresort", ["dev0:dhcp"]],
    ]);
    // Per-interface counters in the device metrics.
    const m = await waitFor(
      () => {
        const all = rig.ctlJson<
          { value: { dm?: { network?: { iName: string; alias?: string; txBytes?: number }[] } } }[]
        >("metrics", rig.serial);
        return all
          .map((r) => r.value.dm?.network?.find((n) => n.iName === "dev0"))
          .find((n) => n?.alias === "uplink");
      },
      20_000,
      "networkMetric of dev0",
      500,
    );
    expect(m.txBytes).toBeGreaterThan(0);
  }, 60_000);

  it("falls back to the working DPC when the controller pushes a bad static IP, and stays managed", async () => {
    const badPorts = `networks:
  - { id: lan, dhcp: static, subnet: 10.254.254.0/24, gateway: 10.254.254.1 }
ports:
  - { name: uplink, ifname: dev0, network: lan, addr: 10.254.254.5 }
`;
    rig.setConfig(doc(badPorts));
    const s = await waitStatus(
      (s) => s.state === "ok" && s.dpcKey === "lastresort",
      "fallback to the last resort",
      40_000,
    );
    expect(s.ports[0]?.addrs[0]).toMatch(new RegExp(`^${rig.net.replaceAll(".", "\\.")}\\.`));
    const failed = list()?.entries.find((e) => e.key === "zedagent");
    expect(failed?.lastFailed).toBeGreaterThan(0);
    expect(failed?.lastError).toMatch(/controller|no usable/);
    expect(list()?.currentIndex).toBe(1);
    const d = await waitDevice(
      (d) =>
        !!d.portConfigs?.find((c) => c.key === "zedagent")?.lastFailed && d.portConfigs?.[1]?.inUse === true,
      "the failed DPC reported",
    );
    expect(d.portConfigs?.[0]?.lastError).toMatch(/controller|no usable/);
    // Still managed: a new config (same bad ports, one more item) reaches the node over the fallback.
    const { version } = rig.setConfig(doc(badPorts, `  timer.deviceinfo.interval: "7"\n`));
    await waitFor(
      () =>
        rig.table<{ configVersion?: string }>("zedagent", "ZedAgentStatus").global?.configVersion ===
        String(version),
      30_000,
      () => `config ${version} applied over the fallback\n${rig.log("zedagent", 10)}`,
      300,
    );
  }, 90_000);

  it("recovers by itself when the DHCP server goes away and comes back", async () => {
    // Back to DHCP only: the controller's DPC goes, the last resort stays in use.
    rig.setConfig(doc(""));
    await waitFor(() => list()?.entries.length === 1, 20_000, "the controller's DPC removed", 300);
    await waitStatus(
      (s) => s.state === "ok" && s.dpcKey === "lastresort" && (s.ports[0]?.addrs.length ?? 0) > 0,
      "DHCP address",
    );
    await rig.stopDhcp();
    // The 10 s lease runs out: the address goes and nim shows 1 blink (no usable IP).
    await waitStatus((s) => (s.ports[0]?.addrs.length ?? 1) === 0, "the lease lost", 30_000);
    await waitFor(
      () => rig.table<LedBlinkCounter>("nim", "LedBlinkCounter").global?.blinkCount === 1,
      10_000,
      "1 blink",
      300,
    );
    rig.startDhcp({ leaseSeconds: 10 });
    const s = await waitStatus(
      (s) => (s.ports[0]?.addrs.length ?? 0) > 0 && s.state === "ok" && s.ports[0]?.error === "",
      "a new lease",
      30_000,
    );
    expect(s.ports[0]?.dns).toEqual([rig.upIp]);
    await waitFor(
      () => rig.table<LedBlinkCounter>("nim", "LedBlinkCounter").global === undefined,
      10_000,
      "LED released",
      300,
    );
    // Link down and up (the cable): reported down, then up again with its address.
    rig.up.ip("link", "set", "up0", "down");
    await waitStatus((s) => s.ports[0]?.up === false, "link down reported");
    rig.up.ip("link", "set", "up0", "up");
    await waitStatus((s) => s.ports[0]?.up === true && (s.ports[0]?.addrs.length ?? 0) > 0, "link up again");
  }, 90_000);

  it("applies the override file (EVE's DevicePortConfig JSON); a bad one is logged and changes nothing", async () => {
    const dir = join(rig.nroot, "config/DevicePortConfig");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "override.json"),
      JSON.stringify({
        Version: 1,
        Key: "override",
        Ports: [
          {
            IfName: "dev0",
            Logicallabel: "site",
            IsMgmt: true,
            Dhcp: 1,
            AddrSubnet: `${rig.net}.60/24`,
            Gateway: rig.upIp,
            DNSServers: [rig.upIp],
          },
        ],
      }),
    );
    const s = await waitStatus(
      (s) => s.state === "ok" && s.dpcKey === "override" && s.ports[0]?.addrs[0] === `${rig.net}.60/24`,
      "the override in use",
    );
    expect(s.ports[0]).toMatchObject({ logicalLabel: "site", dhcp: "static", dns: [rig.upIp] });
    expect(readFileSync(join(rig.nroot, "etc/resolv.conf"), "utf8")).toContain(`nameserver ${rig.upIp}`);
    writeFileSync(join(dir, "override.json"), "{ not json");
    await waitFor(
      () => rig.log("nim", 20).includes("override DevicePortConfig ignored"),
      10_000,
      "the bad file logged",
      200,
    );
    expect(status()?.dpcKey).toBe("override");
  }, 60_000);
});
