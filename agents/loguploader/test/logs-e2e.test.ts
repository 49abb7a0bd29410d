// Logs end to end, through both agents and the real controller over TLS: newlogd collects (its own
// agent log, util-linux `logger` on <root>/dev/log in both RFC formats, an app container's stdout
// on the real Docker engine), loguploader sends, the controller stores, `ctl logs` shows. Then the
// controller goes away while the node reboots (every agent stopped and started again), and comes
// back: nothing lost, nothing twice, order kept; and over newlogd's disk budget the oldest go and
// the loss is reported.
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildTestImage, Rig, sendSyslogDatagrams, waitFor } from "@outpost/testkit";
import type { LoguploaderStatus, NewlogdStatus } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";

/** Fast batches and polls: a batch closes 1 s after its first line. */
const NEWLOGD = [
  "--batch-max-seconds",
  "1",
  "--poll-ms",
  "100",
  "--docker-poll-ms",
  "300",
  "--status-ms",
  "300",
  "--kmsg",
  "none",
];
const UPLOADER = [
  "--scan-interval-ms",
  "200",
  "--retry-min-ms",
  "300",
  "--retry-max-ms",
  "1500",
  "--gap-ms",
  "20",
];
const LOG_AGENTS = ["newlogd", "zedagent", "loguploader"] as const;

interface Stored {
  at: string;
  key: string;
  value: {
    source: string;
    severity: string;
    iid: string;
    content: string;
    msgid: number;
    tags: Record<string, string>;
    timestamp: string;
  };
}

class LogNode {
  readonly rig = new Rig();
  readonly image = `outpost-test/logs-e2e-${process.pid}:1`;

  async start(newlogdArgs: string[] = []): Promise<void> {
    const rig = this.rig;
    await rig.startController();
    await rig.onboard();
    rig.setConfig('configItems: { timer.config.interval: "1", timer.metric.interval: "1" }\n');
    rig.agentArgs.newlogd = [...NEWLOGD, ...newlogdArgs];
    rig.agentArgs.loguploader = UPLOADER;
    await this.boot();
    // zedagent has the config (its 1 s metric period) before a test takes the controller away:
    // without it zedagent keeps its 60 s default until a poll succeeds after the controller returns.
    await rig.waitZedagent((z) => z.state === "connected" && !!z.lastPollAt, "zedagent's first config");
  }

  /** Starts the log path's agents and waits for the syslog socket. */
  async boot(): Promise<void> {
    const mark = this.rig.log("newlogd", 100000).split("\n").length;
    this.rig.startAgents(LOG_AGENTS);
    await waitFor(
      () =>
        existsSync(join(this.rig.nroot, "dev/log")) &&
        this.rig
          .log("newlogd", 100000)
          .split("\n")
          .slice(mark)
          .some((l) => l.includes('"syslog listening"')),
      30_000,
      () => `the syslog socket\n${this.rig.log("newlogd")}`,
    );
  }

  logger(...args: string[]): void {
    execFileSync("logger", ["-u", join(this.rig.nroot, "dev/log"), ...args]);
  }

  /** An app container as domainmgr labels them (node = the root, app = the instance UUID). */
  container(app: string, script: string): string {
    if (!execFileSync("docker", ["images", "-q", this.image], { encoding: "utf8" }).trim())
      buildTestImage(this.image, { cmd: ["sh"], node: this.rig.nodeLabel });
    return execFileSync(
      "docker",
      [
        "run",
        "-d",
        "--label",
        "org.outpost.owner=outpost",
        "--label",
        `org.outpost.node=${this.rig.nodeLabel}`,
        "--label",
        `org.outpost.app=${app}`,
        this.image,
        "sh",
        "-c",
        script,
      ],
      { encoding: "utf8" },
    ).trim();
  }

  containerId(app: string): string {
    return execFileSync(
      "docker",
      [
        "ps",
        "-q",
        "--filter",
        `label=org.outpost.node=${this.rig.nodeLabel}`,
        "--filter",
        `label=org.outpost.app=${app}`,
      ],
      { encoding: "utf8" },
    ).trim();
  }

  logs(...args: string[]): Stored[] {
    return this.rig.ctlJson<Stored[]>("logs", this.rig.serial, "--limit", "100000", ...args);
  }

  uploader(): LoguploaderStatus | undefined {
    return this.rig.table<LoguploaderStatus>("loguploader", "LoguploaderStatus").global;
  }

  newlogd(): NewlogdStatus | undefined {
    return this.rig.table<NewlogdStatus>("newlogd", "NewlogdStatus").global;
  }

  /** Waits until `ctl logs` has what `pred` wants; the error shows what it had and the agents' logs. */
  async waitLogs<T>(pred: (ls: Stored[]) => T | undefined | false, what: string, timeoutMs = 60_000) {
    let last: Stored[] = [];
    return waitFor(
      () => {
        last = this.logs();
        return pred(last) || undefined;
      },
      timeoutMs,
      () =>
        `${what}; controller has ${last.length} lines, last: ${JSON.stringify(last.slice(-5))}\n` +
        `uploader: ${JSON.stringify(this.uploader())}\n${this.rig.log("newlogd", 20)}\n${this.rig.log("loguploader", 20)}`,
      500,
    );
  }
}

const ms = (iso: string) => Date.parse(iso);

describe("logs end to end", () => {
  let node: LogNode | undefined;
  afterEach(async () => {
    await node?.rig.stopAgents();
    await node?.rig.cleanup();
    node = undefined;
  });

  it("an agent's line, logger --rfc3164 and --rfc5424, and a container's stdout reach ctl logs with source, severity, app, time; filters select them", async () => {
    node = new LogNode();
    await node.start();
    const nonce = randomUUID().slice(0, 8);
    const t0 = Date.now();
    node.logger("--rfc3164", "-t", "t3164", "--id=4242", "-p", "daemon.warning", `hello 3164 ${nonce}`);
    node.logger(
      "--rfc5424",
      "-t",
      "t5424",
      "--id=5151",
      "-p",
      "local3.warning",
      "--msgid",
      "M1",
      "--sd-id",
      "x@32473",
      "--sd-param",
      'k="v"',
      `hello 5424 ${nonce}`,
    );
    const app = randomUUID();
    node.container(app, `echo app-out ${nonce}; echo app-err ${nonce} >&2; sleep 3600`);
    const t1 = Date.now();

    const got = await node.waitLogs((ls) => {
      const find = (src: string, text: string) =>
        ls.find((l) => l.value.source === src && l.value.content.includes(text));
      const want = {
        agent: find("newlogd", "syslog listening"),
        r3164: find("t3164", nonce),
        r5424: find("t5424", nonce),
        out: ls.find((l) => l.key === `app/${app}` && l.value.content === `app-out ${nonce}`),
        err: ls.find((l) => l.key === `app/${app}` && l.value.content === `app-err ${nonce}`),
      };
      return Object.values(want).every(Boolean) && (want as { [K in keyof typeof want]: Stored });
    }, "every source at the controller");

    // The agent's line as agentbase wrote it in newlogd's own log file: pid and time carried over.
    const own = node.rig
      .log("newlogd", 100000)
      .split("\n")
      .map((l) => JSON.parse(l) as { msg?: string; pid?: number; time?: number | string })
      .find((l) => l.msg === "syslog listening");
    const newlogdPid = own?.pid;
    expect(ms(got.agent.value.timestamp)).toBe(
      typeof own?.time === "number" ? own.time : Date.parse(String(own?.time)),
    );
    expect(got.agent).toMatchObject({ key: "device", value: { severity: "info", iid: String(newlogdPid) } });
    expect(got.r3164).toMatchObject({
      key: "device",
      value: {
        severity: "warning",
        iid: "4242",
        content: `hello 3164 ${nonce}`,
        tags: { facility: "daemon" },
      },
    });
    expect(got.r5424).toMatchObject({
      key: "device",
      value: {
        severity: "warning",
        iid: "5151",
        content: `hello 5424 ${nonce}`,
        tags: { facility: "local3", msgid: "M1", "sd.x@32473.k": "v" },
      },
    });
    expect(got.out).toMatchObject({ value: { severity: "info", iid: app, tags: { stream: "stdout" } } });
    expect(got.err).toMatchObject({ value: { severity: "error", iid: app, tags: { stream: "stderr" } } });
    // Dated when produced: the syslog and container lines between t0 and t1 (3164 at receipt; the
    // engine's clock for the container), to the nanosecond in the stored form.
    for (const l of [got.r3164, got.r5424, got.out, got.err]) {
      expect(l.value.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(ms(l.value.timestamp)).toBeGreaterThanOrEqual(t0 - 1000);
      expect(ms(l.value.timestamp)).toBeLessThanOrEqual(t1 + 1000);
    }

    // Filters: --app (a UUID prefix), --source, --severity, --grep, and their combination.
    const mine = (ls: Stored[]) =>
      ls.filter((l) => l.value.content.includes(nonce)).map((l) => l.value.content);
    expect(new Set(mine(node.logs("--app", app.slice(0, 8))))).toEqual(
      new Set([`app-out ${nonce}`, `app-err ${nonce}`]),
    );
    expect(node.logs("--app", app).every((l) => l.key === `app/${app}`)).toBe(true);
    expect(mine(node.logs("--source", "t5424"))).toEqual([`hello 5424 ${nonce}`]);
    expect(new Set(mine(node.logs("--severity", ">=warning")))).toEqual(
      new Set([`hello 3164 ${nonce}`, `hello 5424 ${nonce}`, `app-err ${nonce}`]),
    );
    expect(mine(node.logs("--severity", "=warning", "--grep", "^hello 3164 "))).toEqual([
      `hello 3164 ${nonce}`,
    ]);
    expect(node.logs("--source", "newlogd", "--grep", "^syslog listening$").length).toBeGreaterThanOrEqual(1);
    // The human form names the app.
    const text = node.rig.ctl("logs", node.rig.serial, "--app", app, "--grep", "app-out");
    expect(text.trim()).toMatch(new RegExp(`^\\S+Z info +\\S+ app=${app}: app-out ${nonce}$`));
  }, 120_000);

  it("controller down while the node reboots: lines logged meanwhile are kept, drain in order when it returns, none twice", async () => {
    node = new LogNode();
    await node.start();
    const rig = node.rig;
    const app = randomUUID();
    // A container that counts: a gap or a repeat in its numbers is a lost or a duplicated line.
    node.container(app, "i=0; while :; do echo seq $i; i=$((i+1)); sleep 0.1; done");
    node.logger("--rfc5424", "-t", "e2e", "before");
    const seqs = (ls: Stored[]) =>
      ls.filter((l) => l.key === `app/${app}`).map((l) => Number(l.value.content.replace("seq ", "")));
    await node.waitLogs(
      (ls) => seqs(ls).length > 5 && ls.some((l) => l.value.content === "before"),
      "the first lines uploaded",
    );

    await rig.stopController();
    const sent: string[] = [];
    const say = (text: string) => {
      node?.logger("--rfc5424", "-t", "e2e", "-p", "user.notice", text);
      sent.push(text);
    };
    for (let i = 0; i < 15; i++) say(`offline ${i}`);
    await waitFor(
      () => {
        const s = node?.uploader();
        return s?.state === "offline" && s.queuedFiles > 0;
      },
      30_000,
      () => `offline with batches queued: ${JSON.stringify(node?.uploader())}`,
    );
    // Lines sent right before the shutdown are not lost either.
    for (let i = 0; i < 5; i++) say(`at shutdown ${i}`);
    // The node reboots: every agent stops (the container goes on writing), then boots again, with
    // a drain slow enough to be caught in the middle below.
    await rig.stopAgents();
    rig.agentArgs.loguploader = [...UPLOADER, "--gap-ms", "400"];
    const seqAtStop = Number(
      execFileSync("docker", ["logs", "--tail", "1", node.containerId(app)], { encoding: "utf8" }).replace(
        "seq ",
        "",
      ),
    );
    await node.boot();
    for (let i = 0; i < 15; i++) say(`rebooted ${i}`);
    // Enough queued (newlogd closes about one batch a second) that the drain below, one file per
    // 400 ms, lasts seconds: with 1-2 files it could finish between two looks (each look runs
    // ipcmonitor, slow on a loaded machine) and the "drain under way" moment was never seen.
    await waitFor(
      () => {
        const s = node?.uploader();
        return s?.state === "offline" && s.queuedFiles >= 6 && (s.queued[`app/${app}`]?.files ?? 0) > 0;
      },
      30_000,
      () => `offline again after the reboot: ${JSON.stringify(node?.uploader())}`,
    );

    await rig.startController();
    // Rebooted again in the middle of the drain: what was sent is not sent twice, the rest follows.
    await waitFor(
      () => {
        const s = node?.uploader();
        return s && s.device.files + s.app.files >= 2 && s.queuedFiles >= 2;
      },
      60_000,
      () => `the drain under way: ${JSON.stringify(node?.uploader())}`,
      100,
    );
    await rig.stopAgents();
    await node.boot();
    const ls = await node.waitLogs(
      (all) =>
        all.some((l) => l.value.content === "rebooted 14") &&
        Math.max(...seqs(all)) > seqAtStop + 20 &&
        node?.uploader()?.queuedFiles === 0 &&
        all,
      "the backlog drained",
      90_000,
    );

    // Every syslog line once, in the order sent.
    const e2e = ls.filter((l) => l.value.source === "e2e").map((l) => l.value.content);
    expect(e2e).toEqual(["before", ...sent]);
    // The container's count has no gap and no repeat across the outage and the reboot.
    const counted = seqs(ls);
    expect(counted.length).toBeGreaterThan(seqAtStop);
    expect(counted).toEqual(counted.map((_v, i) => (counted[0] ?? 0) + i));
    // Per stream: msgid strictly increasing (never reused across the reboot), timestamps in order.
    for (const key of ["device", `app/${app}`]) {
      const stream = ls.filter((l) => l.key === key);
      const ids = stream.map((l) => l.value.msgid);
      expect(ids, key).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size, key).toBe(ids.length);
    }
    const times = ls
      .filter((l) => l.key === `app/${app}` || l.value.source === "e2e")
      .map((l) => l.key + l.value.timestamp);
    for (const key of ["device", `app/${app}`]) {
      const t = times.filter((x) => x.startsWith(key));
      expect(t, key).toEqual([...t].sort());
    }
    // No line twice at the controller, whatever its stream.
    const seen = new Set(ls.map((l) => `${l.key} ${l.value.msgid}`));
    expect(seen.size).toBe(ls.length);
  }, 180_000);

  it("over newlogd's disk budget while the controller is down: the oldest batches go, the rest arrive in order, the drop is reported", async () => {
    node = new LogNode();
    const budget = 64 * 1024;
    // Small batches (16 KiB of JSON) so the budget removes some of many.
    await node.start(["--budget", String(budget), "--batch-max-bytes", "16384"]);
    const rig = node.rig;
    await rig.stopController();
    // Lines that do not compress (random hex), 3 rounds of 1000 from one tag (within its burst).
    const sent: string[] = [];
    for (let round = 0; round < 3; round++) {
      const msgs: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const text = `flood ${sent.length} ${randomBytes(60).toString("hex")}`;
        sent.push(text);
        msgs.push(`<13>1 ${new Date().toISOString()} host flood 77 - - ${text}`);
      }
      await sendSyslogDatagrams(join(rig.nroot, "dev/log"), msgs);
    }
    const st = await waitFor(
      () => {
        const s = node?.newlogd();
        return s && s.input.syslog >= sent.length && s.openLines === 0 && s.filesRemovedByBudget > 0 && s;
      },
      60_000,
      () => `the budget to remove batches: ${JSON.stringify(node?.newlogd())}`,
      300,
    );
    expect(st.linesDropped.budget).toBeGreaterThan(0);
    expect(st.bytesRemovedByBudget).toBeGreaterThan(0);
    expect(st.totalBytes).toBeLessThanOrEqual(budget);

    await rig.startController();
    const ls = await node.waitLogs(
      (all) => all.some((l) => l.value.content === sent.at(-1)) && node?.uploader()?.queuedFiles === 0 && all,
      "the rest drained",
      90_000,
    );
    const flood = ls.filter((l) => l.value.source === "flood").map((l) => l.value.content);
    // What arrived is the newest part, whole and in order: the oldest went first.
    expect(flood.length).toBeGreaterThan(0);
    expect(flood.length).toBeLessThan(sent.length);
    expect(flood).toEqual(sent.slice(sent.length - flood.length));
    const after = node.newlogd();
    expect(sent.length - flood.length).toBeLessThanOrEqual(after?.linesDropped.budget ?? 0);
    // The drop reaches the controller in the device metrics (EVE's newlogMetric.gzipFilesRemoved).
    let metric: unknown;
    await waitFor(
      () => {
        const m = rig.ctlJson<{ at: string; value: { dm?: { newlog?: { gzipFilesRemoved?: number } } } }[]>(
          "metrics",
          rig.serial,
          "--limit",
          "1",
        );
        metric = { at: m[0]?.at, newlog: m[0]?.value.dm?.newlog };
        return (m[0]?.value.dm?.newlog?.gzipFilesRemoved ?? 0) >= (after?.filesRemovedByBudget ?? 1);
      },
      30_000,
      () =>
        `gzipFilesRemoved in the device metrics: newlogd ${JSON.stringify(after)}, last metric ${JSON.stringify(metric)}\n${rig.log("zedagent", 30)}`,
      500,
    );
  }, 150_000);
});
