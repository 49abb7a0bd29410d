// The controller load generator's parts, shared by controller.bench.ts (closed loop: every device polls
// back to back) and controller-fleet.bench.ts (a fleet: every device polls at its interval with jitter
// and sends info and metrics as a node does): a bare HTTP/1.1 keep-alive TLS connection, the admin
// API, onboarding simulated devices like nodes (own key and certificate; register, uuid, attest, a
// config each), and the controller processes' CPU and memory from /proc.
import { spawn } from "node:child_process";
import { randomUUID, X509Certificate } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import { eve, type generateEcKey, HttpClient } from "@outpost/evecloud";
import { distBin, waitFor } from "@outpost/testkit";
import { onboardingIdentity, registerDevice, signedBy } from "@outpost/testkit/sim-fleet";

export interface Endpoint {
  host: string;
  port: number;
  /** host:port */
  server: string;
  rootCa: string;
  token: string;
}

/** A bare HTTP/1.1 keep-alive connection over TLS: the load generator's per-request cost must stay
 * well below the controller's (Node's https client spends ~200 us per request by itself). One request
 * at a time; connects on first use. */
export class RawConnection {
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (status: number) => void; reject: (e: Error) => void } | undefined;
  private socket: TLSSocket | undefined;

  constructor(
    private readonly ep: Endpoint,
    private readonly onError: (e: Error) => void = (e) => {
      console.error(`load generator connection failed: ${e.message}`);
      process.exit(1);
    },
  ) {}

  private connect(): TLSSocket {
    const s = tlsConnect({
      host: this.ep.host,
      port: this.ep.port,
      ca: this.ep.rootCa,
      minVersion: "TLSv1.2",
    });
    s.setNoDelay(true);
    s.on("data", (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.parse();
    });
    s.on("error", (e) => {
      const w = this.waiting;
      this.waiting = undefined;
      this.socket = undefined;
      this.buf = Buffer.alloc(0);
      if (w) w.reject(e);
      else this.onError(e);
    });
    s.on("close", () => {
      if (this.socket === s) this.socket = undefined;
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(new Error("connection closed"));
    });
    return s;
  }

  private parse(): void {
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString("latin1");
    const status = Number(head.slice(9, 12));
    const m = /content-length: *(\d+)/i.exec(head);
    const total = end + 4 + (m ? Number(m[1]) : 0);
    if (this.buf.length < total) return;
    this.buf = this.buf.subarray(total);
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(status);
  }

  request(path: string, body: Uint8Array): Promise<number> {
    this.socket ??= this.connect();
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      // One write: header and body in separate TLS records would meet Nagle + delayed ACK (40 ms).
      const head = Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${this.ep.host}\r\nX-Request-Id: ${randomUUID()}\r\nContent-Type: application/x-proto-binary\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.write(Buffer.concat([head, body]));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

export function admin(
  ep: Endpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, string>> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: ep.host,
        port: ep.port,
        method,
        path: `/admin/v1/${path}`,
        ca: ep.rootCa,
        headers: { Authorization: `Bearer ${ep.token}`, "Content-Type": "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** What a node's config looks like: one app from an HTTP datastore, config items. */
export const CONFIG = {
  datastores: [{ id: "ds", fqdn: "http://127.0.0.1:1", path: "datastore" }],
  contentTrees: [
    { id: "img", datastore: "ds", url: "busybox.tar", sha256: "ab".repeat(32), maxSizeBytes: 1 << 20 },
  ],
  volumes: [{ id: "vol", contentTree: "img" }],
  apps: [{ id: "web", name: "web", volumes: [{ id: "vol" }], env: { A: "1", B: "2" }, memoryKiB: 65536 }],
  configItems: { "timer.config.interval": "60" },
};

export interface SimDevice {
  index: number;
  uuid: string;
  key: ReturnType<typeof generateEcKey>;
  hash: Buffer;
  token: Uint8Array;
  configHash: string;
}

/** A signed message of the device (its own ECDSA P-256 signature each time). */
export const signed = signedBy;

export function signedPoll(d: Pick<SimDevice, "key" | "hash" | "token">, configHash: string): Uint8Array {
  return signed(d, eve.config.ConfigRequest.encode({ configHash, integrity_token: d.token }).finish());
}

/** Onboards `n` devices like nodes do (testkit sim-fleet's registerDevice: register with the
 * onboarding key, uuid; then attest) and sets a config for each, `concurrency` at a time. */
export async function onboard(
  ep: Endpoint,
  n: number,
  o: { concurrency?: number; prefix?: string; onProgress?: (done: number) => void } = {},
): Promise<SimDevice[]> {
  const nodeCfg = await admin(ep, "POST", "node-config", { serials: ["*"] });
  const onboarding = onboardingIdentity(nodeCfg.onboardCert ?? "", nodeCfg.onboardKey ?? "");
  const rootCert = new X509Certificate(ep.rootCa);
  const prefix = o.prefix ?? "sim";
  const devices: SimDevice[] = new Array(n);
  let next = 0;
  let done = 0;
  const worker = async () => {
    const http = new HttpClient({ server: ep.server, rootCa: ep.rootCa });
    try {
      for (let i = next++; i < n; i = next++) {
        const d = await registerDevice(http, rootCert, onboarding, `${prefix}-${i}`, {
          softSerial: `soft-${i}`,
          validDays: 2,
        });
        const token = await d.session.attest(d.uuid);
        const set = await admin(ep, "PUT", `devices/${d.uuid}/config`, CONFIG);
        devices[i] = {
          index: i,
          uuid: d.uuid,
          key: d.key,
          hash: d.hash,
          token,
          configHash: set.configHash ?? "",
        };
        if (++done % 500 === 0) o.onProgress?.(done);
      }
    } finally {
      http.close();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  return devices;
}

/** A controller process from dist/ (with --processes, its children too). */
export interface ControllerProc {
  pid: number;
  ep: Endpoint;
  output: () => string;
  /** The pids serving requests: the process itself, or its --processes children. */
  pids: () => number[];
  stop: () => Promise<void>;
}

export async function startControllerProc(
  root: string,
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ControllerProc> {
  const p = spawn(
    distBin("controller"),
    ["--root", root, "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--insecure-single-token", ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    },
  );
  let out = "";
  p.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  await waitFor(
    () => {
      if (p.exitCode !== null) throw new Error(`controller exited:\n${out}`);
      return out.includes('"controller listening"') || out.includes("controller listening");
    },
    60_000,
    () => `the controller to listen:\n${out}`,
    50,
  );
  const server = readFileSync(`${dataDir}/server`, "utf8").trim();
  const [host = "", portText = ""] = server.split(":");
  const ep: Endpoint = {
    host,
    port: Number(portText),
    server,
    rootCa: readFileSync(`${dataDir}/pki/root.cert.pem`, "utf8"),
    token: readFileSync(`${dataDir}/admin-token`, "utf8").trim(),
  };
  const pid = p.pid ?? 0;
  return {
    pid,
    ep,
    output: () => out,
    pids: () => {
      const kids = childrenOf(pid);
      return kids.length ? [pid, ...kids] : [pid];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (p.exitCode !== null) return resolve();
        p.once("exit", () => resolve());
        p.kill("SIGTERM");
      }),
  };
}

/** Pids whose parent is `pid` (from /proc). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CPU seconds (utime + stime, 100 Hz ticks) of the pids; a pid that is gone counts 0. */
export function cpuSeconds(pids: number[]): number {
  let s = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      s += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // gone
    }
  }
  return s;
}

/** Resident memory (VmRSS) of the pids, bytes. */
export function rssBytes(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kib += Number(m?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib * 1024;
}
