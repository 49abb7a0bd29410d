// The formats nim reads and writes: SNTP packets, `ip -j addr`, udhcpc's lease file, resolv.conf.
import { describe, expect, it } from "vitest";
import { parseLease } from "../src/dhcp.js";
import { parseLinks, portMatcher, resolvConf } from "../src/netops.js";
import { parseSntpReply, sntpRequest } from "../src/sntp.js";

describe("SNTP", () => {
  it("computes the offset and delay of an exchange", () => {
    const t1 = 1_700_000_000_000;
    const req = sntpRequest(t1);
    expect(req[0]).toBe(0x23); // LI 0, version 4, mode 3
    // A server 60 s ahead: received 10 ms after sending, answered 1 ms later, arrives 10 ms later.
    const reply = Buffer.alloc(48);
    reply[0] = 0x24;
    reply[1] = 2;
    req.copy(reply, 24, 40, 48);
    const put = (at: number, ms: number) => {
      const s = Math.floor(ms / 1000);
      reply.writeUInt32BE((s + 2_208_988_800) >>> 0, at);
      reply.writeUInt32BE(Math.floor(((ms - s * 1000) / 1000) * 2 ** 32) >>> 0, at + 4);
    };
    put(32, t1 + 60_000 + 10);
    put(40, t1 + 60_000 + 11);
    const r = parseSntpReply(reply, t1, t1 + 21, "ntp");
    expect(r.offsetMs).toBe(60_000);
    expect(r.delayMs).toBe(20);
    expect(r.stratum).toBe(2);
    expect(() => parseSntpReply(reply, t1 + 5000, t1 + 21, "ntp")).toThrow(/another request/);
    reply[1] = 0;
    expect(() => parseSntpReply(reply, t1, t1 + 21, "ntp")).toThrow(/kiss-of-death/);
  });
});

describe("links, leases, resolv.conf", () => {
  it("reads ip -j addr: state, MAC, global addresses only", () => {
    const links = parseLinks(
      JSON.stringify([
        {
          ifname: "lo",
          link_type: "loopback",
          operstate: "UNKNOWN",
          flags: ["LOOPBACK", "UP", "LOWER_UP"],
          addr_info: [{ family: "inet", local: "127.0.0.1", prefixlen: 8, scope: "host" }],
        },
        {
          ifname: "eth0",
          address: "02:00:00:00:00:01",
          link_type: "ether",
          operstate: "UP",
          mtu: 1500,
          addr_info: [
            { family: "inet", local: "192.0.2.5", prefixlen: 24, scope: "global" },
            { family: "inet6", local: "fe80::1", prefixlen: 64, scope: "link" },
          ],
        },
        { ifname: "eth1", link_type: "ether", operstate: "DOWN" },
      ]),
    );
    expect(links.map((l) => [l.ifname, l.up, l.addrs])).toEqual([
      ["lo", true, []],
      ["eth0", true, ["192.0.2.5/24"]],
      ["eth1", false, []],
    ]);
    expect(links[1]?.mac).toBe("02:00:00:00:00:01");
  });

  it("matches the --ports allow-list", () => {
    const m = portMatcher(["eth*", "enp1s0"]);
    expect(["eth0", "enp1s0", "enp2s0", "wlan0", "docker0"].filter(m)).toEqual(["eth0", "enp1s0"]);
    expect(["eth0"].filter(portMatcher([]))).toEqual([]);
  });

  it("reads the lease udhcpc's script wrote, and writes resolv.conf", () => {
    const l = parseLease(
      "ip=10.1.0.120\nmask=24\nrouter=10.1.0.1 10.1.0.2\ndns=10.1.0.1 9.9.9.9\ndomain=lan\nntpsrv=10.1.0.1\nlease=600\nat=1700000000\n",
    );
    expect(l).toEqual({
      ip: "10.1.0.120",
      mask: 24,
      routers: ["10.1.0.1", "10.1.0.2"],
      dns: ["10.1.0.1", "9.9.9.9"],
      domain: "lan",
      ntpServers: ["10.1.0.1"],
      leaseSeconds: 600,
      at: 1_700_000_000,
    });
    expect(parseLease("")).toBeUndefined();
    expect(resolvConf(["10.1.0.1", "10.1.0.1", "9.9.9.9"], ["lan"])).toBe(
      "# written by Outpost nim: the DNS of the management ports in use\nsearch lan\nnameserver 10.1.0.1\nnameserver 9.9.9.9\n",
    );
  });
});
