// The pure parts of reaching a datastore through nim's proxy: which proxy a host gets (EVE's
// comma-separated exceptions), what the absolute-URI request for plain http looks like, and the
// proxy credentials and endpoint shared with the CONNECT tunnel.
import { proxyAuthorization, proxyEndpoint } from "@outpost/primitives/proxy-tunnel";
import { connectionFingerprint, type DeviceNetworkStatus, proxyFor } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { proxiedHttpRequest } from "../src/http-client.js";

function status(proxy?: { url: string; exceptions: string }, up = true): DeviceNetworkStatus {
  return {
    dpcKey: "zedagent",
    currentIndex: 0,
    state: "ok",
    ports: [
      {
        ifname: "eth0",
        logicalLabel: "eth0",
        isMgmt: true,
        up,
        mac: "",
        dhcp: "dhcp",
        addrs: ["192.0.2.5/24"],
        gateways: [],
        dns: [],
        domain: "",
        ntpServers: [],
        mtu: 1500,
        ...(proxy ? { proxy } : {}),
        error: "",
      },
    ],
    updatedAt: 0,
  };
}

describe("proxyFor (datastore hosts)", () => {
  const s = status({ url: "http://proxy.lan:3128", exceptions: "Files.Example.com, .internal.lan,10.0.0.9" });
  it("routes a host through the port's proxy unless it is an exception", () => {
    expect(proxyFor(s, "registry.example.org")).toBe("http://proxy.lan:3128");
    expect(proxyFor(s, "files.example.com")).toBeUndefined();
    expect(proxyFor(s, "FILES.EXAMPLE.COM")).toBeUndefined();
    expect(proxyFor(s, "a.b.internal.lan")).toBeUndefined();
    expect(proxyFor(s, "internal.lan")).toBeUndefined();
    expect(proxyFor(s, "notinternal.lan")).toBe("http://proxy.lan:3128");
    expect(proxyFor(s, "10.0.0.9")).toBeUndefined();
    expect(proxyFor(s, "10.0.0.90")).toBe("http://proxy.lan:3128");
  });
  it("goes direct without nim, without a proxy, or when no management port is usable", () => {
    expect(proxyFor(undefined, "x.example")).toBeUndefined();
    expect(proxyFor(status(), "x.example")).toBeUndefined();
    expect(proxyFor(status({ url: "http://p:1", exceptions: "" }, false), "x.example")).toBeUndefined();
  });
  it("the fingerprint changes with the proxy, not with the publication time", () => {
    const a = status({ url: "http://p:1", exceptions: "" });
    expect(connectionFingerprint({ ...a, updatedAt: 5 })).toBe(connectionFingerprint(a));
    expect(connectionFingerprint(status({ url: "http://p:2", exceptions: "" }))).not.toBe(
      connectionFingerprint(a),
    );
  });
});

describe("plain http through a proxy", () => {
  it("sends the absolute URI to the proxy, with the origin's Host and the proxy's credentials", () => {
    const r = proxiedHttpRequest(
      new URL("http://files.example.com:8080/blobs/a.tar?x=1"),
      "http://edge%40site:p%3Ass@proxy.lan:3128",
      { Range: "bytes=10-" },
    );
    expect(r).toEqual({
      host: "proxy.lan",
      port: 3128,
      path: "http://files.example.com:8080/blobs/a.tar?x=1",
      headers: {
        Range: "bytes=10-",
        Host: "files.example.com:8080",
        "Proxy-Authorization": `Basic ${Buffer.from("edge@site:p:ss").toString("base64")}`,
      },
    });
  });
  it("sends no credentials when the proxy has none; port 80 and IPv6 literals", () => {
    const r = proxiedHttpRequest(new URL("http://[2001:db8::1]/a"), "http://[2001:db8::3128]", {});
    expect(r).toEqual({
      host: "2001:db8::3128",
      port: 80,
      path: "http://[2001:db8::1]/a",
      headers: { Host: "[2001:db8::1]" },
    });
    expect(proxyAuthorization(new URL("http://proxy.lan:3128"))).toBeUndefined();
    expect(proxyEndpoint(new URL("http://proxy.lan"))).toEqual({ host: "proxy.lan", port: 80 });
  });
});
