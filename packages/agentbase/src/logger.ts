import {
  closeSync,
  copyFileSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/** Size limits of persist/log/ (see the README: rotation and the shared budget). */
export interface LogLimits {
  /** A live <agent>.log is rotated to <agent>.log.1 when a line would take it past this. */
  fileMaxBytes: number;
  /** The whole log directory (every agent's files): rotated files are pruned, oldest first, to fit. */
  budgetBytes: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { fileMaxBytes: 2 << 20, budgetBytes: 32 << 20 };

export interface LoggerOptions {
  agent: string;
  /** persist/log/<agent>.log; its directory must exist. */
  file: string;
  debug: boolean;
  /** Also write to stdout (default true). */
  stdout?: boolean;
  limits?: LogLimits;
}

/** A JSON-lines logger with {agent, pid} in every line, to stdout and to the agent's log file.
 * Synchronous writes, no worker-thread transport: a line logged just before a crash or a kill -9 is
 * on disk, and the bundle needs no separate transport files. A failed write (ENOSPC, EIO, ...) never
 * throws: see LogSink. */
export function createLogger(o: LoggerOptions): Logger {
  const level = o.debug ? "debug" : "info";
  const base = { agent: o.agent, pid: process.pid };
  const limits = o.limits ?? DEFAULT_LOG_LIMITS;
  // The streams take every level: the logger's own level decides, so it can be changed while the
  // agent runs (log levels from the controller) without rebuilding the streams.
  const streams: pino.StreamEntry[] = [
    { level: "trace", stream: new LogSink({ path: o.file, limits, base }) },
  ];
  if (o.stdout !== false) streams.push({ level: "trace", stream: new LogSink({ fd: 1, base }) });
  return pino({ level, base }, pino.multistream(streams));
}

const RETRY_EAGAIN = 100;

/** Where log lines go: a file under persist/log (rotated by size, within the directory's budget) or
 * an inherited fd (stdout). A write that fails drops the line and counts it; the first write that
 * works again is preceded by one line saying how many were dropped and why. So a full or failing disk
 * costs log lines, never the process: a logger that throws takes down whatever called log.info. */
export class LogSink {
  private fd: number;
  private size = 0;
  private dropped = 0;
  private firstError: string | undefined;
  private droppedSince = 0;
  /** A short write left half a line in the file: the next write starts on a fresh line. */
  private torn = false;
  private readonly path: string | undefined;
  private readonly limits: LogLimits | undefined;
  private readonly base: Record<string, unknown>;

  constructor(
    o:
      | { path: string; limits: LogLimits; base: Record<string, unknown> }
      | { fd: number; base: Record<string, unknown> },
  ) {
    this.base = o.base;
    if ("path" in o) {
      this.path = o.path;
      this.limits = o.limits;
      this.fd = -1;
      this.reopen();
      prune(dirname(o.path), o.limits.budgetBytes);
    } else {
      this.path = undefined;
      this.limits = undefined;
      this.fd = o.fd;
    }
  }

  /** Lines dropped so far and not yet reported. */
  get droppedLines(): number {
    return this.dropped;
  }

  write(line: string): void {
    if (this.fd < 0 && !this.reopen()) {
      this.drop("log file not open");
      return;
    }
    if (this.dropped === 0) {
      if (!this.put(line)) this.drop();
      return;
    }
    // The note goes out in one write with the line: a note that fits where its line does not would
    // be followed by a new gap, and the count would be said many times.
    const note = `${JSON.stringify({
      level: 40,
      time: Date.now(),
      ...this.base,
      dropped: this.dropped,
      since: this.droppedSince,
      reason: this.firstError,
      msg: `${this.dropped} log lines dropped: writing the log failed (${this.firstError})`,
    })}\n`;
    if (!this.put(note + line)) {
      this.drop();
      return;
    }
    this.dropped = 0;
    this.firstError = undefined;
  }

  /** pino's multistream calls this on flush; writes are synchronous already. */
  flushSync(): void {}

  private drop(reason?: string): void {
    if (this.dropped === 0) this.droppedSince = Date.now();
    this.dropped++;
    this.firstError ??= reason;
  }

  /** Writes a whole line (rotating first when it would pass the file cap); false when it could not.
   * Half a line left by a short write is cut off again, so the file holds whole JSON lines only. */
  private put(line: string): boolean {
    const buf = Buffer.from(this.torn ? `\n${line}` : line);
    if (this.limits && this.size > 0 && this.size + buf.length > this.limits.fileMaxBytes) this.rotate();
    if (this.fd < 0) return false;
    const before = this.size;
    let off = 0;
    let eagain = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? String(e);
        // A non-blocking pipe (stdout to a slow reader): try a little longer, then give the line up.
        if (code === "EAGAIN" && ++eagain < RETRY_EAGAIN) continue;
        this.firstError ??= code;
        if (off > 0) this.cut(before, off);
        return false;
      }
    }
    this.size = before + off;
    this.torn = false;
    return true;
  }

  private cut(before: number, written: number): void {
    if (this.path === undefined) {
      this.torn = true; // a pipe cannot be cut: end the half line before the next one
      return;
    }
    try {
      ftruncateSync(this.fd, before);
      this.size = before;
    } catch {
      this.size = before + written;
      this.torn = true;
    }
  }

  /** <agent>.log -> .log.1 -> .log.2 ...; then the directory is pruned to its budget. Failures
   * (the disk is full, say) leave the file as it is: better a long file than a lost process. */
  private rotate(): void {
    const path = this.path as string;
    const limits = this.limits as LogLimits;
    try {
      for (const n of rotatedNumbers(path).sort((a, b) => b - a))
        renameSync(`${path}.${n}`, `${path}.${n + 1}`);
      renameSync(path, `${path}.1`);
    } catch {
      return;
    }
    closeSync(this.fd);
    this.fd = -1;
    this.torn = false;
    this.reopen();
    prune(dirname(path), limits.budgetBytes);
  }

  private reopen(): boolean {
    try {
      this.fd = openSync(this.path as string, "a", 0o640);
      this.size = fstatSync(this.fd).size;
      return true;
    } catch (e) {
      this.firstError ??= (e as NodeJS.ErrnoException).code;
      this.fd = -1;
      return false;
    }
  }
}

/** The N of every existing `<path>.N`. */
function rotatedNumbers(path: string): number[] {
  const stem = `${basename(path)}.`;
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return out;
  }
  for (const f of names) {
    if (!f.startsWith(stem)) continue;
    const n = f.slice(stem.length);
    if (/^[1-9][0-9]*$/.test(n)) out.push(Number(n));
  }
  return out;
}

/** A rotated file: `<name>.log.N` or `<name>.stderr.N`. Live files are never pruned (an open fd
 * keeps the space anyway, and they hold the newest lines). */
const ROTATED = /\.(log|stderr)\.[1-9][0-9]*$/;

/** Removes rotated files of any agent, oldest (mtime) first, until the directory fits the budget.
 * Every agent prunes the whole directory: see the README for why one shared pool and not shares. */
export function prune(dir: string, budgetBytes: number): void {
  let files: { path: string; size: number; mtimeMs: number; rotated: boolean }[];
  try {
    files = [];
    for (const f of readdirSync(dir)) {
      try {
        const st = statSync(join(dir, f));
        if (st.isFile())
          files.push({ path: join(dir, f), size: st.size, mtimeMs: st.mtimeMs, rotated: ROTATED.test(f) });
      } catch {
        // Gone meanwhile (another agent pruned it).
      }
    }
  } catch {
    return;
  }
  let total = files.reduce((s, f) => s + f.size, 0);
  const victims = files.filter((f) => f.rotated).sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const v of victims) {
    if (total <= budgetBytes) break;
    try {
      unlinkSync(v.path);
    } catch {
      // Another agent pruned it first.
    }
    total -= v.size;
  }
}

/** persist/log/<agent>.stderr is opened by the init script (2>>), so the agent cannot reopen it;
 * when it has grown past the cap its content moves to <agent>.stderr.1 and fd 2 is truncated (it is
 * in append mode, so the next write lands at the new end). Does nothing when fd 2 is anything else. */
export function rotateStderr(path: string, limits: LogLimits): void {
  try {
    const fd2 = fstatSync(2);
    const st = statSync(path);
    if (!fd2.isFile() || fd2.ino !== st.ino || fd2.dev !== st.dev || st.size <= limits.fileMaxBytes) return;
    copyFileSync(path, `${path}.1`);
    ftruncateSync(2, 0);
    prune(dirname(path), limits.budgetBytes);
  } catch {
    // No stderr file, or no space for the copy: leave it; it only holds what died before logging.
  }
}
