// End-to-end rig for zedagent tests and benchmarks: a reference controller and one node, all real processes from dist/bin
// under temp roots, over real TLS, with the real Docker engine. The node's agents are started directly
// (zedagent + the five app agents) so a test can stop and start them all like a node restart.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import type { AppInstanceStatus, ZedAgentStatus } from "@outpost/types";
import { buildTestImage, removeByNodeLabel, removeImages, saveImage } from "./images.js";
import { Procs, removeRoot, tempRoot } from "./processes.js";
import { freePort } from "./registry.js";
import { waitFor } from "./wait.js";

/** The agents of a node that runs apps, in outpost-boot's start order (chaos adds ledmanager). */
export const NODE_AGENTS = [
  "nodeagent",
  "newlogd",
  "zedagent",
  "zedmanager",
  "zedrouter",
  "volumemgr",
  "downloader",
  "verifier",
  "domainmgr",
  "baseosmgr",
  "loguploader",
] as const;

/** A node's table as `ipcmonitor --json` prints it (the operator's view); {} when none answers. */
export function ipcTable<T>(procs: Procs, nroot: string, agent: string, topic: string): Record<string, T> {
  const r = procs.run("ipcmonitor", ["--root", nroot, "-a", agent, "-t", topic, "--json", "--wait", "2000"]);
  if (r.status !== 0) return {};
  try {
    return (JSON.parse(r.stdout.split("\n")[0] ?? "{}") as { entries?: Record<string, T> }).entries ?? {};
  } catch {
    return {};
  }
}

export interface InfoRecord {
  at: string;
  key: string;
  value: { ainfo?: { AppID?: string; AppName?: string; state?: string }; [k: string]: unknown };
}

export class Rig {
  readonly procs = new Procs();
  readonly croot = tempRoot("opz-c-");
  readonly nroot = tempRoot("opz-n-");
  readonly serial = `SN-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  port = 0;
  private controller: ReturnType<Procs["start"]> | undefined;
  private readonly agents = new Map<string, ReturnType<Procs["start"]>>();
  /** Extra flags of the controller (kept across restarts). */
  readonly controllerArgs: string[] = [];
  /** Extra flags per node agent, used by startAgents. */
  readonly agentArgs: Partial<Record<(typeof NODE_AGENTS)[number], string[]>> = {};

  get dataDir(): string {
    return join(this.croot, "persist/controller");
  }
  get nodeLabel(): string {
    return rootLayout(this.nroot).root;
  }

  async startController(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const p = this.procs.start("controller", [
      "--root",
      this.croot,
      "--listen",
      `127.0.0.1:${this.port}`,
      "--insecure-single-token",
      ...this.controllerArgs,
    ]);
    this.controller = p;
    await waitFor(
      () => p.output().includes("controller listening") || p.exitCode !== null,
      15_000,
      "controller to listen",
    );
    if (p.exitCode !== null) throw new Error(`controller exited:\n${p.output()}`);
  }

  async stopController(): Promise<void> {
    const p = this.controller;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once("exit", () => r());
      p.kill("SIGTERM");
    });
  }

  ctl(...args: string[]): string {
    const r = this.procs.run("ctl", ["--root", this.croot, ...args]);
    if (r.status !== 0) throw new Error(`ctl ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  ctlJson<T>(...args: string[]): T {
    return JSON.parse(this.ctl("--json", ...args)) as T;
  }

  /** Node config files, then onboarding (the client, as the boot script runs it). Asynchronous: the
   * server it talks to may live in this test process. */
  async onboard(server?: string): Promise<void> {
    this.ctl("node-config", this.nroot, "--serial", this.serial);
    if (server) writeFileSync(join(this.nroot, "config/server"), `${server}\n`);
    const c = this.procs.start("client", [
      "--root",
      this.nroot,
      "selfRegister",
      "getUuid",
      "--attempts",
      "3",
    ]);
    const code = await new Promise<number | null>((r) => c.once("exit", (n) => r(n)));
    if (code !== 0) throw new Error(`client failed (${code}): ${c.output()}`);
  }

  /** A busybox image saved into the controller's datastore; returns the doc fragments' values. */
  image(name: string, cmd: string[]): { url: string; sha256: string } {
    const tag = `outpost-test/${name}-${process.pid}:1`;
    buildTestImage(tag, { cmd, node: this.nodeLabel });
    mkdirSync(join(this.dataDir, "datastore"), { recursive: true });
    const url = `${name}.tar`;
    const file = join(this.dataDir, "datastore", url);
    saveImage(tag, file);
    removeImages(tag);
    return { url, sha256: createHash("sha256").update(readFileSync(file)).digest("hex") };
  }

  setConfig(doc: string): { version: number; configHash: string } {
    const file = join(this.croot, `doc-${Date.now()}.yaml`);
    writeFileSync(file, doc);
    return this.ctlJson("config", "set", this.serial, file);
  }

  /** Starts the node's agents (all by default, or `only` those, e.g. the log path alone) not running. */
  startAgents(only: readonly (typeof NODE_AGENTS)[number][] = NODE_AGENTS): void {
    for (const a of only) {
      const prev = this.agents.get(a);
      if (prev && prev.exitCode === null && prev.signalCode === null) continue;
      this.agents.set(a, this.procs.start(a, ["--root", this.nroot, ...(this.agentArgs[a] ?? [])]));
    }
  }

  /** SIGTERM every node agent and wait (like a node shutdown). */
  async stopAgents(): Promise<void> {
    await Promise.all(
      [...this.agents.values()].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            const t = setTimeout(() => c.kill("SIGKILL"), 15_000);
            c.once("exit", () => {
              clearTimeout(t);
              r();
            });
            c.kill("SIGTERM");
          }),
      ),
    );
    this.agents.clear();
  }

  /** A table as ipcmonitor prints it (--json): the observable view an operator has. */
  table<T>(agent: string, topic: string): Record<string, T> {
    return ipcTable<T>(this.procs, this.nroot, agent, topic);
  }

  app(uuid: string): AppInstanceStatus | undefined {
    return this.table<AppInstanceStatus>("zedmanager", "AppInstanceStatus")[uuid];
  }

  get zedagentStatus(): ZedAgentStatus | undefined {
    return this.table<ZedAgentStatus>("zedagent", "ZedAgentStatus").global;
  }

  log(agent: string, lines = 30): string {
    const f = rootLayout(this.nroot).logFile(agent);
    return existsSync(f)
      ? readFileSync(f, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
      : `(no ${agent} log)`;
  }

  logs(): string {
    return NODE_AGENTS.map((a) => `--- ${a}\n${this.log(a, 12)}`).join("\n");
  }

  async waitApp(uuid: string, pred: (s: AppInstanceStatus) => boolean, what: string, timeoutMs = 120_000) {
    let last: AppInstanceStatus | undefined;
    try {
      await waitFor(
        () => {
          last = this.app(uuid);
          return last !== undefined && pred(last);
        },
        timeoutMs,
        what,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last ${JSON.stringify(last)}\n${this.logs()}`);
    }
    return last as AppInstanceStatus;
  }

  async waitZedagent(pred: (s: ZedAgentStatus) => boolean, what: string, timeoutMs = 60_000) {
    let last: ZedAgentStatus | undefined;
    try {
      await waitFor(
        () => {
          last = this.zedagentStatus;
          return last !== undefined && pred(last);
        },
        timeoutMs,
        what,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last ${JSON.stringify(last)}\n${this.log("zedagent")}`);
    }
    return last as ZedAgentStatus;
  }

  info(): InfoRecord[] {
    return this.ctlJson<InfoRecord[]>("info", this.serial);
  }

  async waitInfo(
    pred: (r: InfoRecord[]) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<InfoRecord[]> {
    let last: InfoRecord[] = [];
    return waitFor(
      () => {
        last = this.info();
        return pred(last) ? last : undefined;
      },
      timeoutMs,
      () => `${what}; info: ${JSON.stringify(last).slice(0, 2000)}\n${this.log("zedagent")}`,
      500,
    );
  }

  async cleanup(): Promise<void> {
    this.procs.cleanup();
    removeByNodeLabel(this.nodeLabel);
    // A create that the killed domainmgr had already sent is finished by the engine after it died (seen
    // once: a "Created" container left behind): look again once such a request has had time to land.
    // Only a node where domainmgr ran (its log file, however it was started) can have one.
    if (existsSync(rootLayout(this.nroot).logFile("domainmgr"))) {
      await new Promise((r) => setTimeout(r, 500));
      removeByNodeLabel(this.nodeLabel);
    }
    removeRoot(this.nroot);
    removeRoot(this.croot);
  }
}

/** A config document with one app from the controller's own https datastore. */
export function appDoc(o: {
  server: string;
  image: { url: string; sha256: string };
  apps: { id: string; env?: Record<string, string> }[];
  interval?: number;
}): string {
  const apps = o.apps
    .map(
      (a) => `  - id: ${a.id}
    name: ${a.id}
    volumes: [{ id: ${a.id}-root }]
    env: ${JSON.stringify(a.env ?? {})}`,
    )
    .join("\n");
  const vols = o.apps.map((a) => `  - { id: ${a.id}-root, contentTree: img }`).join("\n");
  return `datastores:
  - { id: ctrl, type: https, fqdn: "https://${o.server}", path: datastore }
contentTrees:
  - { id: img, datastore: ctrl, url: ${o.image.url}, sha256: "${o.image.sha256}" }
volumes:
${vols || "  []"}
apps:
${apps || "  []"}
configItems:
  timer.config.interval: "${o.interval ?? 1}"
  timer.metric.interval: "2"
`;
}
