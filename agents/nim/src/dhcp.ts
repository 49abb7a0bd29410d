// DHCP client per port: busybox udhcpc, one process per port, started and stopped by nim. Its event
// script (written by nim under run/nim/) configures the address and default route itself, like
// udhcpc's own default script, so a lease renewed or lost while nim is busy still reaches the
// kernel at once; it also writes the lease (DNS, domain, NTP servers, lease time) to
// run/nim/dhcp/<ifname>.lease, where nim reads what the kernel does not hold.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";

export interface Lease {
  ip: string;
  /** Prefix length. */
  mask: number;
  routers: string[];
  dns: string[];
  domain: string;
  ntpServers: string[];
  leaseSeconds: number;
  /** When it was bound or renewed (s since the epoch). */
  at: number;
}

const SCRIPT = `#!/bin/sh
# udhcpc event script written by Outpost nim (agents/nim/src/dhcp.ts); $1 is the event.
f="$NIM_LEASE_DIR/$interface.lease"
case "$1" in
deconfig)
	ip -4 addr flush dev "$interface" scope global
	ip link set dev "$interface" up
	rm -f "$f"
	;;
bound|renew)
	cur=$(ip -4 -o addr show dev "$interface" scope global | awk '{print $4}')
	if [ "$cur" != "$ip/$mask" ]; then
		ip -4 addr flush dev "$interface" scope global
		ip addr add "$ip/$mask" dev "$interface"
	fi
	[ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"
	if [ -n "$router" ]; then
		set -- $router
		ip -4 route replace default via "$1" dev "$interface" metric "\${NIM_METRIC:-100}"
	fi
	{
		echo "ip=$ip"; echo "mask=$mask"; echo "router=$router"; echo "dns=$dns"
		echo "domain=$domain"; echo "ntpsrv=$ntpsrv"; echo "lease=$lease"; echo "at=$(date +%s)"
	} >"$f.tmp" && mv "$f.tmp" "$f"
	;;
esac
exit 0
`;

export function parseLease(text: string): Lease | undefined {
  const kv = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const ip = kv.get("ip");
  if (!ip) return undefined;
  const words = (k: string) => (kv.get(k) ?? "").split(/\s+/).filter(Boolean);
  return {
    ip,
    mask: Number(kv.get("mask")) || 24,
    routers: words("router"),
    dns: words("dns"),
    domain: kv.get("domain") ?? "",
    ntpServers: words("ntpsrv"),
    leaseSeconds: Number(kv.get("lease")) || 0,
    at: Number(kv.get("at")) || 0,
  };
}

export interface DhcpOptions {
  /** Directory for the script, the lease files and the pid files (run/nim). */
  dir: string;
  /** udhcpc -T: seconds between DISCOVERs; -A: seconds to wait after a failed round. */
  discoverSeconds: number;
  retrySeconds: number;
  log: Logger;
}

export class DhcpClients {
  private readonly clients = new Map<string, ChildProcess>();
  readonly leaseDir: string;
  private readonly script: string;

  constructor(private readonly o: DhcpOptions) {
    this.leaseDir = join(o.dir, "dhcp");
    this.script = join(o.dir, "udhcpc.script");
    mkdirSync(this.leaseDir, { recursive: true });
    writeFileSync(this.script, SCRIPT, { mode: 0o755 });
    chmodSync(this.script, 0o755);
  }

  private pidFile(ifname: string): string {
    return join(this.leaseDir, `${ifname}.pid`);
  }

  /** Stops a udhcpc a previous nim left behind for this port (nim was killed). */
  private stopStale(ifname: string): void {
    try {
      const pid = Number(readFileSync(this.pidFile(ifname), "utf8").trim());
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (pid > 0 && cmd.includes("udhcpc") && cmd.includes(ifname)) process.kill(pid, "SIGTERM");
    } catch {
      // none, or gone
    }
  }

  running(ifname: string): boolean {
    const c = this.clients.get(ifname);
    return !!c && c.exitCode === null && c.signalCode === null;
  }

  /** Starts the client on `ifname` unless it runs. */
  ensure(ifname: string, metric: number): void {
    if (this.running(ifname)) return;
    this.stopStale(ifname);
    const args = [
      "udhcpc",
      "-f", // foreground: nim is its parent
      "-i",
      ifname,
      "-s",
      this.script,
      "-p",
      this.pidFile(ifname),
      "-t",
      "3",
      "-T",
      String(this.o.discoverSeconds),
      "-A",
      String(this.o.retrySeconds),
      "-O",
      "ntpsrv",
      "-O",
      "domain",
    ];
    const child = spawn("busybox", args, {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NIM_LEASE_DIR: this.leaseDir, NIM_METRIC: String(metric) },
    });
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    child.on("exit", (code, sig) => {
      if (this.clients.get(ifname) === child) {
        this.clients.delete(ifname);
        this.o.log.warn({ ifname, code, signal: sig, stderr: err.trim().slice(-300) }, "udhcpc exited");
      }
    });
    child.on("error", (e) => this.o.log.error({ ifname, err: e.message }, "cannot start udhcpc"));
    this.clients.set(ifname, child);
    this.o.log.info({ ifname, udhcpcPid: child.pid }, "DHCP client started");
  }

  /** Stops the client of `ifname` (its lease file goes: the port is no longer on DHCP). */
  stop(ifname: string): void {
    const c = this.clients.get(ifname);
    this.clients.delete(ifname);
    if (c && c.exitCode === null) {
      c.kill("SIGTERM");
      this.o.log.info({ ifname }, "DHCP client stopped");
    }
    rmSync(join(this.leaseDir, `${ifname}.lease`), { force: true });
  }

  stopAll(): void {
    for (const ifname of [...this.clients.keys()]) this.stop(ifname);
  }

  lease(ifname: string): Lease | undefined {
    try {
      return parseLease(readFileSync(join(this.leaseDir, `${ifname}.lease`), "utf8"));
    } catch {
      return undefined;
    }
  }
}
