// Network namespaces for network tests: a "device" namespace where the node runs and an "upstream"
// namespace where the controller, a DHCP server or a proxy listen, joined by veth pairs. Nothing is
// bound in the host's namespace. Every name carries the test's prefix and pid, so parallel runs and
// leftovers of a killed run are told apart; `remove` deletes the namespace and with it its links.
import { type SpawnSyncReturns, spawnSync } from "node:child_process";

function ip(args: string[]): SpawnSyncReturns<string> {
  return spawnSync("ip", args, { encoding: "utf8", timeout: 20_000 });
}

function must(args: string[]): string {
  const r = ip(args);
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${(r.stderr || r.error?.message || "").trim()}`);
  return r.stdout;
}

export class NetNs {
  /** `name` is used as given (keep it under 15 characters if it names links too). */
  constructor(readonly name: string) {}

  /** Creates the namespace with its loopback up. */
  static create(name: string): NetNs {
    const ns = new NetNs(name);
    ns.remove();
    must(["netns", "add", name]);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  /** `ip <args>` inside the namespace; throws with ip's message on failure. */
  ip(...args: string[]): string {
    return must(["-n", this.name, ...args]);
  }

  /** `ip <args>` inside the namespace; the result, not thrown. */
  tryIp(...args: string[]): SpawnSyncReturns<string> {
    return ip(["-n", this.name, ...args]);
  }

  /** A command inside the namespace (ip netns exec), to completion. */
  exec(cmd: string, args: string[], timeoutMs = 20_000): SpawnSyncReturns<string> {
    return spawnSync("ip", ["netns", "exec", this.name, cmd, ...args], {
      encoding: "utf8",
      timeout: timeoutMs,
    });
  }

  /** The argv prefix that runs a program inside this namespace (for spawn): only the network
   * namespace changes (nsenter), so /sys and the cgroup mounts stay the host's. */
  wrap(cmd: string, args: string[]): [string, string[]] {
    return ["nsenter", [`--net=/run/netns/${this.name}`, cmd, ...args]];
  }

  /** A veth pair: `here` in this namespace, `there` in `peer`, both up, with the addresses given
   * (CIDR, optional). */
  veth(here: string, peer: NetNs, there: string, addrs: { here?: string; there?: string } = {}): void {
    this.ip("link", "add", here, "type", "veth", "peer", "name", there, "netns", peer.name);
    if (addrs.here) this.ip("addr", "add", addrs.here, "dev", here);
    if (addrs.there) peer.ip("addr", "add", addrs.there, "dev", there);
    this.ip("link", "set", here, "up");
    peer.ip("link", "set", there, "up");
  }

  /** Deletes the namespace (its links go with it); no error when it does not exist. */
  remove(): void {
    ip(["netns", "delete", this.name]);
  }

  /** Names of existing namespaces that start with `prefix` (for cleaning up after a killed run). */
  static list(prefix: string): string[] {
    return ip(["netns", "list"])
      .stdout.split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter((n) => n.startsWith(prefix));
  }
}
