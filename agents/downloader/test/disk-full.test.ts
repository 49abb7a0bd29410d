// The downloader refuses a blob the disk cannot hold: persist/ is a 2 MB tmpfs here.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestDatastore } from "@outpost/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blob, DownloadNode, httpDatastore, randomFile } from "./harness.js";

describe("downloader: disk too small", () => {
  let node: DownloadNode;
  let mounted: string | undefined;
  let dir: string;
  let ds: TestDatastore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "op-files-"));
    ds = await TestDatastore.start({ dir });
    node = await DownloadNode.start((root) => {
      const persist = join(root, "persist");
      mkdirSync(persist);
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", persist]);
      mounted = persist;
    });
  });
  afterEach(async () => {
    await node.stop(true);
    if (mounted) spawnSync("umount", ["-l", mounted]);
    mounted = undefined;
    rmSync(node.root, { recursive: true, force: true });
    await ds.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses with a clear error whether the size is known up front or only from Content-Length", async () => {
    const known = randomFile(join(dir, "known.tar"), 5 << 20);
    const unknown = randomFile(join(dir, "unknown.tar"), 5 << 20);
    const small = randomFile(join(dir, "small.tar"), 100_000);
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader(["--retry-min", "30"]);
    await node.downloads.set(known, blob(known, "ds1", "known.tar", { size: 5 << 20 }));
    await node.downloads.set(unknown, blob(unknown, "ds1", "unknown.tar"));
    await node.downloads.set(small, blob(small, "ds1", "small.tar"));
    for (const sha of [known, unknown]) {
      const s = await node.waitDownload(sha, (s) => s.error !== undefined);
      expect(s.error?.description).toMatch(/not enough disk space: need \d+ more bytes, \d+ free/);
      expect(s.state).not.toBe("DOWNLOADED");
    }
    // Nothing was fetched for them: the refusal comes before the body.
    expect(ds.requestsFor("known.tar")).toHaveLength(0);
    expect(
      readdirSync(join(node.root, "persist/downloader/pending")).filter((f) => f.endsWith(".part")),
    ).toEqual([]);
    // Another blob that fits is not held up by them.
    await node.waitDownload(small, (s) => s.state === "DOWNLOADED");
  });
});
