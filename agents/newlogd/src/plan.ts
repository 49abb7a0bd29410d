// newlogd's decisions, from plain facts. Pure; collector.ts and the sources run the actions.
import type { OpenBatch } from "./state.js";

/** When a stream's open batch closes: by size or by age (README, Batches). */
export function shouldClose(open: OpenBatch | undefined, nowMs: number, maxBytes: number, maxMs: number) {
  if (!open || open.lines === 0) return false;
  return open.bytes >= maxBytes || nowMs - open.openedMs >= maxMs;
}

/** The <ms> of a stream's next batch: its close time, strictly after the previous one. */
export function batchMs(nowMs: number, lastBatchMs: number): number {
  return Math.max(nowMs, lastBatchMs + 1);
}

export const DEV_STREAM = "dev";
export const appStream = (uuid: string) => `app.${uuid}`;

/** The final file name of a stream's batch (README, Files). */
export function batchName(stream: string, ms: number): { dir: "devUpload" | "appUpload"; name: string } {
  const stamp = String(ms).padStart(13, "0");
  if (stream === DEV_STREAM) return { dir: "devUpload", name: `dev.log.${stamp}.gz` };
  return { dir: "appUpload", name: `${stream}.log.${stamp}.gz` };
}

const BATCH_FILE = /^(?:dev|app\.[0-9A-Za-z-]+)\.log\.([0-9]{13})\.gz$/;

/** The <ms> of a closed batch's name; undefined for anything else. */
export function batchTime(name: string): number | undefined {
  const m = BATCH_FILE.exec(name);
  return m ? Number(m[1]) : undefined;
}

export interface BatchFile {
  path: string;
  name: string;
  size: number;
  ms: number;
}

/** The closed batches to remove, oldest first (across both directories), until `total` fits the
 * budget. Open batches are never removed: they hold the newest lines. Nor is anything at or after
 * `closingFromMs`, the close time of the oldest batch still being compressed (batches compress in the
 * worker pool, so a newer one can land first): removing it would keep older lines while newer ones go.
 * The budget runs again as each batch lands. */
export function planBudget(
  closed: readonly BatchFile[],
  totalBytes: number,
  budgetBytes: number,
  closingFromMs = Number.POSITIVE_INFINITY,
): BatchFile[] {
  const out: BatchFile[] = [];
  let total = totalBytes;
  const oldestFirst = [...closed].sort((a, b) => a.ms - b.ms || a.name.localeCompare(b.name));
  for (const f of oldestFirst) {
    if (total <= budgetBytes || f.ms >= closingFromMs) break;
    out.push(f);
    total -= f.size;
  }
  return out;
}

/** One agent's log files, oldest first: <agent>.log.N (highest N first) ... <agent>.log.1, <agent>.log. */
export interface LogFile {
  name: string;
  ino: number;
  size: number;
}

export type ReadPlan =
  | { kind: "idle" }
  /** Read `file` from `offset`; `gap`: the file being followed vanished before it was read to its end. */
  | { kind: "read"; file: LogFile; offset: number; gap: boolean };

/** Where to read an agent's log next. `at`: the file being followed (inode) and the offset reached. A
 * file read to its end moves on to the next newer one; a file that shrank (reused inode, truncated) is
 * read from its start; a followed file that is gone (the persist/log budget pruned it) is a gap, and
 * reading goes on at the oldest file left, which is newer than the lost one (pruning is oldest first). */
export function planAgentRead(
  files: readonly LogFile[],
  at: { ino: number; offset: number } | undefined,
): ReadPlan {
  if (files.length === 0) return { kind: "idle" };
  if (!at) return { kind: "read", file: files[0] as LogFile, offset: 0, gap: false };
  const i = files.findIndex((f) => f.ino === at.ino);
  if (i < 0) return { kind: "read", file: files[0] as LogFile, offset: 0, gap: true };
  const f = files[i] as LogFile;
  if (f.size < at.offset) return { kind: "read", file: f, offset: 0, gap: false };
  if (f.size > at.offset) return { kind: "read", file: f, offset: at.offset, gap: false };
  const next = files[i + 1];
  return next ? { kind: "read", file: next, offset: 0, gap: false } : { kind: "idle" };
}

/** Orders an agent's log file names oldest first, and groups them by agent. */
export function agentLogFiles(names: readonly string[]): Map<string, { name: string; n: number }[]> {
  const out = new Map<string, { name: string; n: number }[]>();
  for (const name of names) {
    const m = /^([A-Za-z0-9_.-]+?)\.log(?:\.([1-9][0-9]*))?$/.exec(name);
    if (!m) continue;
    const agent = m[1] as string;
    const list = out.get(agent) ?? [];
    list.push({ name, n: m[2] ? Number(m[2]) : 0 });
    out.set(agent, list);
  }
  for (const list of out.values()) list.sort((a, b) => b.n - a.n);
  return out;
}

/** Docker: is a container line with engine time `tsNs` new, given the last one taken (`last`, and how
 * many lines had exactly that time) and how many lines with that time this follow has seen so far?
 * `since` in the engine's API is in whole seconds, so a resumed follow replays lines already taken. */
export function dockerLineIsNew(
  tsNs: bigint,
  last: { tsNs: bigint; same: number } | undefined,
  seenAtLastThisFollow: number,
): boolean {
  if (!last) return true;
  if (tsNs > last.tsNs) return true;
  if (tsNs < last.tsNs) return false;
  return seenAtLastThisFollow >= last.same;
}
