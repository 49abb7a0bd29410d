// End to end: two apps on one content tree share one download and one image; deleting one keeps
// what the other still uses.
import { afterEach, describe, expect, it } from "vitest";
import { BOOT_LOGGER, DEBUG_NODE, E2E, E2E_TIMEOUT, GC_PASS, uid } from "./e2e-helpers.js";

describe("e2e: sharing", () => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.cleanup();
    e = undefined;
  });

  it(
    "two apps sharing one content tree download it once; deleting one keeps the other's image",
    async () => {
      e = await E2E.start(DEBUG_NODE);
      const x = e;
      const image = x.buildArchive("shared", BOOT_LOGGER);
      const ct = await x.contentTree({
        relativeUrl: image.relativeUrl,
        sha256: image.sha256,
        displayName: "shared",
      });
      // One image volume used by both apps (the VolumeRefConfig counts both), each with its own data.
      const img = await x.imageVolume(ct);
      const a = uid();
      const b = uid();
      const dataA = await x.blankVolume();
      const dataB = await x.blankVolume();
      await x.app({ uuid: a, volumeRefs: [img, { ...dataA, mountDir: "/data" }] });
      await x.app({ uuid: b, volumeRefs: [img, { ...dataB, mountDir: "/data" }] });
      await x.node.waitState(a, "RUNNING", 180_000);
      await x.node.waitState(b, "RUNNING", 180_000);

      expect(x.node.volumeRefConfig.get(`${img.volumeId}#0`)?.apps).toEqual([a, b].sort());
      const gets = x.datastore.requestsFor(image.relativeUrl).filter((r) => r.method === "GET");
      expect(gets).toHaveLength(1);
      expect(x.datastore.bytesServed).toBe(image.size);
      expect(x.inspect(x.container(a)).Image).toBe(image.imageId);
      expect(x.inspect(x.container(b)).Image).toBe(image.imageId);

      await x.node.apps.delete(a);
      await x.node.volumes.delete(`${dataA.volumeId}#0`);
      await x.until("app a's status to go", () => x.node.appStatus.get(a) === undefined);
      expect(x.containers(a)).toEqual([]);
      expect(x.node.volumeRefConfig.get(`${img.volumeId}#0`)?.apps).toEqual([b]);
      // Garbage collection had its chance with a gone (passes allowed to collect), then: b and its
      // image are untouched.
      await x.moreLogLines("volumemgr", GC_PASS, 3, "three volumemgr passes that may collect");
      expect(x.imageExists(image.imageId)).toBe(true);
      expect(x.node.appStatus.get(b)?.state).toBe("RUNNING");
      expect(x.inspect(x.container(b)).State.Running).toBe(true);
      expect(x.datastore.requestsFor(image.relativeUrl)).toHaveLength(gets.length);
    },
    E2E_TIMEOUT,
  );
});
