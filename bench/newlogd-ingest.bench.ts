// newlogd syslog ingest (issue 10): 200-byte syslog lines over /dev/log (unix datagrams) and over the
// unix stream socket into gzip batches, newlogd pinned to one core (taskset -c 0: its worker threads,
// gzip included, share that core). Per run: lines/s (wall clock), lines per CPU-second of newlogd
// (user+sys of all its threads from /proc/<pid>/stat: the "one core" figure, what it would reach on a
// core of its own, far less disturbed by the machine's load than lines/s), its CPU % of wall time and
// peak PSS; the senders' CPU % (well under 100 % per sender: they waited for the daemon, so the daemon
// was the limit). newlogd on /dev/log again with max_dgram_qlen 512 in its own network namespace;
// busybox syslogd (plain text, no gzip) and rsyslog (imuxsock on a datagram socket, omfile gzip level
// 6) on the same datagrams, pinned alike; idle PSS of newlogd (target <= 30 MB like every agent).
//
// Senders: BENCH_SENDERS (default 2) python3 processes pinned to the other core, each with one socket
// reused for all its lines, sending its share of the lines as fast as the socket takes them (a full
// socket blocks it: nothing is dropped). newlogd's end: its state.json counts every line written into
// a batch. busybox's end: its file holds every line. rsyslog's end: its CPU time stops growing after
// the senders are done; its output is then counted (zcat | wc -l) to check it took every line.
//
// Knobs: BENCH_RUNS (3), BENCH_LINES (300000), BENCH_SENDERS (2), BENCH_VARIANTS (comma list of
// stream,dgram,dgram512,busybox,rsyslog,idle; default all), BENCH_DIST (another build's dist/, to compare
// two versions of newlogd on the same machine), RSYSLOG_ROOT (a directory where Debian's rsyslog
// .debs were unpacked with dpkg -x, when rsyslogd is not installed: bench/README.md says how).
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { waitFor } from "@outpost/testkit/wait";
import { removeRoot, tempRoot } from "./harness.js";
import { fmtRate, header, machineLine, spreadLine, target } from "./stats.js";

const REPO = resolve(import.meta.dirname, "..");
const DIST = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(REPO, "dist");
const LINES = Number(process.env.BENCH_LINES ?? 300_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SENDERS = Math.max(1, Number(process.env.BENCH_SENDERS ?? 2));
const VARIANTS = new Set(
  (process.env.BENCH_VARIANTS ?? "stream,dgram,dgram512,busybox,rsyslog,idle")
    .split(",")
    .map((v) => v.trim()),
);
const MB = 1024 * 1024;
const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;
const fmtPct = (v: number) => `${v.toFixed(0)} %`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK = 100; // USER_HZ

header("newlogd: syslog ingest to gzip batches (200-byte lines), CPU, PSS; busybox and rsyslog alike");
console.log(machineLine());
console.log(`newlogd from ${DIST}; ${SENDERS} sender process(es)`);
if (!existsSync(join(DIST, "outpost")) && !process.env.BENCH_DIST) {
  console.log("dist/outpost is missing: running node build/bundle.mjs");
  execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { cwd: REPO, stdio: "inherit" });
}

// 200 bytes with the "\n": an RFC 3164 header, a sequence number and words (text compresses as logs do).
const SENDER = `
import socket, sys, random
path, n, mode, part, parts = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
words = "app volume started stopped error retry config download verified hash image container ok".split()
rnd = random.Random(1)
head = "<14>Dec  2 07:25:40 bench[4242]: "
lines = [((head + "%d " % i + " ".join(rnd.choice(words) for _ in range(40)))[:199].ljust(199) + "\\n").encode() for i in range(n)]
lines = lines[part::parts]
if mode == "dgram":
    # One blocking send per message, as syslog(3) does: a full receive queue makes the sender wait.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.connect(path)
    sys.stdout.write("go\\n"); sys.stdout.flush()
    sys.stdin.readline()
    for l in lines: s.send(l)
else:
    chunks = [b"".join(lines[i:i + 2000]) for i in range(0, len(lines), 2000)]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    sys.stdout.write("go\\n"); sys.stdout.flush()
    sys.stdin.readline()
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

interface Senders {
  /** performance.now() when they were told to go. */
  t0: number;
  /** Resolves when every sender has exited. */
  done: Promise<void>;
  /** CPU seconds (user+sys) the senders used so far (read before they exit). */
  cpu: () => number;
}

/** Starts SENDERS senders (each makes its lines and connects), then lets them all go at once. */
async function send(socketPath: string, mode: "stream" | "dgram" = "stream"): Promise<Senders> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < SENDERS; i++)
    children.push(
      spawn(
        "taskset",
        ["-c", "1", "python3", "-c", SENDER, socketPath, String(LINES), mode, String(i), String(SENDERS)],
        { stdio: ["pipe", "pipe", "inherit"] },
      ),
    );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.stdout?.once("data", () => resolve());
          child.once("exit", (code) => reject(new Error(`sender exited (${code}) before sending`)));
        }),
    ),
  );
  const last = new Map<number, number>();
  const cpu = () => {
    let sum = 0;
    for (const c of children) {
      const pid = c.pid as number;
      try {
        last.set(pid, cpuSeconds(pid));
      } catch {
        // exited: its last reading stands
      }
      sum += last.get(pid) ?? 0;
    }
    return sum;
  };
  const done = Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
  ).then(() => {});
  // A reading every 100 ms keeps the senders' CPU time up to date until they exit.
  const t = setInterval(cpu, 100);
  void done.then(() => clearInterval(t));
  // From here on: making the lines took CPU time too, which is not sending.
  const base = cpu();
  const t0 = performance.now();
  for (const c of children) c.stdin?.end("go\n");
  return { t0, done, cpu: () => cpu() - base };
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
  /** The senders' CPU time over wall time, summed (each sender at most 100 %). */
  senderPct: number;
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
    // closing: batches full and not yet gzipped into devUpload/ (the gzip is part of the ingest: the
    // run ends when the lines are in batches and every full batch is compressed).
    const counts = () => {
      try {
        const st = JSON.parse(readFileSync(statePath, "utf8")) as {
          counters: { linesCollected: number; droppedRateLimit?: number };
          closing?: unknown[];
        };
        const c = st.counters;
        return {
          collected: c.linesCollected,
          shed: c.droppedRateLimit ?? 0,
          closing: st.closing?.length ?? 0,
        };
      } catch {
        return { collected: 0, shed: 0, closing: 1 };
      }
    };
    const base = counts();
    const s = sampler(pid);
    const cpu0 = cpuSeconds(pid);
    const senders = await send(sock, mode);
    const t0 = senders.t0;
    const done = () => {
      const c = counts();
      return c.collected - base.collected + (c.shed - base.shed) >= LINES && c.closing === 0;
    };
    await waitFor(
      () => done() || p.exitCode !== null || p.signalCode !== null,
      300_000,
      "every line in a batch or shed, every full batch gzipped",
      20,
    );
    if (p.exitCode !== null || p.signalCode !== null)
      throw new Error(`newlogd exited (${p.exitCode ?? p.signalCode}) during a ${mode} run`);
    const shed = counts().shed - base.shed;
    if (shed > 0)
      console.log(`newlogd ${mode}${qlen ? ` qlen ${qlen}` : ""}: ${shed} lines shed (pending cap)`);
    const secs = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const senderCpu = senders.cpu();
    const peak = s.stop();
    await senders.done;
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
      senderPct: (senderCpu / secs) * 100,
      // Per line that reached a batch: shed datagrams were received too, but are not ingested.
      cpuUsPerLine: (cpu / Math.max(1, LINES - shed)) * 1e6,
      peakPss: peak,
      gzBytesPerLine: lines ? gz.reduce((a, b) => a + b, 0) / lines : undefined,
    };
  } finally {
    await stop(p);
    removeRoot(root);
  }
}

/** rsyslogd: installed, or unpacked from Debian's .debs under RSYSLOG_ROOT (bench/README.md). */
function rsyslogCommand(): { bin: string; env: NodeJS.ProcessEnv; moduleDir?: string } | undefined {
  const r = process.env.RSYSLOG_ROOT;
  if (r) {
    const lib = join(r, "usr/lib/x86_64-linux-gnu");
    const bin = join(r, "usr/sbin/rsyslogd");
    const env = { ...process.env, LD_LIBRARY_PATH: lib };
    if (spawnSync(bin, ["-v"], { stdio: "ignore", env }).status === 0)
      return { bin, env, moduleDir: join(lib, "rsyslog") };
  }
  if (spawnSync("rsyslogd", ["-v"], { stdio: "ignore" }).status === 0)
    return { bin: "rsyslogd", env: process.env };
  return undefined;
}

function rsyslogVersion(cmd: { bin: string; env: NodeJS.ProcessEnv }): string {
  const out = spawnSync(cmd.bin, ["-v"], { encoding: "utf8", env: cmd.env }).stdout ?? "";
  return /rsyslogd\s+([0-9.]+)/.exec(out)?.[1] ?? "?";
}

/** rsyslog on the same datagrams: imuxsock on a socket of its own (not the system's), no rate
 * limit, omfile writing one gzip stream at level 6 (newlogd's level). Done when its CPU time stops
 * growing after the senders exited. */
async function rsyslogRun(cmd: { bin: string; env: NodeJS.ProcessEnv; moduleDir?: string }): Promise<Run> {
  const root = tempRoot();
  const sock = join(root, "log");
  const out = join(root, "out.log.gz");
  writeFileSync(
    join(root, "rsyslog.conf"),
    `global(workDirectory="${root}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${sock}" RateLimit.Interval="0" CreatePath="off")
action(type="omfile" file="${out}" zipLevel="6" ioBufferSize="256k" flushOnTXEnd="off")
`,
  );
  const p = spawn(
    "taskset",
    [
      "-c",
      "0",
      cmd.bin,
      "-n",
      "-f",
      join(root, "rsyslog.conf"),
      "-i",
      join(root, "rsyslog.pid"),
      ...(cmd.moduleDir ? ["-M", cmd.moduleDir] : []),
    ],
    { stdio: "ignore", env: cmd.env },
  );
  try {
    await waitFor(() => existsSync(sock), 20_000, "rsyslog socket");
    const pid = p.pid as number;
    const s = sampler(pid);
    const cpu0 = cpuSeconds(pid);
    const senders = await send(sock, "dgram");
    const t0 = senders.t0;
    await senders.done;
    const senderCpu = senders.cpu();
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
      senderPct: (senderCpu / secs) * 100,
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
    const cpu0 = cpuSeconds(pid);
    const senders = await send(sock, "dgram");
    const t0 = senders.t0;
    await waitFor(() => lineCount() - base >= LINES, 120_000, "every line in the file", 20);
    const secs = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const senderCpu = senders.cpu();
    const peak = s.stop();
    await senders.done;
    return {
      rate: LINES / secs,
      cpuPct: (cpu / secs) * 100,
      senderPct: (senderCpu / secs) * 100,
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
  if (runs.length === 0) return;
  const line = (what: string, values: number[], fmt: (v: number) => string) =>
    console.log(spreadLine(`${label} ${what}`, values, fmt));
  line(
    "lines/s (wall)",
    runs.map((r) => r.rate),
    fmtRate,
  );
  line(
    "lines per CPU-second",
    runs.map((r) => 1e6 / r.cpuUsPerLine),
    fmtRate,
  );
  line(
    "CPU per line",
    runs.map((r) => r.cpuUsPerLine),
    (v) => `${v.toFixed(1)} us`,
  );
  line(
    "CPU while ingesting",
    runs.map((r) => r.cpuPct),
    fmtPct,
  );
  line(
    "peak PSS while ingesting",
    runs.map((r) => r.peakPss),
    fmtMB,
  );
  line(
    `senders' CPU (${SENDERS} on cpu 1)`,
    runs.map((r) => r.senderPct),
    fmtPct,
  );
  const gz = runs.flatMap((r) => (r.gzBytesPerLine === undefined ? [] : [r.gzBytesPerLine]));
  if (gz.length) line("gzip bytes per line", gz, (v) => `${v.toFixed(1)} B`);
}

const nl: Run[] = [];
const dg: Run[] = [];
const dgq: Run[] = [];
const rs: Run[] = [];
const bb: Run[] = [];
const rsyslog = VARIANTS.has("rsyslog") ? rsyslogCommand() : undefined;
const haveUnshare = spawnSync("unshare", ["-m", "-n", "true"], { stdio: "ignore" }).status === 0;
const haveBusybox =
  haveUnshare && spawnSync("busybox", ["syslogd", "--help"], { stdio: "ignore" }).status !== null;
/** net.unix.max_dgram_qlen as systemd sets it (and newlogd with --dev-log); the kernel default is 10. */
const QLEN = 512;
// Interleaved, so a change of load on the shared machine hits every variant alike.
for (let i = 0; i < RUNS; i++) {
  if (VARIANTS.has("stream")) nl.push(await newlogdRun("stream"));
  if (VARIANTS.has("dgram")) dg.push(await newlogdRun("dgram"));
  if (VARIANTS.has("dgram512") && haveUnshare) dgq.push(await newlogdRun("dgram", QLEN));
  if (VARIANTS.has("busybox") && haveBusybox) bb.push(await busyboxRun());
  if (rsyslog) rs.push(await rsyslogRun(rsyslog));
}
console.log(`\n## ${LINES} lines of 200 bytes per run, daemon on cpu 0, ${SENDERS} sender(s) on cpu 1`);
report("newlogd (unix stream socket)", nl);
report("newlogd (/dev/log datagrams, one per line; max_dgram_qlen 10)", dg);
report(`newlogd (/dev/log datagrams, one per line; max_dgram_qlen ${QLEN})`, dgq);
if (VARIANTS.has("busybox") && !haveBusybox)
  console.log(
    "busybox syslogd: not installed (apt-get install busybox-static) or no unshare -m, not compared",
  );
report("busybox syslogd (/dev/log datagrams, max_dgram_qlen 10, plain text file, no gzip)", bb);
if (rsyslog)
  report(`rsyslog ${rsyslogVersion(rsyslog)} (imuxsock datagrams, max_dgram_qlen 10, omfile zipLevel 6)`, rs);
else if (VARIANTS.has("rsyslog"))
  console.log("rsyslog: not found (apt-get install rsyslog, or RSYSLOG_ROOT), not compared");
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
for (const [label, runs] of [
  ["stream", nl],
  ["/dev/log datagrams", dg],
  [`/dev/log datagrams, max_dgram_qlen ${QLEN}`, dgq],
] as const) {
  if (runs.length === 0) continue;
  console.log(
    `newlogd median lines/s (${label}): ${fmtRate(median(runs.map((r) => r.rate)))} ${target(median(runs.map((r) => r.rate)), ">=", 50_000, fmtRate)}`,
  );
  // Lines per CPU-second: the rate on a core of its own, whatever the machine's load ("one core").
  console.log(
    `newlogd median lines per CPU-second (${label}): ${fmtRate(median(runs.map((r) => 1e6 / r.cpuUsPerLine)))} ${target(
      median(runs.map((r) => 1e6 / r.cpuUsPerLine)),
      ">=",
      50_000,
      fmtRate,
    )}`,
  );
}
if (VARIANTS.has("idle")) {
  const idle = await idlePss();
  console.log(
    `\nnewlogd idle PSS: ${fmtMB(idle)} ${target(idle, "<=", 30e6, (v) => `${(v / 1e6).toFixed(0)} MB`)}`,
  );
}
console.log(machineLine());
