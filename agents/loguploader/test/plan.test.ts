// The pure parts of loguploader: batch names, upload order, what happens after each answer.
import { describe, expect, it } from "vitest";
import {
  afterAttempt,
  type Batch,
  blamesBatch,
  buildQueue,
  initialState,
  nextBatch,
  paceMs,
  parseBatchName,
  retryAfterMs,
  statusOf,
  summarize,
  uploadPath,
} from "../src/index.js";

const APP = "6f1c0a4e-1b2c-4d5e-8f90-0123456789ab";
const dev = (ms: number, size = 100) => parseBatchName("device", `dev.log.${ms}.gz`, size) as Batch;
const app = (ms: number, size = 100) => parseBatchName("app", `app.${APP}.log.${ms}.gz`, size) as Batch;
const T = 1_700_000_000_000;

describe("batch names", () => {
  it("reads the device and app names of the contract and nothing else", () => {
    expect(dev(T)).toMatchObject({ stream: "device", ms: T, dir: "device" });
    expect(app(T)).toMatchObject({ stream: `app/${APP}`, app: APP, ms: T, dir: "app" });
    for (const stray of ["dev.log.123.gz", "dev.log.1700000000000.gz.tmp", ".dev.log.1700000000000.gz", "x"])
      expect(parseBatchName("device", stray, 1)).toBeUndefined();
    expect(parseBatchName("app", `app.${APP}.log.170000000000.gz`, 1)).toBeUndefined();
    expect(parseBatchName("app", "app.../x.log.1700000000000.gz", 1)).toBeUndefined();
  });

  it("gives each its controller path", () => {
    expect(uploadPath("D", dev(T))).toBe("id/D/newlogs");
    expect(uploadPath("D", app(T))).toBe(`id/D/apps/instanceid/${APP}/newlogs`);
  });
});

describe("upload order", () => {
  it("keeps each stream in name order and takes the oldest head over all streams", () => {
    const q = buildQueue([dev(T + 30), app(T + 20), dev(T + 10), app(T + 40)]);
    const order: number[] = [];
    for (let b = nextBatch(q); b; b = nextBatch(q)) {
      order.push(b.ms - T);
      q.get(b.stream)?.shift();
    }
    expect(order).toEqual([10, 20, 30, 40]);
  });

  it("sends the device batch first on a tie", () => {
    expect(nextBatch(buildQueue([app(T), dev(T)]))?.stream).toBe("device");
  });

  it("sums files, bytes and the oldest batch per stream", () => {
    const s = summarize(buildQueue([dev(T + 5, 10), dev(T + 9, 20), app(T + 1, 7)]));
    expect(s).toMatchObject({ files: 3, bytes: 37, oldestMs: T + 1 });
    expect(s.perStream.device).toEqual({ files: 2, bytes: 30, oldestMs: T + 5 });
  });
});

describe("after an attempt", () => {
  const o = { max4xx: 3 };

  it("deletes an accepted batch, counts it and its time, and goes on", () => {
    const r = afterAttempt(initialState(), dev(T, 500), { kind: "accepted", status: 201, ms: 40 }, T + 1, o);
    expect(r.actions.map((a) => a.kind)).toEqual(["delete", "next"]);
    expect(r.state.device).toMatchObject({ files: 1, bytes: 500, newestBatchMs: T });
    const r2 = afterAttempt(r.state, app(T + 1), { kind: "accepted", status: 200, ms: 10 }, T + 2, o);
    expect(r2.state.uploadMs).toMatchObject({ min: 10, max: 40, count: 2, last: 10 });
    expect(
      statusOf({ phase: "idle", deviceUuid: "D", state: r2.state, queue: summarize(new Map()), now: T })
        .uploadMs,
    ).toEqual({ min: 10, avg: 25, max: 40, last: 10 });
  });

  it("waits at least Retry-After on 429 and 503, counts them, and never gives the batch up for them", () => {
    let s = initialState();
    for (let i = 0; i < 10; i++) {
      const r = afterAttempt(
        s,
        dev(T),
        { kind: "refused", status: 429, reason: "slow down", retryAfterMs: 7000 },
        T,
        o,
      );
      expect(r.actions).toEqual([
        { kind: "retryLater", cause: "refused", minMs: 7000, reason: "HTTP 429: slow down" },
      ]);
      s = r.state;
    }
    s = afterAttempt(s, dev(T), { kind: "refused", status: 503, reason: "busy" }, T, o).state;
    expect(s).toMatchObject({ num429: 10, num4xx: 10, num503: 1, failedToSend: true });
    expect(s.device.keptLocal).toBe(0);
  });

  it("gives a batch up after max4xx refusals in a row that blame it, then goes on", () => {
    let s = initialState();
    const bad = dev(T);
    const kinds: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const r = afterAttempt(s, bad, { kind: "refused", status: 400, reason: "bad line" }, T, o);
      kinds.push(r.actions.map((a) => a.kind));
      s = r.state;
    }
    expect(kinds).toEqual([["retryLater"], ["retryLater"], ["giveUp", "next"]]);
    expect(s.device.keptLocal).toBe(1);
    expect(s.num4xx).toBe(3);
    expect(s.poison.device).toBeUndefined();
  });

  it("counts 4xx per batch: another batch starts again at one", () => {
    let s = afterAttempt(initialState(), dev(T), { kind: "refused", status: 400, reason: "x" }, T, o).state;
    s = afterAttempt(s, dev(T), { kind: "refused", status: 400, reason: "x" }, T, o).state;
    s = afterAttempt(s, dev(T + 1), { kind: "refused", status: 400, reason: "x" }, T, o).state;
    expect(s.poison.device).toEqual({ name: `dev.log.${T + 1}.gz`, count: 1 });
  });

  it("does not blame the batch for who the device is or for load", () => {
    for (const s of [401, 403, 404, 408, 429, 500, 503]) expect(blamesBatch(s)).toBe(false);
    for (const s of [400, 413, 415, 422]) expect(blamesBatch(s)).toBe(true);
  });

  it("retries an unreachable controller with backoff, flags failedToSend after 3 and clears it after 3 successes", () => {
    let s = initialState();
    for (let i = 0; i < 3; i++)
      s = afterAttempt(s, dev(T), { kind: "unreachable", reason: "connection refused" }, T + i, o).state;
    expect(s).toMatchObject({ failedToSend: true, failSentStartAt: T + 2 });
    for (let i = 0; i < 3; i++)
      s = afterAttempt(s, dev(T + i), { kind: "accepted", status: 201, ms: 1 }, T, o).state;
    expect(s.failedToSend).toBe(false);
    expect(s.failSentStartAt).toBeUndefined();
  });

  it("skips a batch newlogd removed, counting it", () => {
    const r = afterAttempt(initialState(), dev(T), { kind: "vanished" }, T, o);
    expect(r.actions).toEqual([{ kind: "next" }]);
    expect(r.state.vanished).toBe(1);
  });
});

describe("Retry-After and pacing", () => {
  it("reads delta seconds and HTTP dates", () => {
    expect(retryAfterMs("5", T)).toBe(5000);
    expect(retryAfterMs(new Date(T + 3000).toUTCString(), T)).toBe(3000);
    expect(retryAfterMs(undefined, T)).toBeUndefined();
    expect(retryAfterMs("soon", T)).toBeUndefined();
  });

  it("pauses at least as long as the last upload took", () => {
    expect(paceMs(30, 100)).toBe(100);
    expect(paceMs(800, 100)).toBe(800);
  });
});
