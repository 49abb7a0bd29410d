// End to end: agents die or are restarted while apps run; apps that crash are reported and restarted.
import { afterEach, describe, expect, it } from "vitest";
import { DEBUG_NODE, deployBootLogger, E2E, E2E_TIMEOUT, GC_PASS, RESYNCED } from "./e2e-helpers.js";

describe("e2e: restarts", () => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.cleanup();
    e = undefined;
  });

  it(
    "kill -9 domainmgr while apps run: they keep running and are adopted, not duplicated",
    async () => {
      e = await E2E.start(DEBUG_NODE);
      const x = e;
      const one = await deployBootLogger(x);
      const two = await deployBootLogger(x, { image: one.image });
      await x.node.waitState(one.uuid, "RUNNING", 180_000);
      await x.node.waitState(two.uuid, "RUNNING", 180_000);
      const before = [one.uuid, two.uuid].map((u) => ({
        id: x.container(u),
        startedAt: x.inspect(x.container(u)).State.StartedAt,
      }));

      // kill9 returns once it is reaped: it can do nothing more, so the containers' state now is the outcome.
      await x.node.kill9("domainmgr");
      for (const b of before) expect(x.inspect(b.id).State.Running).toBe(true);
      x.node.startAgent("domainmgr");
      await x.node.waitUp("domainmgr");
      // Adopted: the restarted domainmgr reports them running again.
      await x.until("domainmgr to report both again", () =>
        [one.uuid, two.uuid].every((u) => x.node.domainStatus.get(u)?.state === "RUNNING"),
      );
      await x.moreLogLines("domainmgr", RESYNCED, 2, "two more domainmgr resyncs after adoption");
      for (const [i, u] of [one.uuid, two.uuid].entries()) {
        expect(x.containers(u)).toEqual([before[i]?.id]);
        expect(x.inspect(before[i]?.id as string).State.StartedAt).toBe(before[i]?.startedAt);
        expect(x.node.appStatus.get(u)?.state).toBe("RUNNING");
      }
    },
    E2E_TIMEOUT,
  );

  it(
    "stop every agent and start them again: same containers, no re-download",
    async () => {
      e = await E2E.start(DEBUG_NODE);
      const x = e;
      const { uuid, image } = await deployBootLogger(x);
      await x.node.waitState(uuid, "RUNNING", 180_000);
      const id = x.container(uuid);
      const requests = x.datastore.requests.length;

      await x.node.stopAgents();
      expect(x.inspect(id).State.Running).toBe(true);
      for (const a of ["zedmanager", "volumemgr", "downloader", "verifier", "domainmgr"] as const)
        x.node.startAgent(a);
      for (const a of ["zedmanager", "volumemgr", "downloader", "verifier", "domainmgr"] as const)
        await x.node.waitUp(a);
      await x.until("the app reported RUNNING by the restarted agents", () => {
        const s = x.node.domainStatus.get(uuid);
        return s?.state === "RUNNING" && x.node.appStatus.get(uuid)?.state === "RUNNING";
      });
      // Every agent settled: volumemgr passed its restarted barrier and ran garbage collection, and
      // domainmgr re-read the engine; then look again.
      await x.moreLogLines("volumemgr", GC_PASS, 3, "three volumemgr passes with garbage collection allowed");
      await x.moreLogLines("domainmgr", RESYNCED, 2, "two more domainmgr resyncs");
      expect(x.containers(uuid)).toEqual([id]);
      expect(x.inspect(id).State.Running).toBe(true);
      expect(x.imageExists(image.imageId)).toBe(true);
      expect(x.datastore.requests.length).toBe(requests);
      expect(x.node.appStatus.get(uuid)?.state).toBe("RUNNING");
    },
    E2E_TIMEOUT,
  );

  it(
    "an app exiting non-zero is BROKEN with its exit code, and restarted after a back-off",
    async () => {
      e = await E2E.start();
      const x = e;
      const image = x.buildArchive("crasher", [
        "sh",
        "-c",
        'mkdir -p /data; echo "boot" >> /data/boots; sleep 1; exit 3',
      ]);
      const { uuid } = await deployBootLogger(x, { image });
      const broken = await x.node.waitApp(uuid, (s) => s.state === "BROKEN", 180_000, "BROKEN");
      expect(broken.exitCode).toBe(3);
      expect(broken.error?.description).toMatch(/code 3/);
      expect(broken.error?.source).toMatchObject({ type: "Domain", id: uuid });
      const id = x.container(uuid);
      const firstStart = x.inspect(id).State.StartedAt;
      await x.until(
        "domainmgr to restart it after the back-off",
        () =>
          (x.node.domainStatus.get(uuid)?.failedRestarts ?? 0) >= 1 &&
          x.inspect(id).State.StartedAt !== firstStart,
        60_000,
      );
      expect(x.containers(uuid)).toEqual([id]);
    },
    E2E_TIMEOUT,
  );
});
