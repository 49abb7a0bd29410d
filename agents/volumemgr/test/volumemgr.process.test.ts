// volumemgr with downloader and verifier as real processes from dist/bin, a real Docker engine, the
// test HTTP datastore and a local docker-registry. The test bus publishes zedagent's tables (through
// TestNode) and zedmanager's VolumeRefConfig.

import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import { buildTestImage, ensureDocker, removeImages, TestDatastore, TestRegistry } from "@outpost/testkit";
import { DownloaderConfigCodec } from "@outpost/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dockerVolumeName, imageRef } from "../src/naming.js";
import { archiveImage, docker, dockerOk, Node, sha256File } from "./volumemgr-node.js";

describe("volumemgr (processes, Docker, datastores)", () => {
  let dir: string;
  let ds: TestDatastore;
  let node: Node;

  beforeAll(async () => {
    await ensureDocker();
    dir = mkdtempSync(join(tmpdir(), "opv-ds-"));
    ds = await TestDatastore.start({ dir });
  });
  afterAll(async () => {
    await ds.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await node?.stop();
  });

  it("loads an http content tree into Docker under the node's tag, with the archive's image id", async () => {
    node = await Node.start();
    const img = archiveImage(node, dir, "http1");
    await node.http("ds1", ds);
    await node.tree({ id: "ct-http", datastoreId: "ds1", relativeUrl: "http1.tar", sha256: img.sha });
    await node.volume("vol-img", "ct-http");

    const ref = await node.waitRef("vol-img#0", (s) => s.state === "CREATED_VOLUME", "the image volume");
    expect(ref).toMatchObject({ kind: "image", imageId: img.id });
    const tree = await node.waitTree("ct-http", (s) => s.state === "LOADED", "LOADED");
    expect(tree).toMatchObject({ imageId: img.id, sha256: img.sha, progress: 100 });
    expect(tree.totalSize).toBe(readFileSync(img.file).length);
    expect(docker("image", "inspect", "-f", "{{.Id}}", node.tags()[0] as string)).toBe(img.id);
    // only the node's own tag holds it (the archive's tag was not re-created)
    expect(docker("image", "inspect", "-f", "{{json .RepoTags}}", img.id)).toBe(JSON.stringify(node.tags()));
    // once loaded, its blob is released: no DownloaderConfig, no BlobStatus left
    const dlConfigs = node.t.watch("volumemgr", "DownloaderConfig", DownloaderConfigCodec);
    await node.waitFor(
      () => dlConfigs.synchronized && dlConfigs.size === 0 && node.t.blobStatus.size === 0,
      "blobs released",
    );
  });

  it("creates a labelled Docker volume for a blank volume; a purge gives a new empty one and removes the old", async () => {
    node = await Node.start();
    await node.volume("data1");
    const ref = await node.waitRef("data1#0", (s) => s.state === "CREATED_VOLUME", "the blank volume");
    const name = dockerVolumeName(node.root, "data1", 0, 0);
    expect(ref).toMatchObject({ kind: "volume", dockerVolume: name, localGeneration: 0 });
    const labels = JSON.parse(docker("volume", "inspect", "-f", "{{json .Labels}}", name));
    expect(labels).toMatchObject({
      "org.outpost.owner": "outpost",
      "org.outpost.node": node.root,
      "org.outpost.volume": "data1#0",
    });
    const mount = docker("volume", "inspect", "-f", "{{.Mountpoint}}", name);
    writeFileSync(join(mount, "kept.txt"), "data\n");

    await node.refs.set("data1#0", { volumeId: "data1", generation: 0, apps: ["app1"], localGeneration: 1 });
    const purged = await node.waitRef(
      "data1#0",
      (s) => s.state === "CREATED_VOLUME" && s.localGeneration === 1,
      "the purged volume",
    );
    const name1 = dockerVolumeName(node.root, "data1", 0, 1);
    expect(purged.dockerVolume).toBe(name1);
    expect(readdirSync(docker("volume", "inspect", "-f", "{{.Mountpoint}}", name1))).toEqual([]);
    await node.waitFor(() => !dockerOk("volume", "inspect", name), "the old volume to be removed");
  });

  it("two volumes on one content tree download it once; the image goes only when both are gone", async () => {
    node = await Node.start();
    const img = archiveImage(node, dir, "shared");
    await node.http("ds1", ds);
    await node.tree({ id: "ct-shared", datastoreId: "ds1", relativeUrl: "shared.tar", sha256: img.sha });
    await node.volume("va", "ct-shared");
    await node.volume("vb", "ct-shared");
    await node.waitRef("va#0", (s) => s.state === "CREATED_VOLUME", "va");
    await node.waitRef("vb#0", (s) => s.state === "CREATED_VOLUME", "vb");
    expect(ds.requestsFor("shared.tar").filter((r) => r.method === "GET")).toHaveLength(1);

    await node.refs.delete("va#0");
    await node.waitFor(() => !node.t.volumeRefStatus.get("va#0"), "va's status to go");
    await node.morePasses(); // garbage collection had its chance with va gone
    expect(docker("image", "inspect", "-f", "{{.Id}}", img.id)).toBe(img.id);

    await node.refs.delete("vb#0");
    await node.waitFor(() => !dockerOk("image", "inspect", img.id), "the image to be removed");
    expect(node.tags()).toEqual([]);
    // The status goes in the pass after the removal finished, then over the bus.
    await node.waitFor(
      () => node.t.contentTreeStatus.get("ct-shared") === undefined,
      "ct-shared's status to go",
    );
  });

  it("a corrupt blob is downloaded 3 times, then a clear error naming the tree; fixed and bumped, it loads", async () => {
    node = await Node.start();
    const img = archiveImage(node, dir, "corrupt");
    const good = join(dir, "corrupt.good");
    copyFileSync(img.file, good);
    ds.corrupt("corrupt.tar");
    await node.http("ds1", ds);
    await node.tree({
      id: "ct-bad",
      displayName: "busybox-app",
      datastoreId: "ds1",
      relativeUrl: "corrupt.tar",
      sha256: img.sha,
    });
    await node.volume("vbad", "ct-bad");

    const failed = await node.waitTree(
      "ct-bad",
      (s) => s.error !== undefined && /mismatch after 3/.test(s.error.description),
      "the mismatch error",
    );
    expect(failed.error?.description).toMatch(/^content tree busybox-app: sha256 mismatch after 3 downloads/);
    expect(failed.error?.retryCondition).toBe("fix the datastore and bump the config");
    expect(failed.error?.source).toEqual({ type: "ContentTree", id: "ct-bad", name: "busybox-app" });
    const ref = await node.waitRef("vbad#0", (s) => s.error !== undefined, "the error on the volume ref");
    expect(ref.error?.description).toBe(failed.error?.description);
    // Given up: the DownloaderConfig is withdrawn, so nothing of the bad blob stays in the downloader's
    // store, and a restarted downloader does not fetch it a fourth time.
    await node.waitFor(() => !node.t.downloaderStatus.get(img.sha), "the DownloaderStatus to go");
    // The three downloads the error counts, each a whole file served to the end (200, no Range): as
    // the datastore's access log shows them. A failure lists every request, so a fourth one says what
    // it was (a resume, an aborted attempt) and whether it came before the restart or after.
    const gets = () => ds.requestsFor("corrupt.tar").filter((r) => r.method === "GET");
    const whole = { method: "GET", path: "/corrupt.tar", range: undefined, status: 200 };
    expect(gets(), "requests before the downloader restarts").toEqual([whole, whole, whole]);
    await node.t.stopAgent("downloader");
    node.t.startAgent("downloader");
    await node.t.waitUp("downloader");
    await node.morePasses(); // passes after the restart: none asks for a fourth download
    expect(gets(), "requests after the downloader restarted").toEqual([whole, whole, whole]);
    const dlDir = join(node.root, "persist/downloader");
    expect([...readdirSync(join(dlDir, "downloaded")), ...readdirSync(join(dlDir, "pending"))]).toEqual([]);

    copyFileSync(good, img.file);
    await node.tree({
      id: "ct-bad",
      displayName: "busybox-app",
      datastoreId: "ds1",
      relativeUrl: "corrupt.tar",
      sha256: img.sha,
      generation: 1,
    });
    const ok = await node.waitRef("vbad#0", (s) => s.state === "CREATED_VOLUME", "recovery");
    expect(ok.imageId).toBe(img.id);
    expect(ok.error).toBeUndefined();
  });

  it("after all three agents restart, what is loaded is not downloaded again", async () => {
    node = await Node.start();
    const img = archiveImage(node, dir, "restart");
    await node.http("ds1", ds);
    await node.tree({ id: "ct-r", datastoreId: "ds1", relativeUrl: "restart.tar", sha256: img.sha });
    await node.volume("vr", "ct-r");
    await node.volume("dr");
    await node.waitRef("vr#0", (s) => s.state === "CREATED_VOLUME", "loaded");
    const blank = await node.waitRef("dr#0", (s) => s.state === "CREATED_VOLUME", "blank volume");
    const gets = () => ds.requestsFor("restart.tar").filter((r) => r.method === "GET").length;
    expect(gets()).toBe(1);

    await node.t.stopAgents();
    for (const a of ["downloader", "verifier", "volumemgr"] as const) node.t.startAgent(a);
    await node.t.waitUp("volumemgr");
    const log = rootLayout(node.root).logFile("volumemgr");
    await node.waitFor(
      () => (readFileSync(log, "utf8").match(/restarted signalled/g) ?? []).length >= 2,
      "volumemgr's second start to settle",
    );
    const again = await node.waitRef("vr#0", (s) => s.state === "CREATED_VOLUME", "loaded after restart");
    expect(again.imageId).toBe(img.id);
    expect(
      (await node.waitRef("dr#0", (s) => s.state === "CREATED_VOLUME", "blank after restart")).dockerVolume,
    ).toBe(blank.dockerVolume);
    await node.morePasses(); // passes after the restart: none downloads again or removes anything
    expect(gets()).toBe(1);
    expect(dockerOk("volume", "inspect", blank.dockerVolume as string)).toBe(true);
    expect(existsSync(join(node.root, "persist", "downloader", "downloaded", img.sha))).toBe(false);
  });

  it("deletes nothing after a restart until zedmanager's table is complete and it said restarted", async () => {
    node = await Node.start();
    const img = archiveImage(node, dir, "barrier");
    await node.http("ds1", ds);
    await node.tree({ id: "ct-keep", datastoreId: "ds1", relativeUrl: "barrier.tar", sha256: img.sha });
    await node.volume("vkeep", "ct-keep");
    await node.volume("dkeep");
    await node.waitRef("vkeep#0", (s) => s.state === "CREATED_VOLUME", "loaded");
    const blank = await node.waitRef("dkeep#0", (s) => s.state === "CREATED_VOLUME", "blank volume");

    await node.t.stopAgent("volumemgr");
    await node.restartZedmanager(); // synchronized, empty, restarted not signalled
    node.t.startAgent("volumemgr");
    const log = rootLayout(node.root).logFile("volumemgr");
    const starts = () =>
      (readFileSync(log, "utf8").match(/read the node's images and volumes from Docker/g) ?? []).length;
    await node.waitFor(() => starts() >= 2, "volumemgr to read the engine again");
    await node.morePasses(); // passes with the engine read but zedmanager's table not complete
    expect(dockerOk("volume", "inspect", blank.dockerVolume as string)).toBe(true);
    expect(dockerOk("image", "inspect", img.id)).toBe(true);

    await node.refs.set("vkeep#0", { volumeId: "vkeep", generation: 0, apps: ["app1"], localGeneration: 0 });
    await node.refs.set("dkeep#0", { volumeId: "dkeep", generation: 0, apps: ["app1"], localGeneration: 0 });
    node.refs.signalRestarted();
    expect(
      (await node.waitRef("dkeep#0", (s) => s.state === "CREATED_VOLUME", "blank again")).dockerVolume,
    ).toBe(blank.dockerVolume);
    expect((await node.waitRef("vkeep#0", (s) => s.state === "CREATED_VOLUME", "image again")).imageId).toBe(
      img.id,
    );
    expect(ds.requestsFor("barrier.tar").filter((r) => r.method === "GET")).toHaveLength(1);

    // the barrier is open now: unreferenced means removed
    await node.refs.delete("vkeep#0");
    await node.refs.delete("dkeep#0");
    await node.waitFor(
      () =>
        !dockerOk("volume", "inspect", blank.dockerVolume as string) && !dockerOk("image", "inspect", img.id),
      "GC",
    );
  });

  it("a ref that arrives before zedagent's VolumeConfig table is complete waits without an error", async () => {
    node = await Node.start([], { volumeConfigsComplete: false });
    await node.refs.set("early#0", { volumeId: "early", generation: 0, apps: ["app1"], localGeneration: 0 });
    await node.waitRef("early#0", (s) => s.state === "INITIAL", "the ref seen");
    await node.morePasses(); // passes with the ref and a synchronized but incomplete VolumeConfig table
    expect(node.t.volumeRefStatus.get("early#0")?.error).toBeUndefined();

    // zedagent applied its first config: its table is whole, so the missing config is an error now
    node.t.volumes.signalRestarted();
    const ref = await node.waitRef("early#0", (s) => s.error !== undefined, "the missing-config error");
    expect(ref.error?.description).toBe("volume early#0: no VolumeConfig for it");
    expect(ref.state).toBe("INITIAL");

    await node.t.volumes.set("early#0", {
      id: "early",
      generation: 0,
      origin: "blank",
      contentTreeId: "",
      maxSizeBytes: 0,
      readOnly: false,
      displayName: "early",
    });
    const created = await node.waitRef(
      "early#0",
      (s) => s.state === "CREATED_VOLUME",
      "the volume once its config came",
    );
    expect(created.error).toBeUndefined();
  });

  it("without a Docker engine: a clear error on the volume ref, nothing downloaded", async () => {
    node = await Node.start(["--docker-host", "unix:///tmp/opv-no-such-docker.sock"]);
    const img = archiveImage(node, dir, "nodocker");
    await node.http("ds1", ds);
    await node.tree({ id: "ct-nd", datastoreId: "ds1", relativeUrl: "nodocker.tar", sha256: img.sha });
    await node.volume("vnd", "ct-nd");
    const ref = await node.waitRef("vnd#0", (s) => s.error !== undefined, "the engine error");
    expect(ref.error?.description).toMatch(/^cannot read the Docker engine: .*opv-no-such-docker\.sock/);
    expect(ref.state).toBe("INITIAL");
    await node.morePasses(); // passes with the engine error: none starts a download
    expect(ds.requestsFor("nodocker.tar")).toEqual([]);
  });

  it("an archive that is not a docker save (but has the right sha256) is a clear load error", async () => {
    node = await Node.start();
    const file = join(dir, "junk.tar");
    writeFileSync(file, Buffer.alloc(100_000, 0x41));
    await node.http("ds1", ds);
    await node.tree({
      id: "ct-junk",
      displayName: "junk",
      datastoreId: "ds1",
      relativeUrl: "junk.tar",
      sha256: sha256File(file),
    });
    await node.volume("vj", "ct-junk");
    const ref = await node.waitRef("vj#0", (s) => s.error !== undefined, "the load error");
    expect(ref.error?.description).toBe(
      "content tree junk: docker load failed: not a tar archive (bad header checksum)",
    );
    expect(ref.state).toBe("LOADING");
  });

  it("an unknown datastore is a clear error on the tree and the volume ref", async () => {
    node = await Node.start();
    await node.tree({
      id: "ct-nods",
      displayName: "lost",
      datastoreId: "no-such-ds",
      relativeUrl: "x.tar",
      sha256: "a".repeat(64),
    });
    await node.volume("vn", "ct-nods");
    const ref = await node.waitRef("vn#0", (s) => s.error !== undefined, "the error");
    expect(ref.error?.description).toBe("content tree lost: datastore no-such-ds is unknown");
    expect(ref.error?.source).toMatchObject({ type: "ContentTree", id: "ct-nods" });
    expect(ref.state).toBe("INITIAL");
  });

  it("an http image larger than maxSizeBytes is a clear error naming the tree", async () => {
    node = await Node.start();
    const img = archiveImage(node, dir, "big", 64 * 1024);
    await node.http("ds1", ds);
    await node.tree({
      id: "ct-big",
      displayName: "big-app",
      datastoreId: "ds1",
      relativeUrl: "big.tar",
      sha256: img.sha,
      maxSizeBytes: 4096,
    });
    await node.volume("vbig", "ct-big");
    // The size error, not a transient one: the downloader may hear volumemgr's request before the
    // test bus's DatastoreConfig (two publishers) and say "unknown datastore" for a moment.
    const ref = await node.waitRef(
      "vbig#0",
      (s) => /4096/.test(s.error?.description ?? ""),
      "the size error",
    );
    expect(ref.error?.description).toMatch(/^content tree big-app: .*4096/);
    expect(ref.state).not.toBe("CREATED_VOLUME");
  });

  describe("registry datastore", () => {
    let reg: TestRegistry;
    beforeAll(async () => {
      reg = await TestRegistry.start();
    });
    afterAll(async () => {
      await reg.stop();
    });

    const registryDs = (node: Node) => node.registry("reg", reg);

    it("resolves a tag, fetches manifest, config and layers, and loads them with the config's image id", async () => {
      node = await Node.start();
      const tag = `outpost-test/vm-reg:${Math.random().toString(36).slice(2, 8)}`;
      const id = buildTestImage(tag, {
        cmd: ["sleep", "3600"],
        node: node.root,
        files: { "etc/nonce": `${node.root}\n` },
      });
      const digest = reg.push(tag, "vm/busy:1");
      removeImages(tag);
      await registryDs(node);
      await node.tree({ id: "ct-reg", displayName: "reg-app", datastoreId: "reg", relativeUrl: "vm/busy:1" });
      await node.volume("vreg", "ct-reg");
      const ref = await node.waitRef("vreg#0", (s) => s.state === "CREATED_VOLUME", "the registry image");
      expect(ref.imageId).toBe(id);
      const tree = node.t.contentTreeStatus.get("ct-reg");
      expect(tree?.sha256).toBe(digest.slice("sha256:".length));
      expect(tree?.blobs).toHaveLength(3); // manifest, config, one layer
      expect(
        docker(
          "image",
          "inspect",
          "-f",
          "{{.Id}}",
          imageRef(node.root, node.tags()[0]?.split(":")[1] as string),
        ),
      ).toBe(id);
    });

    it("picks linux/<this arch> from an image index", async () => {
      node = await Node.start();
      const tag = `outpost-test/vm-idx:${Math.random().toString(36).slice(2, 8)}`;
      const id = buildTestImage(tag, {
        cmd: ["sleep", "3600"],
        node: node.root,
        files: { "etc/nonce": `${node.root} idx\n` },
      });
      const digest = reg.push(tag, "vm/idx:single");
      removeImages(tag);
      // An index whose linux/<arch> entry is the pushed image; another platform points elsewhere.
      const v2 = "application/vnd.docker.distribution.manifest.v2+json";
      const manifest = await fetch(`http://${reg.host}/v2/vm/idx/manifests/${digest}`, {
        headers: { accept: v2 },
      });
      const size = (await manifest.arrayBuffer()).byteLength;
      const arch = process.arch === "x64" ? "amd64" : process.arch;
      const other = arch === "amd64" ? "s390x" : "amd64";
      const listType = "application/vnd.docker.distribution.manifest.list.v2+json";
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: listType,
        manifests: [
          { mediaType: v2, size, digest, platform: { architecture: other, os: "linux" } },
          { mediaType: v2, size, digest, platform: { architecture: arch, os: "linux" } },
        ],
      });
      const put = await fetch(`http://${reg.host}/v2/vm/idx/manifests/multi`, {
        method: "PUT",
        headers: { "content-type": listType },
        body: index,
      });
      expect(put.status).toBe(201);
      await registryDs(node);
      await node.tree({ id: "ct-idx", datastoreId: "reg", relativeUrl: "vm/idx:multi" });
      await node.volume("vidx", "ct-idx");
      const ref = await node.waitRef(
        "vidx#0",
        (s) => s.state === "CREATED_VOLUME",
        "the image from the index",
      );
      expect(ref.imageId).toBe(id);
      const tree = node.t.contentTreeStatus.get("ct-idx");
      expect(tree?.sha256).toBe(createHash("sha256").update(index).digest("hex"));
      expect(tree?.blobs).toHaveLength(4); // index, manifest, config, one layer
    });

    it("refuses an image larger than maxSizeBytes before fetching its layers", async () => {
      node = await Node.start();
      const tag = `outpost-test/vm-regbig:${Math.random().toString(36).slice(2, 8)}`;
      buildTestImage(tag, { cmd: ["sleep", "3600"], node: node.root, padBytes: 256 * 1024 });
      reg.push(tag, "vm/big:1");
      removeImages(tag);
      await registryDs(node);
      await node.tree({
        id: "ct-regbig",
        displayName: "big-reg",
        datastoreId: "reg",
        relativeUrl: "vm/big:1",
        maxSizeBytes: 100_000,
      });
      await node.volume("vrb", "ct-regbig");
      // (as above: not a transient "unknown datastore" from the downloader)
      const ref = await node.waitRef(
        "vrb#0",
        (s) => /maxSizeBytes/.test(s.error?.description ?? ""),
        "the size error",
      );
      expect(ref.error?.description).toMatch(
        /^content tree big-reg: image is \d+ bytes, more than maxSizeBytes 100000$/,
      );
      expect(node.t.blobStatus.entries().map(([, b]) => b.kind)).toEqual(["manifest"]);
    });
  });
});
