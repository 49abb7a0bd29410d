import { rmSync } from "node:fs";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import { checkName, PubSub, zmqTransport } from "@outpost/pubsub";
import { CONFIG_ITEMS_KEY, ConfigItemValueMapCodec, ZEDAGENT_TOPICS } from "@outpost/types";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ensureLayout, type Layout, rootLayout } from "./layout.js";
import { logLevelFromItems } from "./log-level.js";
import { createLogger, DEFAULT_LOG_LIMITS, type Logger, type LogLimits, rotateStderr } from "./logger.js";
import { acquirePidFile, holderIsAgent, PidFileHeldError } from "./pidfile.js";
import { runTouchLoop } from "./touch.js";
import { WorkerPool, type WorkResult } from "./worker-pool.js";

/** Flags every agent has. */
export interface BaseOptions {
  root: string;
  debug: boolean;
  touchIntervalMs: number;
  workers: number;
  log: LogLimits;
}

export interface AgentContext<O> {
  /** The agent's name: its pubsub publisher name and the stem of its pid, touch and log files. */
  name: string;
  options: O & BaseOptions;
  log: Logger;
  layout: Layout;
  /** Handlers and work results run here, one at a time. */
  loop: MainLoop;
  pubsub: PubSub;
  /** Aborts on SIGTERM/SIGINT: main should finish its loops and return. */
  signal: AbortSignal;
  pool: WorkerPool;
  /** Runs `fn` off the main loop; `onDone` receives its outcome as a main-loop task. */
  work<R>(
    fn: (signal: AbortSignal) => Promise<R>,
    onDone: (result: WorkResult<R>) => void | Promise<void>,
  ): void;
}

export interface AgentSpec<O> {
  name: string;
  description: string;
  /** Adds the agent's own flags. */
  options?: (cmd: Command) => void;
  /** Validates the parsed flags into the agent's options (command-line input is an edge too). */
  parse?: (raw: Record<string, unknown>) => O;
  /** The process's agent name when it is not `name` (fixture instances: --name). */
  agentName?: (options: O) => string;
  /** Follow the controller's log level items (zedagent's ConfigItemValueMap); default true. Off
   * for processes that are not part of a node (the reference controller). */
  remoteLogLevel?: boolean;
  /** Runs until `ctx.signal` aborts; resolving earlier stops the agent with the returned exit code. */
  // biome-ignore lint/suspicious/noConfusingVoidType: resolving with nothing means exit code 0
  main: (ctx: AgentContext<O>) => Promise<number | void>;
}

const STOP_DEADLINE_MS = 10_000;
/** "You called me wrong" (bad flag or value), shared with the dispatcher and every program. */
export const EXIT_USAGE = 2;

/** Runs `fn`, but gives up waiting after `ms`: a stuck close must not keep a stopping agent alive. */
async function withDeadline(fn: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** An agent's integer flag as parsed by its `parse`: at least `min`, else a usage error naming the flag. */
export function intFlag(raw: unknown, flag: string, min: number): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`${flag}: expected an integer >= ${min}, got "${String(raw)}"`);
  return n;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n <= 0)
      // commander prints it ("option ... argument ... is invalid. <this>") and exits with usage.
      throw new InvalidArgumentError(`${name}: expected a positive integer, got "${v}"`);
    return n;
  };
}

/** "2M", "512K", "1G" or plain bytes. */
export function parseBytes(name: string) {
  return (v: string): number => {
    const m = /^([0-9]+)([KMG]?)$/i.exec(v.trim());
    const n = m ? Number(m[1]) * 1024 ** " KMG".indexOf((m[2] || " ").toUpperCase()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n <= 0)
      // commander prints it ("option ... argument ... is invalid. <this>") and exits with usage.
      throw new InvalidArgumentError(
        `${name}: expected a size in bytes (suffix K, M or G allowed), got "${v}"`,
      );
    return n;
  };
}

/** Sets the logger's level from the controller's config items whenever zedagent publishes them.
 * A live subscription: zedagent serves its persistent table as soon as it runs, so a (re)started
 * agent takes the level in force then. Not a persistent one: that would make every agent open
 * zedagent's LMDB store beside the ones it already reads, and two read-only opens in one process
 * fail in lmdb ("Attempting to setup locks after open"). */
function followLogLevel(pubsub: PubSub, agent: string, log: Logger, local: "debug" | "info"): void {
  const apply = (items: Parameters<typeof logLevelFromItems>[1]) => {
    const { level, item } = logLevelFromItems(agent, items, local);
    if (level === log.level) return;
    const fields = { level, previous: log.level, ...(item ? { item } : {}) };
    const msg = item
      ? `log level ${level} (config item ${item})`
      : `log level back to ${level} (no config item)`;
    // Said at info on whichever side of the change shows it.
    if (log.isLevelEnabled("info")) {
      log.info(fields, msg);
      log.level = level;
    } else {
      log.level = level;
      log.info(fields, msg);
    }
  };
  pubsub.subscribe({
    agent: "zedagent",
    topic: ZEDAGENT_TOPICS.configItems,
    codec: ConfigItemValueMapCodec,
    handlers: {
      create: (k, v) => {
        if (k === CONFIG_ITEMS_KEY) apply(v.items);
      },
      modify: (k, v) => {
        if (k === CONFIG_ITEMS_KEY) apply(v.items);
      },
      delete: (k) => {
        if (k === CONFIG_ITEMS_KEY) apply(undefined);
      },
    },
  });
}

/** Parses argv (the arguments after the agent name), runs the agent until it is told to stop, and
 * returns the process exit code: 0 after an orderly stop (or --help), 1 when it could not start
 * (another instance runs, the root is unusable) or failed, 2 for a usage error. */
export async function runAgent<O = Record<string, never>>(
  spec: AgentSpec<O>,
  argv: string[],
): Promise<number> {
  const cmd = new Command(spec.name)
    .description(spec.description)
    .addOption(
      new Option("--root <dir>", "root of the node's files (config/, run/, persist/)")
        .env("OUTPOST_ROOT")
        .default("/"),
    )
    .option("--debug", "log at debug level", false)
    .option(
      "--touch-interval-ms <ms>",
      "how often the liveness file is refreshed",
      positiveInt("--touch-interval-ms"),
      2000,
    )
    .option("--workers <n>", "worker pool concurrency", positiveInt("--workers"), 4)
    .addOption(
      new Option("--log-file-max <size>", "rotate persist/log/<agent>.log past this size")
        .env("OUTPOST_LOG_FILE_MAX")
        .argParser(parseBytes("--log-file-max"))
        .default(DEFAULT_LOG_LIMITS.fileMaxBytes, "2M"),
    )
    .addOption(
      new Option("--log-budget <size>", "total size of persist/log/ (all agents): oldest rotated files go")
        .env("OUTPOST_LOG_BUDGET")
        .argParser(parseBytes("--log-budget"))
        .default(DEFAULT_LOG_LIMITS.budgetBytes, "32M"),
    )
    .allowExcessArguments(false)
    .exitOverride();
  spec.options?.(cmd);
  let raw: Record<string, unknown>;
  let options: O & BaseOptions;
  let name: string;
  try {
    cmd.parse(argv, { from: "user" });
    raw = cmd.opts();
    const own = spec.parse ? spec.parse(raw) : ({} as O);
    options = {
      ...own,
      root: String(raw.root),
      debug: raw.debug === true,
      touchIntervalMs: raw.touchIntervalMs as number,
      workers: raw.workers as number,
      log: { fileMaxBytes: raw.logFileMax as number, budgetBytes: raw.logBudget as number },
    };
    name = spec.agentName ? spec.agentName(options) : spec.name;
    checkName("agent", name);
  } catch (e) {
    // Help and version are exit code 0; anything else is a usage error, 2 as for every program.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    process.stderr.write(`${spec.name}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }

  const layout = rootLayout(options.root);
  let log: Logger;
  let tightened: string[];
  try {
    tightened = ensureLayout(layout);
    // stdout/stderr may be files on the same full disk: a failed write there must not end the
    // process either (an 'error' event without a listener would).
    process.stdout.on("error", () => {});
    process.stderr.on("error", () => {});
    rotateStderr(join(layout.log, `${name}.stderr`), options.log);
    log = createLogger({
      agent: name,
      file: layout.logFile(name),
      debug: options.debug,
      limits: options.log,
    });
  } catch (e) {
    process.stderr.write(`${name}: cannot prepare ${layout.root}: ${(e as Error).message}\n`);
    return 1;
  }
  if (tightened.length)
    log.warn(
      { count: tightened.length, paths: tightened.slice(0, 20) },
      "took group and other permissions off files that can hold secrets",
    );

  let pidFile: ReturnType<typeof acquirePidFile>;
  try {
    pidFile = acquirePidFile(layout.pidFile(name), process.pid, (pid) => holderIsAgent(pid, name));
  } catch (e) {
    const msg =
      e instanceof PidFileHeldError
        ? `${name}: another instance is ${e.message}; refusing to start a second one`
        : `${name}: cannot take pid file: ${(e as Error).message}`;
    log.error(e instanceof PidFileHeldError ? { holder: e.pid } : { err: e }, msg);
    process.stderr.write(`${msg}\n`);
    return 1;
  }
  // A touch file left by a previous instance must not make this one look alive before it is.
  rmSync(layout.touchFile(name), { force: true });

  const stop = new AbortController();
  const signal = stop.signal;
  const loop = new MainLoop((err) => log.error({ err }, "main loop task failed"));
  const pool = new WorkerPool(loop, options.workers);
  const pubsub = new PubSub({
    agent: name,
    transport: zmqTransport(layout.run),
    persistDir: layout.pubsubPersist,
    loop,
    log,
  });

  if (spec.remoteLogLevel !== false) followLogLevel(pubsub, name, log, options.debug ? "debug" : "info");

  let forced: NodeJS.Timeout | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signal.aborted) {
      log.warn({ signal: sig }, "second stop signal: exiting now");
      pidFile.release();
      process.exit(1);
    }
    log.info({ signal: sig }, "stopping");
    stop.abort();
    // A main that ignores the signal must not keep the process (and its pid file) forever.
    forced = setTimeout(() => {
      log.error({ deadlineMs: STOP_DEADLINE_MS }, "orderly stop took too long: exiting");
      pidFile.release();
      process.exit(1);
    }, STOP_DEADLINE_MS);
    forced.unref();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const ctx: AgentContext<O> = {
    name,
    options,
    log,
    layout,
    loop,
    pubsub,
    signal,
    pool,
    work: (fn, onDone) => pool.submit(fn, onDone),
  };

  log.info({ root: layout.root, argv }, "starting");
  const touching = runTouchLoop({
    loop,
    path: layout.touchFile(name),
    intervalMs: options.touchIntervalMs,
    signal,
    onError: (err) => log.warn({ err }, "cannot refresh touch file"),
  });
  let code = 0;
  try {
    const r = await spec.main(ctx);
    if (typeof r === "number") code = r;
  } catch (err) {
    log.error({ err }, "agent failed");
    code = 1;
  }
  stop.abort();
  await touching;
  await Promise.allSettled([pool.close(), withDeadline(() => pubsub.close(), 3000)]);
  loop.close();
  rmSync(layout.touchFile(name), { force: true });
  pidFile.release();
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  if (forced) clearTimeout(forced);
  log.info({ code }, "stopped");
  // The caller sets process.exitCode and lets the process end when its handles close; a handle some
  // library forgot to close must not leave a stopped agent hanging around without a pid file.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}
