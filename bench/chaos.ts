// make chaos: a fault suite against one real node. Boots a private Docker engine, the reference
// controller and a node (build/init/outpost-boot under a temp root whose persist/ is a tmpfs),
// deploys three apps from a throttled HTTP datastore, then injects each fault of FAULTS in turn and
// after each waits (bounded) until the node has converged again: every agent alive once (pid file,
// fresh touch file), no agent given up by the watchdog, every app RUNNING with exactly one running
// container (counted by Outpost's labels in the engine), every app's image still in the engine, no
// blob fetched again from byte 0, zedagent connected. Prints fault | converged | seconds | reason,
// exits 1 if any fault did not converge. Everything it made is removed at the end (processes,
// containers, the private engine, the tmpfs, the temp roots); failure details stay in a results
// directory it names. See bench/README.md ("make chaos").
import { createHash } from "node:crypto";
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { idToUuid } from "@outpost/controller";
import { isProcessAlive, sleep } from "@outpost/primitives";
import {
  buildTestImage,
  PrivateEngine,
  Rig,
  removeByNodeLabel,
  removeImages,
  type ServedRequest,
  saveImage,
  TestDatastore,
  waitFor,
} from "@outpost/testkit";
import { Dealer } from "zeromq";
import { ChaosNode, rssBytes } from "./chaos/node.js";
import {
  ALL_AGENTS,
  type AppExpectation,
  duplicateDownloads,
  type Expectation,
  NODE_AGENTS,
  verdict,
} from "./chaos/verdict.js";

const BUDGET_MS = Number(process.env.CHAOS_BUDGET_S ?? 900) * 1000;
/** Only the faults whose name contains this (e.g. CHAOS_ONLY="power cut"); default all. */
const ONLY = process.env.CHAOS_ONLY ?? "";
/** All checks must hold this long in a row: a fault is not over the instant things look fine. */
const STABLE_MS = 3000;
const RATE = 3 << 20; // datastore bytes/s per response: a 20 MB image downloads for ~7 s
const BIG_PAD = 20 << 20;
const FRAME_BYTES = 200 << 20;
/** Growth of an agent's RSS after a hostile frame that still counts as "no harm". */
const FRAME_RSS_SLACK = 64 << 20;
const RUNNING_CMD = ["sh", "-c", 'trap "exit 0" TERM; while true; do sleep 1; done'];

interface App extends AppExpectation {
  url: string;
  sha256: string;
  size: number;
}

interface Outcome {
  /** When the fault hit (seconds to converge count from here). */
  at: number;
  /** What went wrong during the fault itself (e.g. an agent died on a full disk). */
  during?: string[];
  /** Checked once the node converged (e.g. memory kept after a hostile frame). */
  after?: () => Promise<string[]>;
}

interface Fault {
  name: string;
  boundMs: number;
  /** How long the checks must hold in a row (default STABLE_MS). */
  stableMs?: number;
  inject(c: Chaos): Promise<Outcome>;
}

interface Row {
  fault: string;
  converged: boolean;
  seconds: number | undefined;
  reason: string;
}

class Chaos {
  readonly work = mkdtempSync("/tmp/och-");
  readonly results = mkdtempSync("/tmp/outpost-chaos-");
  readonly engine = new PrivateEngine(join(this.work, "e"));
  readonly rig = new Rig();
  readonly node: ChaosNode;
  readonly apps: App[] = [];
  datastore!: TestDatastore;
  private readonly dsDir = join(this.work, "ds");
  readonly started = Date.now();

  constructor() {
    mkdirSync(this.dsDir, { recursive: true });
    this.node = new ChaosNode(this.rig.nroot, this.engine.host, this.results);
  }

  expect(zedagentStates = ["connected"]): Expectation {
    return { apps: this.apps, touchLimitMs: 30_000, zedagentStates };
  }

  async setup(): Promise<void> {
    await this.engine.start();
    // The docker CLI calls of the testkit's image helpers go to the private engine too.
    process.env.DOCKER_HOST = this.engine.host;
    this.node.mountPersist(512);
    this.datastore = await TestDatastore.start({ dir: this.dsDir });
    this.datastore.rateBytesPerSec = RATE;
    await this.rig.startController();
    this.rig.ctl("node-config", this.node.root, "--serial", this.rig.serial);
    for (const name of ["app1", "app2", "app3"]) this.apps.push(this.image(name, 0));
    const boot = this.node.boot("start");
    if (boot.status !== 0) throw new Error(`outpost-boot start failed (${boot.status}):\n${boot.output}`);
    // The node onboards in the background; the controller takes a config once the device exists.
    await this.node.subscribe();
    const onboarded = Date.now() + 120_000;
    while (!this.rig.ctl("devices", "list").includes(this.rig.serial)) {
      if (Date.now() > onboarded) throw new Error(`the node did not onboard in 120 s\n${this.node.logs()}`);
      await sleep(500);
    }
    this.setConfig();
    const r = await this.converge(this.expect(), 240_000);
    if (!r.converged)
      throw new Error(`the node never converged after boot: ${r.reason}\n${this.node.logs()}`);
  }

  /** An image built from busybox-static (padded with random bytes), its archive in the datastore. */
  image(name: string, padBytes: number): App {
    const tag = `outpost-chaos/${name}:1`;
    const imageId = buildTestImage(tag, { cmd: RUNNING_CMD, node: this.node.root, padBytes });
    const url = `${name}.tar`;
    const file = join(this.dsDir, url);
    saveImage(tag, file);
    removeImages(tag);
    const bytes = readFileSync(file);
    return {
      name,
      uuid: idToUuid(name),
      imageId,
      url,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.length,
    };
  }

  setConfig(): void {
    const doc = {
      datastores: [{ id: "ds", type: "http", fqdn: this.datastore.url, path: "" }],
      contentTrees: this.apps.map((a) => ({
        id: `${a.name}-img`,
        datastore: "ds",
        url: a.url,
        sha256: a.sha256,
      })),
      volumes: this.apps.map((a) => ({ id: `${a.name}-root`, contentTree: `${a.name}-img` })),
      apps: this.apps.map((a) => ({
        id: a.name,
        name: a.name,
        memoryKiB: 32768,
        volumes: [{ id: `${a.name}-root` }],
      })),
      configItems: { "timer.config.interval": "1", "timer.metric.interval": "10" },
    };
    this.rig.setConfig(JSON.stringify(doc, null, 1));
  }

  /** Adds an app with a 20 MB image and returns once its download is under way (a few MB in). */
  async deployDuringDownload(name: string): Promise<App> {
    const app = this.image(name, BIG_PAD);
    this.apps.push(app);
    this.setConfig();
    await waitFor(
      () => this.node.partBytes(app.sha256) >= 3 << 20,
      90_000,
      `${name}'s download to be under way`,
    );
    return app;
  }

  /** Polls the verdict until it has held for STABLE_MS, or `boundMs` after `from` passed. */
  async converge(
    expect: Expectation,
    boundMs: number,
    from = Date.now(),
    requestsBefore = 0,
    stableMs = STABLE_MS,
  ): Promise<{ converged: boolean; seconds?: number; reason: string }> {
    let firstOk: number | undefined;
    let last: string[] = ["not observed"];
    const before = this.datastore.requests.slice(0, requestsBefore);
    while (Date.now() < from + boundMs) {
      const t = Date.now();
      const o = await this.node.observe();
      const wrong = [
        ...verdict(o, expect),
        ...duplicateDownloads(before, this.datastore.requests.slice(requestsBefore)),
      ];
      const now = Date.now();
      this.trace(`+${((t - from) / 1000).toFixed(1)} s (${now - t} ms): ${wrong.join("; ") || "ok"}`);
      if (wrong.length === 0) {
        firstOk ??= now;
        if (now - firstOk >= stableMs)
          return { converged: true, seconds: (firstOk - from) / 1000, reason: "" };
      } else {
        firstOk = undefined;
        last = wrong;
      }
      await sleep(1000);
    }
    return {
      converged: false,
      reason: `not within ${Math.round(boundMs / 1000)} s: ${last.slice(0, 4).join("; ")}${last.length > 4 ? ` (+${last.length - 4} more)` : ""}`,
    };
  }

  /** After a fault that did not converge: a clean reboot (kill everything, empty run/ as a real
   * reboot does, controller and engine up, disk freed), so the next fault starts from a sane node. */
  async recover(): Promise<boolean> {
    await this.node.powerCut();
    this.node.freePersist();
    if (!this.engine.answers()) await this.engine.start();
    // A container the engine cannot start any more (see the engine restart fault) is removed, as
    // an operator would; domainmgr creates it again.
    const cs = await this.node.containers();
    if (!("unreadable" in cs))
      this.node.removeContainers(cs.filter((x) => x.state !== "running").map((x) => x.id));
    if (!(await this.controllerAnswers())) await this.rig.startController();
    this.node.clearRun();
    this.node.boot("start");
    return (await this.converge(this.expect(), 180_000)).converged;
  }

  async controllerAnswers(): Promise<boolean> {
    try {
      this.rig.ctl("devices", "list");
      return true;
    } catch {
      return false;
    }
  }

  /** Every observation and the datastore's requests, per fault, in <results>/trace.log. */
  trace(line: string): void {
    appendFileSync(join(this.results, "trace.log"), `${line}\n`);
  }

  saveDetail(n: number, fault: string, text: string): string {
    const file = join(
      this.results,
      `${String(n).padStart(2, "0")}-${fault.replace(/[^A-Za-z0-9]+/g, "-")}.txt`,
    );
    writeFileSync(file, text);
    return file;
  }

  async cleanup(): Promise<void> {
    await this.node.closeBus();
    await this.node.powerCut().catch(() => undefined);
    this.rig.procs.cleanup();
    if (this.datastore) await this.datastore.close().catch(() => undefined);
    if (this.engine.answers()) removeByNodeLabel(this.node.root);
    await this.engine.stop().catch(() => undefined);
    if (existsSync(this.engine.log)) copyFileSync(this.engine.log, join(this.results, "dockerd.log"));
    this.engine.unmountLeftovers();
    this.engine.removeNetns();
    this.node.unmountPersist();
    await this.rig.cleanup();
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** A 200 MB frame into an agent's ROUTER socket from a DEALER of our own. Returns how much the
 * agent's RSS grew at most while it came in, and whether its socket dropped our connection (what
 * ZeroMQ does when a message is over the socket's maximum size). */
async function sendFrame(c: Chaos, agent: string): Promise<{ peakGrowth: number; dropped: boolean }> {
  const pid = c.node.agentPids(agent)[0] ?? 0;
  const base = rssBytes(pid) ?? 0;
  let peak = base;
  let dropped = false;
  const sock = new Dealer({ linger: 0, sendTimeout: 30_000 });
  sock.events.on("disconnect", () => {
    dropped = true;
  });
  sock.connect(`ipc://${join(c.node.layout.pubsubRun, `${agent}.sock`)}`);
  try {
    await sock.send(Buffer.alloc(FRAME_BYTES, 0x41));
    // Sent means queued: wait until the agent refused it or took it in (or died of it).
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && isProcessAlive(pid) && !dropped && peak < base + FRAME_BYTES * 0.75) {
      peak = Math.max(peak, rssBytes(pid) ?? 0);
      await sleep(100);
    }
  } finally {
    sock.close();
  }
  return { peakGrowth: peak - base, dropped };
}

function killDuringSteady(agent: string): Fault {
  return {
    name: `kill -9 ${agent} (apps RUNNING)`,
    boundMs: 45_000,
    async inject(c) {
      const at = Date.now();
      await c.node.kill9(agent);
      return { at };
    },
  };
}

function killDuringDownload(agent: string): Fault {
  return {
    name: `kill -9 ${agent} (during a download)`,
    boundMs: 90_000,
    async inject(c) {
      await c.deployDuringDownload(`dl-${agent}`);
      const at = Date.now();
      await c.node.kill9(agent);
      return { at };
    },
  };
}

// The faults of one kind each first, then kill -9 of every agent in each app state.
const FAULTS: Fault[] = [
  {
    name: "200 MB pubsub frame into zedmanager",
    boundMs: 60_000,
    async inject(c) {
      const pid = c.node.agentPids("zedmanager")[0];
      const rss0 = pid !== undefined ? (rssBytes(pid) ?? 0) : 0;
      const at = Date.now();
      const frame = await sendFrame(c, "zedmanager");
      const mb = (n: number) => Math.round(n / (1 << 20));
      return {
        at,
        during:
          frame.peakGrowth > FRAME_RSS_SLACK
            ? [
                `zedmanager took the frame in (RSS +${mb(frame.peakGrowth)} MB${frame.dropped ? "" : ", connection not dropped"})`,
              ]
            : [],
        after: async () => {
          const now = c.node.agentPids("zedmanager")[0];
          if (now !== pid) return [`zedmanager died after the frame (pid ${pid} -> ${now ?? "none"})`];
          const grew = (rssBytes(pid ?? 0) ?? 0) - rss0;
          return grew > FRAME_RSS_SLACK ? [`zedmanager kept ${mb(grew)} MB more RSS`] : [];
        },
      };
    },
  },
  {
    name: "kill -9 watchdog, then kill -9 zedmanager",
    boundMs: 45_000,
    async inject(c) {
      const at = Date.now();
      await c.node.kill9("watchdog");
      await c.node.kill9("zedmanager");
      return { at };
    },
  },
  {
    name: "Docker engine restart",
    boundMs: 120_000,
    async inject(c) {
      const at = Date.now();
      await c.engine.restart();
      return { at };
    },
  },
  {
    name: "persist/ full (ENOSPC) during a download, freed after 15 s",
    boundMs: 105_000,
    async inject(c) {
      const app = await c.deployDuringDownload("dl-enospc");
      const before = Object.fromEntries(
        [...NODE_AGENTS, "watchdog"].map((a) => [a, c.node.agentPids(a).join()]),
      );
      const at = Date.now();
      c.node.fillPersist();
      // The fault is the full disk for 15 s; meanwhile the app's status should say why it waits.
      let said = false;
      const until = at + 15_000;
      while (Date.now() < until) {
        if (
          /no space|ENOSPC|disk (is )?full|free space/i.test(
            JSON.stringify(c.node.appStatus(app.uuid)?.error ?? ""),
          )
        )
          said = true;
        await sleep(1000);
      }
      const died = [...NODE_AGENTS, "watchdog"].filter((a) => c.node.agentPids(a).join() !== before[a]);
      c.node.freePersist();
      return {
        at,
        during: [
          ...died.map((a) => `${a} died while persist/ was full`),
          ...(said ? [] : [`app ${app.name}'s status never named the full disk`]),
        ],
      };
    },
  },
  {
    name: "controller down across a node reboot",
    boundMs: 150_000,
    async inject(c) {
      await c.rig.stopController();
      const at = Date.now();
      const requests = c.datastore.requests.length;
      const stop = c.node.boot("stop");
      const left = c.node.processes();
      await c.node.powerCut();
      c.node.clearRun();
      c.node.boot("start");
      const during = [
        ...(stop.status !== 0 ? [`outpost-boot stop exited ${stop.status}`] : []),
        ...(left.length ? [`outpost-boot stop left ${left.length} process(es)`] : []),
      ];
      const down = await c.converge(c.expect(["offline", "connecting"]), 120_000, at, requests);
      if (!down.converged) during.push(`with the controller down: ${down.reason}`);
      await c.rig.startController();
      return { at, during };
    },
  },
  {
    name: "power cut (kill -9 of everything, boot start), then kill -9 of every agent",
    boundMs: 150_000,
    // Watchdog restarts of extra copies from stale registrations use up its budget (5 in 5 min)
    // over its back-off (0.5 + 1 + 2 + 4 + 8 s): held for 30 s, that shows as gave-up.
    stableMs: 30_000,
    async inject(c) {
      const at = Date.now();
      await c.node.powerCut();
      c.node.boot("start");
      // The node must still repair crashes after an unclean stop (its restart budget intact): once
      // everything runs, every agent crashes once more.
      await waitFor(
        () => ALL_AGENTS.every((a) => c.node.agentPids(a).length > 0),
        60_000,
        "every agent to be up after the power cut",
      ).catch(() => undefined);
      await Promise.all(NODE_AGENTS.map((a) => c.node.kill9(a)));
      return {
        at,
        // One crash each since the boot: more restarts mean the watchdog also restarted copies
        // (stale registrations), which spends the budget a real crash needs.
        after: async () =>
          Object.entries(c.node.watchdogRestarts())
            .filter(([, n]) => n > 1)
            .map(([a, n]) => `watchdog restarted ${a} ${n} times for 1 crash`),
      };
    },
  },
  ...NODE_AGENTS.map(killDuringSteady),
  ...(["zedagent", "zedmanager", "volumemgr", "downloader", "verifier", "domainmgr"] as const).map(
    killDuringDownload,
  ),
];

function printTable(rows: Row[]): void {
  const w = Math.max(5, ...rows.map((r) => r.fault.length));
  console.log(`\n${"fault".padEnd(w)} | converged | seconds | reason`);
  console.log(`${"-".repeat(w)}-|-----------|---------|-------`);
  for (const r of rows)
    console.log(
      `${r.fault.padEnd(w)} | ${(r.converged ? "yes" : "no").padEnd(9)} | ${(r.seconds === undefined ? "-" : r.seconds.toFixed(1)).padStart(7)} | ${r.reason}`,
    );
}

async function main(): Promise<number> {
  const c = new Chaos();
  const rows: Row[] = [];
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    console.log(`chaos: work ${c.work}, node ${c.node.root}, results ${c.results}`);
    await c.setup();
    console.log(
      `chaos: node converged with ${c.apps.length} apps after ${((Date.now() - c.started) / 1000).toFixed(0)} s`,
    );
    let broken = false;
    for (const [i, f] of FAULTS.entries()) {
      if (!f.name.includes(ONLY)) continue;
      const left = BUDGET_MS - (Date.now() - c.started);
      if (interrupted || broken || left < f.boundMs + 30_000) {
        const why = interrupted
          ? "interrupted"
          : broken
            ? "node could not be recovered"
            : "total time budget spent";
        rows.push({ fault: f.name, converged: false, seconds: undefined, reason: `not run: ${why}` });
        continue;
      }
      process.stdout.write(`chaos: ${f.name} ... `);
      c.trace(`== ${f.name}`);
      const requestsBefore = c.datastore.requests.length;
      let row: Row;
      try {
        const o = await f.inject(c);
        const r = await c.converge(c.expect(), f.boundMs, o.at, requestsBefore, f.stableMs);
        const problems = [...(o.during ?? []), ...(r.converged && o.after ? await o.after() : [])];
        const ok = r.converged && problems.length === 0;
        row = {
          fault: f.name,
          converged: ok,
          seconds: r.seconds,
          reason: [r.reason, ...problems].filter(Boolean).join("; "),
        };
      } catch (e) {
        row = {
          fault: f.name,
          converged: false,
          seconds: undefined,
          reason: `fault failed: ${(e as Error).message}`,
        };
      }
      rows.push(row);
      c.trace(`datastore during the fault:\n${summarize(c.datastore.requests.slice(requestsBefore))}`);
      console.log(
        row.converged ? `converged in ${row.seconds?.toFixed(1)} s` : `NOT converged: ${row.reason}`,
      );
      if (!row.converged) {
        const served = summarize(c.datastore.requests.slice(requestsBefore));
        const file = c.saveDetail(
          i + 1,
          f.name,
          `${row.reason}\n\ndatastore requests:\n${served}\n\n${c.node.logs(40)}`,
        );
        console.log(`chaos:   details in ${file}; rebooting the node cleanly before the next fault`);
        broken = !(await c.recover());
      }
    }
  } catch (e) {
    console.error(`chaos: setup failed: ${(e as Error).message}`);
    rows.push({
      fault: "setup",
      converged: false,
      seconds: undefined,
      reason: (e as Error).message.split("\n")[0] ?? "",
    });
  } finally {
    await c.cleanup();
  }
  printTable(rows);
  const failed = rows.filter((r) => !r.converged).length;
  console.log(
    `\nchaos: ${rows.length - failed} of ${rows.length} converged in ${((Date.now() - c.started) / 1000).toFixed(0)} s; results in ${c.results}`,
  );
  writeFileSync(join(c.results, "table.json"), JSON.stringify(rows, null, 1));
  return failed ? 1 : 0;
}

function summarize(reqs: ServedRequest[]): string {
  return reqs
    .map((r) => `${r.method} ${r.path} ${r.range ?? "(whole)"} -> ${r.status || "aborted"}`)
    .join("\n");
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
