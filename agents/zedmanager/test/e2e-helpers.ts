// Shared set-up for the end-to-end tests: a whole node (five agents from the bundle), a real HTTP
// datastore and optionally a real OCI registry, test images built from busybox-static, and helpers
// that publish zedagent's tables and read what the Docker engine really runs.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import {
  buildTestImage,
  ensureDocker,
  removeImages,
  saveImage,
  TestDatastore,
  TestNode,
  type TestNodeOptions,
  TestRegistry,
  waitFor,
} from "@outpost/testkit";
import { type AppInstanceConfig, AppInstanceConfigCodec, OutpostLabels } from "@outpost/types";

/** Long enough for image loads and container starts on a 2-core machine. */
export const E2E_TIMEOUT = 240_000;

/** Node options for tests that assert that something did not happen: domainmgr logs each full re-read
 * of the engine (every 500 ms here) and volumemgr each planner pass, at debug level, so a test can
 * wait for some of them after an event (the agents had their chance to act on it) with moreLogLines. */
export const DEBUG_NODE = {
  node: {
    args: {
      domainmgr: ["--debug", "--resync-interval-ms", "500"],
      // A pass every 300 ms (default 2 s): the passes a test waits for come sooner.
      volumemgr: ["--debug", "--tick-ms", "300"],
    },
  },
};
/** domainmgr re-read the engine's containers and acted on them. */
export const RESYNCED = /"msg":"resynced"[,}]/g;
/** A volumemgr pass that was allowed to garbage-collect (its inputs complete after a restart). */
export const GC_PASS = /"gcAllowed":true,"msg":"pass"[,}]/g;

/** An app that records each boot in /data/boots and stops promptly on SIGTERM. */
export const BOOT_LOGGER = [
  "sh",
  "-c",
  `trap 'exit 0' TERM; mkdir -p /data; echo "boot $(date +%s)" >> /data/boots; sleep 3600 & wait`,
];

let seq = 0;
/** A unique uuid-shaped id (tests run in parallel files against one engine). */
export function uid(): string {
  const h = createHash("sha256")
    .update(`${process.pid}-${Date.now()}-${seq++}-${Math.random()}`)
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

export function docker(args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export interface BuiltImage {
  imageId: string;
  /** sha256 hex of the archive. */
  sha256: string;
  /** The archive's path relative to the datastore directory. */
  relativeUrl: string;
  size: number;
}

export class E2E {
  private constructor(
    readonly node: TestNode,
    readonly datastore: TestDatastore,
    readonly datastoreDir: string,
    readonly registry: TestRegistry | undefined,
    /** The HTTP datastore's id (published); the registry's is `registryId` when started. */
    readonly httpId: string,
    readonly registryId: string,
  ) {}

  static async start(o: { registry?: boolean; node?: TestNodeOptions } = {}): Promise<E2E> {
    await ensureDocker();
    const dir = mkdtempSync(join(tmpdir(), "op-ds-"));
    const datastore = await TestDatastore.start({ dir });
    const registry = o.registry ? await TestRegistry.start() : undefined;
    const node = await TestNode.start(o.node);
    const e = new E2E(node, datastore, dir, registry, uid(), uid());
    await node.datastores.set(e.httpId, {
      id: e.httpId,
      type: "http",
      fqdn: datastore.host,
      path: "",
      username: "",
      password: "",
      caCertsPem: [],
      insecure: false,
    });
    if (registry)
      await node.datastores.set(e.registryId, {
        id: e.registryId,
        type: "registry",
        fqdn: registry.host,
        path: "",
        username: "",
        password: "",
        caCertsPem: [],
        insecure: true,
      });
    return e;
  }

  /** Builds an image labelled with this node, serves its `docker save` archive, and removes it from
   * the engine so that what runs later was really loaded by volumemgr. */
  buildArchive(name: string, cmd: string[], padBytes = 0): BuiltImage {
    const tag = `outpost-test/${name}-${uid().slice(0, 8)}:1`;
    const imageId = buildTestImage(tag, { cmd, node: this.node.nodeLabel, padBytes });
    const relativeUrl = `${name}.tar`;
    const file = join(this.datastoreDir, relativeUrl);
    saveImage(tag, file);
    removeImages(tag);
    const bytes = readFileSync(file);
    return {
      imageId,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      relativeUrl,
      size: bytes.length,
    };
  }

  /** Builds an image and pushes it to the registry as `repoTag`; removed from the engine afterwards. */
  buildPushed(name: string, cmd: string[], repoTag: string): { imageId: string; digest: string } {
    if (!this.registry) throw new Error("no registry in this test");
    const tag = `outpost-test/${name}-${uid().slice(0, 8)}:1`;
    const imageId = buildTestImage(tag, { cmd, node: this.node.nodeLabel });
    const digest = this.registry.push(tag, repoTag);
    removeImages(tag);
    return { imageId, digest };
  }

  /** Publishes a content tree, its image volume and (optionally) blank data volumes; returns the refs. */
  async contentTree(o: {
    id?: string;
    datastoreId?: string;
    relativeUrl: string;
    sha256?: string;
    maxSizeBytes?: number;
    displayName?: string;
    generation?: number;
  }): Promise<string> {
    const id = o.id ?? uid();
    await this.node.contentTrees.set(id, {
      id,
      datastoreId: o.datastoreId ?? this.httpId,
      relativeUrl: o.relativeUrl,
      format: "CONTAINER",
      sha256: o.sha256 ?? "",
      maxSizeBytes: o.maxSizeBytes ?? 0,
      displayName: o.displayName ?? o.relativeUrl,
      generation: o.generation ?? 0,
    });
    return id;
  }

  async imageVolume(contentTreeId: string, id = uid()): Promise<{ volumeId: string; generation: number }> {
    await this.node.volumes.set(`${id}#0`, {
      id,
      generation: 0,
      origin: "download",
      contentTreeId,
      maxSizeBytes: 0,
      readOnly: true,
      displayName: `image ${contentTreeId}`,
    });
    return { volumeId: id, generation: 0 };
  }

  async blankVolume(id = uid()): Promise<{ volumeId: string; generation: number }> {
    await this.node.volumes.set(`${id}#0`, {
      id,
      generation: 0,
      origin: "blank",
      contentTreeId: "",
      maxSizeBytes: 0,
      readOnly: false,
      displayName: `data ${id.slice(0, 8)}`,
    });
    return { volumeId: id, generation: 0 };
  }

  /** Publishes an AppInstanceConfig (defaults filled in by its codec). */
  async app(
    c: Partial<Record<keyof AppInstanceConfig, unknown>> & { uuid: string },
  ): Promise<AppInstanceConfig> {
    const config = AppInstanceConfigCodec.decode({
      displayName: `app-${c.uuid.slice(0, 6)}`,
      activate: true,
      ...c,
    });
    await this.node.apps.set(c.uuid, config);
    return config;
  }

  /** Changes an app's published config. */
  async patchApp(uuid: string, patch: Partial<AppInstanceConfig>): Promise<AppInstanceConfig> {
    const cur = this.node.apps.get(uuid);
    if (!cur) throw new Error(`no app ${uuid}`);
    const next = { ...cur, ...patch };
    await this.node.apps.set(uuid, next);
    return next;
  }

  /** Ids of the containers (running or not) the engine holds for this app on this node. */
  containers(uuid: string): string[] {
    return docker([
      "ps",
      "-aq",
      "--no-trunc",
      "--filter",
      `label=${OutpostLabels.node}=${this.node.nodeLabel}`,
      "--filter",
      `label=${OutpostLabels.app}=${uuid}`,
    ])
      .split("\n")
      .filter(Boolean);
  }

  /** The single container of this app (fails when there are none or several). */
  container(uuid: string): string {
    const ids = this.containers(uuid);
    if (ids.length !== 1) throw new Error(`expected one container for ${uuid}, found ${ids.length}`);
    return ids[0] as string;
  }

  // biome-ignore lint/suspicious/noExplicitAny: docker inspect's JSON, read by the test's assertions.
  inspect(id: string): any {
    return JSON.parse(docker(["inspect", id]))[0];
  }

  /** docker inspect, or undefined when the container is gone (e.g. removed while being recreated). */
  // biome-ignore lint/suspicious/noExplicitAny: docker inspect's JSON, read by the test's assertions.
  tryInspect(id: string): any {
    const r = spawnSync("docker", ["inspect", id], { encoding: "utf8" });
    return r.status === 0 ? JSON.parse(r.stdout)[0] : undefined;
  }

  exec(container: string, script: string): string {
    return docker(["exec", container, "sh", "-c", script]);
  }

  imageExists(id: string): boolean {
    return spawnSync("docker", ["image", "inspect", id], { stdio: "ignore" }).status === 0;
  }

  volumeExists(name: string): boolean {
    return spawnSync("docker", ["volume", "inspect", name], { stdio: "ignore" }).status === 0;
  }

  /** Polls `cond` until it holds; the error carries every agent's log tail. */
  /** Waits until `agent`'s log has `k` more lines matching `line` than now (see DEBUG_NODE). */
  async moreLogLines(agent: "domainmgr" | "volumemgr", line: RegExp, k: number, what: string): Promise<void> {
    const file = rootLayout(this.node.root).logFile(agent);
    const count = () => (readFileSync(file, "utf8").match(line) ?? []).length;
    const target = count() + k;
    await this.until(what, () => count() >= target);
  }

  async until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
    await waitFor(cond, timeoutMs, () => `${what}\n${this.node.logs()}`, 100);
  }

  async cleanup(): Promise<void> {
    await this.node.stop().catch(() => undefined);
    await this.datastore.close().catch(() => undefined);
    await this.registry?.stop().catch(() => undefined);
    rmSync(this.datastoreDir, { recursive: true, force: true });
  }
}

/** One app with an image volume (from a content tree) and a blank data volume mounted at /data. */
export async function deployBootLogger(
  e: E2E,
  o: { image?: BuiltImage; app?: Partial<Record<keyof AppInstanceConfig, unknown>> } = {},
): Promise<{
  uuid: string;
  image: BuiltImage;
  contentTreeId: string;
  data: { volumeId: string; generation: number };
}> {
  const image = o.image ?? e.buildArchive("bootlog", BOOT_LOGGER);
  const contentTreeId = await e.contentTree({
    relativeUrl: image.relativeUrl,
    sha256: image.sha256,
    displayName: "bootlog-image",
  });
  const img = await e.imageVolume(contentTreeId);
  const data = await e.blankVolume();
  const uuid = uid();
  await e.app({ volumeRefs: [img, { ...data, mountDir: "/data" }], ...o.app, uuid });
  return { uuid, image, contentTreeId, data };
}
