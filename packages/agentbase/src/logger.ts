import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  agent: string;
  /** persist/log/<agent>.log; its directory must exist. */
  file: string;
  debug: boolean;
  /** Also write to stdout (default true). */
  stdout?: boolean;
}

/** A JSON-lines logger with {agent, pid} in every line, to stdout and to the agent's log file.
 * Synchronous destinations, no worker-thread transport: a line logged just before a crash or a
 * kill -9 is on disk, and the bundle needs no separate transport files. */
export function createLogger(o: LoggerOptions): Logger {
  const level = o.debug ? "debug" : "info";
  const streams: pino.StreamEntry[] = [
    { level, stream: pino.destination({ dest: o.file, sync: true, append: true }) },
  ];
  if (o.stdout !== false) streams.push({ level, stream: pino.destination({ dest: 1, sync: true }) });
  return pino({ level, base: { agent: o.agent, pid: process.pid } }, pino.multistream(streams));
}
