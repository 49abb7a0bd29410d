import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import type { AgentContext } from "@outpost/agentbase";
import {
  DockerClient,
  dockerErrorMessage,
  listRepoTags,
  outpostLabels,
  removeImageTag,
} from "@outpost/docker";
import { sleep } from "@outpost/primitives";
import type { Publication, Subscription } from "@outpost/pubsub";
import {
  type BlobStatus,
  BlobStatusCodec,
  type Codec,
  type ContentTreeConfig,
  ContentTreeConfigCodec,
  type ContentTreeStatus,
  ContentTreeStatusCodec,
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
  type VolumeConfig,
  VolumeConfigCodec,
  type VolumeRefConfig,
  VolumeRefConfigCodec,
  type VolumeRefStatus,
  VolumeRefStatusCodec,
  type VolumeStatus,
  VolumeStatusCodec,
} from "@outpost/types";
import { type Executors, execute, type OpState, opKey } from "./actions.js";
import type { BlobAttempts } from "./blob.js";
import type { ManifestRead } from "./content-tree.js";
import { ociLoadStream, retagArchiveStream } from "./docker-load.js";
import { imageRepo, ociArch } from "./naming.js";
import { parseManifest } from "./oci.js";
import { type Plan, reconcile } from "./reconcile.js";

export interface VolumemgrOptions {
  dockerHost: string | undefined;
  tickMs: number;
  rescanMs: number;
}

const noop = () => undefined;

/** The composition root: subscriptions feed the world, every change schedules one reconcile pass on
 * the main loop, Docker and file work runs in the worker pool and comes back as world changes. */
export async function volumemgrMain(ctx: AgentContext<VolumemgrOptions>): Promise<void> {
  const { log, loop, pubsub, signal, layout, options } = ctx;
  const root = layout.root;
  const repo = imageRepo(root);
  const arch = ociArch();
  const docker = new DockerClient(options.dockerHost ? { host: options.dockerHost } : {});

  // ---- loop-owned state ----
  const manifests = new Map<string, ManifestRead>();
  let images = new Map<string, string>();
  let dockerVolumes = new Set<string>();
  const ops = new Map<string, OpState>();
  let attempts = new Map<string, BlobAttempts>();
  let scanned = false;
  /** Why the engine could not be read, until it first is. */
  let engineError: string | undefined;
  /** Bumped by every Docker change we make: a scan that overlapped one is stale. */
  let dockerEpoch = 0;
  let restartedSignalled = false;

  let scheduled = false;
  /** Passes run so far, logged at debug level: tests wait for passes after an event to know the
   * planner saw it, before asserting that it did nothing (no GC, no retry). */
  let passes = 0;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    loop.post(pass);
  };
  const handlers = {
    create: schedule,
    modify: schedule,
    delete: schedule,
    synchronized: schedule,
    restarted: schedule,
  };
  const sub = <T>(agent: string, topic: string, codec: Codec<T>, persistent = false): Subscription<T> =>
    pubsub.subscribe({ agent, topic, codec, handlers, persistent });

  const pub = async <T>(topic: string, codec: Codec<T>): Promise<Publication<T>> =>
    pubsub.publish({ topic, codec });
  const out = {
    contentTrees: await pub<ContentTreeStatus>("ContentTreeStatus", ContentTreeStatusCodec),
    volumes: await pub<VolumeStatus>("VolumeStatus", VolumeStatusCodec),
    volumeRefs: await pub<VolumeRefStatus>("VolumeRefStatus", VolumeRefStatusCodec),
    blobs: await pub<BlobStatus>("BlobStatus", BlobStatusCodec),
    downloader: await pub<DownloaderConfig>("DownloaderConfig", DownloaderConfigCodec),
    resolve: await pub<ResolveConfig>("ResolveConfig", ResolveConfigCodec),
    verify: await pub<VerifyImageConfig>("VerifyImageConfig", VerifyImageConfigCodec),
  };
  const inp = {
    datastores: sub<DatastoreConfig>("zedagent", "DatastoreConfig", DatastoreConfigCodec),
    contentTrees: sub<ContentTreeConfig>("zedagent", "ContentTreeConfig", ContentTreeConfigCodec),
    volumes: sub<VolumeConfig>("zedagent", "VolumeConfig", VolumeConfigCodec),
    volumeRefs: sub<VolumeRefConfig>("zedmanager", "VolumeRefConfig", VolumeRefConfigCodec),
    downloader: sub<DownloaderStatus>("downloader", "DownloaderStatus", DownloaderStatusCodec),
    resolve: sub<ResolveStatus>("downloader", "ResolveStatus", ResolveStatusCodec),
    // persistent: what is verified is known at once after a restart, before the verifier answers
    verifier: sub<VerifyImageStatus>("verifier", "VerifyImageStatus", VerifyImageStatusCodec, true),
  };
  const asMap = <T>(s: Subscription<T> | Publication<T>) => new Map(s.entries());
  const complete = (s: Subscription<unknown>) => s.synchronized && s.restartedCount > 0;
  const blobStatusesKnown = () => inp.downloader.synchronized && inp.verifier.synchronized;

  // ---- Docker facts ----
  let scanning = false;
  const scan = () => {
    if (scanning) return; // an engine that is slow to answer must not pile up scans
    scanning = true;
    const epoch = dockerEpoch;
    ctx.work(
      async () => {
        await docker.ping(5000); // not answering: the tick tries again
        const [tags, vols] = await Promise.all([
          listRepoTags(docker, repo),
          docker.listVolumes(outpostLabels({ node: root })),
        ]);
        return { tags, vols: new Set(vols.map((v) => v.Name)) };
      },
      (r) => {
        scanning = false;
        if (!r.ok) {
          const err = dockerErrorMessage(r.error);
          log.warn({ err }, "cannot read the Docker engine's images and volumes");
          if (!scanned) {
            engineError = err;
            schedule();
          }
          return;
        }
        if (scanned && epoch !== dockerEpoch) return; // overlapped a change of ours: the next scan will do
        if (!scanned)
          log.info(
            { images: r.value.tags.size, volumes: r.value.vols.size },
            "read the node's images and volumes from Docker",
          );
        images = r.value.tags;
        dockerVolumes = r.value.vols;
        scanned = true;
        engineError = undefined;
        schedule();
      },
    );
  };

  const finished = (key: string, error?: unknown) => {
    dockerEpoch++;
    if (error === undefined) ops.delete(key);
    else ops.set(key, { running: false, error: dockerErrorMessage(error), at: Date.now() });
    schedule();
  };

  // ---- the executor table: one handler per action kind ----
  let desired = emptyDesired();
  const executors: Executors = {
    publishDownloaderConfig: (a) => void desired.downloader.set(a.config.sha256, a.config),
    publishVerifyImageConfig: (a) => void desired.verify.set(a.config.sha256, a.config),
    publishResolveConfig: (a) => void desired.resolve.set(a.config.contentTreeId, a.config),
    readManifest: (a) => {
      const key = opKey.manifest(a.sha256);
      ops.set(key, { running: true });
      ctx.work(
        () => readFile(a.path),
        (r) => {
          if (!r.ok) return finished(key, r.error);
          try {
            manifests.set(a.sha256, { parsed: parseManifest(r.value, arch) });
          } catch (e) {
            manifests.set(a.sha256, { error: (e as Error).message });
          }
          finished(key);
        },
      );
    },
    loadImage: (a) => {
      const key = opKey.load(a.tag);
      ops.set(key, { running: true });
      log.info(
        { contentTree: a.contentTreeId, ref: a.ref, format: a.source.format },
        "loading image into Docker",
      );
      const started = Date.now();
      ctx.work(
        async () => {
          const tar =
            a.source.format === "archive"
              ? retagArchiveStream(createReadStream(a.source.path), a.ref)
              : ociLoadStream({ repoTag: a.ref, config: a.source.config, layers: a.source.layers });
          await docker.loadImage(tar);
          // Read back through the tag: the tag is what holds the image and what a restart finds.
          const id = await docker.imageId(a.ref);
          if (!id) throw new Error(`the engine loaded the archive but has no ${a.ref}`);
          return id;
        },
        (r) => {
          if (r.ok) {
            images.set(a.tag, r.value);
            log.info(
              { contentTree: a.contentTreeId, imageId: r.value, ms: Date.now() - started },
              "image loaded",
            );
            return finished(key);
          }
          log.warn({ contentTree: a.contentTreeId, err: dockerErrorMessage(r.error) }, "docker load failed");
          finished(key, r.error);
        },
      );
    },
    createVolume: (a) => {
      const key = opKey.create(a.name);
      ops.set(key, { running: true });
      ctx.work(
        () => docker.createVolume(a.name, a.labels),
        (r) => {
          if (r.ok) {
            dockerVolumes.add(a.name);
            log.info({ volume: a.name }, "created Docker volume");
          }
          finished(key, r.ok ? undefined : r.error);
        },
      );
    },
    removeVolume: (a) => {
      const key = opKey.removeVolume(a.name);
      ops.set(key, { running: true });
      ctx.work(
        () => docker.removeVolume(a.name),
        (r) => {
          if (r.ok && r.value) {
            dockerVolumes.delete(a.name);
            log.info({ volume: a.name }, "removed unreferenced Docker volume");
            return finished(key);
          }
          finished(key, r.ok ? new Error("still in use by a container") : r.error);
        },
      );
    },
    removeImage: (a) => {
      const key = opKey.removeImage(a.tag);
      ops.set(key, { running: true });
      ctx.work(
        () => removeImageTag(docker, a.ref),
        (r) => {
          if (r.ok && r.value) {
            images.delete(a.tag);
            log.info(
              { ref: a.ref },
              "removed unreferenced image (its tag; the engine deletes it when nothing else holds it)",
            );
            return finished(key);
          }
          finished(key, r.ok ? new Error("still in use by a container") : r.error);
        },
      );
    },
  };

  /** Failed jobs nobody retried (their object is no longer wanted) and manifests of images no longer
   * in progress: every retry delay is far shorter than this, so what is older is an orphan. */
  const forgetStale = (now: number) => {
    for (const [k, op] of ops) if (!op.running && now - op.at > 120_000) ops.delete(k);
    for (const sha of manifests.keys()) if (!out.blobs.get(sha)) manifests.delete(sha);
  };

  async function pass(): Promise<void> {
    scheduled = false;
    if ((!scanned && engineError === undefined) || signal.aborted) return;
    const now = Date.now();
    forgetStale(now);
    const gcAllowed =
      complete(inp.datastores) &&
      complete(inp.contentTrees) &&
      complete(inp.volumes) &&
      complete(inp.volumeRefs);
    log.debug({ pass: ++passes, gcAllowed }, "pass");
    const plan: Plan = reconcile({
      root,
      arch,
      now,
      datastores: asMap(inp.datastores),
      contentTrees: asMap(inp.contentTrees),
      volumes: asMap(inp.volumes),
      volumeRefs: asMap(inp.volumeRefs),
      downloader: asMap(inp.downloader),
      resolve: asMap(inp.resolve),
      verifier: asMap(inp.verifier),
      synced: {
        datastores: inp.datastores.synchronized,
        contentTrees: inp.contentTrees.synchronized,
        volumes: inp.volumes.synchronized,
        blobStatuses: blobStatusesKnown(),
      },
      gcAllowed,
      manifests,
      images,
      dockerVolumes,
      ops,
      attempts,
      prev: {
        contentTrees: asMap(out.contentTrees),
        volumes: asMap(out.volumes),
        volumeRefs: asMap(out.volumeRefs),
        blobs: asMap(out.blobs),
        verifyConfigs: asMap(out.verify),
      },
      engineError: scanned ? undefined : engineError,
    });
    attempts = plan.attempts;
    desired = emptyDesired();
    for (const a of plan.actions) execute(executors, a);

    logTransitions(plan);
    await sync(out.contentTrees, plan.contentTrees, true);
    await sync(out.volumes, plan.volumes, true);
    await sync(out.volumeRefs, plan.volumeRefs, true);
    await sync(out.blobs, plan.blobs, true);
    // Withdrawing a config makes the downloader/verifier delete files: only once our view is complete.
    await sync(out.downloader, desired.downloader, gcAllowed);
    await sync(out.resolve, desired.resolve, gcAllowed);
    await sync(out.verify, desired.verify, gcAllowed);
    if (gcAllowed && scanned && blobStatusesKnown() && !restartedSignalled) {
      // Our tables now hold everything the owners' complete tables ask for (blobs included: they are
      // asked for only once the downloader's and verifier's statuses are known).
      restartedSignalled = true;
      for (const p of Object.values(out)) (p as Publication<unknown>).signalRestarted();
      log.info("inputs complete after (re)start: garbage collection enabled, restarted signalled");
    }
  }

  const logTransitions = (plan: Plan) => {
    for (const [id, s] of plan.contentTrees) {
      const old = out.contentTrees.get(id);
      if (old?.state !== s.state || old?.error?.description !== s.error?.description)
        log.info({ contentTree: id, state: s.state, error: s.error?.description }, "content tree");
    }
    for (const [key, s] of plan.volumeRefs) {
      const old = out.volumeRefs.get(key);
      if (old?.state !== s.state || old?.localGeneration !== s.localGeneration)
        log.info(
          { volume: key, state: s.state, localGeneration: s.localGeneration, error: s.error?.description },
          "volume",
        );
    }
  };

  scan();
  const tick = (async () => {
    let lastScan = Date.now();
    while (!signal.aborted) {
      await sleep(options.tickMs, signal);
      if (signal.aborted) break;
      if (!scanned || Date.now() - lastScan >= options.rescanMs) {
        lastScan = Date.now();
        loop.post(scan);
      }
      // retries (failed loads, volumes and removals still in use) are due by time, not by events
      schedule();
    }
  })();
  await tick.catch(noop);
}

function emptyDesired() {
  return {
    downloader: new Map<string, DownloaderConfig>(),
    resolve: new Map<string, ResolveConfig>(),
    verify: new Map<string, VerifyImageConfig>(),
  };
}

async function sync<T>(
  pub: Publication<T>,
  want: ReadonlyMap<string, T>,
  allowDelete: boolean,
): Promise<void> {
  for (const [k, v] of want) await pub.set(k, v);
  if (allowDelete) for (const k of pub.keys()) if (!want.has(k)) await pub.delete(k);
}
