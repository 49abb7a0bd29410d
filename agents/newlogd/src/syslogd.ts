// Source: the syslog daemon. A unix datagram socket at <root>/dev/log (or the real /dev/log), optionally
// a unix stream socket, UDP and TCP on loopback. Each message is parsed (RFC 3164 / RFC 5424) and
// offered on the main loop.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type { Collector } from "./collector.js";
import { bindDatagramSocket } from "./dgram-socket.js";
import { DEV_STREAM } from "./plan.js";
import { parseSyslog, StreamFramer, syslogEntry } from "./syslog.js";

/** A stream connection is paused while this many of its chunks (64 KiB reads) wait for the main loop:
 * a fast sender then waits in its socket rather than in newlogd's memory. */
const MAX_CHUNKS_IN_FLIGHT = 4;

/** Datagrams received and not yet handled by the main loop. A datagram socket cannot be paused from
 * Node: past this many (about 2 MB of 200-byte lines) newlogd sheds them, counted as rate-limited
 * under `syslog`, rather than growing without bound. */
export const MAX_DATAGRAMS_PENDING = 10_000;

/** The source name under which shed datagrams are counted (`rateLimited.syslog`). */
const SHED_SOURCE = "syslog";

export interface SyslogOptions {
  /** Unix datagram socket (/dev/log): what syslog(3), `logger` and busybox send to. */
  socketPath: string | undefined;
  /** Unix stream socket (RFC 6587 framing), e.g. for Docker's syslog driver with unix://. */
  streamPath?: string | undefined;
  udpPort: number | undefined;
  tcpPort: number | undefined;
  /** Raise net.unix.max_dgram_qlen (this network namespace) to at least this before the datagram
   * socket is made; 0 leaves it. See raiseDgramQueue. */
  minDgramQlen?: number;
}

export class Syslogd {
  private readonly servers: Server[] = [];
  /** Chunks of each stream connection posted and not yet handled. */
  private readonly inflight = new WeakMap<Socket, { chunks: number }>();
  private udp: UdpSocket | undefined;
  private dgram: { close(): void } | undefined;
  /** What raiseDgramQueue did, for the start log line. */
  dgramQlen: { before: number; after: number } | { error: string } | undefined;
  /** Datagrams waiting for the main loop (one loop task takes all of them). */
  private pending: Buffer[] = [];

  constructor(
    private readonly collector: Collector,
    /** Runs a task on the main loop: messages are handled there, a chunk's worth per task. */
    private readonly post: (task: () => void) => void,
  ) {}

  /** `conn`: a stream connection, paused while too many of its chunks wait (MAX_CHUNKS_IN_FLIGHT). */
  private messages(raws: string[], conn?: Socket): void {
    if (raws.length === 0) return;
    const c = conn ? this.inflight.get(conn) : undefined;
    if (conn && c !== undefined) {
      c.chunks++;
      if (c.chunks >= MAX_CHUNKS_IN_FLIGHT) conn.pause();
    }
    this.post(() => {
      for (const r of raws) this.message(r);
      if (conn && c && --c.chunks < MAX_CHUNKS_IN_FLIGHT) conn.resume();
    });
  }

  /** One datagram, one message (a trailing newline or NUL is not part of it). Datagrams arriving
   * together are handled in one main loop task. The addon calls this for every datagram while it
   * drains the socket, and drains until the socket is empty: a sender that refills the socket as fast
   * as this takes datagrams keeps it here, and the pending cap sheds lines. So nothing is done here
   * but keeping the buffer (decoding is in the task). */
  private datagram(b: Buffer): void {
    if (this.pending.length >= MAX_DATAGRAMS_PENDING) {
      this.collector.shed("syslog", SHED_SOURCE);
      return;
    }
    this.pending.push(b);
    if (this.pending.length > 1) return;
    this.post(() => {
      const bufs = this.pending;
      this.pending = [];
      for (const buf of bufs) {
        let end = buf.length;
        while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === 0x00)) end--;
        if (end > 0) this.message(buf.toString("utf8", 0, end));
      }
    });
  }

  /** Handles one message (on the main loop). */
  message(raw: string): void {
    const m = parseSyslog(raw);
    if (!m) {
      this.collector.malformed("syslog");
      return;
    }
    const now = Date.now();
    this.collector.offer({ kind: "syslog", stream: DEV_STREAM, entry: syslogEntry(m, now), limiterMs: now });
  }

  async start(o: SyslogOptions): Promise<string[]> {
    const listening: string[] = [];
    if (o.socketPath) {
      const path = o.socketPath;
      mkdirSync(dirname(path), { recursive: true });
      await removeStaleSocket(path);
      if (o.minDgramQlen) this.dgramQlen = raiseDgramQueue(o.minDgramQlen);
      this.dgram = bindDatagramSocket(
        path,
        (b) => this.datagram(b),
        // The socket is closed then; the status says syslog stopped.
        (err) => this.onDgramError(err),
      );
      // Every local program may log, as with any /dev/log.
      chmodSync(path, 0o666);
      listening.push(`unixgram:${path}`);
    }
    if (o.streamPath) {
      const path = o.streamPath;
      mkdirSync(dirname(path), { recursive: true });
      await removeStaleSocket(path);
      await this.listenStream(createServer(), { path });
      chmodSync(path, 0o666);
      listening.push(`unix:${path}`);
    }
    if (o.tcpPort !== undefined) {
      const s = createServer();
      await this.listenStream(s, { host: "127.0.0.1", port: o.tcpPort });
      const a = s.address();
      listening.push(`tcp:127.0.0.1:${typeof a === "object" && a ? a.port : o.tcpPort}`);
    }
    if (o.udpPort !== undefined) {
      const u = createSocket("udp4");
      u.on("message", (b) => this.messages([b.toString()]));
      u.on("error", () => {});
      await new Promise<void>((resolve, reject) => {
        u.once("error", reject);
        u.bind(o.udpPort, "127.0.0.1", () => resolve());
      });
      this.udp = u;
      listening.push(`udp:127.0.0.1:${u.address().port}`);
    }
    return listening;
  }

  private listenStream(server: Server, at: { path: string } | { host: string; port: number }): Promise<void> {
    server.on("connection", (conn) => {
      const framer = new StreamFramer();
      this.inflight.set(conn, { chunks: 0 });
      conn.setEncoding("utf8");
      conn.on("data", (chunk: string) => {
        this.messages(framer.push(chunk), conn);
      });
      conn.on("end", () => {
        this.messages(framer.push("\n"));
      });
      conn.on("error", () => {});
    });
    this.servers.push(server);
    return new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(at, () => resolve());
    });
  }

  /** Set by the agent: told when the datagram socket failed after start (it is closed then). */
  onDgramError: (err: Error) => void = () => {};

  close(): void {
    for (const s of this.servers) s.close();
    this.udp?.close();
    this.dgram?.close();
  }
}

const DGRAM_QLEN = "/proc/sys/net/unix/max_dgram_qlen";

/** A unix datagram socket queues at most net.unix.max_dgram_qlen datagrams (the kernel's default is
 * 10; the value in force when the socket is made counts). With 10, a syslog client blocks in send()
 * after 10 datagrams and is woken for every one newlogd takes, which costs newlogd more CPU per line
 * (README "Syslog details"). systemd raises it to 512 at boot for journald's /dev/log; newlogd does
 * so with --syslog-dgram-qlen (off by default: with a deep queue a client faster than newlogd is no
 * longer held back by the kernel, and lines past newlogd's pending cap are shed instead; measured).
 * Never lowers it. Fails softly (not root, read-only /proc): the socket works with the default. */
function raiseDgramQueue(min: number): { before: number; after: number } | { error: string } {
  try {
    const before = Number(readFileSync(DGRAM_QLEN, "utf8").trim());
    if (Number.isFinite(before) && before >= min) return { before, after: before };
    writeFileSync(DGRAM_QLEN, `${min}\n`);
    return { before, after: Number(readFileSync(DGRAM_QLEN, "utf8").trim()) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** With --root / the socket is the host's /dev/log: only a socket nobody listens on (left by an earlier
 * newlogd) is replaced. Anything else there (a live syslog daemon's socket, of either type, or a file)
 * is not Outpost's to remove: listening fails with a clear error and the other sources go on. */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) throw new Error(`${path} exists and is not a socket: not replacing it`);
  const answer = await new Promise<string>((resolve) => {
    const c = connect(path);
    c.once("connect", () => {
      c.destroy();
      resolve("live");
    });
    c.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  });
  if (answer !== "ECONNREFUSED")
    throw new Error(
      `${path} is in use by another process (${answer === "live" ? "it accepts connections" : answer}): not replacing it`,
    );
  rmSync(path, { force: true });
}
