// A controller and a node joined by a network, for nim's tests and benchmarks: a "device" and an
// "upstream" namespace joined by a veth pair (dev0 in the device, up0 upstream). The controller and
// the servers a test adds (DHCP, ...) run upstream on the namespace address; the node's agents run in
// the device namespace. Nothing listens in the host's namespace; cleanup removes both namespaces.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readPersistentTable } from "@outpost/pubsub";
import { ipcTable } from "./controller-rig.js";
import { type DhcpServer, type DhcpServerOptions, startDhcpServer } from "./netlab.js";
import { NetNs } from "./netns.js";
import { Procs, removeRoot, tempRoot } from "./processes.js";
import { waitFor } from "./wait.js";

export const NET_RIG_PREFIX = "opnr";

export class NetRig {
  readonly procs = new Procs();
  readonly croot = tempRoot("opnr-c-");
  readonly nroot = tempRoot("opnr-n-");
  readonly serial = `SN-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  readonly id = `${process.pid % 100000}`;
  readonly dev: NetNs;
  readonly up: NetNs;
  /** The upstream subnet's first three octets (10.2xx.N). */
  readonly net: string;
  readonly upIp: string;
  server = "";
  private readonly agents = new Map<string, ReturnType<Procs["start"]>>();
  private dhcpd: DhcpServer | undefined;

  constructor() {
    // Leftovers of a killed run of this test file are removed first.
    for (const n of NetNs.list(`${NET_RIG_PREFIX}${this.id}`)) new NetNs(n).remove();
    this.dev = NetNs.create(`${NET_RIG_PREFIX}${this.id}d`);
    this.up = NetNs.create(`${NET_RIG_PREFIX}${this.id}u`);
    this.net = `10.${200 + (process.pid % 50)}.${(process.pid >> 6) % 250}`;
    this.upIp = `${this.net}.1`;
    this.dev.veth("dev0", this.up, "up0", { there: `${this.upIp}/24` });
  }

  /** The controller, upstream, on the namespace address (port: any free one). */
  async startController(): Promise<void> {
    const p = this.procs.start(
      "controller",
      ["--root", this.croot, "--listen", `${this.upIp}:0`, "--insecure-single-token"],
      {},
      {
        netns: this.up.name,
      },
    );
    await waitFor(
      () => p.output().includes("controller listening") || p.exitCode !== null,
      15_000,
      "controller to listen",
    );
    const file = join(this.croot, "persist/controller/server");
    if (!existsSync(file)) throw new Error(`controller did not start:\n${p.output()}`);
    this.server = readFileSync(file, "utf8").trim();
  }

  /** `ctl` against the controller (run upstream, where it listens). */
  ctl(...args: string[]): string {
    const r = this.procs.run("ctl", ["--root", this.croot, ...args], 20_000, this.up.name);
    if (r.status !== 0) throw new Error(`ctl ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  ctlJson<T>(...args: string[]): T {
    return JSON.parse(this.ctl("--json", ...args)) as T;
  }

  /** Node config files (server, root cert, onboarding cert) for this node. */
  nodeConfig(): void {
    this.ctl("node-config", this.nroot, "--serial", this.serial);
  }

  setConfig(doc: string): { version: number } {
    const file = join(this.croot, `doc-${Date.now()}-${Math.random()}.yaml`);
    writeFileSync(file, doc);
    return this.ctlJson("config", "set", this.serial, file);
  }

  /** busybox udhcpd upstream, handing out .100-.150 with the upstream address as router and DNS. */
  startDhcp(o: Partial<DhcpServerOptions> = {}): DhcpServer {
    this.dhcpd = startDhcpServer(this.up, {
      ifname: "up0",
      dir: join(this.croot, "dhcpd"),
      start: `${this.net}.100`,
      end: `${this.net}.150`,
      router: this.upIp,
      dns: [this.upIp],
      ntp: [this.upIp],
      domain: "outpost.test",
      ...o,
    });
    return this.dhcpd;
  }

  async stopDhcp(): Promise<void> {
    await this.dhcpd?.stop();
    this.dhcpd = undefined;
  }

  /** A node agent (or the client) in the device namespace. */
  start(program: string, args: string[] = []): ReturnType<Procs["start"]> {
    const p = this.procs.start(program, ["--root", this.nroot, ...args], {}, { netns: this.dev.name });
    this.agents.set(program, p);
    return p;
  }

  agent(program: string): ReturnType<Procs["start"]> | undefined {
    return this.agents.get(program);
  }

  /** A table as ipcmonitor prints it. */
  table<T>(agent: string, topic: string): Record<string, T> {
    return ipcTable<T>(this.procs, this.nroot, agent, topic);
  }

  async onboardingUuid(): Promise<string | undefined> {
    try {
      const t = await readPersistentTable(join(this.nroot, "persist/pubsub"), "client", "/OnboardingStatus");
      const raw = t.get("global");
      return raw ? (JSON.parse(raw.toString()) as { deviceUuid?: string }).deviceUuid : undefined;
    } catch {
      return undefined;
    }
  }

  log(agent: string, lines = 30): string {
    const f = join(this.nroot, "persist/log", `${agent}.log`);
    return existsSync(f)
      ? readFileSync(f, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
      : `(no ${agent} log)`;
  }

  async cleanup(): Promise<void> {
    await this.stopDhcp();
    // SIGTERM first so nim stops its DHCP clients, then whatever is left is killed.
    await Promise.all(
      [...this.agents.values()].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            const t = setTimeout(r, 5000);
            c.once("exit", () => {
              clearTimeout(t);
              r();
            });
            c.kill("SIGTERM");
          }),
      ),
    );
    this.procs.cleanup();
    this.dev.remove();
    this.up.remove();
    removeRoot(this.nroot);
    removeRoot(this.croot);
  }
}
