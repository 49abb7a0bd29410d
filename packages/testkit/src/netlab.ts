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
