import {
  boolean,
  type Infer,
  integer,
  object,
  oneOf,
  optional,
  record,
  string,
  withDefault,
} from "./codec.js";
import { ErrorInfoCodec } from "./error.js";

// loguploader's state, for ipcmonitor, diag and zedagent's device metrics (EVE's newlogMetric).
// Batches are newlogd's gzip files under persist/newlog/{devUpload,appUpload}; a stream is "device"
// or "app/<app uuid>".

/** What is waiting in one stream. */
export const LogStreamQueueCodec = object({
  files: integer,
  bytes: integer,
  /** ISO time of the stream's oldest unsent batch (from its file name), when one waits. */
  oldestAt: optional(string),
});
export type LogStreamQueue = Infer<typeof LogStreamQueueCodec>;

/** What was sent of one kind of stream (device, or all apps together), as EVE counts it. */
export const LogUploadCountsCodec = object({
  files: withDefault(integer, 0),
  bytes: withDefault(integer, 0),
  /** Failed attempts (any cause); each is retried. */
  retries: withDefault(integer, 0),
  /** Batches given up after repeated 4xx and moved to persist/newlog/failedUpload/. */
  keptLocal: withDefault(integer, 0),
  /** ISO: when the last one was accepted, and the time of the newest batch accepted (its name). */
  lastSentAt: optional(string),
  newestBatchAt: optional(string),
});
export type LogUploadCounts = Infer<typeof LogUploadCountsCodec>;

/** Key "global". */
export const LoguploaderStatusCodec = object(
  {
    /** waiting-onboarding: no device UUID yet; idle: nothing queued; uploading: draining;
     * backoff: the last attempt failed, waiting to retry (retryAt); offline: the controller is
     * unreachable (transport failures), waiting to retry. */
    state: oneOf(["waiting-onboarding", "idle", "uploading", "backoff", "offline"] as const),
    deviceUuid: withDefault(string, ""),
    /** Per stream: "device", "app/<uuid>". */
    queued: record(LogStreamQueueCodec),
    queuedFiles: withDefault(integer, 0),
    queuedBytes: withDefault(integer, 0),
    /** ISO time of the oldest unsent batch over all streams, and its age in seconds when published. */
    oldestUnsentAt: optional(string),
    oldestUnsentAgeS: optional(integer),
    device: LogUploadCountsCodec,
    app: LogUploadCountsCodec,
    /** Upload time of accepted batches, ms. */
    uploadMs: object({
      min: withDefault(integer, 0),
      avg: withDefault(integer, 0),
      max: withDefault(integer, 0),
      last: withDefault(integer, 0),
    }),
    num4xx: withDefault(integer, 0),
    num429: withDefault(integer, 0),
    num503: withDefault(integer, 0),
    /** Batches that vanished before they were sent (newlogd's disk budget took them). */
    vanished: withDefault(integer, 0),
    /** Sending fails since failSentStartAt (EVE's failedToSend: 3 failures in a row). */
    failedToSend: withDefault(boolean, false),
    failSentStartAt: optional(string),
    /** ISO: when the next attempt is due, while in backoff/offline. */
    retryAt: optional(string),
    lastError: optional(ErrorInfoCodec),
  },
  "LoguploaderStatus",
);
export type LoguploaderStatus = Infer<typeof LoguploaderStatusCodec>;
export const LOGUPLOADER_STATUS_TOPIC = "LoguploaderStatus";
export const LOGUPLOADER_STATUS_KEY = "global";
export const LOGUPLOADER_PUBLISHER = "loguploader";
