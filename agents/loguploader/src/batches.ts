// newlogd's closed batches as loguploader sees them: the file-name contract, the queue per stream and
// which batch goes next. Pure: the directory listing comes in as names and sizes.
//   <root>/persist/newlog/devUpload/dev.log.<ms>.gz            device stream
//   <root>/persist/newlog/appUpload/app.<app-uuid>.log.<ms>.gz one stream per app
// <ms> is 13-digit Unix ms, strictly increasing per stream, so name order is upload order.

export const NEWLOG_DIRS = {
  device: "devUpload",
  app: "appUpload",
  /** Batches given up after repeated 4xx (EVE's failedUpload), oldest dropped past FAILED_KEEP. */
  failed: "failedUpload",
} as const;

/** EVE keeps at most 1000 given-up batches (max4xxdropFiles). */
export const FAILED_KEEP = 1000;

export interface Batch {
  /** "device" or "app/<uuid>". */
  stream: string;
  /** The app instance UUID of an app batch. */
  app?: string;
  /** File name (in devUpload/ or appUpload/). */
  name: string;
  dir: "device" | "app";
  /** Unix ms from the name: when newlogd closed it. */
  ms: number;
  size: number;
}

const DEVICE_NAME = /^dev\.log\.(\d{13})\.gz$/;
const APP_NAME = /^app\.([0-9A-Za-z][0-9A-Za-z._-]{0,127})\.log\.(\d{13})\.gz$/;

/** A batch from its file name, or undefined for anything else (temp files, strays). */
export function parseBatchName(dir: "device" | "app", name: string, size: number): Batch | undefined {
  if (dir === "device") {
    const m = DEVICE_NAME.exec(name);
    return m ? { stream: "device", name, dir, ms: Number(m[1]), size } : undefined;
  }
  const m = APP_NAME.exec(name);
  if (!m?.[1]) return undefined;
  return { stream: `app/${m[1]}`, app: m[1], name, dir, ms: Number(m[2]), size };
}

/** Every stream's batches in upload order (oldest first). */
export type Queue = Map<string, Batch[]>;

export function buildQueue(batches: Iterable<Batch>): Queue {
  const q: Queue = new Map();
  for (const b of batches) {
    const list = q.get(b.stream) ?? [];
    list.push(b);
    q.set(b.stream, list);
  }
  for (const list of q.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return q;
}

/** The next batch to send: the oldest head over all streams (the device stream first on a tie), so
 * no stream starves another and each stream keeps its own order. */
export function nextBatch(q: Queue): Batch | undefined {
  let best: Batch | undefined;
  for (const list of q.values()) {
    const head = list[0];
    if (!head) continue;
    if (
      !best ||
      head.ms < best.ms ||
      (head.ms === best.ms && (head.dir === "device" ? 0 : 1) < (best.dir === "device" ? 0 : 1))
    )
      best = head;
  }
  return best;
}

export interface QueueSummary {
  files: number;
  bytes: number;
  oldestMs?: number;
  perStream: Record<string, { files: number; bytes: number; oldestMs?: number }>;
}

export function summarize(q: Queue): QueueSummary {
  const out: QueueSummary = { files: 0, bytes: 0, perStream: {} };
  for (const [stream, list] of q) {
    if (!list.length) continue;
    const bytes = list.reduce((s, b) => s + b.size, 0);
    const oldestMs = list[0]?.ms;
    out.perStream[stream] = { files: list.length, bytes, ...(oldestMs !== undefined ? { oldestMs } : {}) };
    out.files += list.length;
    out.bytes += bytes;
    if (oldestMs !== undefined && (out.oldestMs === undefined || oldestMs < out.oldestMs))
      out.oldestMs = oldestMs;
  }
  return out;
}

/** The request path of a batch, below /api/v2/edgedevice/. */
export function uploadPath(deviceUuid: string, b: Batch): string {
  return b.app ? `id/${deviceUuid}/apps/instanceid/${b.app}/newlogs` : `id/${deviceUuid}/newlogs`;
}
