// deviceMetric.newlog (EVE's newlogMetric) from loguploader's LoguploaderStatus (the upload side) and
// newlogd's NewlogdStatus (the collect side: files removed by its disk budget, gzip sizes, bytes
// written, input lines, top sources). The mapping is pure; `watchNewlogMetric` holds the two
// subscriptions zedagent needs for it.
import type { eve } from "@outpost/evecloud";
import type { PubSub } from "@outpost/pubsub";
import {
  LOGUPLOADER_PUBLISHER,
  LOGUPLOADER_STATUS_KEY,
  LOGUPLOADER_STATUS_TOPIC,
  type LogUploadCounts,
  type LoguploaderStatus,
  LoguploaderStatusCodec,
  NEWLOGD_STATUS_KEY,
  NEWLOGD_STATUS_TOPIC,
  type NewlogdStatus,
  NewlogdStatusCodec,
} from "@outpost/types";

/** newlogd's publisher name (its agent name). */
const NEWLOGD_PUBLISHER = "newlogd";

type Ts = { seconds: number; nanos: number };
function ts(iso: string | undefined): Ts | undefined {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(ms) ? undefined : { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function logfile(c: LogUploadCounts, inDir: number): eve.metrics.logfileMetrics.$Properties {
  return {
    numGzipFileSent: c.files,
    numGzipFileInDir: inDir,
    numGzipFileRetry: c.retries,
    numGzipFileKeptLocal: c.keptLocal,
    recentGzipFileTime: ts(c.newestBatchAt),
    lastGzipFileSendTime: ts(c.lastSentAt),
  };
}

export function newlogMetric(
  s: LoguploaderStatus | undefined,
  n?: NewlogdStatus,
): eve.metrics.newlogMetric.$Properties | undefined {
  if (!s && !n) return undefined;
  return { ...(s ? uploadSide(s) : {}), ...(n ? collectSide(n, s) : {}) };
}

function appFilesQueued(s: LoguploaderStatus): number {
  let files = 0;
  for (const [stream, q] of Object.entries(s.queued)) if (stream.startsWith("app/")) files += q.files;
  return files;
}

function uploadSide(s: LoguploaderStatus): eve.metrics.newlogMetric.$Properties {
  return {
    failedToSend: s.failedToSend,
    failSentStartTime: ts(s.failSentStartAt),
    totalBytesUpload: s.device.bytes + s.app.bytes,
    num4xxResponses: s.num4xx,
    // EVE's field name, typo included.
    mimUploadMsec: s.uploadMs.min,
    maxUploadMsec: s.uploadMs.max,
    avgUploadMsec: s.uploadMs.avg,
    lastUploadMsec: s.uploadMs.last,
    deviceMetrics: logfile(s.device, s.queued.device?.files ?? 0),
    appMetrics: logfile(s.app, appFilesQueued(s)),
    tooManyRequest: s.num429,
    total_size_logs: s.queuedBytes,
    oldest_saved_device_log: ts(s.queued.device?.oldestAt),
  };
}

/** What only newlogd knows. The per-stream parts (bytes written, input lines) are newlogd's totals,
 * put on the device side: newlogd does not split them by stream. */
function collectSide(
  n: NewlogdStatus,
  s: LoguploaderStatus | undefined,
): eve.metrics.newlogMetric.$Properties {
  const inputs = n.input.agent + n.input.syslog + n.input.kernel;
  return {
    gzipFilesRemoved: n.filesRemovedByBudget,
    maxGzipFileSize: n.maxGzipBytes,
    avgGzipFileSize: n.avgGzipBytes,
    top10_input_sources: Object.fromEntries(n.topSources.map((t) => [t.source, t.pct])),
    deviceMetrics: {
      ...(s ? logfile(s.device, s.queued.device?.files ?? 0) : { numGzipFileInDir: n.devUpload.files }),
      numGzipBytesWrite: n.gzipBytes,
      numBytesWrite: n.bytesCollected,
      numInputEvent: inputs,
    },
    appMetrics: {
      ...(s ? logfile(s.app, appFilesQueued(s)) : { numGzipFileInDir: n.appUpload.files }),
      numInputEvent: n.input.app,
    },
  };
}

/** Follows loguploader's and newlogd's statuses; the getter maps the latest ones. */
export function watchNewlogMetric(pubsub: PubSub): () => eve.metrics.newlogMetric.$Properties | undefined {
  const up = pubsub.subscribe({
    agent: LOGUPLOADER_PUBLISHER,
    topic: LOGUPLOADER_STATUS_TOPIC,
    codec: LoguploaderStatusCodec,
  });
  const collect = pubsub.subscribe({
    agent: NEWLOGD_PUBLISHER,
    topic: NEWLOGD_STATUS_TOPIC,
    codec: NewlogdStatusCodec,
  });
  return () => newlogMetric(up.get(LOGUPLOADER_STATUS_KEY), collect.get(NEWLOGD_STATUS_KEY));
}
