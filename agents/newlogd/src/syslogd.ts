// Source: the syslog daemon. A unix socket at <root>/dev/log (or the real /dev/log), optional UDP and
// TCP on loopback. Each message is parsed (RFC 3164 / RFC 5424) and offered on the main loop.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { chmodSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type { Collector } from "./collector.js";
import { DEV_STREAM } from "./plan.js";
import { parseSyslog, StreamFramer, syslogEntry } from "./syslog.js";

/** A stream connection is paused while this many of its chunks (64 KiB reads) wait for the main loop:
 * a fast sender then waits in its socket rather than in newlogd's memory. */
const MAX_CHUNKS_IN_FLIGHT = 4;

export interface SyslogOptions {
  socketPath: string | undefined;
  udpPort: number | undefined;
  tcpPort: number | undefined;
}

export class Syslogd {
  private readonly servers: Server[] = [];
  /** Chunks of each stream connection posted and not yet handled. */
  private readonly inflight = new WeakMap<Socket, { chunks: number }>();
  private udp: UdpSocket | undefined;

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
      await this.listenStream(createServer(), { path });
      // Every local program may log, as with any /dev/log.
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

  close(): void {
    for (const s of this.servers) s.close();
    this.udp?.close();
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
