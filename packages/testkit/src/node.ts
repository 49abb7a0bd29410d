// A whole node's app agents (zedmanager, volumemgr, downloader, verifier, domainmgr) as processes
// from dist/bin under one temp root, plus a bus in the test process that publishes as "zedagent"
// (DatastoreConfig, ContentTreeConfig, VolumeConfig, AppInstanceConfig) and watches every status.
// `stop()` kills every process, closes the bus, removes the node's containers, volumes and images
// (by its node label = its root) and the root itself — call it in afterEach, pass or fail.
// Test-only: never imported by an agent.
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLayout, rootLayout } from "@outpost/agentbase";
import { isProcessAlive, MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, type Subscription, zmqTransport } from "@outpost/pubsub";
import {
  type AppInstanceConfig,
  AppInstanceConfigCodec,
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  BlobStatusCodec,
  type Codec,
  type ContentTreeConfig,
  ContentTreeConfigCodec,
  ContentTreeStatusCodec,
  type DatastoreConfig,
  DatastoreConfigCodec,
  DomainConfigCodec,
  DomainStatusCodec,
  DownloaderStatusCodec,
  VerifyImageStatusCodec,
  type VolumeConfig,
  VolumeConfigCodec,
  VolumeRefConfigCodec,
  VolumeRefStatusCodec,
  VolumeStatusCodec,
} from "@outpost/types";
import { removeByNodeLabel } from "./images.js";
import { Procs, removeRoot, tempRoot } from "./processes.js";
import { waitFor } from "./wait.js";

export const APP_AGENTS = ["zedmanager", "volumemgr", "downloader", "verifier", "domainmgr"] as const;
export type AppAgent = (typeof APP_AGENTS)[number];

export interface TestNodeOptions {
  /** Which agents to start now (default: all five). Others can be started later with startAgent. */
  agents?: readonly AppAgent[];
  /** Extra command-line flags per agent. */
  args?: Partial<Record<AppAgent, string[]>>;
  /** Temp-root prefix (keep it short: ipc socket paths are limited to 107 bytes). */
  prefix?: string;
  /** false: zedagent's tables start synchronized but not complete (as before zedagent applied its
   * first config); the test calls signalRestarted on them itself. Default true. */
  zedagentComplete?: boolean;
}

export class TestNode {
  readonly procs = new Procs();
  private readonly running = new Map<AppAgent, ChildProcess & { output: () => string }>();
  private constructor(
    readonly root: string,
    readonly bus: PubSub,
    private readonly opts: TestNodeOptions,
    /** zedagent's tables, published by the test. */
    readonly datastores: Publication<DatastoreConfig>,
    readonly contentTrees: Publication<ContentTreeConfig>,
    readonly volumes: Publication<VolumeConfig>,
    readonly apps: Publication<AppInstanceConfig>,
  ) {}

  static async start(opts: TestNodeOptions = {}): Promise<TestNode> {
    const root = tempRoot(opts.prefix ?? "opn-");
    const layout = rootLayout(root);
    ensureLayout(layout);
    const bus = new PubSub({
      agent: "zedagent",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop((e) => console.error("test bus task failed", e)),
    });
    const node = new TestNode(
      root,
      bus,
      opts,
      await bus.publish({ topic: "DatastoreConfig", codec: DatastoreConfigCodec }),
      await bus.publish({ topic: "ContentTreeConfig", codec: ContentTreeConfigCodec }),
      await bus.publish({ topic: "VolumeConfig", codec: VolumeConfigCodec }),
      await bus.publish({ topic: "AppInstanceConfig", codec: AppInstanceConfigCodec }),
    );
    // zedagent's tables are complete from the start (the test adds to them): owners downstream
    // garbage-collect only after this.
    if (opts.zedagentComplete !== false)
      for (const p of [node.datastores, node.contentTrees, node.volumes, node.apps]) p.signalRestarted();
    // Watched from the start, so a test reads a table that is already complete.
    for (const get of [
      () => node.appStatus,
      () => node.domainConfig,
      () => node.volumeRefConfig,
      () => node.volumeRefStatus,
      () => node.contentTreeStatus,
      () => node.volumeStatus,
      () => node.blobStatus,
      () => node.downloaderStatus,
      () => node.verifyImageStatus,
      () => node.domainStatus,
    ])
      get();
    for (const a of opts.agents ?? APP_AGENTS) node.startAgent(a);
    return node;
  }

  /** The value of the node label on everything this node creates in the Docker engine. */
  get nodeLabel(): string {
    return rootLayout(this.root).root;
  }

  // Every table the agents publish, subscribed on demand.
  private readonly subs = new Map<string, Subscription<unknown>>();
  watch<T>(agent: string, topic: string, codec: Codec<T>): Subscription<T> {
    const id = `${agent}/${topic}`;
    let s = this.subs.get(id);
    if (!s) {
      s = this.bus.subscribe({ agent, topic, codec }) as Subscription<unknown>;
      this.subs.set(id, s);
    }
    return s as Subscription<T>;
  }
  get appStatus() {
    return this.watch("zedmanager", "AppInstanceStatus", AppInstanceStatusCodec);
  }
  get domainConfig() {
    return this.watch("zedmanager", "DomainConfig", DomainConfigCodec);
  }
  get volumeRefConfig() {
    return this.watch("zedmanager", "VolumeRefConfig", VolumeRefConfigCodec);
  }
  get volumeRefStatus() {
    return this.watch("volumemgr", "VolumeRefStatus", VolumeRefStatusCodec);
  }
  get contentTreeStatus() {
    return this.watch("volumemgr", "ContentTreeStatus", ContentTreeStatusCodec);
  }
  get volumeStatus() {
    return this.watch("volumemgr", "VolumeStatus", VolumeStatusCodec);
  }
  get blobStatus() {
    return this.watch("volumemgr", "BlobStatus", BlobStatusCodec);
  }
  get downloaderStatus() {
    return this.watch("downloader", "DownloaderStatus", DownloaderStatusCodec);
  }
  get verifyImageStatus() {
    return this.watch("verifier", "VerifyImageStatus", VerifyImageStatusCodec);
  }
  get domainStatus() {
    return this.watch("domainmgr", "DomainStatus", DomainStatusCodec);
  }

  startAgent(agent: AppAgent): ChildProcess {
    const prev = this.running.get(agent);
    if (prev && prev.exitCode === null && prev.signalCode === null)
      throw new Error(`${agent} is already running`);
    const child = this.procs.start(agent, ["--root", this.root, ...(this.opts.args?.[agent] ?? [])]);
    this.running.set(agent, child);
    return child;
  }

  pid(agent: AppAgent): number | undefined {
    const c = this.running.get(agent);
    return c && c.exitCode === null && c.signalCode === null ? c.pid : undefined;
  }

  /** Waits until the agent's touch file exists (its main loop is up). */
  async waitUp(agent: AppAgent, timeoutMs = 15_000): Promise<void> {
    await waitFor(() => existsSync(rootLayout(this.root).touchFile(agent)), timeoutMs, `${agent} to come up`);
  }

  /** SIGKILL: no clean-up of any kind, like a crash. */
  async kill9(agent: AppAgent): Promise<void> {
    await this.signalAndWait(agent, "SIGKILL", 5000);
  }

  /** SIGTERM and wait for an orderly exit (SIGKILL after the deadline). */
  async stopAgent(agent: AppAgent, timeoutMs = 15_000): Promise<void> {
    try {
      await this.signalAndWait(agent, "SIGTERM", timeoutMs);
    } catch {
      await this.signalAndWait(agent, "SIGKILL", 5000);
    }
  }

  private async signalAndWait(agent: AppAgent, sig: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const c = this.running.get(agent);
    const pid = c?.pid;
    if (!c || !pid || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    process.kill(pid, sig);
    await Promise.race([
      exited,
      new Promise((_, rej) => setTimeout(() => rej(new Error(`${agent} did not exit`)), timeoutMs)),
    ]);
    await waitFor(() => !isProcessAlive(pid), 5000, `${agent} (${pid}) to be gone`);
  }

  /** The last `lines` lines of an agent's JSON log, for failure messages. */
  log(agent: AppAgent, lines = 40): string {
    const f = rootLayout(this.root).logFile(agent);
    if (!existsSync(f)) return `(no log for ${agent})`;
    return readFileSync(f, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  }

  /** Every agent's log tail, for a failed test's message. */
  logs(lines = 15): string {
    return APP_AGENTS.map((a) => `--- ${a}\n${this.log(a, lines)}`).join("\n");
  }

  /** Waits until the app's status satisfies `pred`; the error names the last status and the logs. */
  async waitApp(
    uuid: string,
    pred: (s: AppInstanceStatus) => boolean,
    timeoutMs = 60_000,
    what = "app status",
  ): Promise<AppInstanceStatus> {
    return waitFor(
      () => {
        const s = this.appStatus.get(uuid);
        return s && pred(s) ? s : undefined;
      },
      timeoutMs,
      () => `${what} of ${uuid}; last: ${JSON.stringify(this.appStatus.get(uuid))}\n${this.logs()}`,
      50,
    );
  }

  waitState(uuid: string, state: AppInstanceStatus["state"], timeoutMs = 60_000): Promise<AppInstanceStatus> {
    return this.waitApp(uuid, (s) => s.state === state, timeoutMs, `state ${state}`);
  }

  /** Stops every agent (SIGTERM, then SIGKILL), e.g. to start them again on the same root. */
  async stopAgents(): Promise<void> {
    await Promise.all([...this.running.keys()].map((a) => this.stopAgent(a)));
  }

  async stop(): Promise<void> {
    this.procs.cleanup();
    this.running.clear();
    await this.bus.close().catch(() => undefined);
    removeByNodeLabel(this.nodeLabel);
    removeRoot(this.root);
  }
}

/** A persisted agent file path under this node's root (e.g. persist/downloader/downloaded/<sha>). */
export function nodePath(node: TestNode, ...parts: string[]): string {
  return join(node.root, ...parts);
}
