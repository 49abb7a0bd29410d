// newlogd from the built bundle with real sources: an agent's log file written by agentbase's own
// logger, util-linux `logger` and raw datagrams on the syslog datagram socket in both RFC formats, the
// optional stream socket, the host's /dev/kmsg, and app
// containers on the real Docker engine. Batches are read back from disk as loguploader would.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { PubSub, zmqTransport } from "@outpost/pubsub";
import {
  buildTestImage,
  distBin,
  ensureDocker,
  Procs,
  removeByNodeLabel,
  removeRoot,
  sendSyslogDatagrams,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { ConfigItemValueMapCodec } from "@outpost/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { batches, type Line, lines, status, tsMs } from "./helpers.js";

const IMAGE = `outpost-newlogd-test:${process.pid}`;
const FAST = [
  "--batch-max-seconds",
  "1",
  "--poll-ms",
  "100",
  "--docker-poll-ms",
  "300",
  "--status-ms",
  "300",
];

/** util-linux `logger -u`: tries a datagram socket first, then a stream one. */
function logger(root: string, args: string[], socket = join(root, "dev/log")): void {
  execFileSync("logger", ["-u", socket, ...args]);
}

/** Sends syslog messages to <root>/dev/log, one datagram each. */
function sendSyslog(root: string, msgs: string[]): Promise<void> {
  return sendSyslogDatagrams(join(root, "dev/log"), msgs);
}

function runContainer(root: string, app: string, script: string): string {
  return execFileSync(
    "docker",
    [
      "run",
      "-d",
      "--label",
      "org.outpost.owner=outpost",
      "--label",
      `org.outpost.node=${root}`,
      "--label",
      `org.outpost.app=${app}`,
      IMAGE,
      "sh",
      "-c",
      script,
    ],
    { encoding: "utf8" },
  ).trim();
}

describe("newlogd", () => {
  const procs = new Procs();
  const roots: string[] = [];

  beforeAll(async () => {
    await ensureDocker();
    buildTestImage(IMAGE, { cmd: ["sh"] });
  });
  afterAll(() => {
    spawnSync("docker", ["rmi", "-f", IMAGE], { stdio: "ignore" });
  });
  afterEach(() => {
    procs.cleanup();
    for (const r of roots.splice(0)) {
      removeByNodeLabel(r);
      removeRoot(r);
    }
  });

  const newRoot = () => {
    const r = tempRoot("op-nl-");
    roots.push(r);
    return r;
  };
  const start = (root: string, args: string[] = []) => {
    const p = procs.start("newlogd", ["--root", root, ...FAST, ...args]);
    return p;
  };
  const socketUp = (root: string, out: () => string) =>
    waitFor(
      () => existsSync(join(root, "dev/log")) && out().includes('"syslog listening"'),
      20_000,
      () => `syslog socket\n${out()}`,
    );

  it("an agent's line, logger and datagrams in both RFC formats, the kernel and a container reach batches", async () => {
    const root = newRoot();
    const streamSock = join(root, "run/syslog-stream.sock");
    const nl = start(root, ["--kmsg", "/dev/kmsg", "--syslog-stream-socket", streamSock]);
    await socketUp(root, nl.output);
    // /dev/log is a datagram socket, writable by every local program, as a syslog daemon's is.
    expect(statSync(join(root, "dev/log")).mode & 0o777).toBe(0o666);
    expect(nl.output()).toContain(`unixgram:${join(root, "dev/log")}`);
    const fx = procs.start("fixture", ["--root", root, "--name", "fx1"]);
    logger(root, ["--rfc3164", "-t", "t3164", "--id=4242", "-p", "daemon.warning", "hello in 3164"]);
    logger(root, [
      "--rfc5424",
      "-t",
      "t5424",
      "--id=5151",
      "-p",
      "local3.err",
      "--msgid",
      "M1",
      "--sd-id",
      "x@32473",
      "--sd-param",
      'k="v"',
      "hello in 5424",
    ]);
    // What musl's syslog(3) and busybox logger send: bare datagrams, RFC 3164 without a hostname
    // (with a NUL at the end, as some clients add) and RFC 5424 with a nanosecond timestamp.
    const sent5424 = "2026-01-02T03:04:05.123456789Z";
    await sendSyslog(root, [
      "<30>dg3164[77]: hello datagram 3164\0",
      `<187>1 ${sent5424} edge-1 dg5424 88 ID7 [meta@32473 a="1" b="x\\"y"] hello datagram 5424\n`,
    ]);
    // A stream-only client on the optional stream socket (logger falls back to a stream connection).
    logger(root, ["--rfc3164", "-t", "tstream", "-p", "user.notice", "hello over stream"], streamSock);
    const app = randomUUID();
    const before = Date.now();
    runContainer(root, app, "echo out-line-1; echo err-line-1 >&2; sleep 3600");

    const dev = await waitFor(
      () => {
        const ls = lines(root, "devUpload");
        const want = [
          ls.find((l) => l.source === "fx1"),
          ls.find((l) => l.source === "t3164"),
          ls.find((l) => l.source === "t5424"),
          ls.find((l) => l.source === "kernel"),
          ls.find((l) => l.source === "dg3164"),
          ls.find((l) => l.source === "dg5424"),
          ls.find((l) => l.source === "tstream"),
        ];
        return want.every(Boolean) && { ls, want: want as Line[] };
      },
      30_000,
      () => `device lines\n${nl.output().slice(-3000)}`,
    );
    const [agent, r3164, r5424, kernel, d3164, d5424, viaStream] = dev.want as Line[] as [
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
    ];
    expect(agent).toMatchObject({ severity: "info", iid: String(fx.pid) });
    expect(Math.abs(tsMs(agent) - Date.now())).toBeLessThan(60_000);
    expect(r3164).toMatchObject({
      severity: "warning",
      iid: "4242",
      content: "hello in 3164",
      tags: { facility: "daemon" },
    });
    expect(r5424).toMatchObject({
      severity: "err",
      iid: "5151",
      content: "hello in 5424",
      tags: { facility: "local3", msgid: "M1", "sd.x@32473.k": "v" },
    });
    expect(Math.abs(tsMs(r5424) - Date.now())).toBeLessThan(60_000);
    expect(kernel.tags?.facility).toBe("kern");
    expect(d3164).toMatchObject({
      severity: "info",
      iid: "77",
      content: "hello datagram 3164",
      tags: { facility: "daemon" },
    });
    expect(d5424).toMatchObject({
      severity: "err",
      iid: "88",
      content: "hello datagram 5424",
      tags: {
        facility: "local7",
        hostname: "edge-1",
        msgid: "ID7",
        "sd.meta@32473.a": "1",
        "sd.meta@32473.b": 'x"y',
      },
      timestamp: { seconds: Date.parse("2026-01-02T03:04:05Z") / 1000, nanos: 123456789 },
    });
    expect(viaStream).toMatchObject({ severity: "notice", content: "hello over stream" });
    // msgid: one counter for the device stream, strictly increasing in file order.
    const ids = dev.ls.map((l) => l.msgid as number);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
    for (const b of batches(root, "devUpload")) {
      expect(b.name).toMatch(/^dev\.log\.[0-9]{13}\.gz$/);
      expect(b.endsWithNewline).toBe(true);
      expect(JSON.parse(b.comment as string)).toEqual({
        devID: "",
        image: "IMGA",
        eveVersion: expect.any(String),
      });
    }

    const appLines = await waitFor(
      () => {
        const ls = lines(root, "appUpload");
        return ls.length >= 2 && ls;
      },
      30_000,
      () => `app lines\n${nl.output().slice(-3000)}`,
    );
    expect(batches(root, "appUpload")[0]?.name).toMatch(new RegExp(`^app\\.${app}\\.log\\.[0-9]{13}\\.gz$`));
    const out = appLines.find((l) => l.content === "out-line-1");
    const err = appLines.find((l) => l.content === "err-line-1");
    expect(out).toMatchObject({ severity: "info", iid: app, tags: { stream: "stdout" } });
    expect(err).toMatchObject({ severity: "error", iid: app, tags: { stream: "stderr" } });
    expect(tsMs(out as Line)).toBeGreaterThanOrEqual(before - 2000);
    expect(tsMs(out as Line)).toBeLessThan(Date.now());

    const st = await waitFor(async () => {
      const s = await status(root);
      return s && s.devUpload.files > 0 && s.appUpload.files > 0 && s;
    }, 10_000);
    expect(st.input.syslog).toBeGreaterThanOrEqual(5);
    expect(st.input.app).toBeGreaterThanOrEqual(2);
    expect(st.input.kernel).toBeGreaterThan(0);
    expect(st.topSources.length).toBeGreaterThan(0);
  });

  it("kill -9 and restart while an agent and a container keep writing: every line once, in order", async () => {
    const root = newRoot();
    let nl = start(root, ["--kmsg", "none"]);
    await socketUp(root, nl.output);
    // A real agentbase logger with small files, so the agent's log rotates while newlogd is down.
    mkdirSync(join(root, "persist/log"), { recursive: true });
    const w = createLogger({
      agent: "writer",
      file: join(root, "persist/log/writer.log"),
      debug: false,
      stdout: false,
      limits: { fileMaxBytes: 16 * 1024, budgetBytes: 32 << 20 },
    });
    const app = randomUUID();
    runContainer(
      root,
      app,
      'i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo "c$i"; usleep 10000; done; sleep 3600',
    );
    let n = 0;
    const writing = setInterval(() => {
      for (let k = 0; k < 10 && n < 1500; k++) w.info({ n: ++n }, "line");
    }, 10);
    try {
      await waitFor(() => n >= 300, 20_000, "the writer to get going");
      process.kill(nl.pid as number, "SIGKILL");
      await waitFor(() => nl.exitCode !== null || nl.signalCode !== null, 5000, "newlogd to die");
      await waitFor(() => n >= 700, 20_000, "lines written while newlogd is down");
      nl = start(root, ["--kmsg", "none"]);
      await waitFor(() => n >= 1500, 30_000, "the writer to finish");
    } finally {
      clearInterval(writing);
    }
    const got = await waitFor(
      () => {
        const ns = lines(root, "devUpload")
          .filter((l) => l.source === "writer")
          .map((l) => Number(l.tags?.n));
        return ns.length >= 1500 && ns;
      },
      30_000,
      () => {
        const ns = lines(root, "devUpload")
          .filter((l) => l.source === "writer")
          .map((l) => Number(l.tags?.n));
        const seen = new Set(ns);
        const missing = Array.from({ length: 1500 }, (_, i) => i + 1).filter((k) => !seen.has(k));
        return `1500 writer lines, have ${ns.length} (missing ${missing.length}: ${missing.slice(0, 10)}...; ${ns.length - seen.size} repeated)\n${nl.output().slice(-2000)}`;
      },
    );
    expect(got).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));

    const cs = await waitFor(
      () => {
        const c = lines(root, "appUpload").map((l) => l.content as string);
        return c.includes("c400") && c;
      },
      30_000,
      () =>
        `container line c400; have ${lines(root, "appUpload").length} lines, last ${lines(root, "appUpload").slice(-1)[0]?.content}\n${nl.output().slice(-2000)}`,
    );
    expect(cs).toEqual(Array.from({ length: 400 }, (_, i) => `c${i + 1}`));
    const msgids = lines(root, "devUpload").map((l) => l.msgid as number);
    expect(new Set(msgids).size).toBe(msgids.length);
  });

  it("a restarted container goes on without repeating its earlier lines", async () => {
    const root = newRoot();
    const nl = start(root, ["--kmsg", "none"]);
    await socketUp(root, nl.output);
    const app = randomUUID();
    const id = runContainer(
      root,
      app,
      // Stops at once on the restart's SIGTERM (PID 1 without a handler ignores it: 1 s until SIGKILL).
      'trap "exit 0" TERM; b=$(cat /proc/sys/kernel/random/uuid); i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo "$b $i"; done; sleep 3600 & wait',
    );
    await waitFor(
      () => lines(root, "appUpload").length >= 30,
      30_000,
      () => `30 lines\n${nl.output().slice(-2000)}`,
    );
    execFileSync("docker", ["restart", "-t", "1", id]);
    const all = await waitFor(
      () => {
        const ls = lines(root, "appUpload");
        return ls.length >= 60 && ls;
      },
      30_000,
      () => `60 lines, have ${lines(root, "appUpload").length}\n${nl.output().slice(-2000)}`,
    );
    // Give a duplicate every chance to show: one more batch period after the 60th line.
    const closed = batches(root, "appUpload").length;
    await waitFor(
      async () => (await status(root))?.openLines === 0 || batches(root, "appUpload").length > closed,
      10_000,
    );
    const final = lines(root, "appUpload");
    expect(final.length).toBe(60);
    const boots = [...new Set(final.map((l) => (l.content as string).split(" ")[0]))];
    expect(boots.length).toBe(2);
    for (const b of boots)
      expect(final.filter((l) => l.content?.startsWith(`${b} `)).map((l) => l.content)).toEqual(
        Array.from({ length: 30 }, (_, i) => `${b} ${i + 1}`),
      );
    expect(all.every((l) => l.iid === app)).toBe(true);
  });

  it("a chatty source is rate-limited and reported; the others get through", async () => {
    const root = newRoot();
    const nl = start(root, ["--kmsg", "none", "--rate", "20", "--rate-burst", "50"]);
    await socketUp(root, nl.output);
    const started = Date.now();
    await sendSyslog(
      root,
      Array.from({ length: 2000 }, (_, i) => `<14>chatty[9]: chat ${i}`),
    );
    for (let i = 0; i < 5; i++) logger(root, ["-t", "quiet", `quiet ${i}`]);
    const st = await waitFor(
      async () => {
        const s = await status(root);
        return s && (s.rateLimited.chatty ?? 0) > 0 && s;
      },
      20_000,
      () => `a rate-limit count\n${nl.output().slice(-2000)}`,
    );
    expect(st.linesDropped.rateLimit).toBe(st.rateLimited.chatty);
    const got = await waitFor(
      () => {
        const ls = lines(root, "devUpload");
        const note = ls.find((l) => l.source === "newlogd" && l.content?.startsWith("rate limit: dropped"));
        return ls.filter((l) => l.source === "quiet").length === 5 && note && ls;
      },
      30_000,
      () => `5 quiet lines and the drop note\n${nl.output().slice(-2000)}`,
    );
    const chatty = got.filter((l) => l.source === "chatty").length;
    const elapsedS = (Date.now() - started) / 1000;
    expect(chatty).toBeGreaterThanOrEqual(50);
    expect(chatty).toBeLessThanOrEqual(50 + Math.ceil(elapsedS * 20) + 1);
    const note = got.find((l) => l.source === "newlogd" && l.content?.startsWith("rate limit")) as Line;
    expect(note.tags?.source).toBe("chatty");
    const final = await status(root);
    expect(Number(note.tags?.dropped)).toBeLessThanOrEqual(final?.rateLimited.chatty ?? 0);
    expect(chatty + (final?.rateLimited.chatty ?? 0)).toBe(2000);
  });

  it("over the disk budget the oldest batches go, and the loss is counted", async () => {
    const root = newRoot();
    const budget = 64 * 1024;
    const nl = start(root, [
      "--kmsg",
      "none",
      "--budget",
      String(budget),
      "--batch-max-bytes",
      "8192",
      "--rate",
      "100000",
      "--rate-burst",
      "100000",
    ]);
    await socketUp(root, nl.output);
    // Random content compresses poorly, so batches are near their raw size.
    const noise = () => randomBytes(96).toString("base64");
    for (let round = 0; round < 6; round++)
      await sendSyslog(
        root,
        Array.from({ length: 300 }, (_, i) => `<14>filler: ${round}-${i} ${noise()}`),
      );
    // Settled: every line collected is either in a batch left on disk or counted as removed, and what
    // is left fits the budget.
    const { st, left } = await waitFor(
      async () => {
        const s = await status(root);
        // Every line sent was read (the socket may still hold some after the sender closed it).
        if (!s || s.input.syslog < 1800 || s.filesRemovedByBudget === 0 || s.openLines !== 0)
          return undefined;
        const l = batches(root, "devUpload");
        const onDisk = l.reduce((n, b) => n + b.lines.length, 0);
        // The budget runs after each close: right after one, the directory may still be over it.
        const bytes = l.reduce((n, b) => n + b.size, 0);
        return onDisk + s.linesDropped.budget === s.linesCollected && bytes <= budget && { st: s, left: l };
      },
      30_000,
      () => `a removal by the budget, settled\n${nl.output().slice(-2000)}`,
    );
    expect(st.linesDropped.budget).toBeGreaterThan(0);
    expect(st.bytesRemovedByBudget).toBeGreaterThan(0);
    // The newest survive: the last line sent is there, the first is gone.
    const contents = left.flatMap((b) => b.lines.map((l) => l.content ?? ""));
    expect(
      contents.some((c) => c.startsWith("5-299 ")),
      `last filler lines left: ${contents
        .filter((c) => /^[0-9]-/.test(c))
        .slice(-3)
        .map((c) => c.slice(0, 8))}; status ${JSON.stringify(st)}`,
    ).toBe(true);
    expect(contents.some((c) => c.startsWith("0-0 "))).toBe(false);
    const filler = contents.filter((c) => /^[0-9]-/.test(c)).length;
    expect(filler).toBeLessThan(1800);
  });

  it("the remote log levels from zedagent's config items apply live, per agent", async () => {
    const root = newRoot();
    const nl = start(root, ["--kmsg", "none"]);
    await socketUp(root, nl.output);
    // This test process publishes zedagent's ConfigItemValueMap on the node's bus, as zedagent does.
    const loop = new MainLoop();
    const bus = new PubSub({
      agent: "zedagent",
      transport: zmqTransport(join(root, "run")),
      persistDir: join(root, "persist/pubsub"),
      loop,
    });
    try {
      const pub = await bus.publish({
        topic: "ConfigItemValueMap",
        codec: ConfigItemValueMapCodec,
        persistent: true,
      });
      const item = (v: string) => ({ value: v, configured: v, source: "controller" as const });
      const applied = () => nl.output().split('"settings applied"').length - 1;
      await pub.set("global", { items: { "debug.default.remote.loglevel": item("warning") } });
      await waitFor(
        () => applied() >= 1,
        20_000,
        () => `the config items applied\n${nl.output().slice(-2000)}`,
      );
      const w = createLogger({
        agent: "writer",
        file: join(root, "persist/log/writer.log"),
        debug: true,
        stdout: false,
      });
      w.info("i1");
      w.debug("d1");
      w.warn("w1");
      await waitFor(() => lines(root, "devUpload").some((l) => l.content === "w1"), 20_000, "w1 in a batch");
      let got = lines(root, "devUpload").filter((l) => l.source === "writer");
      expect(got.map((l) => l.content)).toEqual(["w1"]);
      expect(got[0]?.severity).toBe("warning");
      const st = await waitFor(async () => {
        const s = await status(root);
        return s && s.linesFiltered >= 2 && s;
      }, 10_000);
      expect(st.linesDropped.rateLimit).toBe(0);

      await pub.set("global", {
        items: {
          "debug.default.remote.loglevel": item("warning"),
          "debug.writer.remote.loglevel": item("debug"),
        },
      });
      await waitFor(() => applied() >= 2, 20_000, "the changed config items applied");
      w.debug("d2");
      w.info("i2");
      await waitFor(() => lines(root, "devUpload").some((l) => l.content === "i2"), 20_000, "i2 in a batch");
      got = lines(root, "devUpload").filter((l) => l.source === "writer");
      expect(got.map((l) => l.content)).toEqual(["w1", "d2", "i2"]);
      // The other agents still go by the default: newlogd's own info lines logged after the level
      // was set ("settings applied") are left out.
      expect(lines(root, "devUpload").filter((l) => l.content === "settings applied")).toEqual([]);
    } finally {
      await bus.close();
      loop.close();
    }
  });

  it("leaves a live syslog daemon's socket alone, says so, and collects the rest", async () => {
    const root = newRoot();
    mkdirSync(join(root, "dev"), { recursive: true });
    const sock = join(root, "dev/log");
    // Another daemon's datagram /dev/log (as journald's), held by a live process.
    const other = spawn("python3", [
      "-c",
      `import socket,sys,time\ns=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint("up", flush=True)\ntime.sleep(600)`,
      sock,
    ]);
    try {
      await new Promise((r) => other.stdout.once("data", r));
      const ino = statSync(sock).ino;
      const nl = start(root, ["--kmsg", "none"]);
      const st = await waitFor(
        async () => {
          const s = await status(root);
          return s?.error && s;
        },
        20_000,
        () => `an error on the status\n${nl.output().slice(-2000)}`,
      );
      expect(st.error?.description).toMatch(
        /^cannot listen for syslog: .*dev\/log is in use by another process/,
      );
      expect(statSync(sock).ino).toBe(ino);
      procs.start("fixture", ["--root", root, "--name", "fx2"]);
      await waitFor(() => lines(root, "devUpload").some((l) => l.source === "fx2"), 20_000, "fx2's lines");
    } finally {
      other.kill("SIGKILL");
    }
  });
  it("--syslog-dgram-qlen raises the datagram queue of its own network namespace only", async () => {
    // In a network namespace of its own (unshare -n), so the machine's value is not changed; the
    // socket is still reached by its path.
    const root = newRoot();
    const hostQlen = readFileSync("/proc/sys/net/unix/max_dgram_qlen", "utf8").trim();
    const want = Number(hostQlen) + 54;
    const p = spawn(
      "unshare",
      ["-n", distBin("newlogd"), "--root", root, ...FAST, "--kmsg", "none", "--no-app-logs"].concat([
        "--syslog-dgram-qlen",
        String(want),
      ]),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      out += d;
    });
    try {
      await socketUp(root, () => out);
      const started = out.split("\n").find((l) => l.includes('"syslog listening"')) ?? "";
      expect(JSON.parse(started).maxDgramQlen).toEqual({ before: Number(hostQlen), after: want });
      expect(readFileSync("/proc/sys/net/unix/max_dgram_qlen", "utf8").trim()).toBe(hostQlen);
      logger(root, ["-t", "qlentest", "queue raised"]);
      await waitFor(
        () => lines(root, "devUpload").some((l) => l.source === "qlentest" && l.content === "queue raised"),
        20_000,
        () => `the line in a batch\n${out.slice(-2000)}`,
      );
    } finally {
      p.kill("SIGKILL");
    }
  });
});
