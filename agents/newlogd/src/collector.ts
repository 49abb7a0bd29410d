// The loop-owned core: lines come in from the sources (on the main loop), are filtered by the remote
// log level and the per-source rate limit, numbered per stream and appended to the stream's open batch
// under collect/; the state (source offsets with the lines they led to) follows each append. Closing
// a batch (gzip, fsync, rename into the upload directory) and the disk budget run in the worker pool.
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentContext } from "@outpost/agentbase";
import { type Executors, runStep } from "@outpost/agentbase";
import { Backoff } from "@outpost/primitives";
import { type ErrorInfo, makeError, type NewlogDir, type NewlogdStatus } from "@outpost/types";
import { encodeEntry, type LogEntry, passesLevel } from "./entry.js";
import { gzipWithComment, readGzip } from "./gzip.js";
import {
  type BatchFile,
  batchMs,
  batchName,
  batchTime,
  DEV_STREAM,
  planBudget,
  shouldClose,
} from "./plan.js";
import { RateLimiter } from "./ratelimit.js";
import { levelFor, type Settings, type SourceKind } from "./settings.js";
import { type ClosingBatch, loadState, type State, saveState } from "./state.js";

export interface Paths {
  dir: string;
  collect: string;
  devUpload: string;
  appUpload: string;
  state: string;
}

export function newlogPaths(persist: string): Paths {
  const dir = join(persist, "newlog");
  return {
    dir,
    collect: join(dir, "collect"),
    devUpload: join(dir, "devUpload"),
    appUpload: join(dir, "appUpload"),
    state: join(dir, "state.json"),
  };
}

/** A line offered by a source. `limiterMs`: the time the rate limit counts it at (see ratelimit.ts). */
export interface Offer {
  kind: SourceKind;
  stream: string;
  entry: LogEntry;
  limiterMs: number;
}

type Step =
  | { kind: "close"; stream: string }
  | { kind: "compress"; batch: ClosingBatch }
  | { kind: "budget" };

// Lines wait at most this long in memory before they are appended with the state; longer means fewer
// state rewrites under load, and more syslog lines (which cannot be read again) lost to a kill -9.
const FLUSH_MS = 100;
/** Per-source counters kept in the state: any source past this many is counted under "other" (a
 * client can send syslog with any tag; the state must not grow with them). */
const MAX_SOURCES = 256;

function countKey(map: Record<string, unknown>, key: string): string {
  return key in map || Object.keys(map).length < MAX_SOURCES ? key : "other";
}

export class Collector {
  readonly state: State;
  private readonly pending = new Map<string, string[]>();
  private pendingLines = 0;
  private fileSeq = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly compressing = new Set<string>();
  private readonly limiter: RateLimiter;
  private budgetRunning = false;
  private budgetAgain = false;
  private readonly retry = new Backoff({ minMs: 1000, maxMs: 60_000 });
  private retryTimer: NodeJS.Timeout | undefined;
  private dirs: { dev: NewlogDir; app: NewlogDir; totalBytes: number } = {
    dev: { files: 0, bytes: 0 },
    app: { files: 0, bytes: 0 },
    totalBytes: 0,
  };
  error: ErrorInfo | undefined;
  /** Set by the composition root: the gzip comment (device id, image, version) at close time. */
  comment: () => string = () => "{}";
  readonly startedAt = new Date().toISOString();

  constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "log" | "work">,
    readonly paths: Paths,
    public settings: Settings,
  ) {
    for (const d of [paths.dir, paths.collect, paths.devUpload, paths.appUpload])
      mkdirSync(d, { recursive: true });
    const loaded = loadState(paths.state);
    if (loaded.error) {
      ctx.log.error({ err: loaded.error }, "newlogd state unreadable: starting afresh");
      this.error = makeError(loaded.error, { retryCondition: "none: every source is read from its start" });
    }
    this.state = loaded.state;
    this.limiter = new RateLimiter(settings.rateLinesPerSec, settings.rateBurst);
    this.recover();
  }

  /** After a restart: lines appended after the last saved state are cut off (their sources are read
   * again from the saved offsets), batches being closed are finished, leftovers removed. */
  private recover(): void {
    const known = new Set<string>();
    for (const [stream, s] of Object.entries(this.state.streams)) {
      if (!s.open) continue;
      const path = join(this.paths.collect, s.open.file);
      try {
        const size = statSync(path).size;
        if (size > s.open.bytes) {
          const fd = openSync(path, "r+");
          ftruncateSync(fd, s.open.bytes);
          closeSync(fd);
          this.ctx.log.info(
            { stream, cut: size - s.open.bytes },
            "cut lines written after the last saved state",
          );
        }
        known.add(s.open.file);
      } catch {
        // The open batch is gone (removed by hand): start a new one.
        s.open = undefined;
      }
    }
    for (const c of this.state.closing) known.add(c.file);
    for (const f of readdirSync(this.paths.collect)) {
      if (known.has(f)) continue;
      try {
        unlinkSync(join(this.paths.collect, f));
      } catch {
        // gone already
      }
    }
    this.save();
  }

  configure(s: Settings): void {
    this.settings = s;
    this.limiter.configure(s.rateLinesPerSec, s.rateBurst);
  }

  /** Counts a line a source could not parse. */
  malformed(kind: SourceKind): void {
    this.countInput(kind);
    this.state.counters.droppedMalformed++;
  }

  /** Counts a line shed before it could be read (an input queue full): a rate-limit drop of `source`. */
  shed(kind: SourceKind, source: string): void {
    this.countInput(kind);
    const c = this.state.counters;
    c.droppedRateLimit++;
    const k = countKey(c.rateLimited, source);
    c.rateLimited[k] = (c.rateLimited[k] ?? 0) + 1;
  }

  /** Offers a line; false when the level filter or the rate limit left it out. */
  offer(o: Offer): boolean {
    this.countInput(o.kind);
    const c = this.state.counters;
    const level = levelFor(this.settings, o.kind, o.entry.source);
    if (level !== undefined && !passesLevel(o.entry.severity, level)) {
      c.linesFiltered++;
      return false;
    }
    const key = o.kind === "app" ? o.stream : o.entry.source;
    const admit = this.limiter.admit(key, o.limiterMs);
    if (!admit.ok) {
      c.droppedRateLimit++;
      const k = countKey(c.rateLimited, key);
      c.rateLimited[k] = (c.rateLimited[k] ?? 0) + 1;
      return false;
    }
    if (admit.reportDropped) this.reportDropped(key, o.stream, admit.reportDropped);
    this.append(o.stream, o.entry);
    return true;
  }

  private countInput(kind: SourceKind): void {
    const c = this.state.counters;
    if (kind === "agent") c.inputAgent++;
    else if (kind === "syslog") c.inputSyslog++;
    else if (kind === "kernel") c.inputKernel++;
    else c.inputApp++;
  }

  private reportDropped(source: string, stream: string, d: { count: number; sinceMs: number }): void {
    this.append(stream, {
      severity: "warning",
      source: "newlogd",
      iid: String(process.pid),
      content: `rate limit: dropped ${d.count} lines from ${source}`,
      tags: { dropped: String(d.count), source, since: new Date(d.sinceMs).toISOString() },
      timeMs: Date.now(),
    });
  }

  /** Sources that went quiet while limited: their drop count is written now (called by a timer). */
  reportQuietDrops(quietMs: number, streamOf: (source: string) => string): void {
    const now = Date.now();
    for (const [source, d] of [...this.limiter.pending()]) {
      if (now - d.sinceMs < quietMs) continue;
      this.reportDropped(source, streamOf(source), d);
      this.limiter.clearPending(source);
    }
  }

  private append(stream: string, e: LogEntry): void {
    let s = this.state.streams[stream];
    if (!s) {
      s = { msgid: 0, lastBatchMs: 0 };
      this.state.streams[stream] = s;
    }
    s.msgid++;
    const line = encodeEntry(e, s.msgid);
    let list = this.pending.get(stream);
    if (!list) {
      list = [];
      this.pending.set(stream, list);
    }
    list.push(line);
    this.pendingLines++;
    if (stream === DEV_STREAM) {
      const sources = this.state.counters.sources;
      const k = countKey(sources, e.source);
      const src = sources[k] ?? [0, 0];
      sources[k] = [(src[0] ?? 0) + 1, (src[1] ?? 0) + line.length];
    }
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Appends the pending lines to their open batches, then saves the state (offsets that the sources
   * advanced in memory go to disk only here, after their lines). Synchronous appends to the page cache,
   * as the agents' own logger does; fsync is periodic (sync()) and at batch close. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const now = Date.now();
    const closed: ClosingBatch[] = [];
    const max = this.settings.batchMaxBytes;
    for (const [stream, lines] of this.pending) {
      const s = this.state.streams[stream];
      if (!s || lines.length === 0) continue;
      // A batch never grows past the size limit: a burst larger than that is split over batches
      // here (by characters, close enough to bytes for a limit), not closed whole at the next tick.
      let chunk: string[] = [];
      let chunkChars = 0;
      for (const line of lines) {
        const open = s.open;
        if ((open?.lines ?? 0) + chunk.length > 0 && (open?.bytes ?? 0) + chunkChars + line.length > max) {
          this.appendLines(stream, chunk, now);
          chunk = [];
          chunkChars = 0;
          const b = this.rotate(stream);
          if (b) closed.push(b);
        }
        chunk.push(line);
        chunkChars += line.length;
      }
      this.appendLines(stream, chunk, now);
    }
    this.pending.clear();
    this.pendingLines = 0;
    this.writeState();
    for (const b of closed) this.compress(b);
    this.tick(now);
  }

  /** Appends whole lines to the stream's open batch (made when there is none). */
  private appendLines(stream: string, lines: string[], now: number): void {
    const s = this.state.streams[stream];
    if (!s || lines.length === 0) return;
    // Unique even when one flush splits a burst over several batches within the same millisecond.
    if (!s.open)
      s.open = { file: `${stream}.${now}-${++this.fileSeq}.jsonl`, bytes: 0, lines: 0, openedMs: now };
    const open = s.open;
    const data = Buffer.from(lines.join(""));
    const path = join(this.paths.collect, open.file);
    try {
      const fd = openSync(path, "a");
      try {
        let off = 0;
        while (off < data.length) off += writeSync(fd, data, off);
      } catch (e) {
        // Half a write: cut it so the batch holds whole lines only.
        try {
          ftruncateSync(fd, open.bytes);
        } catch {
          // the next recover() cuts it
        }
        throw e;
      } finally {
        closeSync(fd);
      }
      open.bytes += data.length;
      open.lines += lines.length;
      this.state.counters.linesCollected += lines.length;
      this.state.counters.bytesCollected += data.length;
    } catch (e) {
      this.state.counters.droppedWriteFailed += lines.length;
      this.fault(
        `cannot append to the open batch ${path}: ${(e as Error).message}`,
        "freed space on persist/",
      );
    }
  }

  /** Saves the state. Sources move their positions (offsets, engine timestamps) in memory as their
   * lines come in: saving those with lines still pending would put a position on disk ahead of its
   * lines, and a kill then would lose them; so pending lines are appended first. */
  private save(): void {
    if (this.pendingLines > 0) {
      this.flush();
      return;
    }
    this.writeState();
  }

  private writeState(): void {
    try {
      saveState(this.paths.state, this.state);
    } catch (e) {
      this.fault(`cannot save ${this.paths.state}: ${(e as Error).message}`, "freed space on persist/");
    }
  }

  private fault(description: string, retryCondition: string): void {
    if (this.error?.description !== description) {
      this.ctx.log.error({ err: description }, "newlogd fault");
      this.error = makeError(description, { retryCondition });
    }
  }

  /** Decides which batches close (by size or age) and which closes to (re)start. */
  tick(now = Date.now()): void {
    const steps: Step[] = [];
    for (const [stream, s] of Object.entries(this.state.streams))
      if (shouldClose(s.open, now, this.settings.batchMaxBytes, this.settings.batchMaxMs))
        steps.push({ kind: "close", stream });
    for (const c of this.state.closing)
      if (!this.compressing.has(c.file)) steps.push({ kind: "compress", batch: c });
    for (const step of steps) runStep(this.executors, step);
  }

  private readonly executors: Executors<Step> = {
    close: (a) => this.closeBatch(a.stream),
    compress: (a) => this.compress(a.batch),
    budget: () => this.budget(),
  };

  private closeBatch(stream: string): void {
    // Lines still pending belong to this batch: they are older than any that comes after the close.
    if ((this.pending.get(stream)?.length ?? 0) > 0) {
      this.flush();
      return;
    }
    const batch = this.rotate(stream);
    if (!batch) return;
    this.save();
    this.compress(batch);
  }

  /** Ends the stream's open batch: its final name is decided (the caller saves the state before the
   * batch is compressed, so a restart knows it). */
  private rotate(stream: string): ClosingBatch | undefined {
    const s = this.state.streams[stream];
    if (!s?.open) return undefined;
    const ms = batchMs(Date.now(), s.lastBatchMs);
    const { dir, name } = batchName(stream, ms);
    const batch: ClosingBatch = {
      stream,
      file: s.open.file,
      bytes: s.open.bytes,
      lines: s.open.lines,
      name,
      dir,
    };
    s.lastBatchMs = ms;
    s.open = undefined;
    this.state.closing.push(batch);
    return batch;
  }

  /** gzip the batch into collect/<name>.tmp, fsync, rename into its upload directory, fsync that,
   * then remove the open file (README, Faults: the order makes a crash at any point safe). */
  private compress(batch: ClosingBatch): void {
    if (this.compressing.has(batch.file)) return;
    this.compressing.add(batch.file);
    const src = join(this.paths.collect, batch.file);
    const dirPath = batch.dir === "devUpload" ? this.paths.devUpload : this.paths.appUpload;
    const final = join(dirPath, batch.name);
    const tmp = join(this.paths.collect, `${batch.name}.tmp`);
    const comment = this.comment();
    this.ctx.work(
      async () => {
        if (existsSync(final)) {
          await unlink(src).catch(() => {});
          return { gz: -1 };
        }
        const body = (await readFile(src)).subarray(0, batch.bytes);
        // The header's MTIME is the batch's close time from its name, not the time of compressing: a
        // close redone after a kill makes the same bytes, which the controller takes as the same
        // batch if loguploader had sent the first one (it stores a batch sent twice once).
        const gz = await gzipWithComment(body, comment, closeMsOf(batch.name) ?? Date.now());
        await writeFile(tmp, gz, { flush: true });
        await rename(tmp, final);
        await fsyncDir(dirPath);
        await unlink(src);
        return { gz: gz.length };
      },
      (r) => {
        this.compressing.delete(batch.file);
        if (!r.ok) {
          const msg = r.error instanceof Error ? r.error.message : String(r.error);
          if ((r.error as NodeJS.ErrnoException)?.code === "ENOENT" && !existsSync(src)) {
            // The open file is gone (by hand): nothing to close.
            this.ctx.log.error({ file: src }, "batch to close vanished");
            this.state.closing = this.state.closing.filter((c) => c !== batch);
            this.save();
            return;
          }
          this.fault(`cannot close batch ${batch.name}: ${msg}`, "retried with back-off");
          this.retryTimer ??= setTimeout(() => {
            this.retryTimer = undefined;
            this.tick();
          }, this.retry.next());
          return;
        }
        this.retry.reset();
        if (this.error?.description.startsWith("cannot close batch")) this.error = undefined;
        this.state.closing = this.state.closing.filter((c) => c !== batch);
        const c = this.state.counters;
        if (r.value.gz >= 0) {
          c.gzipFiles++;
          c.gzipBytes += r.value.gz;
          c.maxGzipBytes = Math.max(c.maxGzipBytes, r.value.gz);
        }
        this.save();
        this.ctx.log.debug({ batch: batch.name, lines: batch.lines, gz: r.value.gz }, "batch closed");
        runStep(this.executors, { kind: "budget" });
      },
    );
  }

  /** Lists the upload directories and removes the oldest closed batches over the budget, counting
   * their lines (EVE's NumGZipFileRemoved, and lines lost to the budget). */
  budget(): void {
    if (this.budgetRunning) {
      this.budgetAgain = true;
      return;
    }
    this.budgetRunning = true;
    const budget = this.settings.budgetBytes;
    const p = this.paths;
    // Batches still being compressed are older than any that land after them: none newer goes first.
    const closingFromMs = Math.min(
      ...this.state.closing.map((c) => closeMsOf(c.name) ?? Number.NEGATIVE_INFINITY),
    );
    this.ctx.work(
      async () => {
        const dev = listBatches(p.devUpload);
        const app = listBatches(p.appUpload);
        const other = dirBytes(p.collect) + fileBytes(p.state);
        let total = other + [...dev, ...app].reduce((s, f) => s + f.size, 0);
        const removed = { files: 0, bytes: 0, lines: 0 };
        const gone = new Set<string>();
        for (const v of planBudget([...dev, ...app], total, budget, closingFromMs)) {
          let lines = 0;
          try {
            lines = countLines(readGzip(await readFile(v.path)).body);
          } catch {
            // unreadable or uploaded meanwhile: counted as a file without lines
          }
          try {
            await unlink(v.path);
          } catch {
            continue; // the uploader took it first
          }
          gone.add(v.path);
          removed.files++;
          removed.bytes += v.size;
          removed.lines += lines;
          total -= v.size;
        }
        const summary = (fs: BatchFile[]): NewlogDir => {
          const left = fs.filter((f) => !gone.has(f.path));
          const d: NewlogDir = { files: left.length, bytes: left.reduce((s, f) => s + f.size, 0) };
          const oldest = left.reduce<number | undefined>(
            (m, f) => (m === undefined || f.ms < m ? f.ms : m),
            undefined,
          );
          if (oldest !== undefined) d.oldestBatchMs = oldest;
          return d;
        };
        return { dev: summary(dev), app: summary(app), totalBytes: total, removed };
      },
      (r) => {
        this.budgetRunning = false;
        if (r.ok) {
          this.dirs = r.value;
          const c = this.state.counters;
          const rm = r.value.removed;
          if (rm.files > 0) {
            c.filesRemovedByBudget += rm.files;
            c.bytesRemovedByBudget += rm.bytes;
            c.droppedBudget += rm.lines;
            this.ctx.log.warn({ ...rm, budget }, "disk budget: removed the oldest batches");
            this.save();
          }
        } else this.ctx.log.warn({ err: r.error }, "cannot check the disk budget");
        if (this.budgetAgain) {
          this.budgetAgain = false;
          this.budget();
        }
      },
    );
  }

  /** fsyncs the open batches and the state, for a power cut (a process kill needs none). */
  sync(): void {
    const files = Object.values(this.state.streams)
      .flatMap((s) => (s.open ? [join(this.paths.collect, s.open.file)] : []))
      .concat(this.paths.state);
    this.ctx.work(
      async () => {
        // In the thread pool: an fsync takes milliseconds, during which the main loop would receive
        // nothing.
        for (const f of files) {
          try {
            const fh = await open(f, "r");
            try {
              await fh.sync();
            } finally {
              await fh.close();
            }
          } catch {
            // closed or replaced meanwhile
          }
        }
      },
      () => {},
    );
  }

  status(): NewlogdStatus {
    const c = this.state.counters;
    let openLines = this.pendingLines;
    let openBytes = 0;
    for (const s of Object.values(this.state.streams)) {
      openLines += s.open?.lines ?? 0;
      openBytes += s.open?.bytes ?? 0;
    }
    const totalIn = Object.values(c.sources).reduce((s, v) => s + (v[1] ?? 0), 0) || 1;
    const topSources = Object.entries(c.sources)
      .map(([source, v]) => ({ source, lines: v[0] ?? 0, bytes: v[1] ?? 0 }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 10)
      .map((s) => ({ ...s, pct: Math.round((s.bytes * 100) / totalIn) }));
    const st: NewlogdStatus = {
      linesCollected: c.linesCollected,
      bytesCollected: c.bytesCollected,
      linesFiltered: c.linesFiltered,
      linesDropped: {
        budget: c.droppedBudget,
        rateLimit: c.droppedRateLimit,
        malformed: c.droppedMalformed,
        writeFailed: c.droppedWriteFailed,
      },
      rateLimited: { ...c.rateLimited },
      input: { agent: c.inputAgent, syslog: c.inputSyslog, kernel: c.inputKernel, app: c.inputApp },
      devUpload: this.dirs.dev,
      appUpload: this.dirs.app,
      openLines,
      openBytes,
      gzipFiles: c.gzipFiles,
      gzipBytes: c.gzipBytes,
      maxGzipBytes: c.maxGzipBytes,
      avgGzipBytes: c.gzipFiles ? Math.round(c.gzipBytes / c.gzipFiles) : 0,
      filesRemovedByBudget: c.filesRemovedByBudget,
      bytesRemovedByBudget: c.bytesRemovedByBudget,
      totalBytes: this.dirs.totalBytes,
      budgetBytes: this.settings.budgetBytes,
      agentLogGaps: c.agentLogGaps,
      topSources,
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
    };
    if (this.error) st.error = this.error;
    return st;
  }

  close(): void {
    this.flush();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }
}

function listBatches(dir: string): BatchFile[] {
  const out: BatchFile[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const ms = batchTime(name);
    if (ms === undefined) continue;
    try {
      out.push({ path: join(dir, name), name, size: statSync(join(dir, name)).size, ms });
    } catch {
      // uploaded and removed meanwhile
    }
  }
  return out;
}

function dirBytes(dir: string): number {
  let n = 0;
  try {
    for (const f of readdirSync(dir)) n += fileBytes(join(dir, f));
  } catch {
    // none
  }
  return n;
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** In the thread pool, as every step of a close (the main loop goes on receiving meanwhile). */
async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The close time in a batch name (`<prefix>.<ms>.gz`). */
function closeMsOf(name: string): number | undefined {
  const m = /\.([0-9]{13})\.gz$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
