// Test harness for downloader/verifier process tests: a temp root, the agents from dist/bin, and a
// bus in the test process publishing as "volumemgr" (DownloaderConfig, ResolveConfig,
// VerifyImageConfig) and "zedagent" (DatastoreConfig), watching the statuses.
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { ensureLayout, rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, type Subscription, zmqTransport } from "@outpost/pubsub";
import { Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import {
  type DatastoreConfig,
  DatastoreConfigCodec,
  type DownloaderConfig,
  DownloaderConfigCodec,
  type DownloaderStatus,
  DownloaderStatusCodec,
  type ResolveConfig,
  ResolveConfigCodec,
  type ResolveStatus,
  ResolveStatusCodec,
  type VerifyImageConfig,
  VerifyImageConfigCodec,
  type VerifyImageStatus,
  VerifyImageStatusCodec,
} from "@outpost/types";

export class DownloadNode {
  readonly procs = new Procs();
  readonly layout;
  private constructor(
    readonly root: string,
    private readonly buses: PubSub[],
    readonly datastores: Publication<DatastoreConfig>,
    readonly downloads: Publication<DownloaderConfig>,
    readonly resolves: Publication<ResolveConfig>,
    readonly verifies: Publication<VerifyImageConfig>,
    readonly dlStatus: Subscription<DownloaderStatus>,
    readonly resolveStatus: Subscription<ResolveStatus>,
    readonly verifyStatus: Subscription<VerifyImageStatus>,
  ) {
    this.layout = rootLayout(root);
  }

  /** `prepare` runs after the root exists and before anything opens files in it (mount a tmpfs). */
  static async start(prepare?: (root: string) => void): Promise<DownloadNode> {
    const root = tempRoot("opd-");
    prepare?.(root);
    const layout = rootLayout(root);
    ensureLayout(layout);
    const loop = new MainLoop();
    const volumemgr = new PubSub({
      agent: "volumemgr",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop,
    });
    const zedagent = new PubSub({
      agent: "zedagent",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop,
    });
    const datastores = await zedagent.publish({ topic: "DatastoreConfig", codec: DatastoreConfigCodec });
    const downloads = await volumemgr.publish({ topic: "DownloaderConfig", codec: DownloaderConfigCodec });
    const resolves = await volumemgr.publish({ topic: "ResolveConfig", codec: ResolveConfigCodec });
    const verifies = await volumemgr.publish({ topic: "VerifyImageConfig", codec: VerifyImageConfigCodec });
    const dlStatus = volumemgr.subscribe({
      agent: "downloader",
      topic: "DownloaderStatus",
      codec: DownloaderStatusCodec,
    });
    const resolveStatus = volumemgr.subscribe({
      agent: "downloader",
      topic: "ResolveStatus",
      codec: ResolveStatusCodec,
    });
    const verifyStatus = volumemgr.subscribe({
      agent: "verifier",
      topic: "VerifyImageStatus",
      codec: VerifyImageStatusCodec,
    });
    return new DownloadNode(
      root,
      [volumemgr, zedagent],
      datastores,
      downloads,
      resolves,
      verifies,
      dlStatus,
      resolveStatus,
      verifyStatus,
    );
  }

  startDownloader(args: string[] = []) {
    const c = this.procs.start("downloader", ["--root", this.root, "--touch-interval-ms", "200", ...args]);
    this.children.set("downloader", c);
    return c;
  }

  startVerifier(args: string[] = []) {
    const c = this.procs.start("verifier", ["--root", this.root, "--touch-interval-ms", "200", ...args]);
    this.children.set("verifier", c);
    return c;
  }

  private readonly children = new Map<string, ChildProcess>();

  /** SIGKILL an agent and wait until it is reaped (a zombie still holds its pid file). */
  async kill9(agent: "downloader" | "verifier"): Promise<void> {
    const child = this.children.get(agent);
    if (!child || child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${agent} is not running`);
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGKILL");
    await exited;
  }

  pid(agent: string): number {
    return Number(readFileSync(this.layout.pidFile(agent), "utf8"));
  }

  async waitDownload(
    sha: string,
    pred: (s: DownloaderStatus) => boolean,
    timeoutMs = 30_000,
    what = "download status",
  ): Promise<DownloaderStatus> {
    await waitFor(
      () => {
        const s = this.dlStatus.get(sha);
        return s !== undefined && pred(s);
      },
      timeoutMs,
      () => `${what} of ${sha.slice(0, 12)} (now ${JSON.stringify(this.dlStatus.get(sha))})\n${this.logs()}`,
    );
    return this.dlStatus.get(sha) as DownloaderStatus;
  }

  async waitVerify(
    sha: string,
    pred: (s: VerifyImageStatus) => boolean,
    timeoutMs = 30_000,
    what = "verify status",
  ): Promise<VerifyImageStatus> {
    await waitFor(
      () => {
        const s = this.verifyStatus.get(sha);
        return s !== undefined && pred(s);
      },
      timeoutMs,
      () =>
        `${what} of ${sha.slice(0, 12)} (now ${JSON.stringify(this.verifyStatus.get(sha))})\n${this.logs()}`,
    );
    return this.verifyStatus.get(sha) as VerifyImageStatus;
  }

  logs(): string {
    const read = (a: string) => {
      try {
        return readFileSync(this.layout.logFile(a), "utf8").split("\n").slice(-15).join("\n");
      } catch {
        return "";
      }
    };
    const out = (a: string) =>
      (this.children.get(a) as { output?: () => string } | undefined)?.output?.().slice(-2000) ?? "";
    return `--- downloader log tail\n${read("downloader")}\n--- verifier log tail\n${read("verifier")}\n--- downloader output\n${out("downloader")}`;
  }

  async stop(keepRoot = false): Promise<void> {
    this.procs.cleanup();
    await Promise.allSettled(this.buses.map((b) => b.close()));
    if (!keepRoot && !process.env.OUTPOST_KEEP_ROOT) removeRoot(this.root);
  }
}

export { randomFile, sha256Of } from "@outpost/testkit";

export function httpDatastore(
  id: string,
  host: string,
  extra: Partial<DatastoreConfig> = {},
): DatastoreConfig {
  return {
    id,
    type: "http",
    fqdn: host,
    path: "",
    username: "",
    password: "",
    caCertsPem: [],
    insecure: false,
    ...extra,
  };
}

export function blob(
  sha256: string,
  datastoreId: string,
  relativeUrl: string,
  extra: Partial<DownloaderConfig> = {},
): DownloaderConfig {
  return { sha256, datastoreId, relativeUrl, kind: "archive", size: 0, maxSizeBytes: 0, retry: 0, ...extra };
}
