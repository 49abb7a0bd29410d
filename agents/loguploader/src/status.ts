// LoguploaderStatus from the uploader's counters and the queue on disk (pure).
import type { ErrorInfo, LogUploadCounts, LoguploaderStatus } from "@outpost/types";
import type { QueueSummary } from "./batches.js";
import type { Counters, UploadState } from "./plan.js";

export type Phase = LoguploaderStatus["state"];

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function counts(c: Counters): LogUploadCounts {
  const lastSentAt = iso(c.lastSentAt);
  const newestBatchAt = iso(c.newestBatchMs);
  return {
    files: c.files,
    bytes: c.bytes,
    retries: c.retries,
    keptLocal: c.keptLocal,
    ...(lastSentAt ? { lastSentAt } : {}),
    ...(newestBatchAt ? { newestBatchAt } : {}),
  };
}

export function statusOf(o: {
  phase: Phase;
  deviceUuid: string;
  state: UploadState;
  queue: QueueSummary;
  now: number;
  retryAt?: number;
  lastError?: ErrorInfo;
}): LoguploaderStatus {
  const { state: s, queue: q } = o;
  const queued: LoguploaderStatus["queued"] = {};
  for (const [stream, v] of Object.entries(q.perStream)) {
    const oldestAt = iso(v.oldestMs);
    queued[stream] = { files: v.files, bytes: v.bytes, ...(oldestAt ? { oldestAt } : {}) };
  }
  const u = s.uploadMs;
  const oldestUnsentAt = iso(q.oldestMs);
  const failSentStartAt = iso(s.failSentStartAt);
  const retryAt = iso(o.retryAt);
  return {
    state: o.phase,
    deviceUuid: o.deviceUuid,
    queued,
    queuedFiles: q.files,
    queuedBytes: q.bytes,
    ...(oldestUnsentAt && q.oldestMs !== undefined
      ? { oldestUnsentAt, oldestUnsentAgeS: Math.max(0, Math.floor((o.now - q.oldestMs) / 1000)) }
      : {}),
    device: counts(s.device),
    app: counts(s.app),
    uploadMs: { min: u.min, avg: u.count ? Math.round(u.total / u.count) : 0, max: u.max, last: u.last },
    num4xx: s.num4xx,
    num429: s.num429,
    num503: s.num503,
    vanished: s.vanished,
    failedToSend: s.failedToSend,
    ...(failSentStartAt ? { failSentStartAt } : {}),
    ...(retryAt ? { retryAt } : {}),
    ...(o.lastError ? { lastError: o.lastError } : {}),
  };
}
