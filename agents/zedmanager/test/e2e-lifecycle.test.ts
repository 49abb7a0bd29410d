// End to end: what an operator does to a running app — halt and start it, restart it, purge it,
// delete it — observed in the Docker engine and on the app's data volume.
import { afterEach, describe, expect, it } from "vitest";
import { BOOT_LOGGER, DEBUG_NODE, deployBootLogger, E2E, E2E_TIMEOUT, RESYNCED } from "./e2e-helpers.js";

describe("e2e: app lifecycle", () => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.cleanup();
    e = undefined;
  });

  it(
    "activate=false -> HALTED with the volume kept; true -> RUNNING with the same data; restart counter restarts once",
    async () => {
      e = await E2E.start(DEBUG_NODE);
      const { uuid, data } = await deployBootLogger(e);
      await e.node.waitState(uuid, "RUNNING", 180_000);
      const first = e.container(uuid);
      const volume = e.node.volumeRefStatus.get(`${data.volumeId}#0`)?.dockerVolume as string;

      await e.patchApp(uuid, { activate: false });
      await e.node.waitState(uuid, "HALTED", 60_000);
      expect(e.inspect(first).State.Running).toBe(false);
      expect(e.volumeExists(volume)).toBe(true);

      await e.patchApp(uuid, { activate: true });
      await e.node.waitState(uuid, "RUNNING", 60_000);
      const c = e.container(uuid);
      expect(e.inspect(c).Mounts.find((m: { Destination: string }) => m.Destination === "/data")?.Name).toBe(
        volume,
      );
      expect(e.exec(c, "cat /data/boots").split("\n")).toHaveLength(2);

      const startedAt = e.inspect(c).State.StartedAt;
      await e.patchApp(uuid, { restart: { counter: 1 } });
      const s = await e.node.waitApp(
        uuid,
        (x) => x.restartCounter === 1 && x.state === "RUNNING",
        60_000,
        "restart done",
      );
      expect(s.restartCounter).toBe(1);
      const after = e.container(uuid);
      expect(e.inspect(after).State.StartedAt).not.toBe(startedAt);
      expect(e.exec(after, "cat /data/boots").split("\n")).toHaveLength(3);
      // Once: nothing restarts it again while the counter stays, though domainmgr looked again.
      await e.moreLogLines("domainmgr", RESYNCED, 2, "two more domainmgr resyncs");
      expect(e.exec(after, "cat /data/boots").split("\n")).toHaveLength(3);
    },
    E2E_TIMEOUT,
  );

  it(
    "purge counter -> the data volume is recreated empty and the app runs again",
    async () => {
      e = await E2E.start();
      const { uuid } = await deployBootLogger(e);
      await e.node.waitState(uuid, "RUNNING", 180_000);
      await e.patchApp(uuid, { restart: { counter: 1 } });
      await e.node.waitApp(
        uuid,
        (x) => x.restartCounter === 1 && x.state === "RUNNING",
        60_000,
        "restart done",
      );
      expect(e.exec(e.container(uuid), "cat /data/boots").split("\n")).toHaveLength(2);

      await e.patchApp(uuid, { purge: { counter: 1 } });
      await e.node.waitApp(uuid, (x) => x.purgeCounter === 1 && x.state === "RUNNING", 120_000, "purge done");
      // Emptied: only the boot after the purge is on the volume.
      expect(e.exec(e.container(uuid), "cat /data/boots").split("\n")).toHaveLength(1);
    },
    E2E_TIMEOUT,
  );

  it(
    "delete removes the container, the image nobody uses and the volumes",
    async () => {
      e = await E2E.start();
      const { uuid, image, data, contentTreeId } = await deployBootLogger(e);
      await e.node.waitState(uuid, "RUNNING", 180_000);
      const volume = e.node.volumeRefStatus.get(`${data.volumeId}#0`)?.dockerVolume as string;
      expect(e.imageExists(image.imageId)).toBe(true);

      // zedagent drops the app, then (as EVE's does) the volumes and the content tree only it used.
      await e.node.apps.delete(uuid);
      const x = e;
      await x.until("the status to be deleted", () => x.node.appStatus.get(uuid) === undefined);
      expect(x.containers(uuid)).toEqual([]);
      for (const k of x.node.volumes.keys()) await x.node.volumes.delete(k);
      await x.node.contentTrees.delete(contentTreeId);
      await x.until("the data volume to be removed", () => !x.volumeExists(volume));
      await x.until("the unused image to be removed", () => !x.imageExists(image.imageId));
    },
    E2E_TIMEOUT,
  );

  it(
    "startDelaySeconds holds the container back (INSTALLED, startAfter shown), then it runs",
    async () => {
      e = await E2E.start();
      const x = e;
      const published = Date.now();
      const { uuid } = await deployBootLogger(x, { app: { startDelaySeconds: 4 } });
      const waiting = await x.node.waitApp(uuid, (s) => s.startAfter !== undefined, 120_000, "startAfter");
      expect(waiting.state).toBe("INSTALLED");
      expect(x.containers(uuid)).toEqual([]);
      const startAfter = Date.parse(waiting.startAfter as string);
      expect(startAfter).toBeGreaterThanOrEqual(published + 4000 - 1000);
      await x.node.waitState(uuid, "RUNNING", 60_000);
      const started = Date.parse(x.inspect(x.container(uuid)).State.StartedAt);
      expect(started).toBeGreaterThanOrEqual(startAfter - 1000);
    },
    E2E_TIMEOUT,
  );

  it(
    "an upgrade to a new image keeps the data volume, runs the new image, and the old one goes when unused",
    async () => {
      e = await E2E.start();
      const x = e;
      const { uuid, image, contentTreeId } = await deployBootLogger(x);
      await x.node.waitState(uuid, "RUNNING", 180_000);
      const cfg = x.node.apps.get(uuid);
      if (!cfg) throw new Error("no config");
      const oldImageRef = cfg.volumeRefs[0];

      const v2 = x.buildArchive("bootlog-v2", BOOT_LOGGER);
      const ct2 = await x.contentTree({
        relativeUrl: v2.relativeUrl,
        sha256: v2.sha256,
        displayName: "bootlog-v2",
      });
      const img2 = await x.imageVolume(ct2);
      await x.patchApp(uuid, {
        version: "2",
        volumeRefs: [{ ...img2, mountDir: "" }, ...cfg.volumeRefs.slice(1)],
      });
      await x.until(
        "the app running the new image",
        () => {
          const ids = x.containers(uuid);
          return (
            ids.length === 1 &&
            // The old container may be removed between listing and inspecting it.
            x.tryInspect(ids[0] as string)?.Image === v2.imageId &&
            x.node.appStatus.get(uuid)?.state === "RUNNING"
          );
        },
        120_000,
      );
      const c = x.container(uuid);
      expect(x.node.appStatus.get(uuid)?.version).toBe("2");
      expect(x.exec(c, "cat /data/boots").split("\n")).toHaveLength(2);
      // The old image ref is released now that no container uses it; zedagent drops its volume and tree.
      await x.until(
        "the old image ref released",
        () => x.node.volumeRefConfig.get(`${oldImageRef?.volumeId}#0`) === undefined,
      );
      await x.node.volumes.delete(`${oldImageRef?.volumeId}#0`);
      await x.node.contentTrees.delete(contentTreeId);
      await x.until("the old image to be removed", () => !x.imageExists(image.imageId));
      expect(x.inspect(c).State.Running).toBe(true);
    },
    E2E_TIMEOUT,
  );
});
