// deviceMetric.newlog from LoguploaderStatus, through the real protobuf encoding; the debug.* log
// level items in the config item resolution.
import { eve } from "@outpost/evecloud";
import { LoguploaderStatusCodec } from "@outpost/types";
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
