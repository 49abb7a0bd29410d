// End to end: what goes wrong is reported on AppInstanceStatus, naming the part that failed, and
// never disturbs the other apps.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BOOT_LOGGER, b64, deployBootLogger, E2E, E2E_TIMEOUT, uid } from "./e2e-helpers.js";

describe("e2e: errors", () => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.cleanup();
    e = undefined;
  });

  it(
    "a corrupt blob is downloaded again, then a clear error names the content tree; fixed + bumped, it recovers",
    async () => {
      e = await E2E.start();
      const x = e;
      const image = x.buildArchive("corrupt", BOOT_LOGGER);
      const file = join(x.datastoreDir, image.relativeUrl);
      const good = readFileSync(file);
      x.datastore.corrupt(image.relativeUrl);
      const { uuid, contentTreeId } = await deployBootLogger(x, { image });

      const failed = await x.node.waitApp(
        uuid,
        (s) => s.error?.source?.type === "ContentTree",
        120_000,
        "an error naming the content tree",
      );
      expect(failed.error?.source?.id).toBe(contentTreeId);
      expect(failed.error?.description).toMatch(/sha256|mismatch|verif/i);
      expect(failed.state).not.toBe("RUNNING");
      // Retried: downloaded more than once before giving up.
      expect(
        x.datastore.requestsFor(image.relativeUrl).filter((r) => r.method === "GET").length,
      ).toBeGreaterThan(1);
      expect(x.containers(uuid)).toEqual([]);

      writeFileSync(file, good);
      const ct = x.node.contentTrees.get(contentTreeId);
      if (!ct) throw new Error("content tree gone");
      await x.node.contentTrees.set(contentTreeId, { ...ct, generation: ct.generation + 1 });
      const ok = await x.node.waitState(uuid, "RUNNING", 120_000);
      expect(ok.error).toBeUndefined();
      expect(x.inspect(x.container(uuid)).Image).toBe(image.imageId);
    },
    E2E_TIMEOUT,
  );

  it(
    "unknown datastore, image larger than maxSizeBytes, malformed env: clear errors, the other app runs",
    async () => {
      e = await E2E.start();
      const x = e;
      const image = x.buildArchive("good", BOOT_LOGGER);
      const good = await deployBootLogger(x, { image });
      await x.node.waitState(good.uuid, "RUNNING", 180_000);
      const container = x.container(good.uuid);

      // Unknown datastore.
      const ctUnknown = await x.contentTree({
        datastoreId: uid(),
        relativeUrl: image.relativeUrl,
        sha256: image.sha256,
        displayName: "nowhere",
      });
      const unknown = uid();
      await x.app({ uuid: unknown, volumeRefs: [await x.imageVolume(ctUnknown)] });
      // Larger than its maxSizeBytes.
      const big = x.buildArchive("big", BOOT_LOGGER, 512 * 1024);
      const ctBig = await x.contentTree({
        relativeUrl: big.relativeUrl,
        sha256: big.sha256,
        maxSizeBytes: 100_000,
        displayName: "too-big",
      });
      const tooBig = uid();
      await x.app({ uuid: tooBig, volumeRefs: [await x.imageVolume(ctBig)] });
      // Malformed env: a line without "=".
      const badEnv = uid();
      await x.app({
        uuid: badEnv,
        volumeRefs: [await x.imageVolume(good.contentTreeId)],
        userData: b64("OK=1\nNOT A VARIABLE\n"),
      });

      const u = await x.node.waitApp(
        unknown,
        (s) => s.error !== undefined,
        60_000,
        "unknown datastore error",
      );
      expect(u.error?.description).toMatch(/datastore/i);
      expect(u.error?.source?.type).toBe("ContentTree");
      expect(u.error?.source?.id).toBe(ctUnknown);

      // Before the volume's config reaches volumemgr the ref can say "no VolumeConfig for it" for a
      // moment (the two tables come from different publishers): wait for the content tree's error.
      const b = await x.node.waitApp(
        tooBig,
        (s) => s.error?.source?.type === "ContentTree",
        60_000,
        "too-large error",
      );
      expect(b.error?.description).toMatch(/max|large|size/i);
      expect(b.error?.source?.id).toBe(ctBig);

      const env = await x.node.waitApp(badEnv, (s) => s.error !== undefined, 60_000, "malformed env error");
      expect(env.error?.description).toBe('userData line 2 has no "=": "NOT A VARIABLE"');
      expect(env.error?.source).toMatchObject({ type: "AppInstance", id: badEnv });

      for (const id of [unknown, tooBig, badEnv]) expect(x.containers(id)).toEqual([]);
      // The good app was never disturbed.
      expect(x.node.appStatus.get(good.uuid)?.state).toBe("RUNNING");
      expect(x.container(good.uuid)).toBe(container);
      expect(x.inspect(container).State.Running).toBe(true);
      expect(x.inspect(container).RestartCount ?? 0).toBe(0);
    },
    E2E_TIMEOUT,
  );
});
