// Servers a network test runs in its "upstream" namespace (netns.ts): a DHCP server (busybox
// udhcpd, on every host through busybox-static). Each is a real process the test stops.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NetNs } from "./netns.js";

export interface DhcpServerOptions {
  /** Interface in the namespace it serves. */
  ifname: string;
  /** Directory for its config, lease and pid files. */
  dir: string;
  start: string;
  end: string;
  subnetMask?: string;
  router?: string;
  dns?: string[];
  ntp?: string[];
  domain?: string;
  /** Lease time (s); short leases make "the server went away" visible quickly. */
  leaseSeconds?: number;
}

export interface DhcpServer {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/** busybox udhcpd in the foreground inside `ns`. */
export function startDhcpServer(ns: NetNs, o: DhcpServerOptions): DhcpServer {
  mkdirSync(o.dir, { recursive: true });
  const lease = o.leaseSeconds ?? 600;
  const conf = join(o.dir, "udhcpd.conf");
  const lines = [
    `start ${o.start}`,
    `end ${o.end}`,
    `interface ${o.ifname}`,
    `lease_file ${join(o.dir, "udhcpd.leases")}`,
    `pidfile ${join(o.dir, "udhcpd.pid")}`,
    `min_lease ${Math.min(lease, 60)}`,
    `option subnet ${o.subnetMask ?? "255.255.255.0"}`,
    `option lease ${lease}`,
  ];
  if (o.router) lines.push(`option router ${o.router}`);
  if (o.dns?.length) lines.push(`option dns ${o.dns.join(" ")}`);
  if (o.ntp?.length) lines.push(`option ntpsrv ${o.ntp.join(" ")}`);
  if (o.domain) lines.push(`option domain ${o.domain}`);
  writeFileSync(conf, `${lines.join("\n")}\n`);
  writeFileSync(join(o.dir, "udhcpd.leases"), "");
  const [cmd, args] = ns.wrap("busybox", ["udhcpd", "-f", conf]);
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A node program run inside a namespace (or, without one, on the host), plain JavaScript with node:
 * modules only, its stdout kept. */
function nodeIn(
  ns: NetNs | undefined,
  source: string,
  args: string[],
): { child: ChildProcess; output: () => string } {
  const full = ["--input-type=module", "-e", source, "--", ...args];
  const [cmd, argv] = ns ? ns.wrap(process.execPath, full) : [process.execPath, full];
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

// An HTTP proxy: CONNECT tunnels (one line "tunnel <host:port>" each) and absolute-URI requests for
// plain http (one line "forward <url>" each). Names in the host map (JSON, name -> address) are
// connected to at that address: a host only the proxy can reach.
const CONNECT_PROXY = `
import { createServer, request } from "node:http";
import { connect } from "node:net";
const [host, port, mapJson] = process.argv.slice(-3);
const map = JSON.parse(mapJson);
const server = createServer((req, res) => {
  if (!/^http:\\/\\//.test(req.url)) { res.writeHead(405); res.end("CONNECT or absolute URI only\\n"); return; }
  const u = new URL(req.url);
  console.log("forward " + req.url);
  const headers = { ...req.headers };
  delete headers["proxy-authorization"];
  const up = request({ host: map[u.hostname] ?? u.hostname, port: Number(u.port || 80), path: u.pathname + u.search, method: req.method, headers }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on("error", () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  res.on("close", () => up.destroy());
  req.pipe(up);
});
server.on("connect", (req, client, head) => {
  const [h, p] = req.url.startsWith("[") ? [req.url.slice(1, req.url.indexOf("]")), req.url.split("]:")[1]] : req.url.split(":");
  const up = connect(Number(p), map[h] ?? h, () => {
    console.log("tunnel " + req.url);
    client.write("HTTP/1.1 200 Connection established\\r\\n\\r\\n");
    if (head.length) up.write(head);
    up.pipe(client); client.pipe(up);
  });
  up.on("error", () => { client.end("HTTP/1.1 502 Bad Gateway\\r\\n\\r\\n"); });
  client.on("error", () => up.destroy());
});
server.listen(Number(port), host, () => console.log("listening " + host + ":" + server.address().port));
`;

export interface CountingProxy {
  /** http://host:port */
  url: string;
  /** Tunnels opened so far. */
  tunnels(): number;
  /** Plain http requests forwarded so far (absolute-URI form). */
  forwards(): number;
  stop(): Promise<void>;
}

/** An HTTP proxy listening on `host:port` inside `ns` (undefined: on the host; port 0: any free one),
 * counting the tunnels it opens and the requests it forwards. `hosts` maps names to addresses. */
export async function startConnectProxy(
  ns: NetNs | undefined,
  host: string,
  port: number,
  hosts: Record<string, string> = {},
): Promise<CountingProxy> {
  const p = nodeIn(ns, CONNECT_PROXY, [host, String(port), JSON.stringify(hosts)]);
  const t0 = Date.now();
  let m = /listening .*:(\d+)/.exec(p.output());
  while (!m) {
    if (p.child.exitCode !== null || Date.now() - t0 > 10_000)
      throw new Error(`proxy did not start: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
    m = /listening .*:(\d+)/.exec(p.output());
  }
  const count = (what: string) =>
    p
      .output()
      .split("\n")
      .filter((l) => l.startsWith(`${what} `)).length;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${m[1]}`,
    tunnels: () => count("tunnel"),
    forwards: () => count("forward"),
    stop: () => stopChild(p.child),
  };
}

// An SNTP server (mode 4, stratum 2) that answers with the host's clock: one line "query" per request.
const SNTP_RESPONDER = `
import { createSocket } from "node:dgram";
const [host, port] = process.argv.slice(-2);
const EPOCH = 2208988800;
const put = (b, at, ms) => { const s = Math.floor(ms / 1000); b.writeUInt32BE((s + EPOCH) >>> 0, at); b.writeUInt32BE(Math.floor(((ms - s * 1000) / 1000) * 2 ** 32) >>> 0, at + 4); };
const sock = createSocket("udp4");
sock.on("message", (msg, rinfo) => {
  const rx = Date.now();
  if (msg.length < 48 || (msg[0] & 7) !== 3) return;
  const b = Buffer.alloc(48);
  b[0] = (0 << 6) | (4 << 3) | 4; b[1] = 2; b[2] = 6; b[3] = 0xec;
  b.write("LOCL", 12);
  put(b, 16, rx - 1000);
  msg.copy(b, 24, 40, 48);
  put(b, 32, rx);
  put(b, 40, Date.now());
  sock.send(b, rinfo.port, rinfo.address);
  console.log("query " + rinfo.address);
});
sock.bind(Number(port), host, () => console.log("listening " + host + ":" + port));
`;

export interface SntpResponder {
  queries(): number;
  output(): string;
  stop(): Promise<void>;
}

/** An SNTP responder on udp `host:port` inside `ns`, answering with the host's time. */
export async function startSntpResponder(ns: NetNs, host: string, port = 123): Promise<SntpResponder> {
  const p = nodeIn(ns, SNTP_RESPONDER, [host, String(port)]);
  const t0 = Date.now();
  while (!p.output().includes("listening")) {
    if (p.child.exitCode !== null || Date.now() - t0 > 10_000)
      throw new Error(`SNTP responder did not start: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    queries: () =>
      p
        .output()
        .split("\n")
        .filter((l) => l.startsWith("query ")).length,
    output: p.output,
    stop: () => stopChild(p.child),
  };
}
