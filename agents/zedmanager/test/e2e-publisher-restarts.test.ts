// End to end: a restart of a publisher of config tables is not a deletion. kill -9 zedmanager (it
// publishes DomainConfig and VolumeRefConfig) and then volumemgr (DownloaderConfig, VerifyImageConfig
// and the volume statuses) while an app runs: its container is never stopped, removed or replaced,
// its image and volume stay, nothing is downloaded again.
import { afterEach, describe, expect, it } from "vitest";
import { deployBootLogger, E2E, E2E_TIMEOUT } from "./e2e-helpers.js";

describe("e2e: restarts of config publishers", () => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.cleanup();
    e = undefined;
  });

  it(
    "kill -9 zedmanager, then volumemgr, while an app runs: the same container keeps running throughout",
    async () => {
      e = await E2E.start();
      const x = e;
      const { uuid, image } = await deployBootLogger(x);
      await x.node.waitState(uuid, "RUNNING", 180_000);
      const id = x.container(uuid);
      const startedAt = x.inspect(id).State.StartedAt;
      const requests = x.datastore.requests.length;
      // Every DomainStatus domainmgr publishes from here on: none may say it is stopping the app.
      const states = new Set<string>();
      const sample = setInterval(() => {
        const s = x.node.domainStatus.get(uuid);
        if (s) states.add(s.state);
      }, 20);
      try {
        for (const agent of ["zedmanager", "volumemgr"] as const) {
          await x.node.kill9(agent);
          x.node.startAgent(agent);
          await x.node.waitUp(agent);
          await x.until(
            `${agent} back, the app RUNNING`,
            () => x.node.appStatus.get(uuid)?.state === "RUNNING",
          );
          // zedmanager and volumemgr log "signalled restarted" when their tables are complete again.
          await x.until(`${agent}'s tables complete again`, () => {
            const lines = x.node.log(agent, 400).split("\n");
            return lines.filter((l) => /signalled restarted|restarted signalled/.test(l)).length >= 2;
          });
        }
      } finally {
        clearInterval(sample);
      }
      expect([...states]).toEqual(["RUNNING"]);
      expect(x.containers(uuid)).toEqual([id]);
      expect(x.inspect(id).State.Running).toBe(true);
      expect(x.inspect(id).State.StartedAt).toBe(startedAt);
      expect(x.imageExists(image.imageId)).toBe(true);
      expect(x.datastore.requests.length).toBe(requests);
    },
    E2E_TIMEOUT,
  );
});
