// loguploader end to end: real processes from dist/bin (controller over TLS, zedagent, loguploader),
// batches written in newlogd's on-disk contract (testkit's writer), read back with `ctl logs`.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { entryAt, newlogBatch, Rig, type TestLogEntry, waitFor, writeNewlogBatch } from "@outpost/testkit";
import type { LoguploaderStatus, ZedAgentStatus } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";

const APP = "6f1c0a4e-1b2c-4d5e-8f90-0123456789ab";
/** Fast timers for a test: scan often, retry soon, give a refused batch up after 3 answers. */
const FAST = [
  "--scan-interval-ms",
  "200",
  "--retry-min-ms",
  "300",
  "--retry-max-ms",
  "1500",
  "--max-4xx",
  "3",
];

interface Line {
  key: string;
  value: { source: string; severity: string; content: string; timestamp: string };
}

class Node {
  readonly rig = new Rig();
  private uploader: ReturnType<Rig["procs"]["start"]> | undefined;
  private ms = Date.now() - 3_600_000;
  private seq = 0;
  meta = { devID: "", image: "IMGA", eveVersion: "0.1.0" };

  async start(controllerArgs: string[] = [], uploaderArgs: string[] = FAST): Promise<void> {
    this.rig.controllerArgs.push(...controllerArgs);
    await this.rig.startController();
    await this.rig.onboard();
    this.meta.devID = this.rig.ctlJson<{ uuid: string }>("devices", "get", this.rig.serial).uuid;
    this.rig.setConfig('configItems: { timer.config.interval: "1", timer.metric.interval: "1" }\n');
    this.rig.procs.start("zedagent", ["--root", this.rig.nroot]);
    this.startUploader(uploaderArgs);
  }

  startUploader(args: string[] = FAST): void {
    this.uploader = this.rig.procs.start("loguploader", ["--root", this.rig.nroot, ...args]);
  }

  async stopUploader(): Promise<void> {
    const p = this.uploader;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once("exit", () => r());
      p.kill("SIGTERM");
    });
  }

  get pid(): number | undefined {
    return this.uploader?.pid;
  }

  /** A batch of `n` lines: content "line <seq>" so order can be checked across batches. */
  batch(n: number, o: { app?: string; severity?: string; source?: string } = {}): TestLogEntry[] {
    this.ms += 1000;
    const entries = Array.from({ length: n }, (_, i) =>
      entryAt(this.ms + i, {
        severity: o.severity ?? (i % 5 === 0 ? "warning" : "info"),
        source: o.source ?? (i % 2 ? "zedagent" : "kernel"),
        content: `line ${this.seq++}`,
        msgid: this.seq,
        filename: "x.go:1",
        function: "f",
        tags: { k: "v" },
      }),
    );
    writeNewlogBatch(this.rig.nroot, { ms: this.ms, app: o.app, bytes: newlogBatch(this.meta, entries) });
    return entries;
  }

  raw(bytes: Buffer, app?: string): string {
    this.ms += 1000;
    return writeNewlogBatch(this.rig.nroot, { ms: this.ms, app, bytes });
  }

  status(): LoguploaderStatus | undefined {
    return this.rig.table<LoguploaderStatus>("loguploader", "LoguploaderStatus").global;
  }

  async waitStatus(pred: (s: LoguploaderStatus) => boolean, what: string, timeoutMs = 60_000) {
    let last: LoguploaderStatus | undefined;
    try {
      return await waitFor(
        () => {
          last = this.status();
          return last && pred(last) ? last : undefined;
        },
        timeoutMs,
        what,
        300,
      );
    } catch (e) {
      throw new Error(
        `${(e as Error).message}; last ${JSON.stringify(last)}\n${this.rig.log("loguploader")}`,
      );
    }
  }

  logs(...args: string[]): Line[] {
    return this.rig.ctlJson<Line[]>("logs", this.rig.serial, "--limit", "10000", ...args);
  }

  queued(): string[] {
    const dir = (d: string) => {
      const p = join(this.rig.nroot, "persist/newlog", d);
      return existsSync(p) ? readdirSync(p).filter((f) => f.endsWith(".gz")) : [];
    };
    return [...dir("devUpload"), ...dir("appUpload")];
  }
}

const contents = (ls: Line[]) => ls.map((l) => l.value.content);
const msOf = (e: TestLogEntry | undefined) =>
  (e?.timestamp.seconds ?? 0) * 1000 + (e?.timestamp.nanos ?? 0) / 1e6;

describe("loguploader", () => {
  let node: Node | undefined;
  afterEach(async () => {
    await node?.rig.cleanup();
    node = undefined;
  });

  // Several real processes, two controller starts and a drain paced on purpose: up to 3 minutes on
  // a loaded 2-core machine.
  it("sends device and app batches in order; ctl logs filters them; controller down: nothing lost, order kept across an uploader restart, the backlog drains while config polls go on", async () => {
    node = new Node();
    await node.start([], [...FAST, "--gap-ms", "250"]);
    const rig = node.rig;
    const sent = [
      ...node.batch(10),
      ...node.batch(10, { app: APP, source: "web", severity: "err" }),
      ...node.batch(10),
    ];
    await node.waitStatus(
      (s) => s.device.files === 2 && s.app.files === 1 && s.queuedFiles === 0,
      "3 batches sent",
    );
    expect(node.queued()).toEqual([]);

    const all = node.logs();
    expect(contents(all)).toEqual(sent.map((e) => e.content));
    expect(all[0]).toMatchObject({
      key: "device",
      value: {
        source: "kernel",
        severity: "warning",
        timestamp: expect.stringMatching(/^\d{4}-.*\.\d{9}Z$/),
      },
    });
    expect(Date.parse(all[0]?.value.timestamp ?? "")).toBe(msOf(sent[0]));
    expect(contents(node.logs("--app", APP.slice(0, 8)))).toEqual(sent.slice(10, 20).map((e) => e.content));
    expect(node.logs("--source", "web").every((l) => l.key === `app/${APP}`)).toBe(true);
    expect(contents(node.logs("--severity", ">=warning"))).toEqual(
      sent.filter((_e, i) => i % 5 === 0 || (i >= 10 && i < 20)).map((e) => e.content),
    );
    expect(contents(node.logs("--grep", "^line (3|29)$"))).toEqual(["line 3", "line 29"]);
    const since = new Date(msOf(sent[20])).toISOString();
    expect(contents(node.logs("--since", since))).toEqual(sent.slice(20).map((e) => e.content));
    // The human form: time, severity, source, app, content.
    const text = rig.ctl("logs", rig.serial, "--app", APP, "--limit", "1");
    expect(text.trim()).toMatch(new RegExp(`^\\S+Z err +web app=${APP}: line 19$`));

    // Controller down: the uploader goes quiet and keeps everything.
    await rig.stopController();
    const backlog: TestLogEntry[] = [];
    for (let i = 0; i < 30; i++) backlog.push(...node.batch(5, i % 3 ? {} : { app: APP }));
    await node.waitStatus((s) => s.state === "offline" && s.queuedFiles === 30, "offline with 30 queued");
    // ... across a restart of the uploader too (order comes from the names on disk).
    await node.stopUploader();
    node.startUploader([...FAST, "--gap-ms", "250"]);
    const offline = await node.waitStatus((s) => s.state === "offline" && s.failedToSend, "offline again");
    expect(offline.oldestUnsentAt).toBeDefined();
    expect(offline.lastError?.description).toMatch(/controller unreachable/);
    const warned = rig
      .log("loguploader", 400)
      .split("\n")
      .filter((l) => l.includes("controller unreachable"));
    // One warning per uploader run, not one per retry.
    expect(warned.filter((l) => l.includes('"level":40')).length).toBeLessThanOrEqual(2);

    await rig.startController();
    // Config polls go on while the backlog drains: at least two polls answered meanwhile.
    const polls = new Set<string>();
    await waitFor(
      () => {
        const q = node?.status()?.queuedFiles ?? 0;
        const z = rig.table<ZedAgentStatus>("zedagent", "ZedAgentStatus").global;
        if (q > 0 && z?.state === "connected" && z.lastPollAt) polls.add(z.lastPollAt);
        return polls.size >= 2 || q === 0;
      },
      60_000,
      "polls during the drain",
      200,
    );
    expect(polls.size).toBeGreaterThanOrEqual(2);
    await node.waitStatus((s) => s.queuedFiles === 0 && s.state === "idle", "backlog drained", 90_000);
    expect(contents(node.logs())).toEqual([...sent, ...backlog].map((e) => e.content));
    expect(node.queued()).toEqual([]);

    // The newlog metrics reach the controller in the device metrics.
    await waitFor(
      () => {
        const m = rig.ctlJson<{ value: { dm?: { newlog?: { totalBytesUpload?: number } } } }[]>(
          "metrics",
          rig.serial,
          "--limit",
          "1",
        );
        return (m[0]?.value.dm?.newlog?.totalBytesUpload ?? 0) > 0;
      },
      30_000,
      "newlog metrics",
      500,
    );
  }, 240_000);

  it("a refused batch (not gzip, no metadata, a bad line) is given up after --max-4xx answers and reported; the stream goes on", async () => {
    node = new Node();
    await node.start();
    const notGzip = node.raw(Buffer.from("this is not gzip\n"));
    const good = node.batch(3);
    const gz = newlogBatch(node.meta, [
      entryAt(Date.now(), { severity: "info", source: "s", content: "ok" }),
    ]);
    const noComment = Buffer.from(gz);
    // FLG 0 and the comment cut out: the same gzip member without its metadata.
    noComment[3] = 0;
    const commentEnd = gz.indexOf(0, 10);
    const bare = Buffer.concat([noComment.subarray(0, 10), gz.subarray(commentEnd + 1)]);
    node.raw(bare, APP);
    node.raw(
      newlogBatch(node.meta, [
        {
          ...entryAt(Date.now(), { severity: "info", source: "s", content: "x" }),
          timestamp: "when",
        } as unknown as TestLogEntry,
      ]),
      APP,
    );
    const after = node.batch(2, { app: APP });
    const s = await node.waitStatus(
      (st) => st.device.keptLocal === 1 && st.app.keptLocal === 2 && st.queuedFiles === 0,
      "three batches given up, the rest sent",
      90_000,
    );
    expect(s.num4xx).toBe(9);
    expect(s.lastError?.description).toMatch(/refused 3 times \(HTTP 400: newlogs: /);
    expect(contents(node.logs())).toEqual([...good, ...after].map((e) => e.content));
    const failed = readdirSync(join(node.rig.nroot, "persist/newlog/failedUpload"));
    expect(failed).toContain(notGzip.split("/").at(-1));
    expect(failed).toHaveLength(3);
    const log = node.rig.log("loguploader", 200);
    expect(log).toMatch(/not a gzip stream/);
    expect(log).toMatch(/no metadata/);
    expect(log).toMatch(/line 1 is not a LogEntry/);
  }, 180_000);

  it("honours 429 + Retry-After from a rate-limited controller; ctl logs --follow filters; debug.loguploader.loglevel takes effect live", async () => {
    node = new Node();
    await node.start(["--newlogs-rate", "1"], [...FAST, "--gap-ms", "50"]);
    const sent: TestLogEntry[] = [];
    for (let i = 0; i < 4; i++) sent.push(...node.batch(2));
    const s = await node.waitStatus(
      (st) => st.device.files === 4 && st.queuedFiles === 0,
      "4 batches sent",
      90_000,
    );
    expect(s.num429).toBeGreaterThan(0);
    expect(s.device.keptLocal).toBe(0);
    expect(contents(node.logs())).toEqual(sent.map((e) => e.content));
    // At 1 upload/s, the 4 accepted uploads span at least 3 Retry-After periods of 1 s.
    const times = node.rig
      .ctlJson<{ at: string }[]>("logs", node.rig.serial, "--limit", "100")
      .map((r) => Date.parse(r.at));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2500);

    // ctl logs --follow with a filter: only the new matching lines come through.
    const follow = node.rig.procs.start("ctl", [
      "--root",
      node.rig.croot,
      "logs",
      node.rig.serial,
      "--follow",
      "--source",
      "followed",
      "--severity",
      "=notice",
    ]);
    const followed = [
      ...node.batch(2, { source: "followed", severity: "notice" }),
      ...node.batch(2, { source: "other", severity: "notice" }),
    ];
    await waitFor(
      () => follow.output().includes(followed[1]?.content ?? "?"),
      60_000,
      () => `followed lines\n${follow.output()}`,
      300,
    );
    const shown = follow.output().trim().split("\n");
    expect(shown).toEqual(
      followed.slice(0, 2).map((e) => expect.stringMatching(new RegExp(`notice  followed: ${e.content}$`))),
    );
    follow.kill("SIGINT");

    // No "batch uploaded" line at info; the controller turns debug on for loguploader: same process.
    const pid = node.pid;
    const uploaded = () =>
      node?.rig
        .log("loguploader", 1000)
        .split("\n")
        .filter((l) => l.includes("batch uploaded")) ?? [];
    expect(uploaded()).toEqual([]);
    node.rig.setConfig(
      'configItems: { timer.config.interval: "1", timer.metric.interval: "1", debug.loguploader.loglevel: "debug" }\n',
    );
    await waitFor(
      () => node?.rig.log("loguploader", 200).includes("log level debug"),
      30_000,
      "the level change",
      300,
    );
    node.batch(1);
    await waitFor(() => uploaded().length > 0, 30_000, "a debug line for the upload", 300);
    expect(JSON.parse(uploaded()[0] ?? "{}")).toMatchObject({ level: 20, pid });
  }, 180_000);
});
