// The controller's systemAdapterList + networks as nim's DevicePortConfig.
import { eve } from "@outpost/evecloud";
import { describe, expect, it } from "vitest";
import { portsFromConfig } from "../src/port-config.js";

describe("portsFromConfig", () => {
  it("translates a static network, a DHCP one with a proxy, and no ports", () => {
    const cfg: eve.config.IEdgeDevConfig = {
      networks: [
        {
          id: "n1",
          ip: {
            dhcp: eve.common.DHCPType.Static,
            subnet: "192.0.2.0/24",
            gateway: "192.0.2.1",
            dns: ["192.0.2.53"],
            ntp: "192.0.2.123",
            more_ntp: ["192.0.2.124"],
          },
          mtu: 1400,
        },
        {
          id: "n2",
          ip: { dhcp: eve.common.DHCPType.Client },
          entProxy: { networkProxyEnable: true, networkProxyURL: "http://10.0.0.1:3128", exceptions: ".lan" },
        },
      ],
      systemAdapterList: [
        { name: "uplink", lowerLayerName: "eth0", uplink: true, networkUUID: "n1", addr: "192.0.2.5" },
        { name: "eth1", uplink: false, networkUUID: "n2" },
      ],
    };
    const d = portsFromConfig(cfg, 42);
    expect(d?.key).toBe("zedagent");
    expect(d?.timePriority).toBe(42);
    expect(d?.ports[0]).toEqual({
      ifname: "eth0",
      logicalLabel: "uplink",
      isMgmt: true,
      dhcp: "static",
      addr: "192.0.2.5/24",
      gateway: "192.0.2.1",
      dns: ["192.0.2.53"],
      domain: "",
      ntpServers: ["192.0.2.123", "192.0.2.124"],
      mtu: 1400,
    });
    expect(d?.ports[1]).toMatchObject({
      ifname: "eth1",
      isMgmt: false,
      dhcp: "dhcp",
      proxy: { url: "http://10.0.0.1:3128", exceptions: ".lan" },
    });
    expect(portsFromConfig({}, 1)).toBeUndefined();
  });
});
