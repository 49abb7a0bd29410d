// deviceMetric.newlog (EVE's newlogMetric) from loguploader's LoguploaderStatus. The mapping is pure;
// `watchNewlogMetric` is the one subscription zedagent needs for it. Fields only newlogd knows
// (input events, bytes written, files removed for its quota, top sources, gzip sizes) are left for
// its own status; the upload side is all here.
import type { eve } from "@outpost/evecloud";
import type { PubSub } from "@outpost/pubsub";
import {
  LOGUPLOADER_PUBLISHER,
  LOGUPLOADER_STATUS_KEY,
  LOGUPLOADER_STATUS_TOPIC,
  type LogUploadCounts,
  type LoguploaderStatus,
  LoguploaderStatusCodec,
} from "@outpost/types";

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
): eve.metrics.newlogMetric.$Properties | undefined {
  if (!s) return undefined;
  let appFiles = 0;
  for (const [stream, q] of Object.entries(s.queued)) if (stream.startsWith("app/")) appFiles += q.files;
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
    appMetrics: logfile(s.app, appFiles),
    tooManyRequest: s.num429,
    total_size_logs: s.queuedBytes,
    oldest_saved_device_log: ts(s.queued.device?.oldestAt),
  };
}

/** Follows loguploader's status; the getter maps the latest one. */
export function watchNewlogMetric(pubsub: PubSub): () => eve.metrics.newlogMetric.$Properties | undefined {
  const sub = pubsub.subscribe({
    agent: LOGUPLOADER_PUBLISHER,
    topic: LOGUPLOADER_STATUS_TOPIC,
    codec: LoguploaderStatusCodec,
  });
  return () => newlogMetric(sub.get(LOGUPLOADER_STATUS_KEY));
}
