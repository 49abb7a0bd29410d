import {
  type DownloaderConfig,
  type DownloaderStatus,
  makeError,
  type VerifyImageStatus,
} from "@outpost/types";
import { describe, expect, it } from "vitest";
import { spaceOf } from "../src/downloads.js";
import { type DownloadFacts, decide, initialStatus, type Problem, percent } from "../src/plan.js";

const SHA = "a".repeat(64);
const config = (o: Partial<DownloaderConfig> = {}): DownloaderConfig => ({
  sha256: SHA,
  datastoreId: "ds",
  relativeUrl: "x.tar",
  kind: "archive",
  size: 100,
  maxSizeBytes: 0,
  retry: 0,
  ...o,
});
const status = (o: Partial<DownloaderStatus> = {}): DownloaderStatus => ({
  ...initialStatus(config()),
  ...o,
});
const facts = (o: Partial<DownloadFacts> = {}): DownloadFacts => ({
  config: config(),
  status: status(),
  datastoreKnown: true,
  running: undefined,
  downloaded: undefined,
  verifier: undefined,
  waitingForRetry: false,
  blocked: false,
  slotFree: true,
  ...o,
});
const unknown = () => makeError("unknown datastore ds", { source: { type: "Datastore", id: "ds" } });

describe("downloader plan", () => {
  it("publishes INITIAL on first sight, keeping files a previous run left", () => {
    expect(decide(facts({ status: undefined }), unknown)).toEqual([
      { kind: "publish", status: initialStatus(config()) },
      { kind: "again" },
    ]);
  });

  it("starts when a slot is free, queues at progress 0 when not", () => {
    expect(decide(facts(), unknown)).toEqual([{ kind: "start" }]);
    const queued = decide(facts({ slotFree: false }), unknown);
    expect(queued).toEqual([
      { kind: "publish", status: expect.objectContaining({ state: "DOWNLOADING", progress: 0 }) },
    ]);
    expect(decide(facts({ slotFree: false, status: status({ state: "DOWNLOADING" }) }), unknown)).toEqual([]);
  });

  it("reports a finished file as DOWNLOADED without fetching", () => {
    const [a] = decide(facts({ downloaded: { path: "/p/x", size: 100 } }), unknown);
    expect(a).toEqual({
      kind: "publish",
      status: expect.objectContaining({
        state: "DOWNLOADED",
        path: "/p/x",
        owner: "downloader",
        progress: 100,
        currentSize: 100,
      }),
    });
    expect(
      decide(
        facts({
          downloaded: { path: "/p/x", size: 100 },
          status: status({ state: "DOWNLOADED", path: "/p/x", owner: "downloader" }),
        }),
        unknown,
      ),
    ).toEqual([]);
  });

  it("a bumped retry resets, also while a fetch runs (the reset waits for it to settle)", () => {
    expect(decide(facts({ config: config({ retry: 1 }) }), unknown)).toEqual([{ kind: "reset", retry: 1 }]);
    expect(decide(facts({ config: config({ retry: 1 }), running: { retry: 0 } }), unknown)).toEqual([
      { kind: "reset", retry: 1 },
    ]);
    expect(decide(facts({ running: { retry: 0 } }), unknown)).toEqual([]);
  });

  it("a removed config aborts and removes", () => {
    expect(decide(facts({ config: undefined, running: { retry: 0 } }), unknown)).toEqual([
      { kind: "abort" },
      { kind: "remove" },
    ]);
    expect(decide(facts({ config: undefined }), unknown)).toEqual([{ kind: "remove" }]);
  });

  it("waits, with an error naming it, for an unknown datastore; nothing while blocked or backing off", () => {
    const [a] = decide(facts({ datastoreKnown: false }), unknown);
    expect(a).toMatchObject({
      kind: "publish",
      status: { state: "INITIAL", error: { source: { type: "Datastore", id: "ds" } } },
    });
    expect(decide(facts({ blocked: true }), unknown)).toEqual([]);
    expect(decide(facts({ waitingForRetry: true }), unknown)).toEqual([]);
  });

  it("a DOWNLOADED file that went away (a failed verification) is not fetched again until a retry bump", () => {
    const gone = status({ state: "DOWNLOADED", path: "/dl/x", currentSize: 100, progress: 100 });
    const problem = (p: Problem) =>
      p.kind === "fileGone"
        ? makeError(`gone ${p.path}`, { source: { type: "DownloadedFile", id: p.path } })
        : unknown();
    const [a] = decide(facts({ status: gone }), problem);
    expect(a).toMatchObject({
      kind: "publish",
      status: { state: "INITIAL", currentSize: 0, error: { description: "gone /dl/x" } },
    });
    const published = (a as { status: DownloaderStatus }).status;
    expect(published.path).toBeUndefined();
    // Held there, also with a free slot; a bumped retry resets it.
    expect(decide(facts({ status: published }), problem)).toEqual([]);
    expect(decide(facts({ status: published, config: config({ retry: 1 }) }), problem)).toEqual([
      { kind: "reset", retry: 1 },
    ]);
  });

  const verifier = (o: Partial<VerifyImageStatus>): VerifyImageStatus => ({
    sha256: SHA,
    state: "VERIFYING",
    size: 100,
    retry: 0,
    ...o,
  });

  it("a blob the verifier has (VERIFIED on the bus) is DOWNLOADED at its path, owned by the verifier, not fetched", () => {
    const verified = verifier({ state: "VERIFIED", path: "/v/x", owner: "verifier", retry: 3 });
    const [a, ...rest] = decide(facts({ verifier: verified }), unknown);
    expect(rest).toEqual([]);
    expect(a).toEqual({
      kind: "publish",
      status: expect.objectContaining({
        state: "DOWNLOADED",
        path: "/v/x",
        owner: "verifier",
        progress: 100,
      }),
    });
    const published = (a as { status: DownloaderStatus }).status;
    expect(decide(facts({ verifier: verified, status: published }), unknown)).toEqual([]);
    // Taken from us: our DOWNLOADED file moved into the verifier's store; the status follows it there.
    const ours = status({ state: "DOWNLOADED", path: "/dl/x", owner: "downloader", progress: 100 });
    expect(decide(facts({ verifier: verified, status: ours }), unknown)).toEqual([
      { kind: "publish", status: expect.objectContaining({ path: "/v/x", owner: "verifier" }) },
    ]);
    // Our own finished file, when there is one, is what we report.
    expect(
      decide(facts({ verifier: verified, downloaded: { path: "/dl/x", size: 100 }, status: ours }), unknown),
    ).toEqual([]);
  });

  it("our file taken by the verifier (VERIFYING at this retry) is not gone; after its mismatch it is", () => {
    const ours = status({ state: "DOWNLOADED", path: "/dl/x", owner: "downloader", progress: 100 });
    const problem = (p: Problem) =>
      p.kind === "fileGone"
        ? makeError(`gone ${p.path}`, { source: { type: "DownloadedFile", id: p.path } })
        : unknown();
    expect(decide(facts({ status: ours, verifier: verifier({ state: "VERIFYING" }) }), problem)).toEqual([]);
    // VERIFYING for another retry is about another file: ours is gone.
    expect(
      decide(facts({ status: ours, verifier: verifier({ state: "VERIFYING", retry: 1 }) }), problem),
    ).toMatchObject([
      { kind: "publish", status: { state: "INITIAL", error: { description: "gone /dl/x" } } },
    ]);
    const mismatch = verifier({ state: "INITIAL", error: makeError("sha256 mismatch") });
    const [a] = decide(facts({ status: ours, verifier: mismatch }), problem);
    expect(a).toMatchObject({
      kind: "publish",
      status: { state: "INITIAL", error: { description: "gone /dl/x" } },
    });
    const published = (a as { status: DownloaderStatus }).status;
    expect(published.path).toBeUndefined();
    expect(published.owner).toBeUndefined();
  });

  it("percent needs a known total", () => {
    expect(percent(50, 0)).toBe(0);
    expect(percent(50, 200)).toBe(25);
    expect(percent(300, 200)).toBe(100);
  });
});

describe("free space reserve", () => {
  const t = { reserveBytes: 64 << 20, reservePercent: 5 };
  it("keeps the smaller of --reserve-bytes and --reserve-percent of the file system free", () => {
    // 45 MB file system: 5 % (2.25 MB) is smaller than 64 MB.
    const small = spaceOf({ blocks: 11520, bsize: 4096, bavail: 5000 }, t);
    expect(small).toEqual({
      free: 5000 * 4096,
      reserve: Math.floor((11520 * 4096 * 5) / 100),
      usable: 5000 * 4096 - Math.floor((11520 * 4096 * 5) / 100),
    });
    // 32 GB: 64 MB is smaller than 5 % (1.6 GB).
    const big = spaceOf({ blocks: 8 << 20, bsize: 4096, bavail: 10 << 20 }, t);
    expect(big.reserve).toBe(64 << 20);
    // A full disk leaves a negative usable: downloads must not write.
    expect(spaceOf({ blocks: 11520, bsize: 4096, bavail: 0 }, t).usable).toBeLessThan(0);
  });
});
