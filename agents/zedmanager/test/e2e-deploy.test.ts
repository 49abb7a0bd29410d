// End to end: an AppInstanceConfig published as zedagent becomes a running container, from each kind
// of datastore, with the env, mounts and limits asked for. Real processes, real Docker, real servers.
import { afterEach, describe, expect, it } from "vitest";
import { BOOT_LOGGER, b64, deployBootLogger, E2E, E2E_TIMEOUT, uid } from "./e2e-helpers.js";

describe("e2e: deploy", () => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.cleanup();
    e = undefined;
  });

  it(
    "HTTP datastore -> RUNNING with the env, the data volume mount and the memory/CPU limits",
    async () => {
      e = await E2E.start();
      const { uuid, image, data } = await deployBootLogger(e, {
        app: { userData: b64("GREETING=hello world\nMODE=e2e\n"), resources: { memoryKiB: 65536, vcpus: 1 } },
      });
      const s = await e.node.waitState(uuid, "RUNNING", 180_000);
      expect(s.error).toBeUndefined();
      expect(s.volumeRefs.map((r) => r.state)).toEqual(["CREATED_VOLUME", "CREATED_VOLUME"]);

      const c = e.inspect(e.container(uuid));
      expect(c.State.Running).toBe(true);
      expect(c.Image).toBe(image.imageId);
      expect(c.Config.Env).toEqual(expect.arrayContaining(["GREETING=hello world", "MODE=e2e"]));
      expect(c.HostConfig.Memory).toBe(64 * 1024 * 1024);
      expect(c.HostConfig.NanoCpus).toBe(1e9);
      const mount = c.Mounts.find((m: { Destination: string }) => m.Destination === "/data");
      expect(mount?.Type).toBe("volume");
      expect(e.node.volumeRefStatus.get(`${data.volumeId}#0`)?.dockerVolume).toBe(mount?.Name);
      // What the app sees: its env, and its boot recorded on the mounted volume.
      expect(e.exec(c.Id, 'echo "$GREETING"')).toBe("hello world");
      expect(e.exec(c.Id, "cat /data/boots").split("\n")).toHaveLength(1);
    },
    E2E_TIMEOUT,
  );

  it(
    "OCI registry datastore (tag resolved to a digest) -> RUNNING",
    async () => {
      e = await E2E.start({ registry: true });
      const { imageId, digest } = e.buildPushed("regapp", BOOT_LOGGER, "apps/regapp:1");
      const ct = await e.contentTree({
        datastoreId: e.registryId,
        relativeUrl: "apps/regapp:1",
        displayName: "regapp",
      });
      const img = await e.imageVolume(ct);
      const data = await e.blankVolume();
      const uuid = uid();
      await e.app({
        uuid,
        volumeRefs: [img, { ...data, mountDir: "/data" }],
        userData: b64("FROM=registry"),
      });
      await e.node.waitState(uuid, "RUNNING", 180_000);
      const c = e.inspect(e.container(uuid));
      expect(c.Image).toBe(imageId);
      expect(c.Config.Env).toContain("FROM=registry");
      expect(e.node.contentTreeStatus.get(ct)?.sha256).toBe(digest.replace(/^sha256:/, ""));
    },
    E2E_TIMEOUT,
  );
});
