// The downloader against a real docker-registry (htpasswd basic auth): resolve a tag, fetch the
// manifest by digest, then its config and layer blobs by digest.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { buildTestImage, removeImages, TestRegistry, waitFor } from "@outpost/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blob, DownloadNode, sha256Of } from "./harness.js";

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

describe("downloader: OCI registry datastore", () => {
  let node: DownloadNode;
  let registry: TestRegistry;
  const tag = `outpost-test/dl-${process.pid}:1`;
  beforeEach(async () => {
    node = await DownloadNode.start();
    buildTestImage(tag, { cmd: ["sh", "-c", "echo hello"], node: node.root, padBytes: 300_000 });
    registry = await TestRegistry.start({ auth: { username: "edge", password: "pull-me" } });
  });
  afterEach(async () => {
    await node.stop();
    await registry?.stop();
    removeImages(tag);
  });

  it("resolves repo:tag to the manifest digest and fetches manifest, config and layers by digest (basic auth)", async () => {
    const pushed = registry.push(tag, "apps/hello:v1");
    await node.datastores.set("reg", {
      id: "reg",
      type: "registry",
      fqdn: registry.host,
      path: "",
      username: "edge",
      password: "pull-me",
      caCertsPem: [],
      insecure: true,
    });
    await node.datastores.set("anon", {
      id: "anon",
      type: "registry",
      fqdn: registry.host,
      path: "",
      username: "",
      password: "",
      caCertsPem: [],
      insecure: true,
    });
    node.startDownloader(["--retry-min", "5"]);

    await node.resolves.set("ct1", {
      contentTreeId: "ct1",
      datastoreId: "reg",
      relativeUrl: "apps/hello:v1",
      generation: 3,
    });
    await node.resolves.set("ct2", {
      contentTreeId: "ct2",
      datastoreId: "anon",
      relativeUrl: "apps/hello:v1",
      generation: 0,
    });
    await waitResolved(node, "ct1");
    const r = node.resolveStatus.get("ct1");
    expect(r).toMatchObject({ contentTreeId: "ct1", generation: 3, sha256: pushed.slice("sha256:".length) });
    expect(r?.mediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
    expect(r?.size).toBeGreaterThan(0);
    await waitResolved(node, "ct2");
    expect(node.resolveStatus.get("ct2")?.error?.description).toMatch(/HTTP 401.*no credentials configured/);

    const manifestSha = r?.sha256 as string;
    await node.downloads.set(
      manifestSha,
      blob(manifestSha, "reg", "apps/hello", { kind: "manifest", size: r?.size ?? 0 }),
    );
    const m = await node.waitDownload(manifestSha, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(m.path as string)).toBe(manifestSha);
    expect(m.mediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
    const manifest = JSON.parse(readFileSync(m.path as string, "utf8")) as {
      config: Descriptor;
      layers: Descriptor[];
    };

    const parts = [
      { ...manifest.config, kind: "config" as const },
      ...manifest.layers.map((l) => ({ ...l, kind: "layer" as const })),
    ];
    for (const p of parts) {
      const hex = p.digest.slice("sha256:".length);
      await node.downloads.set(hex, blob(hex, "reg", "apps/hello", { kind: p.kind, size: p.size }));
    }
    for (const p of parts) {
      const hex = p.digest.slice("sha256:".length);
      const s = await node.waitDownload(hex, (s) => s.state === "DOWNLOADED");
      expect(s.totalSize).toBe(p.size);
      expect(sha256Of(s.path as string)).toBe(hex);
    }
    // The config blob is the image's config: its digest is the image id docker reports.
    const imageId = execFileSync("docker", ["image", "inspect", "-f", "{{.Id}}", tag], {
      encoding: "utf8",
    }).trim();
    expect(manifest.config.digest).toBe(imageId);
  });
});

async function waitResolved(node: DownloadNode, id: string): Promise<void> {
  await waitFor(
    () => node.resolveStatus.get(id),
    20_000,
    () => `ResolveStatus for ${id}\n${node.logs()}`,
  );
}
