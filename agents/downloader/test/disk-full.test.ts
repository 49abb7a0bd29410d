// A disk too small or filling up, for real: persist/ is a small tmpfs. The downloader refuses a blob
// the disk cannot hold, pauses a download when the disk fills under it (keeping its .part), stays
// alive and keeps its log whole, and resumes from its offset by itself once space is freed.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillDisk, TestDatastore } from "@outpost/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blob, DownloadNode, httpDatastore, randomFile, sha256Of } from "./harness.js";

let node: DownloadNode;
let mounted: string | undefined;
let dir: string;
let ds: TestDatastore;

async function startOnTmpfs(size: string) {
  dir = mkdtempSync(join(tmpdir(), "op-files-"));
  ds = await TestDatastore.start({ dir });
  node = await DownloadNode.start((root) => {
    const persist = join(root, "persist");
    mkdirSync(persist);
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", persist]);
    mounted = persist;
  });
}

/** Stops the agents, unmounts the tmpfs (lazily: a process may still hold a file there), removes the
 * node root and the datastore. */
async function teardown() {
  await node.stop(true);
  if (mounted) spawnSync("umount", ["-l", mounted]);
  mounted = undefined;
  rmSync(node.root, { recursive: true, force: true });
  await ds.close();
  rmSync(dir, { recursive: true, force: true });
}

describe("downloader: disk too small", () => {
  beforeEach(() => startOnTmpfs("2m"));
  afterEach(teardown);

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
    // (Only theirs: the small blob's own .part may be there while it downloads.)
    expect(
      readdirSync(join(node.root, "persist/downloader/pending")).filter(
        (f) => f === `${known}.part` || f === `${unknown}.part`,
      ),
    ).toEqual([]);
    // Another blob that fits is not held up by them.
    await node.waitDownload(small, (s) => s.state === "DOWNLOADED");
  });
});

describe("downloader: the disk fills up during a download", () => {
  beforeEach(() => startOnTmpfs("45m"));
  afterEach(teardown);

  it("pauses with a clear error, stays alive, drops log lines, and resumes from its offset when space is back", async () => {
    const size = 32 << 20;
    const sha = randomFile(join(dir, "big.tar"), size);
    ds.rateBytesPerSec = 3 << 20;
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    const downloader = node.startDownloader(["--space-poll-max", "1"]);
    const verifier = node.startVerifier();
    await node.downloads.set(sha, blob(sha, "ds1", "big.tar", { size }));
    await node.waitDownload(sha, (s) => s.currentSize >= 8 << 20);

    // Something else fills persist/ while the .part grows.
    const persist = mounted as string;
    const filler = join(persist, "filler");
    fillDisk(filler);
    const paused = await node.waitDownload(sha, (s) => s.error !== undefined, 30_000, "the pause");
    expect(paused.state).toBe("DOWNLOADING");
    expect(paused.error?.description).toMatch(
      new RegExp(`^download of blob ${sha} paused: not enough disk space: need \\d+ more bytes, 0 free`),
    );
    expect(paused.error?.retryCondition).toMatch(/resumes from there by itself once space is freed/);
    // The .part is kept, and the status says how much of it there is.
    const part = join(persist, "downloader/pending", `${sha}.part`);
    const kept = statSync(part).size;
    expect(paused.currentSize).toBe(kept);
    expect(kept).toBeGreaterThanOrEqual(8 << 20);
    expect(kept).toBeLessThan(size);

    // More blobs asked for while the disk is full: each is refused before any byte, and each refusal
    // is logged, more lines than fit in what the log file's last page has left: they are dropped.
    const smalls = Array.from({ length: 10 }, (_, i) => randomFile(join(dir, `small${i}.tar`), 256 << 10));
    for (const [i, s] of smalls.entries())
      await node.downloads.set(s, blob(s, "ds1", `small${i}.tar`, { size: 256 << 10 }));
    for (const s of smalls) {
      const p = await node.waitDownload(s, (st) => st.error !== undefined);
      expect(p.error?.description).toMatch(/paused: not enough disk space: need 262144 more bytes/);
    }
    expect(smalls.flatMap((_, i) => ds.requestsFor(`small${i}.tar`))).toHaveLength(0);
    // Both agents are alive (same processes, still answering) on the full disk.
    for (const c of [downloader, verifier]) expect(c.exitCode === null && c.signalCode === null).toBe(true);
    expect(node.pid("downloader")).toBe(downloader.pid);

    const requestsBefore = ds.requestsFor("big.tar").length;
    // The pace was there for the fill to land mid-download; the rest comes as fast as it can.
    ds.rateBytesPerSec = undefined;
    unlinkSync(filler);
    const done = await node.waitDownload(
      sha,
      (s) => s.state === "DOWNLOADED",
      60_000,
      "the resumed download",
    );
    expect(done.error).toBeUndefined();
    expect(sha256Of(done.path as string)).toBe(sha);
    // Resumed from the kept bytes, not from zero.
    const resumed = ds.requestsFor("big.tar").slice(requestsBefore);
    expect(resumed.map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    expect(done.fetchedBytes).toBeLessThan(size + (4 << 20));
    for (const s of smalls) await node.waitDownload(s, (st) => st.state === "DOWNLOADED");
    for (const c of [downloader, verifier]) expect(c.exitCode === null && c.signalCode === null).toBe(true);

    // The log is whole JSON lines; it says once how many lines were lost, before the resume.
    const log = readFileSync(node.layout.logFile("downloader"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; dropped?: number });
    const notes = log.filter((l) => l.dropped !== undefined);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.dropped).toBeGreaterThanOrEqual(1);
    expect(notes[0]?.msg).toMatch(/^\d+ log lines dropped: writing the log failed \(ENOSPC\)$/);
    const at = log.indexOf(notes[0] as (typeof log)[number]);
    expect(log.slice(at + 1).some((l) => l.msg === "disk space is back: resuming the download")).toBe(true);
  }, 120_000);
});
