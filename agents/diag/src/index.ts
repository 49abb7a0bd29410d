// diag: a human summary of the node for whoever stands next to it (EVE's diag). It follows the tables
// the agents publish (through @outpost/nodefacts), reads the watchdog's events and the disk space of
// persist/, and writes the summary to run/diag/summary.txt and, with --console, to a console device,
// again whenever something changed (at most once per --min-interval-ms). `diag --once` prints it once
// and exits, without being the agent (no pid file, any number at once).
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isatty } from "node:tty";
import { type AgentContext, intFlag, rootLayout, runAgent } from "@outpost/agentbase";
import { FactsWatcher, type NodeFacts, readLocalFacts } from "@outpost/nodefacts";
import { MainLoop, sleep } from "@outpost/primitives";
import { type BusLogger, PubSub, zmqTransport } from "@outpost/pubsub";
import { Command, CommanderError, Option } from "commander";
import { bodyKey, renderBody, renderText } from "./render.js";

export { bodyKey, bytes, fit, renderBody, renderText } from "./render.js";

interface DiagOptions {
  console: string;
  minIntervalMs: number;
  refreshMs: number;
  recentMs: number;
  width: number;
}

const DEFAULTS = { minIntervalMs: 2000, refreshMs: 30_000, recentMs: 3_600_000, width: 80 };

export function run(argv: string[]): Promise<number> {
  if (argv.includes("--once")) return once(argv.filter((a) => a !== "--once"));
  return runAgent<DiagOptions>(
    {
      name: "diag",
      description:
        "Prints a summary of the node (onboarding, ports, config, apps, downloads, base OS, restarts, disk) " +
        "to run/diag/summary.txt and a console, again on every change; --once prints it and exits",
      options: (cmd) =>
        cmd
          .option("--once", "print the summary once and exit (not as the agent)")
          .option(
            "--console <dev>",
            'where else to print: "none", "stdout", or a device (/dev/console, /dev/ttyS0)',
            "none",
          )
          .option(
            "--min-interval-ms <ms>",
            "at most one reprint per this period",
            String(DEFAULTS.minIntervalMs),
          )
          .option(
            "--refresh-ms <ms>",
            "re-read disk space and watchdog events this often",
            String(DEFAULTS.refreshMs),
          )
          .option(
            "--recent-ms <ms>",
            "watchdog restarts younger than this are shown",
            String(DEFAULTS.recentMs),
          )
          .option("--width <columns>", "line width", String(DEFAULTS.width)),
      parse: (raw) => ({
        console: String(raw.console),
        minIntervalMs: intFlag(raw.minIntervalMs, "--min-interval-ms", 1),
        refreshMs: intFlag(raw.refreshMs, "--refresh-ms", 1),
        recentMs: intFlag(raw.recentMs, "--recent-ms", 1),
        width: intFlag(raw.width, "--width", 40),
      }),
      main,
    },
    argv,
  );
}

/** Where the summary goes besides the file. */
interface Console {
  colour: boolean;
  write(text: string): void;
  close(): void;
}

function openConsole(dev: string): Console | undefined {
  if (dev === "none") return undefined;
  if (dev === "stdout")
    return { colour: process.stdout.isTTY === true, write: (t) => process.stdout.write(t), close: () => {} };
  const fd = openSync(dev, "a");
  return { colour: isatty(fd), write: (t) => writeSync(fd, t), close: () => closeSync(fd) };
}

async function main(ctx: AgentContext<DiagOptions>): Promise<void> {
  const { log, signal, options: o, layout } = ctx;
  const dir = layout.agentRun(ctx.name);
  mkdirSync(dir, { recursive: true });
  const summaryPath = join(dir, "summary.txt");
  let con: Console | undefined;
  try {
    con = openConsole(o.console);
  } catch (err) {
    // The file under run/ is still written: a missing console is not fatal.
    log.error({ err, console: o.console }, "cannot open the console: writing run/diag/summary.txt only");
  }

  // Loop-owned.
  let dirty = true;
  let local: ReturnType<typeof readLocalFacts> | undefined;
  let localReadAt = 0;
  let lastKey: string | undefined;
  let consoleFailed = false;
  const watcher = new FactsWatcher(ctx.pubsub, () => {
    dirty = true;
  });

  const print = (facts: NodeFacts) => {
    const body = renderBody(facts);
    const key = bodyKey(body);
    if (key === lastKey) return;
    lastKey = key;
    const plain = renderText(facts, { width: o.width, colour: false, root: layout.root }, body);
    const tmp = `${summaryPath}.tmp`;
    writeFileSync(tmp, plain);
    renameSync(tmp, summaryPath);
    log.info({ lines: body.length }, "summary changed");
    if (!con) return;
    const text = con.colour
      ? renderText(facts, { width: o.width, colour: true, root: layout.root }, body)
      : plain;
    const c = con;
    // A console can block (a serial line at 9600 baud): written off the main loop.
    ctx.work(
      async () => c.write(text),
      (r) => {
        if (!r.ok && !consoleFailed) {
          consoleFailed = true;
          log.warn({ err: r.error, console: o.console }, "cannot write to the console");
        } else if (r.ok) consoleFailed = false;
      },
    );
  };

  log.info({ summary: summaryPath, console: o.console, minIntervalMs: o.minIntervalMs }, "summarising");
  while (!signal.aborted) {
    const now = Date.now();
    if (!local || now - localReadAt >= o.refreshMs || dirty) {
      // Files and statfs off the main loop; the render follows on it.
      const read = await new Promise<ReturnType<typeof readLocalFacts> | undefined>((resolve) =>
        ctx.work(
          async () => readLocalFacts(layout.persist, now, o.recentMs),
          (r) => resolve(r.ok ? r.value : undefined),
        ),
      );
      if (read) {
        local = read;
        localReadAt = now;
      }
      await ctx.loop.run(() => {
        dirty = false;
        if (local) print({ at: Date.now(), ...watcher.tables(), ...local });
      });
    }
    await sleep(o.minIntervalMs, signal);
  }
  con?.close();
}

/** `diag --once`: one summary on stdout, then exit 0; 1 when the root is not a node's root. */
async function once(argv: string[]): Promise<number> {
  const cmd = new Command("diag --once")
    .description("print the node's summary once and exit")
    .addOption(new Option("--root <dir>", "root of the node's files").env("OUTPOST_ROOT").default("/"))
    .option("--wait-ms <ms>", "how long to wait for each publisher", "1500")
    .option("--width <columns>", "line width", String(DEFAULTS.width))
    .option("--recent-ms <ms>", "watchdog restarts younger than this are shown", String(DEFAULTS.recentMs))
    .option("--console <dev>", "ignored with --once (stdout)")
    .allowUnknownOption(false)
    .exitOverride();
  let waitMs: number;
  let width: number;
  let recentMs: number;
  let root: string;
  try {
    cmd.parse(argv, { from: "user" });
    const raw = cmd.opts();
    waitMs = intFlag(raw.waitMs, "--wait-ms", 0);
    width = intFlag(raw.width, "--width", 40);
    recentMs = intFlag(raw.recentMs, "--recent-ms", 1);
    root = String(raw.root);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`diag: ${(e as Error).message}\n`);
    return 2;
  }
  const layout = rootLayout(root);
  if (!isDir(layout.root) || !isDir(layout.run)) {
    process.stderr.write(
      `diag: ${layout.root} is not a node's root (no run/ under it; --root / OUTPOST_ROOT name the node's root)\n`,
    );
    return 1;
  }
  const quiet = () => {};
  const busLog: BusLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  const bus = new PubSub({
    agent: `diag-once-${process.pid}`,
    transport: zmqTransport(layout.run),
    persistDir: layout.pubsubPersist,
    loop: new MainLoop((e) => process.stderr.write(`diag: ${String(e)}\n`)),
    log: busLog,
  });
  try {
    const watcher = new FactsWatcher(bus, () => {});
    await watcher.settle(waitMs);
    const now = Date.now();
    const facts: NodeFacts = {
      at: now,
      ...watcher.tables(),
      ...readLocalFacts(layout.persist, now, recentMs),
    };
    process.stdout.write(
      renderText(facts, { width, colour: process.stdout.isTTY === true, root: layout.root }),
    );
    return 0;
  } finally {
    await bus.close();
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
