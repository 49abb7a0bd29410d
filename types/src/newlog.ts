import { array, type Infer, integer, object, optional, record, string } from "./codec.js";
import { ErrorInfoCodec } from "./error.js";

// newlogd's report (agents/newlogd/README.md): what was collected, what was dropped and why, and what
// waits in persist/newlog/ for loguploader. The fields cover EVE's newlogMetric (NewlogMetrics) for the
// collector's side. Counters are cumulative across newlogd restarts (kept in persist/newlog/state.json).

/** Closed batches waiting in one upload directory. */
export const NewlogDirCodec = object({
  files: integer,
  bytes: integer,
  /** ms since the epoch of the oldest batch (from its name); absent when none. */
  oldestBatchMs: optional(integer),
});
export type NewlogDir = Infer<typeof NewlogDirCodec>;

/** One source's share of the device stream's input. */
export const NewlogSourceCountCodec = object({
  source: string,
  lines: integer,
  bytes: integer,
  /** Percentage of all device-stream input bytes (EVE's DevTop10InputBytesPCT). */
  pct: integer,
});
export type NewlogSourceCount = Infer<typeof NewlogSourceCountCodec>;

export const NewlogdStatusCodec = object(
  {
    /** Lines written into batches (after level filtering, rate limiting). */
    linesCollected: integer,
    /** Bytes of those lines (JSON, before gzip). */
    bytesCollected: integer,
    /** Lines left out by the remote log level (debug.*.remote.loglevel): not a loss, a choice. */
    linesFiltered: integer,
    /** Lines dropped, per reason. budget: lines in batches removed by the disk budget. */
    linesDropped: object({ budget: integer, rateLimit: integer, malformed: integer, writeFailed: integer }),
    /** Lines dropped by the rate limit, per source (cumulative). */
    rateLimited: record(integer),
    /** Input per kind of source (EVE NumSyslogMessages, NumKmessages, ...). */
    input: object({ agent: integer, syslog: integer, kernel: integer, app: integer }),
    devUpload: NewlogDirCodec,
    appUpload: NewlogDirCodec,
    /** Lines and bytes in batches still open (collect/). */
    openLines: integer,
    openBytes: integer,
    /** Batches written (gzip), their gzip bytes, the largest and the average. */
    gzipFiles: integer,
    gzipBytes: integer,
    maxGzipBytes: integer,
    avgGzipBytes: integer,
    /** Batches the disk budget removed (oldest first), their bytes. */
    filesRemovedByBudget: integer,
    bytesRemovedByBudget: integer,
    /** Total size of persist/newlog/ and its budget. */
    totalBytes: integer,
    budgetBytes: integer,
    /** An agent log file vanished (pruned by the persist/log budget) before it was read to its end. */
    agentLogGaps: integer,
    /** Top 10 device-stream sources by input bytes. */
    topSources: array(NewlogSourceCountCodec),
    /** The last fault (cannot write a batch, Docker unreachable, ...); absent when none. */
    error: optional(ErrorInfoCodec),
    startedAt: string,
    updatedAt: string,
  },
  "NewlogdStatus",
);
export type NewlogdStatus = Infer<typeof NewlogdStatusCodec>;
export const NEWLOGD_STATUS_TOPIC = "NewlogdStatus";
export const NEWLOGD_STATUS_KEY = "global";

/** Log severities on one scale, lower is more severe: syslog's order (RFC 5424) with the agents'
 * pino/logrus names beside their syslog peers. The one table newlogd (remote log levels) and the
 * controller (`ctl logs --severity`) both rank by. */
export const SEVERITY_RANK: Readonly<Record<string, number>> = {
  emerg: 0,
  panic: 0,
  alert: 1,
  crit: 2,
  fatal: 2,
  err: 3,
  error: 3,
  warning: 4,
  warn: 4,
  notice: 5,
  info: 6,
  debug: 7,
  trace: 8,
};

/** The rank of a severity name (any case, blanks around ignored); undefined for an unknown name. */
export function severityRank(s: string): number | undefined {
  const k = s.trim().toLowerCase();
  return Object.hasOwn(SEVERITY_RANK, k) ? SEVERITY_RANK[k] : undefined;
}
