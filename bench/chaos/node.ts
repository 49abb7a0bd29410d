// The chaos node: one Outpost node booted with build/init/outpost-boot under a temp root whose
// persist/ is a tmpfs (so the disk can be filled for real), its agents pointed at the private
// engine through DOCKER_HOST; plus the reads the verdict needs (processes, pid/touch files,
// ipcmonitor tables, the engine's containers and images) and the faults' primitive actions.
import { execFile, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { rootLayout } from "@outpost/agentbase";
import { isProcessAlive, MainLoop, sleep } from "@outpost/primitives";
import { PubSub, type Subscription, zmqTransport } from "@outpost/pubsub";
import { DIST_BIN, REPO, waitFor } from "@outpost/testkit";
import {
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  OutpostLabels,
  type WatchdogStatus,
  WatchdogStatusCodec,
  type ZedAgentStatus,
  ZedAgentStatusCodec,
} from "@outpost/types";
import {
  type AgentName,
  type AgentSeen,
  ALL_AGENTS,
  type ContainerSeen,
  type Observation,
} from "./verdict.js";

const run = promisify(execFile);
export const BOOT = resolve(REPO, "build/init/outpost-boot");
/** Every process the boot script starts inherits this variable (value: the node root), so a power
 * cut finds them all, whatever supervises what. */
const MARKER = "OUTPOST_CHAOS_NODE";

export class ChaosNode {
  readonly layout;
  constructor(
    readonly root: string,
    private readonly dockerHost: string,
    private readonly logDir: string,
  ) {
    this.layout = rootLayout(root);
  }

  get persist(): string {
    return join(this.root, "persist");
  }
  private get fillFile(): string {
    return join(this.persist, "chaos-fill");
  }

  /** persist/ as a tmpfs of `mb` MiB, before anything is written there. */
  mountPersist(mb: number): void {
    mkdirSync(this.persist, { recursive: true });
    const r = spawnSync(
      "mount",
      ["-t", "tmpfs", "-o", `size=${mb}m,mode=0755`, "chaos-persist", this.persist],
      {
        encoding: "utf8",
      },
    );
    if (r.status !== 0) throw new Error(`mount tmpfs on ${this.persist}: ${r.stderr}`);
  }

  unmountPersist(): void {
    if (readFileSync("/proc/mounts", "utf8").includes(` ${this.persist} `))
      spawnSync("umount", ["-l", this.persist], { stdio: "ignore" });
  }

  /** `outpost-boot <cmd>`; output appended to <logDir>/boot.log (a file, not a pipe: the agents it
   * leaves running must not hold this process's pipes open). */
  boot(cmd: "start" | "stop" | "status"): { status: number | null; output: string } {
    const file = join(this.logDir, "boot.log");
    const before = existsSync(file) ? statSync(file).size : 0;
    const fd = openSync(file, "a");
    writeSync(fd, `== ${new Date().toISOString()} outpost-boot ${cmd}\n`);
    const r = spawnSync("sh", [BOOT, "--root", this.root, cmd], {
      env: {
        ...process.env,
        DOCKER_HOST: this.dockerHost,
        OUTPOST_BIN: DIST_BIN,
        OUTPOST_CLIENT_ARGS: "--retry-max-ms 5000",
        [MARKER]: this.root,
      },
      stdio: ["ignore", fd, fd],
      timeout: 180_000,
    });
    closeSync(fd);
    return { status: r.status, output: readFileSync(file, "utf8").slice(before) };
  }

  /** Every live process of this node: the marker in its environment or the root in its command line. */
  processes(): number[] {
    const found: number[] = [];
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
      try {
        const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
        const mine =
          argv.includes(this.root) ||
          argv.includes(`--root=${this.root}`) ||
          readFileSync(`/proc/${d}/environ`, "utf8").split("\0").includes(`${MARKER}=${this.root}`);
        if (mine && isProcessAlive(Number(d))) found.push(Number(d));
      } catch {
        // Gone meanwhile.
      }
    }
    return found;
  }

  /** Live processes running `agent` for this node: its program (dist/bin/<agent>, or
   * `outpost <agent>`) and --root <root> in its command line. */
  agentPids(agent: string): number[] {
    return this.processes().filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        const rooted = argv.some(
          (a, i) => (a === "--root" && argv[i + 1] === this.root) || a === `--root=${this.root}`,
        );
        return rooted && programOf(argv) === agent;
      } catch {
        return false; // gone meanwhile
      }
    });
  }

  private agentSeen(agent: AgentName, now: number): AgentSeen {
    let pidFile: number | undefined;
    try {
      const n = Number(readFileSync(this.layout.pidFile(agent), "utf8").trim());
      if (Number.isSafeInteger(n) && n > 0) pidFile = n;
    } catch {
      // no pid file
    }
    let touchAgeMs: number | undefined;
    try {
      touchAgeMs = now - statSync(this.layout.touchFile(agent)).mtimeMs;
    } catch {
      // no touch file
    }
    return { pids: this.agentPids(agent), pidFile, touchAgeMs };
  }

  private async docker(args: string[]): Promise<string> {
    const { stdout } = await run("docker", ["-H", this.dockerHost, ...args], {
      timeout: 20_000,
      maxBuffer: 16 << 20,
    });
    return stdout;
  }

  async containers(): Promise<ContainerSeen[] | { unreadable: string }> {
    try {
      const out = await this.docker([
        "ps",
        "-a",
        "--filter",
        `label=${OutpostLabels.node}=${this.root}`,
        "--format",
        `{{.ID}}\t{{.State}}\t{{.Label "${OutpostLabels.app}"}}`,
      ]);
      return out
        .split("\n")
        .filter(Boolean)
        .map((l) => {
          const [id = "", state = "", app = ""] = l.split("\t");
          return { id, state, app };
        });
    } catch (e) {
      return { unreadable: (e as Error).message.split("\n")[0] ?? "error" };
    }
  }

  removeContainers(ids: string[]): void {
    if (ids.length) spawnSync("docker", ["-H", this.dockerHost, "rm", "-f", ...ids], { stdio: "ignore" });
  }

  async images(): Promise<Set<string> | { unreadable: string }> {
    try {
      return new Set((await this.docker(["images", "-q", "--no-trunc"])).split("\n").filter(Boolean));
    } catch (e) {
      return { unreadable: (e as Error).message.split("\n")[0] ?? "error" };
    }
  }

  /** The status tables the verdict reads, subscribed once in this process (spawning ipcmonitor
   * for each observation costs seconds on a loaded machine). Call after the boot made run/. */
  async subscribe(): Promise<void> {
    this.bus = new PubSub({
      agent: "chaos",
      transport: zmqTransport(this.layout.run),
      persistDir: this.layout.pubsubPersist,
      loop: new MainLoop((e) => console.error("chaos: bus task failed", e)),
    });
    this.subs = {
      apps: this.bus.subscribe({
        agent: "zedmanager",
        topic: "AppInstanceStatus",
        codec: AppInstanceStatusCodec,
      }),
      zedagent: this.bus.subscribe({
        agent: "zedagent",
        topic: "ZedAgentStatus",
        codec: ZedAgentStatusCodec,
      }),
      watchdog: this.bus.subscribe({
        agent: "watchdog",
        topic: "WatchdogStatus",
        codec: WatchdogStatusCodec,
      }),
    };
  }
  private bus: PubSub | undefined;
  private subs:
    | {
        apps: Subscription<AppInstanceStatus>;
        zedagent: Subscription<ZedAgentStatus>;
        watchdog: Subscription<WatchdogStatus>;
      }
    | undefined;

  async closeBus(): Promise<void> {
    await this.bus?.close().catch(() => undefined);
  }

  /** state per key of a table whose publisher answers now, or why it cannot be read. */
  private states(
    sub: Subscription<{ state: string }> | undefined,
  ): Record<string, string> | { unreadable: string } {
    if (!sub) return { unreadable: "not subscribed" };
    const silent = Date.now() - sub.lastHeardAt;
    if (!sub.synchronized || silent > 3000)
      return {
        unreadable: `${sub.id.agent} does not answer${sub.lastHeardAt ? ` for ${Math.round(silent / 1000)} s` : ""}`,
      };
    return Object.fromEntries(sub.entries().map(([k, v]) => [k, v.state]));
  }

  /** WatchdogStatus restarts per agent (since the watchdog started). */
  watchdogRestarts(): Record<string, number> {
    return Object.fromEntries((this.subs?.watchdog.entries() ?? []).map(([k, v]) => [k, v.restarts]));
  }

  /** The app's status as zedmanager publishes it now (for faults that look at its error). */
  appStatus(uuid: string): AppInstanceStatus | undefined {
    return this.subs?.apps.get(uuid);
  }

  async observe(): Promise<Observation> {
    const now = Date.now();
    const agents = Object.fromEntries(ALL_AGENTS.map((a) => [a, this.agentSeen(a, now)])) as Record<
      AgentName,
      AgentSeen
    >;
    const [containers, images] = await Promise.all([this.containers(), this.images()]);
    const zed = this.states(this.subs?.zedagent);
    const wd = this.states(this.subs?.watchdog);
    return {
      agents,
      apps: this.states(this.subs?.apps),
      containers,
      images,
      zedagentState: "unreadable" in zed ? undefined : zed.global,
      watchdog: "unreadable" in wd ? undefined : (wd as Record<string, string>),
    };
  }

  /** kill -9 of one agent's processes; waits until they are gone. Returns the pids killed. */
  async kill9(agent: string): Promise<number[]> {
    const pids = this.agentPids(agent);
    for (const p of pids) kill(p);
    await waitFor(() => pids.every((p) => !isProcessAlive(p)), 10_000, `${agent} to die`);
    return pids;
  }

  /** Power cut: kill -9 of every process of the node, again until none is left (a supervisor
   * could respawn something between two kills). */
  async powerCut(): Promise<number> {
    let killed = 0;
    for (let round = 0; round < 20; round++) {
      const left = this.processes();
      if (left.length === 0) return killed;
      for (const p of left) kill(p);
      killed += left.length;
      await sleep(100);
    }
    throw new Error(`processes of the node survive kill -9: ${this.processes().join(", ")}`);
  }

  /** Fills persist/ until a write fails with ENOSPC; returns the bytes written. */
  fillPersist(): number {
    const fd = openSync(this.fillFile, "a");
    let written = 0;
    try {
      for (const chunk of [1 << 20, 4096, 1]) {
        const b = Buffer.alloc(chunk, 0x5a);
        for (;;) {
          try {
            written += writeSync(fd, b);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOSPC") break;
            throw e;
          }
        }
      }
    } finally {
      closeSync(fd);
    }
    return written;
  }

  freePersist(): void {
    if (existsSync(this.fillFile)) unlinkSync(this.fillFile);
  }

  /** Bytes of the download in progress for `sha256` (downloader/pending/<sha>.part), 0 when none. */
  partBytes(sha256: string): number {
    try {
      return statSync(join(this.layout.agentPersist("downloader"), "pending", `${sha256}.part`)).size;
    } catch {
      return 0;
    }
  }

  /** A real reboot empties run/ (a tmpfs on a device). */
  clearRun(): void {
    rmSync(this.layout.run, { recursive: true, force: true });
  }

  /** Last lines of every agent's log, for a failure's detail file. */
  logs(lines = 20): string {
    return ALL_AGENTS.map((a) => {
      const f = this.layout.logFile(a);
      const tail = existsSync(f)
        ? readFileSync(f, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
        : "(none)";
      const errf = join(this.layout.log, `${a}.stderr`);
      const err = existsSync(errf)
        ? readFileSync(errf, "utf8").trimEnd().split("\n").slice(-5).join("\n")
        : "";
      return `--- ${a}\n${tail}${err ? `\n--- ${a}.stderr\n${err}` : ""}`;
    }).join("\n");
  }
}

/** Resident set size of a process in bytes (VmRSS), undefined when gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The Outpost program a command line runs: the first argument named like a dist/bin program,
 * or the word after `outpost` (the multi-call binary run by its own name). */
export function programOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const base = (argv[i] ?? "").split("/").pop() ?? "";
    // The interpreter and its flags come first when the program is a script.
    if (["node", "nodejs", "sh", "dash"].includes(base) || base.startsWith("-")) continue;
    if (base === "outpost") return argv[i + 1];
    return base;
  }
  return undefined;
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
