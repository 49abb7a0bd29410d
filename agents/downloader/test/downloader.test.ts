// The downloader (and verifier) as processes from the bundle, against a real HTTP datastore server
// and a real docker-registry, driven over the real bus.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCert, TestDatastore, waitFor } from "@outpost/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blob, DownloadNode, httpDatastore, randomFile, sha256Of } from "./harness.js";

describe("downloader: http datastore", () => {
  let node: DownloadNode;
  let dir: string;
  let ds: TestDatastore | undefined;
  beforeEach(async () => {
    node = await DownloadNode.start();
    dir = mkdtempSync(join(tmpdir(), "op-files-"));
  });
  afterEach(async () => {
    await ds?.close();
    ds = undefined;
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("downloads an archive by path, then the verifier moves it into the verified store", async () => {
    const sha = randomFile(join(dir, "app.tar"), 3 << 20);
    ds = await TestDatastore.start({ dir });
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host, { path: "/" }));
    node.startDownloader();
    node.startVerifier();
    await node.downloads.set(sha, blob(sha, "ds1", "app.tar"));
    const s = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
    expect(s).toMatchObject({
      currentSize: 3 << 20,
      totalSize: 3 << 20,
      progress: 100,
      fetchedBytes: 3 << 20,
    });
    expect(s.path).toBe(join(node.root, "persist/downloader/downloaded", sha));
    expect(sha256Of(s.path as string)).toBe(sha);

    await node.verifies.set(sha, { sha256: sha, path: s.path as string, size: s.totalSize, retry: 0 });
    const v = await node.waitVerify(sha, (v) => v.state === "VERIFIED");
    expect(v.path).toBe(join(node.root, "persist/verifier/verified", sha));
    expect(v.size).toBe(3 << 20);
    expect(sha256Of(v.path as string)).toBe(sha);
    expect(existsSync(s.path as string)).toBe(false);
  });

  it("uses basic auth when the datastore has credentials, and says so when it has none", async () => {
    const sha = randomFile(join(dir, "a.tar"), 200_000);
    ds = await TestDatastore.start({ dir, auth: { username: "edge", password: "s3cret" } });
    await node.datastores.set(
      "good",
      httpDatastore("good", ds.host, { username: "edge", password: "s3cret" }),
    );
    await node.datastores.set("anon", httpDatastore("anon", ds.host));
    node.startDownloader(["--retry-min", "5"]);
    await node.downloads.set(sha, blob(sha, "good", "a.tar"));
    const ok = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(ok.path as string)).toBe(sha);
    await node.downloads.delete(sha);
    await waitFor(() => !existsSync(ok.path as string), 10_000, "the file of a removed config to go");

    await node.downloads.set(sha, blob(sha, "anon", "a.tar"));
    const bad = await node.waitDownload(sha, (s) => s.error !== undefined);
    expect(bad.error?.description).toMatch(/HTTP 401.*authentication required, no credentials configured/);
    expect(bad.state).not.toBe("DOWNLOADED");
  });

  it("follows the bearer-token flow over HTTPS, trusting the datastore's CA certificate", async () => {
    const sha = randomFile(join(dir, "t.tar"), 300_000);
    const tls = selfSignedCert();
    ds = await TestDatastore.start({
      dir,
      tls,
      auth: { username: "edge", password: "pw", scheme: "bearer" },
    });
    await node.datastores.set("tls", {
      ...httpDatastore("tls", ds.host, { username: "edge", password: "pw" }),
      type: "https",
      caCertsPem: [tls.cert],
    });
    await node.datastores.set("untrusted", {
      ...httpDatastore("untrusted", ds.host, { username: "edge", password: "pw" }),
      type: "https",
    });
    node.startDownloader(["--retry-min", "5"]);
    await node.downloads.set(sha, blob(sha, "tls", "t.tar"));
    const ok = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
    expect(sha256Of(ok.path as string)).toBe(sha);
    expect(ds.requests.some((r) => r.path === "/token" && r.status === 200)).toBe(true);

    const other = randomFile(join(dir, "u.tar"), 1000);
    await node.downloads.set(other, blob(other, "untrusted", "u.tar"));
    const bad = await node.waitDownload(other, (s) => s.error !== undefined);
    expect(bad.error?.description).toMatch(/self-signed certificate/);
  });

  it("resumes after kill -9 mid-download: fetches less than the total and the bytes are right", async () => {
    const size = 24 << 20;
    const sha = randomFile(join(dir, "big.tar"), size);
    ds = await TestDatastore.start({ dir });
    ds.rateBytesPerSec = 6 << 20;
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader(["--progress-interval", "100"]);
    await node.downloads.set(sha, blob(sha, "ds1", "big.tar"));
    await node.waitDownload(sha, (s) => s.state === "DOWNLOADING" && s.currentSize > 6 << 20);
    await node.kill9("downloader");
    const part = join(node.root, "persist/downloader/pending", `${sha}.part`);
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(4 << 20);
    ds.rateBytesPerSec = undefined;
    node.startDownloader();
    const s = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED" && s.fetchedBytes < size);
    expect(s.totalSize).toBe(size);
    expect(s.fetchedBytes).toBeLessThanOrEqual(size - kept);
    expect(sha256Of(s.path as string)).toBe(sha);
    expect(ds.requestsFor("big.tar").at(-1)?.range).toMatch(/^bytes=\d+-$/);
    expect(existsSync(part)).toBe(false);
  });

  it("starts again from zero when the server ignores Range", async () => {
    const size = 8 << 20;
    const sha = randomFile(join(dir, "nr.tar"), size);
    ds = await TestDatastore.start({ dir });
    ds.rateBytesPerSec = 4 << 20;
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader(["--progress-interval", "100"]);
    await node.downloads.set(sha, blob(sha, "ds1", "nr.tar"));
    await node.waitDownload(sha, (s) => s.currentSize > 1 << 20);
    await node.kill9("downloader");
    ds.rateBytesPerSec = undefined;
    ds.ignoreRange = true;
    node.startDownloader();
    const s = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
    expect(s.fetchedBytes).toBe(size);
    expect(sha256Of(s.path as string)).toBe(sha);
  });

  it("enforces maxSizeBytes with a clear error and keeps no file", async () => {
    const sha = randomFile(join(dir, "huge.tar"), 2 << 20);
    ds = await TestDatastore.start({ dir });
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader();
    await node.downloads.set(sha, blob(sha, "ds1", "huge.tar", { maxSizeBytes: 1 << 20 }));
    const s = await node.waitDownload(sha, (s) => s.error !== undefined);
    expect(s.error?.description).toContain(`is ${2 << 20} bytes, more than maxSizeBytes ${1 << 20}`);
    expect(s.error?.retryCondition).toMatch(/not retried/);
    expect(s.state).toBe("INITIAL");
    expect(readdirSync(join(node.root, "persist/downloader/pending"))).toEqual([]);
    // Raising the limit is a config change: it downloads.
    await node.downloads.set(sha, blob(sha, "ds1", "huge.tar", { maxSizeBytes: 4 << 20 }));
    await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
  });

  it("gives up a stalled download, retries it and resumes where it stopped", async () => {
    const size = 2 << 20;
    const sha = randomFile(join(dir, "st.tar"), size);
    ds = await TestDatastore.start({ dir });
    ds.stallAfterBytes = 700_000;
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader(["--stall-timeout", "1", "--retry-min", "0.3", "--retry-max", "1"]);
    await node.downloads.set(sha, blob(sha, "ds1", "st.tar"));
    const stalled = await node.waitDownload(sha, (s) => s.error !== undefined);
    expect(stalled.error?.description).toMatch(/stalled, no bytes for 1 s/);
    expect(stalled.error?.retryCondition).toMatch(/retrying in/);
    // While the next attempt runs, the status still says why the last one failed and which attempt
    // this is: a retry does not look like a plain first download.
    const retrying = await node.waitDownload(sha, (s) => /retrying now/.test(s.error?.retryCondition ?? ""));
    expect(retrying.state).toBe("DOWNLOADING");
    expect(retrying.error?.description).toMatch(/stalled, no bytes for 1 s/);
    expect(retrying.error?.retryCondition).toMatch(/^retrying now \(attempt \d+; \d+ failed\)$/);
    expect(retrying.retryCount).toBeGreaterThanOrEqual(1);
    ds.stallAfterBytes = undefined;
    const s = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
    expect(s.retryCount).toBeGreaterThanOrEqual(1);
    expect(s.error).toBeUndefined();
    expect(sha256Of(s.path as string)).toBe(sha);
    expect(ds.requestsFor("st.tar").some((r) => r.range === "bytes=700000-")).toBe(true);
  });

  it("caps concurrent downloads; the others wait in DOWNLOADING at progress 0", async () => {
    const shas = [0, 1, 2].map((i) => randomFile(join(dir, `c${i}.tar`), 3 << 20));
    ds = await TestDatastore.start({ dir });
    ds.rateBytesPerSec = 2 << 20;
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader(["--max-concurrent", "2", "--progress-interval", "100"]);
    for (const [i, sha] of shas.entries()) await node.downloads.set(sha, blob(sha, "ds1", `c${i}.tar`));
    await waitFor(
      () => shas.filter((s) => (node.dlStatus.get(s)?.currentSize ?? 0) > 0).length === 2,
      15_000,
      "two downloads moving",
    );
    const waiting = shas.map((s) => node.dlStatus.get(s)).filter((s) => s?.currentSize === 0);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ state: "DOWNLOADING", progress: 0 });
    expect(ds.requests.length).toBe(2);
    ds.rateBytesPerSec = undefined;
    for (const sha of shas) await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
  });

  it("a bumped retry deletes the file and downloads anew; a removed config deletes it", async () => {
    const sha = randomFile(join(dir, "r.tar"), 1 << 20);
    ds = await TestDatastore.start({ dir });
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader();
    await node.downloads.set(sha, blob(sha, "ds1", "r.tar"));
    await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
    const served = ds.bytesServed;
    await node.downloads.set(sha, blob(sha, "ds1", "r.tar", { retry: 1 }));
    const s = await node.waitDownload(sha, (s) => s.state === "DOWNLOADED" && s.retry === 1);
    expect(ds.bytesServed - served).toBe(1 << 20);
    expect(s.fetchedBytes).toBe(1 << 20);
    await node.downloads.delete(sha);
    await waitFor(() => node.dlStatus.get(sha) === undefined, 10_000, "status removed");
    expect(existsSync(s.path as string)).toBe(false);
  });

  it("mid-download: a bumped retry starts over from zero, a removed config aborts and deletes the .part", async () => {
    const size = 6 << 20;
    const sha = randomFile(join(dir, "m.tar"), size);
    ds = await TestDatastore.start({ dir });
    ds.rateBytesPerSec = 2 << 20;
    await node.datastores.set("ds1", httpDatastore("ds1", ds.host));
    node.startDownloader(["--progress-interval", "100"]);
    await node.downloads.set(sha, blob(sha, "ds1", "m.tar"));
    await node.waitDownload(sha, (s) => s.currentSize > 1 << 20);
    await node.downloads.set(sha, blob(sha, "ds1", "m.tar", { retry: 1 }));
    await node.waitDownload(sha, (s) => s.retry === 1 && s.currentSize > 0);
    expect(ds.requestsFor("m.tar").at(-1)?.range).toBeUndefined();
    await node.downloads.delete(sha);
    await waitFor(() => node.dlStatus.get(sha) === undefined, 10_000, "status removed");
    const pending = join(node.root, "persist/downloader/pending");
    await waitFor(() => readdirSync(pending).length === 0, 5000, "pending/ emptied");
    await new Promise((r) => setTimeout(r, 500));
    expect(readdirSync(pending)).toEqual([]);
    expect(readdirSync(join(node.root, "persist/downloader/downloaded"))).toEqual([]);
  });

  it("reports an unknown datastore, then downloads once it appears", async () => {
    const sha = randomFile(join(dir, "u.tar"), 100_000);
    ds = await TestDatastore.start({ dir });
    node.startDownloader();
    await node.downloads.set(sha, blob(sha, "later", "u.tar"));
    const s = await node.waitDownload(sha, (s) => s.error !== undefined);
    expect(s.error).toMatchObject({
      description: "unknown datastore later",
      source: { type: "Datastore", id: "later" },
    });
    await node.datastores.set("later", httpDatastore("later", ds.host));
    await node.waitDownload(sha, (s) => s.state === "DOWNLOADED");
  });
});
