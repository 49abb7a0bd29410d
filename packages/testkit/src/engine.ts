// A private Docker engine for tests that restart the engine (`make chaos`) or need networking of
// their own (zedrouter's network instances): the machine's dockerd is shared, so the test gets its own
// dockerd (own data root, exec root, socket, pid file and its own supervised containerd under the exec
// root), reached through DOCKER_HOST. It always runs inside a network namespace (its own, or one the
// test made, e.g. a "device" namespace joined to an "upstream" one): a dockerd started with
// --bridge=none deletes any link named docker0 it can see, which in the host's namespace is the shared
// engine's bridge, and with iptables on it writes its NAT rules into the namespace it runs in, never
// the host's. Defaults (chaos): no default bridge, no iptables, no masquerade, no forwarding.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive, sleep } from "@outpost/primitives";
import { waitFor } from "./wait.js";

export interface PrivateEngineOptions {
  /** The network namespace to run in. Default: one of its own, `outpost-chaos-<pid>`, created on
   * start and deleted by `removeNetns`; a given one is the test's to create and delete. */
  netns?: string;
  /** Docker's default bridge (docker0 in the namespace) for containers without a network. */
  bridge?: boolean;
  /** iptables rules, masquerade and IP forwarding inside the namespace: NAT of bridge networks and
   * published ports. */
  iptables?: boolean;
  /** cgroup parent of its containers (apart from the shared engine's /docker/<id>). */
  cgroupParent?: string;
}

export class PrivateEngine {
  private child: ChildProcess | undefined;
  /** The network namespace the engine runs in. */
  readonly netns: string;
  private readonly ownNetns: boolean;
  constructor(
    readonly dir: string,
    readonly o: PrivateEngineOptions = {},
  ) {
    this.netns = o.netns ?? `outpost-chaos-${process.pid}`;
    this.ownNetns = o.netns === undefined;
  }

  get socket(): string {
    return join(this.dir, "d.sock");
  }
  /** The DOCKER_HOST value of this engine. */
  get host(): string {
    return `unix://${this.socket}`;
  }
  get log(): string {
    return join(this.dir, "dockerd.log");
  }

  answers(): boolean {
    return (
      spawnSync("docker", ["-H", this.host, "info", "--format", "{{.ServerVersion}}"], {
        stdio: "ignore",
        timeout: 10_000,
      }).status === 0
    );
  }

  async start(timeoutMs = 60_000): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const log = openSync(this.log, "a");
    const args = [
      `--data-root=${join(this.dir, "data")}`,
      `--exec-root=${join(this.dir, "exec")}`,
      `--pidfile=${join(this.dir, "dockerd.pid")}`,
      `--host=${this.host}`,
      ...(this.o.bridge ? [] : ["--bridge=none"]),
      ...(this.o.iptables
        ? ["--iptables=true", "--ip-masq=true", "--ip-forward=true"]
        : ["--iptables=false", "--ip-masq=false", "--ip-forward=false"]),
      // Its containers' cgroups apart from the shared engine's (/docker/<id>).
      `--cgroup-parent=${this.o.cgroupParent ?? "outpost-chaos"}`,
      "--storage-driver=overlay2",
      "--log-level=warn",
    ];
    if (this.ownNetns && spawnSync("ip", ["netns", "pids", this.netns], { stdio: "ignore" }).status !== 0) {
      const made = spawnSync("ip", ["netns", "add", this.netns], { encoding: "utf8" });
      if (made.status !== 0) throw new Error(`ip netns add ${this.netns}: ${made.stderr.trim()}`);
    }
    // nsenter changes only the network namespace (ip netns exec would also remount /sys, hiding the
    // cgroup mounts dockerd needs) and execs dockerd in place, so the child's pid is dockerd's.
    this.child = spawn("nsenter", [`--net=/run/netns/${this.netns}`, "dockerd", ...args], {
      detached: true,
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const child = this.child;
    await waitFor(
      () => this.answers() || child.exitCode !== null,
      timeoutMs,
      `the private dockerd to answer (log ${this.log})`,
    );
    if (child.exitCode !== null)
      throw new Error(`the private dockerd exited (${child.exitCode}); see ${this.log}`);
  }

  pid(): number | undefined {
    try {
      const n = Number(readFileSync(join(this.dir, "dockerd.pid"), "utf8").trim());
      return isProcessAlive(n) ? n : undefined;
    } catch {
      return this.child?.pid && isProcessAlive(this.child.pid) ? this.child.pid : undefined;
    }
  }

  /** An orderly engine stop (SIGTERM: dockerd stops its containers, unmounts, takes containerd
   * down), SIGKILL only after `timeoutMs`. */
  async stop(timeoutMs = 60_000): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (isProcessAlive(pid) && Date.now() < deadline) await sleep(200);
    if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    await waitFor(() => !isProcessAlive(pid), 10_000, `dockerd ${pid} to exit`);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Deletes the engine's own network namespace (after `stop`); a namespace given in the options is
   * left to the test that made it. */
  removeNetns(): void {
    if (!this.ownNetns) return;
    spawnSync("ip", ["netns", "delete", this.netns], { stdio: "ignore" });
  }

  /** Lazily unmounts whatever is still mounted below the engine's directory (after a SIGKILL). */
  unmountLeftovers(): void {
    const mounts = readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((l) => l.split(" ")[1] ?? "")
      .filter((m) => m.startsWith(`${this.dir}/`))
      .sort((a, b) => b.length - a.length);
    for (const m of mounts) spawnSync("umount", ["-l", m], { stdio: "ignore" });
  }
}
