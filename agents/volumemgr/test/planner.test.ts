// The pure planners: blob, content tree, volume and the whole pass with GC. No Docker, no sockets.
import type {
  ContentTreeConfig,
  DatastoreConfig,
  DownloaderStatus,
  VerifyImageStatus,
  VolumeConfig,
  VolumeRefConfig,
} from "@outpost/types";
import { describe, expect, it } from "vitest";
import type { Action, OpState } from "../src/actions.js";
import { type BlobWant, MAX_DOWNLOADS, updateBlob } from "../src/blob.js";
import type { ManifestRead } from "../src/content-tree.js";
import { contentTreeTag, dockerVolumeName } from "../src/naming.js";
import { parseImageUrl, parseManifest } from "../src/oci.js";
import { type Plan, reconcile, type World } from "../src/reconcile.js";

const ROOT = "/tmp/op-unit";
const hex = (c: string) => c.repeat(64).slice(0, 64);
const A = hex("a");
const B = hex("b");
const C = hex("c");
const D = hex("d");

const ds = (o: Partial<DatastoreConfig> = {}): DatastoreConfig => ({
  id: "ds1",
  type: "http",
  fqdn: "127.0.0.1:1",
  path: "",
  username: "",
  password: "",
  caCertsPem: [],
  insecure: false,
  ...o,
});
const tree = (o: Partial<ContentTreeConfig> = {}): ContentTreeConfig => ({
  id: "ct1",
  datastoreId: "ds1",
  relativeUrl: "img.tar",
  format: "CONTAINER",
  sha256: A,
  maxSizeBytes: 0,
  displayName: "app-image",
  generation: 0,
  ...o,
});
const vol = (o: Partial<VolumeConfig> = {}): VolumeConfig => ({
  id: "v1",
  generation: 0,
  origin: "download",
  contentTreeId: "ct1",
  maxSizeBytes: 0,
  readOnly: false,
  displayName: "",
  ...o,
});
const ref = (o: Partial<VolumeRefConfig> = {}): VolumeRefConfig => ({
  volumeId: "v1",
  generation: 0,
  apps: ["app1"],
  localGeneration: 0,
  ...o,
});
const dl = (sha: string, o: Partial<DownloaderStatus> = {}): DownloaderStatus => ({
  sha256: sha,
  state: "DOWNLOADED",
  path: `/dl/${sha}`,
  currentSize: 100,
  totalSize: 100,
  progress: 100,
  fetchedBytes: 100,
  retryCount: 0,
  retry: 0,
  ...o,
});
const vf = (sha: string, o: Partial<VerifyImageStatus> = {}): VerifyImageStatus => ({
  sha256: sha,
  state: "VERIFIED",
  path: `/verified/${sha}`,
  size: 100,
  retry: 0,
  ...o,
});

function world(o: Partial<World> = {}): World {
  return {
    root: ROOT,
    arch: "amd64",
    now: 1_000_000,
    datastores: new Map([["ds1", ds()]]),
    contentTrees: new Map([["ct1", tree()]]),
    volumes: new Map([["v1#0", vol()]]),
    volumeRefs: new Map([["v1#0", ref()]]),
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
    ...o,
  };
}

const kinds = (p: Plan) => p.actions.map((a) => a.kind).sort();
const find = <K extends Action["kind"]>(p: Plan, k: K) =>
  p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === k);

describe("http content tree", () => {
  it("asks the downloader for the archive, then the verifier, then loads it", () => {
    let p = reconcile(world());
    expect(find(p, "publishDownloaderConfig").map((a) => a.config)).toEqual([
      {
        sha256: A,
        datastoreId: "ds1",
        relativeUrl: "img.tar",
        kind: "archive",
        size: 0,
        maxSizeBytes: 0,
        retry: 0,
      },
    ]);
    expect(p.contentTrees.get("ct1")?.state).toBe("DOWNLOADING");
    expect(p.volumeRefs.get("v1#0")).toMatchObject({ state: "DOWNLOADING", kind: "image" });

    p = reconcile(world({ downloader: new Map([[A, dl(A)]]) }));
    expect(find(p, "publishVerifyImageConfig").map((a) => a.config)).toEqual([
      { sha256: A, path: `/dl/${A}`, size: 100, retry: 0 },
    ]);
    expect(p.contentTrees.get("ct1")?.state).toBe("VERIFYING");

    p = reconcile(world({ downloader: new Map([[A, dl(A)]]), verifier: new Map([[A, vf(A)]]) }));
    expect(kinds(p)).toEqual(["loadImage", "publishVerifyImageConfig"]);
    expect(find(p, "loadImage")[0]?.source).toEqual({ format: "archive", sha256: A, path: `/verified/${A}` });
    expect(p.contentTrees.get("ct1")).toMatchObject({ state: "LOADING", progress: 100, totalSize: 100 });
  });

  it("is LOADED with the image id once its tag is in the engine, and releases its blobs", () => {
    const tag = contentTreeTag(tree());
    const p = reconcile(world({ images: new Map([[tag, "sha256:img"]]), verifier: new Map([[A, vf(A)]]) }));
    expect(p.actions).toEqual([]);
    expect(p.contentTrees.get("ct1")).toMatchObject({ state: "LOADED", imageId: "sha256:img" });
    expect(p.volumeRefs.get("v1#0")).toMatchObject({
      state: "CREATED_VOLUME",
      kind: "image",
      imageId: "sha256:img",
    });
    expect(p.blobs.size).toBe(0);
  });

  it("two volumes on one content tree: one download; the image stays while either is referenced", () => {
    const tag = contentTreeTag(tree());
    const two = {
      volumes: new Map([
        ["v1#0", vol()],
        ["v2#0", vol({ id: "v2" })],
      ]),
      volumeRefs: new Map([
        ["v1#0", ref()],
        ["v2#0", ref({ volumeId: "v2" })],
      ]),
    };
    const p = reconcile(world(two));
    expect(find(p, "publishDownloaderConfig")).toHaveLength(1);
    const loaded = { ...two, images: new Map([[tag, "sha256:img"]]) };
    expect(
      find(
        reconcile(world({ ...loaded, volumeRefs: new Map([["v2#0", ref({ volumeId: "v2" })]]) })),
        "removeImage",
      ),
    ).toEqual([]);
    expect(
      find(reconcile(world({ ...loaded, volumeRefs: new Map() })), "removeImage").map((a) => a.tag),
    ).toEqual([tag]);
  });

  it("an unknown datastore is a clear error on the tree and on the volume ref", () => {
    const p = reconcile(world({ datastores: new Map() }));
    const e = p.contentTrees.get("ct1")?.error;
    expect(e?.description).toBe("content tree app-image: datastore ds1 is unknown");
    expect(e?.source).toEqual({ type: "ContentTree", id: "ct1", name: "app-image" });
    expect(p.volumeRefs.get("v1#0")?.error?.description).toBe(e?.description);
    expect(find(p, "publishDownloaderConfig")).toEqual([]);
    // ...but only once zedagent's table is complete
    expect(
      reconcile(
        world({ datastores: new Map(), synced: { datastores: false, contentTrees: true, volumes: true } }),
      ).contentTrees.get("ct1")?.error,
    ).toBeUndefined();
  });

  it("carries a downloader error (e.g. too large) up to the tree, naming it", () => {
    const err = { description: "blob is larger than maxSizeBytes 10", time: "t", severity: "error" as const };
    const p = reconcile(
      world({ downloader: new Map([[A, dl(A, { state: "DOWNLOADING", path: undefined, error: err })]]) }),
    );
    expect(p.contentTrees.get("ct1")?.error?.description).toBe(
      "content tree app-image: blob is larger than maxSizeBytes 10",
    );
  });

  it("two trees with one sha256 and different URLs: each error names the URL that was fetched", () => {
    const err = {
      description:
        "download of blob aaa failed: http://127.0.0.1:1/one.tar: HTTP 404 (not found on the datastore)",
      time: "t",
      severity: "warning" as const,
    };
    const p = reconcile(
      world({
        contentTrees: new Map([
          ["ct1", tree({ relativeUrl: "one.tar" })],
          ["ct2", tree({ id: "ct2", relativeUrl: "two.tar", displayName: "other" })],
        ]),
        volumes: new Map([
          ["v1#0", vol()],
          ["v2#0", vol({ id: "v2", contentTreeId: "ct2" })],
        ]),
        volumeRefs: new Map([
          ["v1#0", ref()],
          ["v2#0", ref({ volumeId: "v2" })],
        ]),
        downloader: new Map([[A, dl(A, { state: "DOWNLOADING", path: undefined, error: err })]]),
      }),
    );
    const [config] = find(p, "publishDownloaderConfig");
    expect(config?.config.relativeUrl).toBe("one.tar");
    expect(p.contentTrees.get("ct1")?.error?.description).toBe(`content tree app-image: ${err.description}`);
    expect(p.contentTrees.get("ct2")?.error?.description).toBe(
      `content tree other: ${err.description} (blob ${A} is shared with content tree ct1 and was fetched ` +
        "from that tree's source; this tree's own two.tar on datastore ds1 was not tried)",
    );
  });

  it("retries a docker load that failed, after a delay", () => {
    const base = { downloader: new Map([[A, dl(A)]]), verifier: new Map([[A, vf(A)]]) };
    const tag = contentTreeTag(tree());
    const failed = new Map([
      [`load:${tag}`, { running: false as const, error: "bad archive", at: 1_000_000, retryAt: 1_015_000 }],
    ]);
    let p = reconcile(world({ ...base, ops: failed }));
    expect(find(p, "loadImage")).toEqual([]);
    expect(p.contentTrees.get("ct1")?.error?.description).toBe(
      "content tree app-image: docker load failed: bad archive",
    );
    p = reconcile(world({ ...base, ops: failed, now: 1_000_000 + 60_000 }));
    expect(find(p, "loadImage")).toHaveLength(1);
  });
});

describe("RAW content tree wanted by baseosmgr (ContentTreeRef)", () => {
  const raw = () =>
    world({
      contentTrees: new Map([["ct1", tree({ format: "RAW", relativeUrl: "outpost-0.2.0.tar.gz" })]]),
      volumes: new Map(),
      volumeRefs: new Map(),
      treeRefs: new Set(["ct1"]),
    });
  it("downloads and verifies the file, then is VERIFIED with its path; nothing is loaded, the verify config stays", () => {
    let p = reconcile(raw());
    expect(find(p, "publishDownloaderConfig").map((a) => a.config.relativeUrl)).toEqual([
      "outpost-0.2.0.tar.gz",
    ]);
    expect(p.contentTrees.get("ct1")?.state).toBe("DOWNLOADING");
    p = reconcile({ ...raw(), downloader: new Map([[A, dl(A)]]), verifier: new Map([[A, vf(A)]]) });
    expect(find(p, "loadImage")).toEqual([]);
    expect(kinds(p)).toEqual(["publishVerifyImageConfig"]);
    expect(p.contentTrees.get("ct1")).toMatchObject({
      state: "VERIFIED",
      progress: 100,
      path: `/verified/${A}`,
    });
  });
  it("is not fetched once no ref wants it", () => {
    const p = reconcile({ ...raw(), treeRefs: new Set() });
    expect(p.contentTrees.size).toBe(0);
    expect(p.actions).toEqual([]);
  });
});

describe("blob verification retries", () => {
  const want: BlobWant = {
    sha256: A,
    kind: "archive",
    datastoreId: "ds1",
    relativeUrl: "img.tar",
    size: 0,
    maxSizeBytes: 0,
    contentTrees: ["ct1"],
    epoch: "ct1@0",
  };
  const mismatch = (retry: number) =>
    vf(A, {
      state: "INITIAL",
      path: undefined,
      retry,
      error: { description: "sha256 mismatch: got eee", time: "t", severity: "error" },
    });

  it("bumps the download retry after each mismatch, and stops with a clear error after three", () => {
    let attempts = undefined as ReturnType<typeof updateBlob>["attempts"] | undefined;
    for (let n = 0; n < MAX_DOWNLOADS - 1; n++) {
      const u = updateBlob(want, undefined, {
        downloader: dl(A, { retry: n }),
        verifier: mismatch(n),
        attempts,
        verifyConfig: undefined,
      });
      attempts = u.attempts;
      expect(u.actions).toEqual([
        { kind: "publishDownloaderConfig", config: expect.objectContaining({ retry: n + 1 }) },
      ]);
      // seen again before the new download: counted once, no second bump
      const again = updateBlob(want, undefined, {
        downloader: dl(A, { retry: n }),
        verifier: mismatch(n),
        attempts,
        verifyConfig: undefined,
      });
      expect(again.attempts).toEqual(attempts);
    }
    const last = updateBlob(want, undefined, {
      downloader: dl(A, { retry: 2 }),
      verifier: mismatch(2),
      attempts,
      verifyConfig: undefined,
    });
    expect(last.status.error?.description).toMatch(
      /^sha256 mismatch after 3 downloads of archive a+: sha256 mismatch: got eee$/,
    );
    expect(last.status.error?.retryCondition).toBe("fix the datastore and bump the config");
    // Given up: the DownloaderConfig is withdrawn (the downloader deletes the unverified file).
    expect(last.actions).toEqual([]);
    // a new generation of the tree: fresh attempts, a fresh download
    const bumped = updateBlob({ ...want, epoch: "ct1@1" }, undefined, {
      downloader: dl(A, { retry: 2 }),
      verifier: mismatch(2),
      attempts: last.attempts,
      verifyConfig: undefined,
    });
    expect(bumped.status.error).toBeUndefined();
    expect(bumped.attempts).toMatchObject({ retry: 3, mismatches: 0 });
    expect(bumped.actions).toEqual([
      { kind: "publishDownloaderConfig", config: expect.objectContaining({ retry: 3 }) },
    ]);
  });

  it("the tree's error names the tree", () => {
    const attempts = new Map([[A, { retry: 2, mismatches: 2, countedRetry: 1, epoch: "ct1@0" }]]);
    const p = reconcile(
      world({
        attempts,
        downloader: new Map([[A, dl(A, { retry: 2 })]]),
        verifier: new Map([[A, mismatch(2)]]),
      }),
    );
    expect(p.contentTrees.get("ct1")?.error?.description).toMatch(
      /^content tree app-image: sha256 mismatch after 3 downloads/,
    );
    expect(p.volumeRefs.get("v1#0")?.error?.source).toEqual({
      type: "ContentTree",
      id: "ct1",
      name: "app-image",
    });
  });

  it("a blob verified before, claimed again, takes the path from the statuses: the downloader's, else the verified file", () => {
    const deps = { attempts: undefined, verifyConfig: undefined };
    const fromVerifier = updateBlob(want, undefined, { ...deps, downloader: undefined, verifier: vf(A) });
    expect(fromVerifier.status).toMatchObject({ state: "VERIFIED", path: `/verified/${A}` });
    expect(fromVerifier.actions).toEqual([
      {
        kind: "publishVerifyImageConfig",
        config: { sha256: A, path: `/verified/${A}`, size: 100, retry: 0 },
      },
    ]);
    const fromDownloader = updateBlob(want, undefined, { ...deps, downloader: dl(A), verifier: vf(A) });
    expect(fromDownloader.actions).toEqual([
      { kind: "publishVerifyImageConfig", config: { sha256: A, path: `/dl/${A}`, size: 100, retry: 0 } },
    ]);
  });

  it("a mismatch bumps the retry and keeps the VerifyImageConfig, so the verifier keeps its answer", () => {
    const asked = { sha256: A, path: `/dl/${A}`, size: 100, retry: 0 };
    const u = updateBlob(want, undefined, {
      downloader: dl(A, { retry: 0 }),
      verifier: mismatch(0),
      attempts: undefined,
      verifyConfig: asked,
    });
    expect(u.actions).toEqual([
      { kind: "publishDownloaderConfig", config: expect.objectContaining({ retry: 1 }) },
      { kind: "publishVerifyImageConfig", config: asked },
    ]);
  });

  it("the downloader's file gone before the verifier answered is VERIFYING, not an error, and nothing is withdrawn", () => {
    // The verifier moved the file into its store (or deleted it on a mismatch) and the downloader's
    // "the downloaded file is gone" arrived here before the verifier's own status did.
    const asked = { sha256: A, path: `/dl/${A}`, size: 100, retry: 0 };
    const gone = dl(A, {
      state: "INITIAL",
      path: undefined,
      currentSize: 0,
      progress: 0,
      error: {
        description: "the downloaded file is gone",
        time: "t",
        severity: "error",
        source: { type: "DownloadedFile", id: A },
      },
    });
    for (const verifier of [undefined, vf(A, { state: "VERIFYING", path: undefined })]) {
      const u = updateBlob(want, undefined, {
        downloader: gone,
        verifier,
        attempts: undefined,
        verifyConfig: asked,
      });
      expect(u.status).toMatchObject({ state: "VERIFYING", size: 100 });
      expect(u.status.error).toBeUndefined();
      expect(u.actions).toEqual([
        { kind: "publishDownloaderConfig", config: expect.objectContaining({ retry: 0 }) },
        { kind: "publishVerifyImageConfig", config: asked },
      ]);
    }
    // and the answer, when it comes, is taken as usual
    const answered = updateBlob(want, undefined, {
      downloader: gone,
      verifier: mismatch(0),
      attempts: undefined,
      verifyConfig: asked,
    });
    expect(answered.attempts).toMatchObject({ retry: 1, mismatches: 1 });
  });

  it("after a restart carries on at the downloader's retry", () => {
    const u = updateBlob(want, undefined, {
      downloader: dl(A, { retry: 2, state: "DOWNLOADING" }),
      verifier: undefined,
      attempts: undefined,
      verifyConfig: undefined,
    });
    expect(u.actions).toEqual([
      { kind: "publishDownloaderConfig", config: expect.objectContaining({ retry: 2 }) },
    ]);
  });
});

describe("registry content tree", () => {
  const reg = {
    datastores: new Map([["ds1", ds({ type: "registry" })]]),
    contentTrees: new Map([["ct1", tree({ relativeUrl: "app/busy:1", sha256: "" })]]),
  };
  const manifest: ManifestRead = {
    parsed: {
      kind: "manifest",
      config: { sha256: C, size: 50, mediaType: "cfg" },
      layers: [{ sha256: D, size: 1000, mediaType: "gz" }],
    },
  };

  it("resolves the tag, fetches the manifest, reads it, then fetches config and layers and loads them", () => {
    let p = reconcile(world(reg));
    expect(find(p, "publishResolveConfig").map((a) => a.config)).toEqual([
      { contentTreeId: "ct1", datastoreId: "ds1", relativeUrl: "app/busy:1", generation: 0 },
    ]);
    expect(find(p, "publishDownloaderConfig")).toEqual([]);

    const resolve = new Map([["ct1", { contentTreeId: "ct1", generation: 0, sha256: B, size: 400 }]]);
    p = reconcile(world({ ...reg, resolve }));
    expect(find(p, "publishDownloaderConfig").map((a) => a.config)).toEqual([
      {
        sha256: B,
        datastoreId: "ds1",
        relativeUrl: "app/busy",
        kind: "manifest",
        size: 400,
        maxSizeBytes: 0,
        retry: 0,
      },
    ]);

    p = reconcile(world({ ...reg, resolve, verifier: new Map([[B, vf(B)]]) }));
    expect(find(p, "readManifest")).toEqual([{ kind: "readManifest", sha256: B, path: `/verified/${B}` }]);
    expect(p.contentTrees.get("ct1")?.state).toBe("DOWNLOADING");

    const manifests = new Map([[B, manifest]]);
    p = reconcile(world({ ...reg, resolve, manifests, verifier: new Map([[B, vf(B)]]) }));
    expect(
      find(p, "publishDownloaderConfig").map((a) => [a.config.sha256, a.config.kind, a.config.size]),
    ).toEqual([
      [C, "config", 50],
      [D, "layer", 1000],
    ]);
    expect(p.contentTrees.get("ct1")?.blobs).toEqual([B, C, D]);

    const all = new Map([B, C, D].map((s) => [s, vf(s, { size: s === C ? 50 : s === D ? 1000 : 400 })]));
    p = reconcile(world({ ...reg, resolve, manifests, verifier: all }));
    expect(find(p, "loadImage")[0]?.source).toEqual({
      format: "oci",
      config: { sha256: C, path: `/verified/${C}`, size: 50 },
      layers: [{ sha256: D, path: `/verified/${D}`, size: 1000 }],
    });
  });

  it("is settled (volumemgr may say restarted) only once its verified manifests are read", () => {
    // After a restart the parsed manifests are gone: until the manifest is read again, the image's
    // config and layers are not asked for, and saying restarted would let the downloader and the
    // verifier delete them.
    const resolve = new Map([["ct1", { contentTreeId: "ct1", generation: 0, sha256: B, size: 400 }]]);
    const all = new Map([B, C, D].map((s) => [s, vf(s)]));
    const reading = reconcile(world({ ...reg, resolve, verifier: all }));
    expect(find(reading, "readManifest")).toHaveLength(1);
    expect(reading.settled).toBe(false);
    const running = new Map<string, OpState>([[`manifest:${B}`, { running: true }]]);
    expect(reconcile(world({ ...reg, resolve, verifier: all, ops: running })).settled).toBe(false);
    const failed = new Map<string, OpState>([
      [`manifest:${B}`, { running: false, error: "EIO", at: 1, retryAt: 2e6 }],
    ]);
    expect(reconcile(world({ ...reg, resolve, verifier: all, ops: failed })).settled).toBe(true);
    const read = reconcile(world({ ...reg, resolve, verifier: all, manifests: new Map([[B, manifest]]) }));
    expect(read.settled).toBe(true);
    expect(find(read, "publishVerifyImageConfig").map((a) => a.config.sha256)).toEqual([B, C, D]);
  });

  it("an image larger than maxSizeBytes is refused before its layers are fetched", () => {
    const big = {
      ...reg,
      contentTrees: new Map([
        ["ct1", tree({ relativeUrl: `app/busy@sha256:${B}`, sha256: "", maxSizeBytes: 500 })],
      ]),
    };
    const p = reconcile(
      world({ ...big, manifests: new Map([[B, manifest]]), verifier: new Map([[B, vf(B)]]) }),
    );
    expect(p.contentTrees.get("ct1")?.error?.description).toBe(
      "content tree app-image: image is 1050 bytes, more than maxSizeBytes 500",
    );
    expect(find(p, "publishDownloaderConfig")).toEqual([]);
  });

  it("picks linux/<arch> from an index", () => {
    const index = JSON.stringify({
      manifests: [
        { digest: `sha256:${C}`, size: 10, platform: { os: "linux", architecture: "arm64" } },
        { digest: `sha256:${D}`, size: 20, platform: { os: "linux", architecture: "amd64" } },
      ],
    });
    expect(parseManifest(index, "amd64")).toEqual({
      kind: "index",
      child: { sha256: D, size: 20, mediaType: "" },
    });
    expect(() => parseManifest(index, "s390x")).toThrow(
      /no linux\/s390x image \(it has linux\/arm64, linux\/amd64\)/,
    );
    expect(parseImageUrl("a/b:1")).toEqual({ repo: "a/b", tag: "1" });
    expect(parseImageUrl(`a/b@sha256:${A}`)).toEqual({ repo: "a/b", digest: A });
  });
});

describe("blank volumes and GC", () => {
  const blank = { volumes: new Map([["v1#0", vol({ origin: "blank", contentTreeId: "" })]]) };
  const name0 = dockerVolumeName(ROOT, "v1", 0, 0);
  const name1 = dockerVolumeName(ROOT, "v1", 0, 1);

  it("creates a labelled Docker volume, then reports it", () => {
    let p = reconcile(world(blank));
    expect(find(p, "createVolume")).toEqual([
      {
        kind: "createVolume",
        name: name0,
        labels: {
          "org.outpost.owner": "outpost",
          "org.outpost.node": ROOT,
          "org.outpost.volume": "v1#0",
          "org.outpost.local-generation": "0",
        },
      },
    ]);
    expect(p.volumeRefs.get("v1#0")?.state).toBe("CREATING_VOLUME");
    p = reconcile(world({ ...blank, dockerVolumes: new Set([name0]) }));
    expect(p.actions).toEqual([]);
    expect(p.volumeRefs.get("v1#0")).toMatchObject({
      state: "CREATED_VOLUME",
      kind: "volume",
      dockerVolume: name0,
    });
  });

  it("a purge makes a new empty volume and removes the old one", () => {
    const p = reconcile(
      world({
        ...blank,
        volumeRefs: new Map([["v1#0", ref({ localGeneration: 1 })]]),
        dockerVolumes: new Set([name0]),
      }),
    );
    expect(kinds(p)).toEqual(["createVolume", "removeVolume"]);
    expect(find(p, "createVolume")[0]?.name).toBe(name1);
    expect(find(p, "removeVolume")[0]?.name).toBe(name0);
    expect(p.volumeRefs.get("v1#0")).toMatchObject({ state: "CREATING_VOLUME", localGeneration: 1 });
  });

  it("deletes nothing before the owners' tables are complete", () => {
    const tag = contentTreeTag(tree());
    const p = reconcile(
      world({
        volumeRefs: new Map(),
        gcAllowed: false,
        dockerVolumes: new Set([name0]),
        images: new Map([[tag, "sha256:x"]]),
      }),
    );
    expect(p.actions).toEqual([]);
    const q = reconcile(
      world({
        volumeRefs: new Map(),
        gcAllowed: true,
        dockerVolumes: new Set([name0]),
        images: new Map([[tag, "sha256:x"]]),
      }),
    );
    expect(kinds(q)).toEqual(["removeImage", "removeVolume"]);
  });
});

describe("engine not readable", () => {
  it("says so on every volume ref and decides nothing else", () => {
    const p = reconcile(world({ engineError: "connect ENOENT /var/run/docker.sock" }));
    expect(p.actions).toEqual([]);
    expect(p.contentTrees.size).toBe(0);
    expect(p.volumeRefs.get("v1#0")).toMatchObject({
      state: "INITIAL",
      error: { description: "cannot read the Docker engine: connect ENOENT /var/run/docker.sock" },
    });
  });
});

// The pass right after a restart of volumemgr: a blob is asked for only once the downloader's and the
// verifier's statuses are known, so the retry it asks for continues the downloader's (a different
// retry makes the downloader start over and delete its .part).
// A download in progress has no path yet.
const downloading = (retry: number): DownloaderStatus => {
  const { path: _none, ...s } = dl(A, {
    state: "DOWNLOADING",
    currentSize: 5_000_000,
    totalSize: 16_000_000,
    progress: 31,
    fetchedBytes: 5_000_000,
    retry,
  });
  return s;
};

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
