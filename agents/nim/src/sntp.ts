// One SNTP (RFC 4330) exchange over UDP: the client's transmit time T1, the server's receive and
// transmit times T2 and T3, the arrival T4; offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) -
// (T3 - T2). Times are read from the device clock (clock.ts), so the offset is the device's error.
import { createSocket } from "node:dgram";
import { isIPv6 } from "node:net";

const NTP_EPOCH_OFFSET_S = 2_208_988_800; // 1900-01-01 to 1970-01-01

export interface SntpResult {
  server: string;
  /** How far the server's time is ahead of the device clock (ms). */
  offsetMs: number;
  delayMs: number;
  stratum: number;
  /** The server's reference time (ms since the epoch), 0 unknown. */
  refTimeMs: number;
}

function writeTs(buf: Buffer, at: number, ms: number): void {
  const s = Math.floor(ms / 1000);
  buf.writeUInt32BE((s + NTP_EPOCH_OFFSET_S) >>> 0, at);
  buf.writeUInt32BE(Math.floor(((ms - s * 1000) / 1000) * 2 ** 32) >>> 0, at + 4);
}

function readTs(buf: Buffer, at: number): number {
  const s = buf.readUInt32BE(at);
  const f = buf.readUInt32BE(at + 4);
  if (s === 0 && f === 0) return 0;
  return (s - NTP_EPOCH_OFFSET_S) * 1000 + (f / 2 ** 32) * 1000;
}

/** Builds the 48-byte client request (LI 0, version 4, mode 3) carrying T1. */
export function sntpRequest(t1: number): Buffer {
  const b = Buffer.alloc(48);
  b[0] = (0 << 6) | (4 << 3) | 3;
  writeTs(b, 40, t1);
  return b;
}

/** Checks and reads a server answer to the request sent at `t1`, received at `t4`. */
export function parseSntpReply(b: Buffer, t1: number, t4: number, server: string): SntpResult {
  if (b.length < 48) throw new Error(`${server}: short SNTP answer (${b.length} bytes)`);
  const mode = (b[0] ?? 0) & 7;
  const stratum = b[1] ?? 0;
  if (mode !== 4 && mode !== 5) throw new Error(`${server}: not a server answer (mode ${mode})`);
  if (stratum === 0) throw new Error(`${server}: kiss-of-death (stratum 0)`);
  const originate = readTs(b, 24);
  if (Math.abs(originate - t1) > 1) throw new Error(`${server}: answer to another request`);
  const t2 = readTs(b, 32);
  const t3 = readTs(b, 40);
  if (!t3) throw new Error(`${server}: answer without a transmit time`);
  return {
    server,
    offsetMs: Math.round((t2 - t1 + (t3 - t4)) / 2),
    delayMs: Math.max(0, Math.round(t4 - t1 - (t3 - t2))),
    stratum,
    refTimeMs: Math.round(readTs(b, 16)),
  };
}

/** One exchange with `server` (address or name, port 123 unless "host:port"). */
export function querySntp(
  server: string,
  now: () => number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SntpResult> {
  const m = /^(.*):(\d+)$/.exec(server);
  const host = m && !isIPv6(server) ? (m[1] ?? server) : server;
  const port = m && !isIPv6(server) ? Number(m[2]) : 123;
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(host) ? "udp6" : "udp4");
    const done = (err: Error | undefined, r?: SntpResult) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      sock.close();
      if (err) reject(err);
      else resolve(r as SntpResult);
    };
    const onAbort = () => done(new Error(`${server}: aborted`));
    const timer = setTimeout(
      () => done(new Error(`${server}: no SNTP answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    const t1 = now();
    sock.on("message", (msg) => {
      try {
        done(undefined, parseSntpReply(msg, t1, now(), server));
      } catch (e) {
        done(e as Error);
      }
    });
    sock.on("error", (e) => done(new Error(`${server}: ${e.message}`)));
    sock.send(sntpRequest(t1), port, host);
  });
}
