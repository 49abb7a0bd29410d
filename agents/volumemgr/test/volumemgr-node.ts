// The node volumemgr's process tests run: volumemgr, downloader and verifier as real processes from
// dist/bin, zedagent's tables published by the test (through TestNode) and zedmanager's VolumeRefConfig
// by a test bus of its own; plus the Docker and image helpers those tests share.

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, zmqTransport } from "@outpost/pubsub";
import {
  buildTestImage,
  removeImages,
  saveImage,
  type TestDatastore,
  TestNode,
  waitFor,
} from "@outpost/testkit";
import {
  type ContentTreeConfig,
  type ContentTreeStatus,
  type VolumeRefConfig,
  VolumeRefConfigCodec,
  type VolumeRefStatus,
} from "@outpost/types";
import { dockerVolumeName, imageRepo } from "../src/naming.js";

export const docker = (...args: string[]) =>
  execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
export const dockerOk = (...args: string[]) => spawnSync("docker", args, { stdio: "ignore" }).status === 0;
export const sha256File = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");

/** A node running volumemgr, downloader and verifier, with zedagent and zedmanager tables in the test. */
export class Node {
  private constructor(
    readonly t: TestNode,
    public zm: PubSub,
    public refs: Publication<VolumeRefConfig>,
  ) {}

  /** `volumeConfigsComplete: false`: zedagent has not said restarted on VolumeConfig yet (it has not
   * applied its first config). */
  static async start(
    volumemgrArgs: string[] = [],
    o: { volumeConfigsComplete?: boolean } = {},
  ): Promise<Node> {
    const t = await TestNode.start({
      agents: ["downloader", "verifier", "volumemgr"],
      prefix: "opv-",
      // --debug: each planner pass is logged ("pass"), which morePasses counts.
      args: { volumemgr: ["--tick-ms", "300", "--debug", ...volumemgrArgs] },
      zedagentComplete: o.volumeConfigsComplete !== false,
    });
    const zm = await Node.zedmanagerBus(t.root);
    // Both owners' tables are complete from the start: volumemgr may garbage-collect.
    for (const p of [t.datastores, t.contentTrees, zm.refs]) p.signalRestarted();
    return new Node(t, zm.bus, zm.refs);
  }

  private static async zedmanagerBus(root: string) {
    const bus = new PubSub({
      agent: "zedmanager",
      transport: zmqTransport(rootLayout(root).run),
      persistDir: rootLayout(root).pubsubPersist,
      loop: new MainLoop((e) => console.error("zedmanager test bus task failed", e)),
    });
    return { bus, refs: await bus.publish({ topic: "VolumeRefConfig", codec: VolumeRefConfigCodec }) };
  }

  /** zedmanager "restarts": a new publisher with an empty VolumeRefConfig that has not said restarted. */
  async restartZedmanager(): Promise<void> {
    await this.zm.close();
    const zm = await Node.zedmanagerBus(this.root);
    this.zm = zm.bus;
    this.refs = zm.refs;
  }

  get root() {
    return this.t.root;
  }

  async http(id: string, ds: TestDatastore) {
    await this.datastore(id, "http", ds.host);
  }

  /** A plain-http registry on loopback (TestRegistry: insecure, as docker treats 127.0.0.0/8). */
  async registry(id: string, reg: { host: string }) {
    await this.datastore(id, "registry", reg.host, true);
  }

  private async datastore(id: string, type: "http" | "registry", fqdn: string, insecure = false) {
    await this.t.datastores.set(id, {
      id,
      type,
      fqdn,
      path: "",
      username: "",
      password: "",
      caCertsPem: [],
      insecure,
    });
  }

  async tree(c: Partial<ContentTreeConfig> & { id: string; datastoreId: string; relativeUrl: string }) {
    await this.t.contentTrees.set(c.id, {
      format: "CONTAINER",
      sha256: "",
      maxSizeBytes: 0,
      displayName: c.id,
      generation: 0,
      ...c,
    });
  }

  /** A download volume (or blank when no tree) plus zedmanager's ref to it. */
  async volume(id: string, contentTreeId?: string, localGeneration = 0) {
    await this.t.volumes.set(`${id}#0`, {
      id,
      generation: 0,
      origin: contentTreeId ? "download" : "blank",
      contentTreeId: contentTreeId ?? "",
      maxSizeBytes: 0,
      readOnly: false,
      displayName: id,
    });
    await this.refs.set(`${id}#0`, { volumeId: id, generation: 0, apps: ["app1"], localGeneration });
  }

  async waitRef(
    key: string,
    pred: (s: VolumeRefStatus) => boolean,
    what: string,
    timeoutMs = 45_000,
  ): Promise<VolumeRefStatus> {
    await this.waitFor(
      () => {
        const s = this.t.volumeRefStatus.get(key);
        return s !== undefined && pred(s);
      },
      `${what}; last VolumeRefStatus ${JSON.stringify(this.t.volumeRefStatus.get(key))}`,
      timeoutMs,
    );
    return this.t.volumeRefStatus.get(key) as VolumeRefStatus;
  }

  async waitTree(
    id: string,
    pred: (s: ContentTreeStatus) => boolean,
    what: string,
    timeoutMs = 45_000,
  ): Promise<ContentTreeStatus> {
    await this.waitFor(
      () => {
        const s = this.t.contentTreeStatus.get(id);
        return s !== undefined && pred(s);
      },
      `${what}; last ContentTreeStatus ${JSON.stringify(this.t.contentTreeStatus.get(id))}`,
      timeoutMs,
    );
    return this.t.contentTreeStatus.get(id) as ContentTreeStatus;
  }

  /** Waits until `n` more planner passes have started than now (so n - 1 have run in full, seeing
   * everything that happened before this call): the event under test had its chance to cause an
   * action before the test asserts that none happened. */
  async morePasses(n = 3): Promise<void> {
    const log = rootLayout(this.root).logFile("volumemgr");
    const count = () => (readFileSync(log, "utf8").match(/"msg":"pass"[,}]/g) ?? []).length;
    const target = count() + n;
    await this.waitFor(() => count() >= target, `${n} more volumemgr passes`);
  }

  async waitFor(cond: () => boolean, what: string, timeoutMs = 45_000): Promise<void> {
    try {
      await waitFor(cond, timeoutMs, what);
    } catch (e) {
      throw new Error(
        `${(e as Error).message}\n${this.t.log("volumemgr", 30)}\n--- downloader\n${this.t.log("downloader", 10)}\n--- verifier\n${this.t.log("verifier", 10)}`,
      );
    }
  }

  /** This node's image tags in the engine. */
  tags(): string[] {
    return docker(
      "images",
      "--format",
      "{{.Repository}}:{{.Tag}}",
      "--filter",
      `reference=${imageRepo(this.root)}`,
    )
      .split("\n")
      .filter(Boolean);
  }

  async stop() {
    await this.zm.close().catch(() => undefined);
    const tagged = this.tags();
    await this.t.stop();
    if (tagged.length) removeImages(...tagged);
    for (const v of docker(
      "volume",
      "ls",
      "-q",
      "--filter",
      `name=${dockerVolumeName(this.root, "", 0, 0).split("--")[0]}`,
    )
      .split("\n")
      .filter(Boolean))
      dockerOk("volume", "rm", "-f", v);
  }
}

/** A unique busybox image (labelled with the node, so the node's clean-up removes it), saved as an
 * archive in `dir`; its source tag is removed so only volumemgr's tag holds it once loaded. */
export function archiveImage(
  node: Node,
  dir: string,
  name: string,
  padBytes = 0,
): { id: string; file: string; sha: string } {
  const tag = `outpost-test/vm-${name}:${Math.random().toString(36).slice(2, 8)}`;
  const id = buildTestImage(tag, {
    cmd: ["sleep", "3600"],
    node: node.root,
    files: { "etc/nonce": `${node.root} ${name}\n` },
    padBytes,
  });
  const file = join(dir, `${name}.tar`);
  saveImage(tag, file);
  removeImages(tag);
  return { id, file, sha: sha256File(file) };
}
