// The override file (EVE's shape) and the last-resort DPC; zedagent's translation of the controller's
// systemAdapterList + networks.
import { describe, expect, it } from "vitest";
import { lastResort, OverrideError, parseOverride } from "../src/sources.js";

describe("override.json", () => {
  it("reads EVE's DevicePortConfig fields", () => {
    const d = parseOverride(
      JSON.stringify({
        Version: 1,
        Key: "override",
        TimePriority: "2024-01-02T03:04:05Z",
        Ports: [
          {
            IfName: "eth0",
            Logicallabel: "uplink",
            IsMgmt: true,
            Dhcp: 1,
            AddrSubnet: "192.0.2.5/24",
            Gateway: "192.0.2.1",
            DNSServers: ["192.0.2.53"],
            NTPServer: "192.0.2.123",
            MTU: 1400,
            Proxies: [{ Type: 0, Server: "proxy.example", Port: 3128 }],
            Exceptions: ".local",
          },
          { IfName: "eth1", Dhcp: 4, IsMgmt: false },
        ],
      }),
      0,
    );
    expect(d.key).toBe("override");
    expect(d.timePriority).toBe(Date.parse("2024-01-02T03:04:05Z"));
    expect(d.ports[0]).toEqual({
      ifname: "eth0",
      logicalLabel: "uplink",
      isMgmt: true,
      dhcp: "static",
      addr: "192.0.2.5/24",
      gateway: "192.0.2.1",
      dns: ["192.0.2.53"],
      domain: "",
      ntpServers: ["192.0.2.123"],
      mtu: 1400,
      proxy: { url: "http://proxy.example:3128", exceptions: ".local" },
    });
    expect(d.ports[1]).toMatchObject({ ifname: "eth1", dhcp: "dhcp", isMgmt: false });
  });

  it("says what is wrong with a bad file", () => {
    expect(() => parseOverride("{", 0)).toThrow(OverrideError);
    expect(() => parseOverride(JSON.stringify({ Ports: [{ Dhcp: 4 }] }), 0)).toThrow(/IfName: required/);
    expect(() => parseOverride(JSON.stringify({ Ports: [{ IfName: "eth0", Dhcp: 1 }] }), 0)).toThrow(
      /AddrSubnet/,
    );
    expect(() => parseOverride(JSON.stringify({ Ports: [{ IfName: "eth0", Dhcp: 3 }] }), 0)).toThrow(/Dhcp/);
  });
});

describe("last resort", () => {
  it("puts every port on DHCP, lowest priority", () => {
    const d = lastResort(["eth1", "eth0"]);
    expect(d.timePriority).toBe(0);
    expect(d.ports.map((p) => [p.ifname, p.dhcp, p.isMgmt])).toEqual([
      ["eth0", "dhcp", true],
      ["eth1", "dhcp", true],
    ]);
  });
});
