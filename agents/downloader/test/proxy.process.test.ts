// The downloader follows nim's proxy: a test bus publishing as "nim" gives DeviceNetworkStatus with a
// proxy on the management port; datastores named *.proxy-test.invalid resolve nowhere, so only the
// proxy (which maps those names to 127.0.0.1) reaches them. https goes through a CONNECT tunnel (TLS
// verified end to end against the datastore's CA), plain http as absolute-URI requests; a host in the
// proxy exceptions goes direct; after the network changes, a download in progress finishes on its
// connection and the next one takes the new proxy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, zmqTransport } from "@outpost/pubsub";
import {
  buildTestImage,
  type CountingProxy,
  removeImages,
  selfSignedCert,
  startConnectProxy,
  TestDatastore,
  TestRegistry,
  waitFor,
} from "@outpost/testkit";
import {
  DEVICE_NETWORK_KEY,
  type DeviceNetworkStatus,
  DeviceNetworkStatusCodec,
  NIM_TOPICS,
} from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blob, DownloadNode, httpDatastore, randomFile, sha256Of } from "./harness.js";

const TLS_NAME = "blobs.proxy-test.invalid";
const PLAIN_NAME = "plain.proxy-test.invalid";
const REGISTRY_NAME = "registry.proxy-test.invalid";

function network(proxy: string, exceptions: string, addr = "192.0.2.5/24"): DeviceNetworkStatus {
  return {
    dpcKey: "zedagent",
    currentIndex: 0,
    state: "ok",
    ports: [
      {
        ifname: "eth0",
        logicalLabel: "eth0",
        isMgmt: true,
        up: true,
        mac: "",
        dhcp: "static",
        addrs: [addr],
        gateways: [],
        dns: [],
        domain: "",
        ntpServers: [],
        mtu: 1500,
        proxy: { url: proxy, exceptions },
        error: "",
      },
    ],
    updatedAt: Date.now(),
  };
}

describe("downloader: through nim's proxy", () => {
  let node: DownloadNode;
  let nim: PubSub;
  let net: Publication<DeviceNetworkStatus>;
  let dir: string;
  let tlsDs: TestDatastore;
  let plainDs: TestDatastore;
  let proxy1: CountingProxy;
  let proxy2: CountingProxy;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "op-proxy-files-"));
    node = await DownloadNode.start();
    const hosts = { [TLS_NAME]: "127.0.0.1", [PLAIN_NAME]: "127.0.0.1", [REGISTRY_NAME]: "127.0.0.1" };
    [proxy1, proxy2] = await Promise.all([
      startConnectProxy(undefined, "127.0.0.1", 0, hosts),
      startConnectProxy(undefined, "127.0.0.1", 0, hosts),
    ]);
    nim = new PubSub({
      agent: "nim",
      transport: zmqTransport(node.layout.run),
      persistDir: node.layout.pubsubPersist,
      loop: new MainLoop(),
    });
    net = await nim.publish({ topic: NIM_TOPICS.deviceNetworkStatus, codec: DeviceNetworkStatusCodec });
  });
  afterAll(async () => {
    await Promise.allSettled([tlsDs?.close(), plainDs?.close(), proxy1?.stop(), proxy2?.stop()]);
    await nim?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fetches https and http blobs through the proxy, exceptions direct, and follows a change", async () => {
    const tls = selfSignedCert([TLS_NAME]);
    tlsDs = await TestDatastore.start({ dir, tls });
    plainDs = await TestDatastore.start({ dir });
    await net.set(DEVICE_NETWORK_KEY, network(proxy1.url, "127.0.0.1, .direct.invalid"));
    await node.datastores.set("tls", {
      ...httpDatastore("tls", `${TLS_NAME}:${tlsDs.port}`),
      type: "https",
      caCertsPem: [tls.cert],
    });
    await node.datastores.set("plain", httpDatastore("plain", `${PLAIN_NAME}:${plainDs.port}`));
    await node.datastores.set("direct", httpDatastore("direct", plainDs.host));
    node.startDownloader(["--retry-min", "0.2", "--retry-max", "1"]);

    // https: a CONNECT tunnel to the name only the proxy resolves; the datastore's CA verifies it.
    const a = randomFile(join(dir, "a.tar"), 500_000);
    await node.downloads.set(a, blob(a, "tls", "a.tar"));
    const sa = await node.waitDownload(a, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(sa.path as string)).toBe(a);
    expect(proxy1.tunnels()).toBeGreaterThanOrEqual(1);

    // plain http: the absolute-URI form through the proxy.
    const b = randomFile(join(dir, "b.tar"), 300_000);
    await node.downloads.set(b, blob(b, "plain", "b.tar"));
    const sb = await node.waitDownload(b, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(sb.path as string)).toBe(b);
    const forwarded = proxy1.forwards();
    expect(forwarded).toBeGreaterThanOrEqual(1);

    // A host in the exceptions goes direct: the datastore serves it, the proxy sees nothing.
    const c = randomFile(join(dir, "c.tar"), 200_000);
    const tunnels = proxy1.tunnels();
    await node.downloads.set(c, blob(c, "direct", "c.tar"));
    const sc = await node.waitDownload(c, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(sc.path as string)).toBe(c);
    expect(plainDs.requests.some((r) => r.path.endsWith("/c.tar") && r.status === 200)).toBe(true);
    expect(proxy1.forwards()).toBe(forwarded);
    expect(proxy1.tunnels()).toBe(tunnels);

    // The network changes (another proxy) while a slow download runs: it finishes on its tunnel,
    // in one request (not broken and resumed); the next download goes through the new proxy.
    const d = randomFile(join(dir, "d.tar"), 1_000_000);
    tlsDs.rateBytesPerSec = 400_000;
    await node.downloads.set(d, blob(d, "tls", "d.tar"));
    await node.waitDownload(d, (s) => s.currentSize > 0 && s.state !== "DOWNLOADED", 15_000, "d running");
    await net.set(DEVICE_NETWORK_KEY, network(proxy2.url, "127.0.0.1", "192.0.2.6/24"));
    const sd = await node.waitDownload(d, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(sd.path as string)).toBe(d);
    expect(tlsDs.requests.filter((r) => r.path.endsWith("/d.tar"))).toEqual([
      expect.objectContaining({ method: "GET", range: undefined }),
    ]);
    expect(proxy2.tunnels()).toBe(0);
    tlsDs.rateBytesPerSec = undefined;

    const e = randomFile(join(dir, "e.tar"), 200_000);
    await node.downloads.set(e, blob(e, "tls", "e.tar"));
    const se = await node.waitDownload(e, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(se.path as string)).toBe(e);
    expect(proxy2.tunnels()).toBeGreaterThanOrEqual(1);

    // The proxy goes away: the download's error says the proxy refused, and it is retried.
    await proxy2.stop();
    const f = randomFile(join(dir, "f.tar"), 1000);
    await node.downloads.set(f, blob(f, "tls", "f.tar"));
    const sf = await node.waitDownload(f, (s) => s.error !== undefined);
    expect(sf.error?.description).toMatch(/proxy 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    expect(sf.error?.retryCondition).toMatch(/retrying in/);
  });

  it("resolves a tag and fetches the manifest from an OCI registry through the proxy", async () => {
    const tag = `outpost-test/dl-proxy-${process.pid}:1`;
    buildTestImage(tag, { cmd: ["true"], node: node.root });
    const registry = await TestRegistry.start();
    try {
      const pushed = registry.push(tag, "apps/proxied:v1");
      await net.set(DEVICE_NETWORK_KEY, network(proxy1.url, "127.0.0.1"));
      await node.datastores.set("reg", {
        ...httpDatastore("reg", `${REGISTRY_NAME}:${registry.port}`),
        type: "registry",
        insecure: true,
      });
      const before = proxy1.forwards();
      await node.resolves.set("ct1", {
        contentTreeId: "ct1",
        datastoreId: "reg",
        relativeUrl: "apps/proxied:v1",
        generation: 0,
      });
      await waitFor(
        () => node.resolveStatus.get("ct1"),
        20_000,
        () => `ResolveStatus ct1\n${node.logs()}`,
      );
      const r = node.resolveStatus.get("ct1");
      expect(r?.error).toBeUndefined();
      expect(r?.sha256).toBe(pushed.slice("sha256:".length));
      const sha = r?.sha256 as string;
      await node.downloads.set(
        sha,
        blob(sha, "reg", "apps/proxied", { kind: "manifest", size: r?.size ?? 0 }),
      );
      const m = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
      expect(sha256Of(m.path as string)).toBe(sha);
      expect(proxy1.forwards() - before).toBeGreaterThanOrEqual(2);
    } finally {
      await registry.stop();
      removeImages(tag);
    }
  });
});
