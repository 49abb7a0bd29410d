// What loguploader does after each attempt to send a batch: a pure function of the attempt's outcome
// and the counters so far, returning the new counters and the actions (delete, give up, retry later,
// go on). It never touches the disk or the clock itself; the shell (uploader.ts) runs the actions
// through its executor table and draws the backoff delays.
import type { Batch } from "./batches.js";

export type Outcome =
  /** 2xx: the controller has it. */
  | { kind: "accepted"; status: number; ms: number }
  /** Any other HTTP answer. */
  | { kind: "refused"; status: number; reason: string; retryAfterMs?: number }
  /** No HTTP answer at all (refused connection, TLS, timeout, DNS). */
  | { kind: "unreachable"; reason: string }
  /** The file was gone when it was read: newlogd's disk budget took it. */
  | { kind: "vanished" };

export interface Counters {
  files: number;
  bytes: number;
  retries: number;
  keptLocal: number;
  lastSentAt?: number;
  newestBatchMs?: number;
}

export interface UploadState {
  device: Counters;
  app: Counters;
  uploadMs: { min: number; max: number; total: number; count: number; last: number };
  num4xx: number;
  num429: number;
  num503: number;
  vanished: number;
  /** 4xx answers in a row for one batch (EVE's dev4xxfile/app4xxfile), by stream kind. */
  poison: { device?: { name: string; count: number }; app?: { name: string; count: number } };
  failuresInRow: number;
  successesInRow: number;
  failedToSend: boolean;
  failSentStartAt?: number;
}

export function initialState(): UploadState {
  const c = (): Counters => ({ files: 0, bytes: 0, retries: 0, keptLocal: 0 });
  return {
    device: c(),
    app: c(),
    uploadMs: { min: 0, max: 0, total: 0, count: 0, last: 0 },
    num4xx: 0,
    num429: 0,
    num503: 0,
    vanished: 0,
    poison: {},
    failuresInRow: 0,
    successesInRow: 0,
    failedToSend: false,
  };
}

export interface PlanOptions {
  /** A batch refused with a 4xx this many times in a row is given up (EVE: max4xxRetries = 10). */
  max4xx: number;
}

export type Action =
  | { kind: "delete"; batch: Batch }
  /** Move to failedUpload/: it will never be accepted, and must not block the stream forever. */
  | { kind: "giveUp"; batch: Batch; status: number; reason: string }
  /** Wait before the next attempt: at least `minMs` (Retry-After), plus the backoff's next delay. */
  | { kind: "retryLater"; cause: "refused" | "unreachable"; minMs: number; reason: string }
  /** Go on with the next batch, paced. */
  | { kind: "next" };

/** 4xx answers that are about the batch itself. 401/403 (who the device is), 404 (no such call: an
 * old controller), 408 and 429 (load) are not the batch's fault: retried, never given up, so a
 * controller's bad minute cannot throw away logs. */
export function blamesBatch(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 404, 408, 429].includes(status);
}

/** EVE's failedToSend: set after 3 failures in a row, cleared after 3 successes in a row. */
const FAIL_FLIP = 3;

export function afterAttempt(
  prev: UploadState,
  batch: Batch,
  outcome: Outcome,
  now: number,
  o: PlanOptions,
): { state: UploadState; actions: Action[] } {
  const s: UploadState = {
    ...prev,
    device: { ...prev.device },
    app: { ...prev.app },
    uploadMs: { ...prev.uploadMs },
    poison: { ...prev.poison },
  };
  const mine = batch.dir === "device" ? s.device : s.app;
  switch (outcome.kind) {
    case "vanished":
      s.vanished++;
      return { state: s, actions: [{ kind: "next" }] };
    case "accepted": {
      mine.files++;
      mine.bytes += batch.size;
      mine.lastSentAt = now;
      mine.newestBatchMs = Math.max(mine.newestBatchMs ?? 0, batch.ms);
      const u = s.uploadMs;
      u.min = u.count === 0 ? outcome.ms : Math.min(u.min, outcome.ms);
      u.max = Math.max(u.max, outcome.ms);
      u.total += outcome.ms;
      u.count++;
      u.last = outcome.ms;
      if (s.poison[batch.dir]?.name === batch.name) delete s.poison[batch.dir];
      s.failuresInRow = 0;
      s.successesInRow++;
      if (s.failedToSend && s.successesInRow >= FAIL_FLIP) {
        s.failedToSend = false;
        delete s.failSentStartAt;
      }
      return { state: s, actions: [{ kind: "delete", batch }, { kind: "next" }] };
    }
    case "unreachable":
    case "refused": {
      mine.retries++;
      s.successesInRow = 0;
      s.failuresInRow++;
      if (!s.failedToSend && s.failuresInRow >= FAIL_FLIP) {
        s.failedToSend = true;
        s.failSentStartAt = now;
      }
      if (outcome.kind === "unreachable")
        return {
          state: s,
          actions: [{ kind: "retryLater", cause: "unreachable", minMs: 0, reason: outcome.reason }],
        };
      const { status } = outcome;
      if (status >= 400 && status < 500) s.num4xx++;
      if (status === 429) s.num429++;
      if (status === 503) s.num503++;
      const reason = `HTTP ${status}: ${outcome.reason}`;
      if (blamesBatch(status)) {
        const p = s.poison[batch.dir];
        const count = p?.name === batch.name ? p.count + 1 : 1;
        if (count >= o.max4xx) {
          delete s.poison[batch.dir];
          mine.keptLocal++;
          return { state: s, actions: [{ kind: "giveUp", batch, status, reason }, { kind: "next" }] };
        }
        s.poison[batch.dir] = { name: batch.name, count };
      }
      return {
        state: s,
        actions: [{ kind: "retryLater", cause: "refused", minMs: outcome.retryAfterMs ?? 0, reason }],
      };
    }
  }
}

/** Retry-After: delta seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const v = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** The pause before the next upload while draining: at least `gapMs`, and at least as long as the
 * last upload took, so the uploader keeps the uplink busy at most half the time and a config poll
 * never waits behind more than one batch. */
export function paceMs(lastUploadMs: number, gapMs: number): number {
  return Math.max(gapMs, lastUploadMs);
}
