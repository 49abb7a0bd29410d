// ipcmonitor: look inside the bus. Prints a table's full contents, then (with --follow) every change.
// Without -t it lists what an agent publishes; without -a, which agents have a publisher socket.
import { readdirSync, statSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { type BusLogger, PubSub, zmqTransport } from "@outpost/pubsub";
import { t } from "@outpost/types";
import { Command, CommanderError, Option } from "commander";

interface Options {
  root: string;
  agent?: string;
  scope?: string;
  topic?: string;
  follow: boolean;
  json: boolean;
  wait: number;
}

type Out = (line: string) => void;

export async function run(argv: string[]): Promise<number> {
  const cmd = new Command("ipcmonitor")
    .description("print a pubsub table, and every change with --follow")
    .addOption(new Option("--root <dir>", "root of the node's files").env("OUTPOST_ROOT").default("/"))
    .option("-a, --agent <agent>", "publishing agent")
    .option("-s, --scope <scope>", "table scope")
    .option("-t, --topic <Topic>", "table topic type, e.g. LedBlinkCounter")
    .option("-f, --follow", "after the table, print every change until interrupted", false)
    .option("--json", "machine-readable output: one JSON document, then one JSON line per change", false)
    .option("--wait <ms>", "how long to wait for the publisher", (v) => Number(v), 3000)
    .allowExcessArguments(false)
    .exitOverride();
  let o: Options;
  try {
    cmd.parse(argv, { from: "user" });
    o = cmd.opts<Options>();
    if (!Number.isFinite(o.wait) || o.wait < 0) throw new Error("--wait: expected milliseconds");
    // A table is named by its publisher: without -a these would be silently ignored.
    if (!o.agent && (o.topic || o.scope))
      throw new Error(
        `${o.topic ? "-t/--topic" : "-s/--scope"} needs -a/--agent, the agent that publishes it`,
      );
    if (o.follow && !o.topic)
      throw new Error("--follow needs -a/--agent and -t/--topic, the table to follow");
  } catch (e) {
    // Commander has printed its message; --help is not an error, anything else is a usage error (2),
    // like the checks below (commander's own code for those is 1).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`ipcmonitor: ${(e as Error).message} (ipcmonitor --help for usage)\n`);
    return 2;
  }
  const err: Out = (line) => process.stderr.write(`ipcmonitor: ${line}\n`);
  if (!isDirectory(o.root)) {
    err(`root ${o.root} does not exist or is not a directory (--root / OUTPOST_ROOT: the node's root)`);
    return 1;
  }
  const layout = rootLayout(o.root);

  // The reader may go away first (`ipcmonitor ... | head`): that ends the run quietly, not with an
  // unhandled EPIPE. Every later write is dropped, and --follow stops.
  const stop = new AbortController();
  let readerGone = false;
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") err(`cannot write the output: ${e.message}`);
    readerGone = true;
    stop.abort();
  };
  process.stdout.on("error", onStdoutError);
  const out: Out = (line) => {
    if (!readerGone) process.stdout.write(`${line}\n`);
  };

  if (!o.agent) {
    const { live, stale } = await listPublishers(layout.pubsubRun);
    if (o.json) out(JSON.stringify({ publishers: live }));
    else out(live.length ? live.join("\n") : `no publishers under ${layout.pubsubRun}`);
    if (stale.length) err(`not listed, nothing listens on their sockets (process gone): ${stale.join(", ")}`);
    return 0;
  }

  const onSignal = () => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const bus = new PubSub({
    agent: `ipcmonitor-${process.pid}`,
    transport: zmqTransport(layout.run),
    persistDir: layout.pubsubPersist,
    loop: new MainLoop((e) => err(String(e))),
    log: stderrLogger(err),
  });
  try {
    return o.topic
      ? await showTable(bus, { ...o, agent: o.agent, topic: o.topic }, stop.signal, out, err)
      : await showAgent(bus, o.agent, o, out, err);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await bus.close();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The agents with a socket under `dir`, split by whether something accepts a connection on it: a
 * publisher killed without closing (SIGKILL, a crash) leaves its socket file behind. */
async function listPublishers(dir: string): Promise<{ live: string[]; stale: string[] }> {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith(".sock"))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return { live: [], stale: [] };
  }
  const answers = await Promise.all(names.map((n) => socketAnswers(join(dir, `${n}.sock`))));
  return { live: names.filter((_, i) => answers[i]), stale: names.filter((_, i) => !answers[i]) };
}

/** Connects to a unix socket and closes at once: ECONNREFUSED (no listener) means stale. ZeroMQ's
 * listener takes a connection that closes before its handshake as a peer that left. */
function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    // A listener too busy to accept within the timeout is still a listener.
    const timer = setTimeout(() => done(true), timeoutMs);
    sock.once("connect", () => done(true));
    // Refused: a socket file with no listener. Anything else (EACCES, ...) says nothing about the
    // publisher, so it stays listed and -a tells the rest.
    sock.once("error", (e: NodeJS.ErrnoException) => done(e.code !== "ECONNREFUSED" && e.code !== "ENOENT"));
  });
}

async function showAgent(bus: PubSub, agent: string, o: Options, out: Out, err: Out): Promise<number> {
  const info = await bus.describePublisher(agent, o.wait);
  if (!info) {
    err(noPublisher(bus, agent));
    return 1;
  }
  const tables = info.tables.map(splitTable).sort((a, b) => a.localeCompare(b));
  if (o.json) out(JSON.stringify({ agent, tables }));
  else out(tables.length ? tables.join("\n") : `${agent} publishes no tables yet`);
  return 0;
}

async function showTable(
  bus: PubSub,
  o: Options & { agent: string; topic: string },
  signal: AbortSignal,
  out: Out,
  err: Out,
): Promise<number> {
  const name = o.scope ? `${o.agent}/${o.scope}/${o.topic}` : `${o.agent}/${o.topic}`;
  const change = (op: string, key: string, value?: unknown, old?: unknown) => {
    if (!synced) return; // the initial table is printed as a whole once synchronized
    const time = new Date().toISOString();
    if (o.json)
      out(
        JSON.stringify({
          time,
          op,
          key,
          ...(value !== undefined ? { value } : {}),
          ...(old !== undefined ? { old } : {}),
        }),
      );
    else
      out(`${time} ${op} ${key}${value !== undefined ? `\n${indent(JSON.stringify(value, null, 2))}` : ""}`);
  };
  let synced = false;
  const sub = bus.subscribe({
    agent: o.agent,
    ...(o.scope ? { scope: o.scope } : {}),
    topic: o.topic,
    codec: t.unknown,
    // Shows the publisher's table as it is, also while a restarted publisher rebuilds it.
    holdAcrossRestart: false,
    handlers: {
      create: (k, v) => change("create", k, v),
      modify: (k, v, old) => change("modify", k, v, old),
      delete: (k, old) => change("delete", k, undefined, old),
    },
  });
  try {
    await sub.waitSynchronized(o.wait);
  } catch {
    const tables = sub.publisherTables;
    if (sub.lastHeardAt === 0 || !tables) err(noPublisher(bus, o.agent));
    else {
      const have = tables.map(splitTable).sort();
      err(
        `${o.agent} is running but does not publish ${o.scope ? `${o.scope}/` : ""}${o.topic}; it publishes: ${have.join(", ") || "nothing yet"}`,
      );
    }
    return 1;
  }
  const entries = Object.fromEntries(sub.entries().sort(([a], [b]) => a.localeCompare(b)));
  if (o.json) out(JSON.stringify({ table: name, size: sub.size, entries }));
  else {
    out(
      `# ${name}: ${sub.size} ${sub.size === 1 ? "key" : "keys"}${sub.restartedCount ? `, restarted ${sub.restartedCount}` : ""}`,
    );
    for (const [k, v] of Object.entries(entries)) out(`${k}\n${indent(JSON.stringify(v, null, 2))}`);
  }
  if (!o.follow || signal.aborted) return 0;
  synced = true;
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  return 0;
}

function noPublisher(bus: PubSub, agent: string): string {
  return `no publisher "${agent}": nothing answers at ${bus.describeEndpoint(agent)} (is the agent running? "ipcmonitor" without -a lists publishers)`;
}

/** "/Topic" -> "Topic", "scope/Topic" -> "scope/Topic". */
function splitTable(table: string): string {
  return table.startsWith("/") ? table.slice(1) : table;
}

function indent(s: string): string {
  return s.replace(/^/gm, "  ");
}

function stderrLogger(err: Out): BusLogger {
  const say = (obj: object, msg?: string) => err(`${msg ?? ""} ${JSON.stringify(obj)}`);
  const quiet = () => {};
  return { debug: quiet, info: quiet, warn: say, error: say };
}
