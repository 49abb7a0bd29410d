// deviceMetric.newlog from LoguploaderStatus, through the real protobuf encoding; the debug.* log
// level items in the config item resolution.
import { eve } from "@outpost/evecloud";
import { LoguploaderStatusCodec, NewlogdStatusCodec } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { resolveConfigItems } from "../src/config-items.js";
import { newlogMetric } from "../src/newlog-metrics.js";

describe("newlogMetric", () => {
  it("maps the upload side of LoguploaderStatus onto EVE's fields and survives the wire", () => {
    const status = LoguploaderStatusCodec.decode({
      state: "backoff",
      deviceUuid: "d",
      queued: {
        device: { files: 2, bytes: 300, oldestAt: "2026-01-01T00:00:01.500Z" },
        "app/a1": { files: 3, bytes: 100 },
        "app/a2": { files: 1, bytes: 50 },
      },
      queuedFiles: 6,
      queuedBytes: 450,
      device: { files: 10, bytes: 5000, retries: 2, keptLocal: 1, lastSentAt: "2026-01-01T00:00:05Z" },
      app: { files: 4, bytes: 700 },
      uploadMs: { min: 3, avg: 9, max: 40, last: 5 },
      num4xx: 7,
      num429: 4,
      failedToSend: true,
      failSentStartAt: "2026-01-01T00:00:02Z",
    });
    const m = newlogMetric(status);
    const wire = eve.metrics.newlogMetric.toObject(
      eve.metrics.newlogMetric.decode(eve.metrics.newlogMetric.encode(m ?? {}).finish()),
    );
    expect(wire).toMatchObject({
      failedToSend: true,
      failSentStartTime: { seconds: 1767225602 },
      totalBytesUpload: 5700,
      num4xxResponses: 7,
      tooManyRequest: 4,
      mimUploadMsec: 3,
      avgUploadMsec: 9,
      maxUploadMsec: 40,
      lastUploadMsec: 5,
      total_size_logs: 450,
      oldest_saved_device_log: { seconds: 1767225601, nanos: 500_000_000 },
      deviceMetrics: {
        numGzipFileSent: 10,
        numGzipFileInDir: 2,
        numGzipFileRetry: 2,
        numGzipFileKeptLocal: 1,
      },
      appMetrics: { numGzipFileSent: 4, numGzipFileInDir: 4 },
    });
    expect(newlogMetric(undefined)).toBeUndefined();
  });
  it("adds newlogd's side: files removed by its disk budget, gzip sizes, bytes written, input, top sources", () => {
    const up = LoguploaderStatusCodec.decode({
      state: "offline",
      queued: { device: { files: 2, bytes: 300 }, "app/a1": { files: 1, bytes: 10 } },
      queuedFiles: 3,
      queuedBytes: 310,
      device: { files: 10, bytes: 5000 },
      app: { files: 4, bytes: 700 },
      uploadMs: { min: 3, avg: 9, max: 40, last: 5 },
      num4xx: 0,
      num429: 0,
      failedToSend: true,
    });
    const collect = NewlogdStatusCodec.decode({
      linesCollected: 900,
      bytesCollected: 90_000,
      linesFiltered: 0,
      linesDropped: { budget: 120, rateLimit: 0, malformed: 0, writeFailed: 0 },
      rateLimited: {},
      input: { agent: 100, syslog: 700, kernel: 50, app: 70 },
      devUpload: { files: 2, bytes: 300 },
      appUpload: { files: 1, bytes: 10 },
      openLines: 0,
      openBytes: 0,
      gzipFiles: 9,
      gzipBytes: 45_000,
      maxGzipBytes: 8000,
      avgGzipBytes: 5000,
      filesRemovedByBudget: 6,
      bytesRemovedByBudget: 30_000,
      totalBytes: 60_000,
      budgetBytes: 65_536,
      agentLogGaps: 0,
      topSources: [{ source: "flood", lines: 700, bytes: 80_000, pct: 89 }],
      startedAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:09Z",
    });
    const m = newlogMetric(up, collect);
    const wire = eve.metrics.newlogMetric.toObject(
      eve.metrics.newlogMetric.decode(eve.metrics.newlogMetric.encode(m ?? {}).finish()),
    );
    expect(wire).toMatchObject({
      failedToSend: true,
      totalBytesUpload: 5700,
      gzipFilesRemoved: 6,
      maxGzipFileSize: 8000,
      avgGzipFileSize: 5000,
      top10_input_sources: { flood: 89 },
      deviceMetrics: {
        numGzipFileSent: 10,
        numGzipFileInDir: 2,
        numGzipBytesWrite: 45_000,
        numBytesWrite: 90_000,
        numInputEvent: 850,
      },
      appMetrics: { numGzipFileSent: 4, numGzipFileInDir: 1, numInputEvent: 70 },
    });
    // newlogd alone (loguploader not up yet): the collect side still reports.
    expect(newlogMetric(undefined, collect)).toMatchObject({
      gzipFilesRemoved: 6,
      deviceMetrics: { numGzipFileInDir: 2 },
      appMetrics: { numGzipFileInDir: 1 },
    });
  });
});

describe("log level config items", () => {
  it("are known: a level is taken as the controller's, anything else flagged invalid", () => {
    const m = resolveConfigItems([
      { key: "debug.default.loglevel", value: "Warning" },
      { key: "agent.zedmanager.debug.loglevel", value: "debug" },
      { key: "debug.downloader.loglevel", value: "chatty" },
    ]);
    expect(m.items["debug.default.loglevel"]).toMatchObject({ value: "warning", source: "controller" });
    expect(m.items["agent.zedmanager.debug.loglevel"]).toMatchObject({
      value: "debug",
      source: "controller",
    });
    expect(m.items["debug.downloader.loglevel"]).toMatchObject({
      source: "invalid",
      error: expect.stringMatching(/chatty/),
    });
  });
});
