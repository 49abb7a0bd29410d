// newlogd syslog ingest (issue 10): 200-byte syslog lines over /dev/log (unix datagrams) and over the
// unix stream socket into gzip
// batches, lines/s with newlogd pinned to one core (taskset -c 0: its worker threads, gzip included,
// share that core), newlogd's CPU and peak PSS meanwhile; the same input into rsyslog (Debian's
// rsyslog: imptcp on a unix stream socket, omfile with zipLevel 6) when `rsyslogd` is installed, also
// pinned to one core; newlogd on /dev/log again with max_dgram_qlen 512 in its own network namespace;
// busybox syslogd on the same datagrams (plain text, no gzip); idle PSS of newlogd (target <= 30 MB like every agent).
//
// The sender is a python3 process pinned to the other core, writing newline-framed lines as fast as
// the socket takes them (a full socket blocks it: nothing is dropped). newlogd's end: its state.json
// counts every line written into a batch. rsyslog's end: its CPU time stops growing after the sender
// is done; its output is then counted (zcat | wc -l) to check it took every line.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { waitFor } from "@outpost/testkit/wait";
import { removeRoot, tempRoot } from "./harness.js";
import { fmtRate, header, machineLine, spreadLine, target } from "./stats.js";

const REPO = resolve(import.meta.dirname, "..");
const DIST = join(REPO, "dist");
const LINES = 300_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MB = 1024 * 1024;
const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;
const fmtPct = (v: number) => `${v.toFixed(0)} %`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK = 100; // USER_HZ

header("newlogd: syslog ingest to gzip batches (200-byte lines), CPU, PSS; rsyslog on the same input");
console.log(machineLine());
if (!existsSync(join(DIST, "outpost"))) {
  console.log("dist/outpost is missing: running node build/bundle.mjs");
  execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { cwd: REPO, stdio: "inherit" });
}

// 200 bytes with the "\n": an RFC 3164 header, a sequence number and words (text compresses as logs do).
const SENDER = `
import socket, sys, random
path, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
words = "app volume started stopped error retry config download verified hash image container ok".split()
rnd = random.Random(1)
head = "<14>Dec  2 07:25:40 bench[4242]: "
lines = [((head + "%d " % i + " ".join(rnd.choice(words) for _ in range(40)))[:199].ljust(199) + "\\n").encode() for i in range(n)]
if mode == "dgram":
    # One blocking send per message, as syslog(3) does: a full receive queue makes the sender wait.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.connect(path)
    sys.stdout.write("go\\n"); sys.stdout.flush()
    for l in lines: s.send(l)
else:
    chunks = [b"".join(lines[i:i + 2000]) for i in range(0, n, 2000)]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    sys.stdout.write("go\\n"); sys.stdout.flush()
    for c in chunks: s.sendall(c)
s.close()
`;

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / TICK;
}

function pss(pid: number): number {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  return Number(/^Pss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0) * 1024;
}

/** Starts the sender; resolves once its lines are made and it is connected (the clock starts then). */
async function send(
  socketPath: string,
  mode: "stream" | "dgram" = "stream",
): Promise<{ child: ChildProcess; t0: number }> {
  const child = spawn("taskset", ["-c", "1", "python3", "-c", SENDER, socketPath, String(LINES), mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const t0 = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", () => resolve(performance.now()));
    child.once("exit", (code) => reject(new Error(`sender exited (${code}) before sending`)));
  });
  return { child, t0 };
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 10_000);
  await gone;
  clearTimeout(t);
}

interface Run {
  rate: number;
  cpuPct: number;
  /** The daemon's CPU time (all threads) per line: what the rate would be bounded by on a core of its
   * own (1 / this), and steadier than lines/s on a shared machine. */
  cpuUsPerLine: number;
  peakPss: number;
  gzBytesPerLine?: number;
}

/** Samples PSS every 100 ms until stopped; returns the peak. */
function sampler(pid: number): { stop: () => number } {
  let peak = 0;
  const t = setInterval(() => {
    try {
      peak = Math.max(peak, pss(pid));
    } catch {
      // exited
    }
  }, 100);
  return {
    stop: () => {
      clearInterval(t);
      return peak;
    },
  };
}

/** `stream`: one unix stream connection (--syslog-stream-socket), as rsyslog's imptcp input below;
 * `dgram`: one datagram per line to <root>/dev/log, as syslog(3) clients send. */
/** `qlen`: newlogd runs in a network namespace of its own (unshare -n; the unix socket is still
 * reached by path) with --syslog-dgram-qlen, so the machine's own net.unix.max_dgram_qlen is left alone. */
async function newlogdRun(mode: "stream" | "dgram", qlen?: number): Promise<Run> {
  const root = tempRoot();
  const streamSock = join(root, "run/syslog-stream.sock");
  const p = spawn(
    "taskset",
    [
      "-c",
      "0",
      ...(qlen ? ["unshare", "-n"] : []),
      join(DIST, "bin", "newlogd"),
      ...(qlen ? ["--syslog-dgram-qlen", String(qlen)] : []),
      "--root",
      root,
      "--kmsg",
      "none",
      "--no-app-logs",
      "--rate",
      "1000000000",
      "--rate-burst",
      "1000000000",
      "--budget",
      String(4096 * MB),
      "--status-ms",
      "60000",
      "--syslog-stream-socket",
      streamSock,
    ],
    { stdio: "ignore" },
  );
  try {
    const sock = mode === "dgram" ? join(root, "dev/log") : streamSock;
    await waitFor(
      () => existsSync(sock) && existsSync(join(root, "run/newlogd.touch")),
      20_000,
      "newlogd up",
    );
    const pid = p.pid as number;
    const statePath = join(root, "persist/newlog/state.json");
    // Lines in batches, and lines shed (datagrams past newlogd's pending cap, counted as rate-limited).
    const counts = () => {
      try {
        const c = (
          JSON.parse(readFileSync(statePath, "utf8")) as {
            counters: { linesCollected: number; droppedRateLimit?: number };
          }
        ).counters;
        return { collected: c.linesCollected, shed: c.droppedRateLimit ?? 0 };
      } catch {
        return { collected: 0, shed: 0 };
      }
    };
    const base = counts();
    const s = sampler(pid);
    const { child: sender, t0 } = await send(sock, mode);
    const cpu0 = cpuSeconds(pid);
    const gone = () => {
      const c = counts();
      return c.collected - base.collected + (c.shed - base.shed);
    };
    await waitFor(
      () => gone() >= LINES || p.exitCode !== null || p.signalCode !== null,
      300_000,
      "every line in a batch or shed",
      20,
    );
    if (p.exitCode !== null || p.signalCode !== null)
      throw new Error(`newlogd exited (${p.exitCode ?? p.signalCode}) during a ${mode} run`);
    const shed = counts().shed - base.shed;
    if (shed > 0)
      console.log(`newlogd ${mode}${qlen ? ` qlen ${qlen}` : ""}: ${shed} lines shed (pending cap)`);
    const secs = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const peak = s.stop();
    await new Promise((r) => (sender.exitCode !== null ? r(null) : sender.once("exit", r)));
    // Close what is open (SIGTERM flushes; the batches closed so far give the gzip ratio).
    const dir = join(root, "persist/newlog/devUpload");
    const gz = readdirSync(dir).map((f) => statSync(join(dir, f)).size);
    let lines = 0;
    for (const f of readdirSync(dir))
      lines += Number(execFileSync("sh", ["-c", `zcat '${join(dir, f)}' | wc -l`], { encoding: "utf8" }));
    return {
      // Lines that reached a batch (shed ones are not ingested).
      rate: (LINES - shed) / secs,
      cpuPct: (cpu / secs) * 100,
      cpuUsPerLine: (cpu / LINES) * 1e6,
      peakPss: peak,
      gzBytesPerLine: lines ? gz.reduce((a, b) => a + b, 0) / lines : undefined,
    };
  } finally {
    await stop(p);
    removeRoot(root);
  }
}

async function rsyslogRun(): Promise<Run> {
  const root = tempRoot();
  const sock = join(root, "log.sock");
  const out = join(root, "out.log.gz");
  writeFileSync(
    join(root, "rsyslog.conf"),
    `global(workDirectory="${root}")
module(load="imptcp")
input(type="imptcp" path="${sock}" unlink="on")
action(type="omfile" file="${out}" zipLevel="6" ioBufferSize="256k" flushOnTXEnd="off")
`,
  );
  const p = spawn(
    "taskset",
    ["-c", "0", "rsyslogd", "-n", "-f", join(root, "rsyslog.conf"), "-i", join(root, "rsyslog.pid")],
    { stdio: "ignore" },
  );
  try {
    await waitFor(() => existsSync(sock), 20_000, "rsyslog socket");
    const pid = p.pid as number;
    const s = sampler(pid);
    const { child: sender, t0 } = await send(sock, "stream");
    const cpu0 = cpuSeconds(pid);
    await new Promise((r) => (sender.exitCode !== null ? r(null) : sender.once("exit", r)));
    // Done when its CPU time stops growing (300 ms without a tick).
    let last = cpuSeconds(pid);
    let lastChange = performance.now();
    for (;;) {
      await sleep(50);
      const now = cpuSeconds(pid);
      if (now !== last) {
        last = now;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > 300) break;
    }
    const secs = (lastChange - t0) / 1000;
    const cpu = last - cpu0;
    const peak = s.stop();
    await stop(p);
    const got = Number(execFileSync("sh", ["-c", `zcat '${out}' 2>/dev/null | wc -l`], { encoding: "utf8" }));
    if (got !== LINES) console.log(`rsyslog wrote ${got} of ${LINES} lines`);
    return {
      rate: got / secs,
      cpuPct: (cpu / secs) * 100,
      cpuUsPerLine: (cpu / Math.max(1, got)) * 1e6,
      peakPss: peak,
      gzBytesPerLine: statSync(out).size / Math.max(1, got),
    };
  } finally {
    await stop(p);
    removeRoot(root);
  }
}

/** busybox syslogd (Debian's busybox-static) on the same datagrams. It only listens on /dev/log, so
 * it runs in a mount namespace of its own where a temporary directory is bind-mounted over /dev: its
 * /dev/log is <root>/dev/log outside. It writes plain text (-O file, -S), no gzip. Done when the file
 * holds every line. */
async function busyboxRun(): Promise<Run> {
  const root = tempRoot();
  const dev = join(root, "dev");
  mkdirSync(dev, { recursive: true });
  const out = join(root, "messages");
  const p = spawn(
    "taskset",
    [
      "-c",
      "0",
      "unshare",
      "-m",
      "--propagation",
      "private",
      "sh",
      "-c",
      `mount --bind '${dev}' /dev && exec busybox syslogd -n -S -O '${out}'`,
    ],
    { stdio: "ignore" },
  );
  try {
    const sock = join(dev, "log");
    await waitFor(() => existsSync(sock) && existsSync(out), 20_000, "busybox syslogd up");
    const pid = p.pid as number;
    const s = sampler(pid);
    const lineCount = () => Number(execFileSync("wc", ["-l", out], { encoding: "utf8" }).split(" ")[0]);
    const base = lineCount();
    const { child: sender, t0 } = await send(sock, "dgram");
    const cpu0 = cpuSeconds(pid);
    await waitFor(() => lineCount() - base >= LINES, 120_000, "every line in the file", 20);
    const secs = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const peak = s.stop();
    await new Promise((r) => (sender.exitCode !== null ? r(null) : sender.once("exit", r)));
    return {
      rate: LINES / secs,
      cpuPct: (cpu / secs) * 100,
      cpuUsPerLine: (cpu / LINES) * 1e6,
      peakPss: peak,
    };
  } finally {
    await stop(p);
    removeRoot(root);
  }
}

async function idlePss(): Promise<number> {
  const root = tempRoot();
  const p = spawn(join(DIST, "bin", "newlogd"), ["--root", root, "--kmsg", "none"], { stdio: "ignore" });
  try {
    await waitFor(() => existsSync(join(root, "run/newlogd.touch")), 20_000, "newlogd up");
    await sleep(3000);
    return pss(p.pid as number);
  } finally {
    await stop(p);
    removeRoot(root);
  }
}

function report(label: string, runs: Run[]): void {
  console.log(
    spreadLine(
      `${label} lines/s`,
      runs.map((r) => r.rate),
      fmtRate,
    ),
  );
  console.log(
    spreadLine(
      `${label} CPU while ingesting`,
      runs.map((r) => r.cpuPct),
      fmtPct,
    ),
  );
  console.log(
    spreadLine(
      `${label} CPU per line`,
      runs.map((r) => r.cpuUsPerLine),
      (v) => `${v.toFixed(1)} us`,
    ),
  );
  console.log(
    spreadLine(
      `${label} peak PSS while ingesting`,
      runs.map((r) => r.peakPss),
      fmtMB,
    ),
  );
  const gz = runs.flatMap((r) => (r.gzBytesPerLine === undefined ? [] : [r.gzBytesPerLine]));
  if (gz.length) console.log(spreadLine(`${label} gzip bytes per line`, gz, (v) => `${v.toFixed(1)} B`));
}

const nl: Run[] = [];
const dg: Run[] = [];
const dgq: Run[] = [];
const rs: Run[] = [];
const bb: Run[] = [];
const haveRsyslog = spawnSync("rsyslogd", ["-v"], { stdio: "ignore" }).status === 0;
const haveUnshare = spawnSync("unshare", ["-m", "-n", "true"], { stdio: "ignore" }).status === 0;
const haveBusybox =
  haveUnshare && spawnSync("busybox", ["syslogd", "--help"], { stdio: "ignore" }).status !== null;
/** net.unix.max_dgram_qlen as systemd sets it (and newlogd with --dev-log); the kernel default is 10. */
const QLEN = 512;
// Interleaved, so a change of load on the shared machine hits every variant alike.
for (let i = 0; i < RUNS; i++) {
  nl.push(await newlogdRun("stream"));
  dg.push(await newlogdRun("dgram"));
  if (haveUnshare) dgq.push(await newlogdRun("dgram", QLEN));
  if (haveBusybox) bb.push(await busyboxRun());
  if (haveRsyslog) rs.push(await rsyslogRun());
}
console.log(`\n## ${LINES} lines of 200 bytes per run, daemon on cpu 0, sender on cpu 1`);
report("newlogd (unix stream socket)", nl);
report("newlogd (/dev/log datagrams, one per line; max_dgram_qlen 10)", dg);
if (haveUnshare) report(`newlogd (/dev/log datagrams, one per line; max_dgram_qlen ${QLEN})`, dgq);
if (haveBusybox) report("busybox syslogd 1.35 (/dev/log datagrams, plain text file, no gzip)", bb);
else
  console.log(
    "busybox syslogd: not installed (apt-get install busybox-static) or no unshare -m, not compared",
  );
const medianRate = (runs: Run[]) =>
  [...runs.map((r) => r.rate)].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;
console.log(`newlogd median (stream) ${target(medianRate(nl), ">=", 50_000, fmtRate)}`);
console.log(`newlogd median (/dev/log datagrams) ${target(medianRate(dg), ">=", 50_000, fmtRate)}`);
if (haveUnshare)
  console.log(
    `newlogd median (/dev/log datagrams, max_dgram_qlen ${QLEN}) ${target(medianRate(dgq), ">=", 50_000, fmtRate)}`,
  );
const medianCpu = (runs: Run[]) =>
  [...runs.map((r) => r.cpuUsPerLine)].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;
// CPU per line bounds the rate newlogd reaches on a core of its own, whatever the machine's load.
for (const [label, runs] of [
  ["/dev/log, qlen 10", dg],
  [`/dev/log, qlen ${QLEN}`, dgq],
] as const)
  if (runs.length)
    console.log(
      `newlogd lines/s on a free core from the median CPU per line (${label}): ${fmtRate(1e6 / medianCpu(runs))} ${target(1e6 / medianCpu(runs), ">=", 50_000, fmtRate)}`,
    );
if (haveRsyslog) report("rsyslog 8.2302 (imptcp unix socket, omfile zipLevel 6)", rs);
else console.log("rsyslog: not installed (apt-get install rsyslog), not compared");
const idle = await idlePss();
console.log(
  `\nnewlogd idle PSS: ${fmtMB(idle)} ${target(idle, "<=", 30e6, (v) => `${(v / 1e6).toFixed(0)} MB`)}`,
);
console.log(machineLine());
