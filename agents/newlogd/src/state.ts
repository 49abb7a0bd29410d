// persist/newlog/state.json: everything newlogd must know after a restart to go on without a lost or
// a repeated line (README, Faults). Rewritten atomically (write + rename) after the lines it describes
// were appended to the open batches, so the offsets on disk never run ahead of the lines on disk.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { decodeJson, type Infer, t } from "@outpost/types";

const { array, integer, object, optional, record, string, withDefault } = t;

export const OpenBatchCodec = object({ file: string, bytes: integer, lines: integer, openedMs: integer });
export type OpenBatch = Infer<typeof OpenBatchCodec>;

export const ClosingBatchCodec = object({
  stream: string,
  file: string,
  bytes: integer,
  lines: integer,
  /** The batch's final name in its upload directory. */
  name: string,
  dir: string,
});
export type ClosingBatch = Infer<typeof ClosingBatchCodec>;

export const CountersCodec = object({
  linesCollected: withDefault(integer, 0),
  bytesCollected: withDefault(integer, 0),
  linesFiltered: withDefault(integer, 0),
  droppedBudget: withDefault(integer, 0),
  droppedRateLimit: withDefault(integer, 0),
  droppedMalformed: withDefault(integer, 0),
  droppedWriteFailed: withDefault(integer, 0),
  rateLimited: withDefault(record(integer), {}),
  inputAgent: withDefault(integer, 0),
  inputSyslog: withDefault(integer, 0),
  inputKernel: withDefault(integer, 0),
  inputApp: withDefault(integer, 0),
  gzipFiles: withDefault(integer, 0),
  gzipBytes: withDefault(integer, 0),
  maxGzipBytes: withDefault(integer, 0),
  filesRemovedByBudget: withDefault(integer, 0),
  bytesRemovedByBudget: withDefault(integer, 0),
  agentLogGaps: withDefault(integer, 0),
  /** Device-stream input per source: [lines, bytes]. */
  sources: withDefault(record(array(integer)), {}),
});
export type Counters = Infer<typeof CountersCodec>;

export const StateCodec = object(
  {
    /** Per agent log: the file being read (inode) and how far. */
    agents: withDefault(record(object({ ino: integer, offset: integer })), {}),
    /** Per app: the engine timestamp (ns, decimal) of the last line taken and how many lines had it. */
    docker: withDefault(record(object({ tsNs: string, same: integer })), {}),
    kmsg: optional(object({ bootId: string, seq: integer })),
    streams: withDefault(
      record(object({ msgid: integer, lastBatchMs: integer, open: optional(OpenBatchCodec) })),
      {},
    ),
    closing: withDefault(array(ClosingBatchCodec), []),
    counters: withDefault(CountersCodec, CountersCodec.decode({})),
  },
  "NewlogdState",
);
export type State = Infer<typeof StateCodec>;

export function emptyState(): State {
  return structuredClone(StateCodec.decode({}));
}

/** The saved state; a missing file is a first start. An unreadable one is reported by the caller and
 * newlogd starts afresh (every source from its beginning: duplicates rather than losses). */
export function loadState(path: string): { state: State; error?: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: emptyState() };
    return { state: emptyState(), error: `cannot read ${path}: ${(e as Error).message}` };
  }
  try {
    return { state: structuredClone(decodeJson(StateCodec, text)) };
  } catch (e) {
    return { state: emptyState(), error: `${path} is not a valid state: ${(e as Error).message}` };
  }
}

/** Atomic (rename) but not fsynced: a process kill keeps it (page cache); the periodic sync makes it
 * durable across a power cut. */
export function saveState(path: string, s: State): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(s));
  renameSync(`${path}.tmp`, path);
}
