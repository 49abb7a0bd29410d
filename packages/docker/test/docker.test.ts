import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import {
  buildTestImage,
  ensureDocker,
  removeByNodeLabel,
  removeImages,
  removeRoot,
  saveImage,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { OutpostLabels } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DockerClient,
  type DockerEvent,
  DockerUnavailableError,
  outpostLabels,
  usageFromStats,
} from "../src/index.js";

describe("usageFromStats", () => {
  it("computes CPU percent and memory without page cache as docker stats does", () => {
    const u = usageFromStats({
      cpu_stats: { cpu_usage: { total_usage: 2_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 10_000, limit: 50_000, stats: { total_inactive_file: 1_000 } },
    });
    expect(u).toEqual({ cpuPercent: 20, cpuTotalNs: 2_000, memoryBytes: 9_000, memoryLimitBytes: 50_000 });
  });
  it("a first sample without a previous reading is 0 %", () => {
    expect(
      usageFromStats({ cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 9 } }).cpuPercent,
    ).toBe(0);
  });
});

describe("DockerClient against the real engine", () => {
  const root = tempRoot("op-dk-");
  const node = root;
  const tag = `outpost-test/dk-${process.pid}:1`;
  const dc = new DockerClient();

  beforeAll(async () => {
    await ensureDocker();
  });
  afterAll(() => {
    removeByNodeLabel(node);
    removeImages(tag);
    removeRoot(root);
  });

  it("a missing engine is a clear error", async () => {
    const bad = new DockerClient({ host: `unix://${join(root, "nope.sock")}` });
    await expect(bad.ping(2000)).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(bad.ping(2000)).rejects.toThrow(/no Docker engine answers at unix:\/\/.*nope.sock/);
  });

  it("loads an archive, runs a labelled container, sees its events and stats, cleans up", async () => {
    await dc.ping();
    const built = buildTestImage(tag, { cmd: ["sh", "-c", "echo started; sleep 3600"], node });
    const archive = join(root, "img.tar");
    saveImage(tag, archive);
    removeImages(tag);
    expect(await dc.imageId(tag)).toBeUndefined();
    const id = await dc.loadImage(createReadStream(archive));
    expect(id).toBe(built);
    expect((await dc.listImages({ [OutpostLabels.node]: node })).map((i) => i.Id)).toContain(id);

    const labels = outpostLabels({ node, volume: "v1" });
    await dc.createVolume(`op-dk-${process.pid}`, labels);
    expect((await dc.listVolumes(labels)).map((v) => v.Name)).toEqual([`op-dk-${process.pid}`]);

    const events: DockerEvent[] = [];
    const stop = new AbortController();
    let connected = false;
    const watching = dc.watchContainerEvents(
      node,
      stop.signal,
      (e) => events.push(e),
      () => (connected = true),
    );
    await waitFor(() => connected, 5000, "event stream");

    const cid = await dc.createContainer({
      Image: id,
      name: `op-dk-${process.pid}`,
      Labels: outpostLabels({ node, app: "app-1", version: "1" }),
      HostConfig: {
        Mounts: [{ Type: "volume", Source: `op-dk-${process.pid}`, Target: "/data" }],
        Memory: 64 << 20,
      },
    });
    await dc.startContainer(cid);
    await dc.startContainer(cid); // already running: fine
    expect((await dc.inspectContainer(cid))?.State.Running).toBe(true);
    expect((await dc.listNodeContainers(node)).map((c) => c.Id)).toEqual([cid]);
    const usage = await dc.containerStats(cid);
    expect(usage.memoryLimitBytes).toBe(64 << 20);
    expect(usage.memoryBytes).toBeGreaterThan(0);

    expect(await dc.removeImageIfUnused(id)).toBe(false);
    expect(await dc.removeVolume(`op-dk-${process.pid}`)).toBe(false);
    await dc.stopContainer(cid, 1);
    await dc.stopContainer(cid, 1); // already stopped: fine
    await dc.removeContainer(cid);
    await dc.removeContainer(cid); // already gone: fine
    expect(await dc.inspectContainer(cid)).toBeUndefined();
    await waitFor(() => events.some((e) => e.Action === "destroy"), 5000, "destroy event");
    const actions = events.filter((e) => e.Actor.ID === cid).map((e) => e.Action);
    expect(actions).toEqual(expect.arrayContaining(["create", "start", "die", "destroy"]));
    stop.abort();
    await watching;

    expect(await dc.removeVolume(`op-dk-${process.pid}`)).toBe(true);
    // A second tag holds it (another node's, say): not removed.
    execFileSync("docker", ["tag", id, `${tag}-second`]);
    expect(await dc.removeImageIfUnused(id)).toBe(false);
    removeImages(`${tag}-second`);
    expect(await dc.removeImageIfUnused(id)).toBe(true);
    expect(await dc.imageId(id)).toBeUndefined();
  });
  it("holds an image through tags of its own repository: lists them, and removes one only when no container needs it", async () => {
    const repo = `outpost-test/dk-tags-${process.pid}`;
    const id = buildTestImage(`${repo}:a`, { cmd: ["sh", "-c", "sleep 3600"], node });
    execFileSync("docker", ["tag", id, `${repo}:b`]);
    try {
      expect([...(await dc.listRepoTags(repo))].sort()).toEqual([
        ["a", id],
        ["b", id],
      ]);
      const cid = await dc.createContainer({
        Image: `${repo}:a`,
        name: `op-dk-tags-${process.pid}`,
        Labels: outpostLabels({ node, app: "app-tags", version: "1" }),
      });
      // a second tag holds it: dropping one tag is fine while the container exists
      expect(await dc.removeTag(`${repo}:b`)).toBe(true);
      expect(await dc.removeTag(`${repo}:b`)).toBe(true); // already gone: fine
      expect([...(await dc.listRepoTags(repo)).keys()]).toEqual(["a"]);
      // its last tag, the container still uses it: refused, the image stays
      expect(await dc.removeTag(`${repo}:a`)).toBe(false);
      expect(await dc.imageId(id)).toBe(id);
      await dc.removeContainer(cid);
      expect(await dc.removeTag(`${repo}:a`)).toBe(true);
      expect((await dc.listRepoTags(repo)).size).toBe(0);
      expect(await dc.imageId(id)).toBeUndefined();
    } finally {
      removeImages(`${repo}:a`, `${repo}:b`);
    }
  });
});
