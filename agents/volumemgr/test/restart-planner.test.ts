// The pass right after a restart of volumemgr: a blob is asked for only once the downloader's and the
// verifier's statuses are known, so the retry it asks for continues the downloader's (a different
// retry makes the downloader start over and delete its .part). Pure: no Docker, no sockets.
import type { DownloaderStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { reconcile, type World } from "../src/reconcile.js";

const A = "a".repeat(64);

function world(o: Partial<World> = {}): World {
  return {
    root: "/tmp/op-unit",
    arch: "amd64",
    now: 1_000_000,
    datastores: new Map([
      [
        "ds1",
        {
          id: "ds1",
          type: "http",
          fqdn: "127.0.0.1:1",
          path: "",
          username: "",
          password: "",
          caCertsPem: [],
          insecure: false,
        },
      ],
    ]),
    contentTrees: new Map([
      [
        "ct1",
        {
          id: "ct1",
          datastoreId: "ds1",
          relativeUrl: "img.tar",
          format: "CONTAINER",
          sha256: A,
          maxSizeBytes: 0,
          displayName: "img",
          generation: 0,
        },
      ],
    ]),
    volumes: new Map([
      [
        "v1#0",
        {
          id: "v1",
          generation: 0,
          origin: "download",
          contentTreeId: "ct1",
          maxSizeBytes: 0,
          readOnly: false,
          displayName: "",
        },
      ],
    ]),
    volumeRefs: new Map([["v1#0", { volumeId: "v1", generation: 0, apps: ["app1"], localGeneration: 0 }]]),
    downloader: new Map(),
    resolve: new Map(),
    verifier: new Map(),
    synced: { datastores: true, contentTrees: true, volumes: true },
    gcAllowed: true,
    manifests: new Map(),
    images: new Map(),
    dockerVolumes: new Set(),
    ops: new Map(),
    attempts: new Map(),
    prev: {
      contentTrees: new Map(),
      volumes: new Map(),
      volumeRefs: new Map(),
      blobs: new Map(),
      verifyConfigs: new Map(),
    },
    downloadedPath: (sha) => `/dl/${sha}`,
    ...o,
  };
}

const downloading = (retry: number): DownloaderStatus => ({
  sha256: A,
  state: "DOWNLOADING",
  currentSize: 5_000_000,
  totalSize: 16_000_000,
  progress: 31,
  fetchedBytes: 5_000_000,
  retryCount: 0,
  retry,
});

describe("volumemgr's first pass after a restart", () => {
  it("asks nothing for a blob until the downloader's and verifier's statuses are known", () => {
    const synced = { datastores: true, contentTrees: true, volumes: true, blobStatuses: false };
    const p = reconcile(world({ synced }));
    expect(p.actions.filter((a) => a.kind === "publishDownloaderConfig")).toEqual([]);
    expect(p.attempts.size).toBe(0); // nothing remembered from half the facts
    expect(p.blobs.get(A)?.state).toBe("DOWNLOADING"); // but shown
  });

  it("then continues the retry the downloader is at (here 1, after a failed verification)", () => {
    const synced = { datastores: true, contentTrees: true, volumes: true, blobStatuses: true };
    const p = reconcile(world({ synced, downloader: new Map([[A, downloading(1)]]) }));
    const asked = p.actions.flatMap((a) => (a.kind === "publishDownloaderConfig" ? [a.config] : []));
    expect(asked).toHaveLength(1);
    expect(asked[0]?.retry).toBe(1);
    expect(p.attempts.get(A)?.retry).toBe(1);
  });

  it("a blob already in progress in this run is not held back", () => {
    const first = reconcile(world({ downloader: new Map([[A, downloading(0)]]) }));
    const synced = { datastores: true, contentTrees: true, volumes: true, blobStatuses: false };
    const p = reconcile(world({ synced, attempts: first.attempts }));
    expect(p.actions.filter((a) => a.kind === "publishDownloaderConfig")).toHaveLength(1);
  });
});
