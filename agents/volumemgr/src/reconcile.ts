import {
  type BlobStatus,
  type ContentTreeConfig,
  type ContentTreeStatus,
  type DatastoreConfig,
  type DownloaderStatus,
  type ErrorInfo,
  makeError,
  type ResolveStatus,
  stableError,
  type VerifyImageConfig,
  type VerifyImageStatus,
  type VolumeConfig,
  type VolumeRefConfig,
  type VolumeRefStatus,
  type VolumeStatus,
} from "@outpost/types";
import { type Action, canStart, type OpState, opKey } from "./actions.js";
import { type BlobAttempts, type BlobWant, updateBlob } from "./blob.js";
import { contentTreeBlobs, type ManifestRead, type TreeBlobs, updateContentTree } from "./content-tree.js";
import { contentTreeTag, dockerVolumeName, imageRef } from "./naming.js";
import { updateVolume } from "./volume.js";

// One pass over everything volumemgr knows: which volumes are referenced, which content trees they
// need, which blobs those need; each object's update; and, once the owners' tables are complete,
// garbage collection of what nothing references. Pure: the agent feeds it the world and carries out
// the actions; it is run again whenever anything changes.

export interface World {
  root: string;
  arch: string;
  now: number;
  datastores: ReadonlyMap<string, DatastoreConfig>;
  contentTrees: ReadonlyMap<string, ContentTreeConfig>;
  volumes: ReadonlyMap<string, VolumeConfig>;
  volumeRefs: ReadonlyMap<string, VolumeRefConfig>;
  /** Content trees wanted for themselves (baseosmgr's ContentTreeRef: a base OS release). */
  treeRefs?: ReadonlySet<string>;
  downloader: ReadonlyMap<string, DownloaderStatus>;
  resolve: ReadonlyMap<string, ResolveStatus>;
  verifier: ReadonlyMap<string, VerifyImageStatus>;
  /** zedagent's tables are complete (synchronized); blobStatuses: the downloader's and the verifier's
   * status tables are (undefined counts as yes). */
  synced: { datastores: boolean; contentTrees: boolean; volumes: boolean; blobStatuses?: boolean };
  /** Deletions are allowed: zedagent's and zedmanager's tables are complete after their restart. */
  gcAllowed: boolean;
  manifests: ReadonlyMap<string, ManifestRead>;
  /** The node's image tags present in the engine -> image id. */
  images: ReadonlyMap<string, string>;
  /** The node's Docker volumes present in the engine. */
  dockerVolumes: ReadonlySet<string>;
  ops: ReadonlyMap<string, OpState>;
  attempts: ReadonlyMap<string, BlobAttempts>;
  /** The statuses and verify configs published now (errors keep their time; verify configs stay put). */
  prev: {
    contentTrees: ReadonlyMap<string, ContentTreeStatus>;
    volumes: ReadonlyMap<string, VolumeStatus>;
    volumeRefs: ReadonlyMap<string, VolumeRefStatus>;
    blobs: ReadonlyMap<string, BlobStatus>;
    verifyConfigs: ReadonlyMap<string, VerifyImageConfig>;
  };
  /** The engine could not be read yet: nothing can be decided (what is loaded is unknown). */
  engineError?: string | undefined;
}

export interface Plan {
  contentTrees: Map<string, ContentTreeStatus>;
  volumes: Map<string, VolumeStatus>;
  volumeRefs: Map<string, VolumeRefStatus>;
  blobs: Map<string, BlobStatus>;
  attempts: Map<string, BlobAttempts>;
  actions: Action[];
  /** Every wanted tree knows all the blobs it needs as far as its verified manifests tell: none waits
   * for a manifest read. After a restart the parsed manifests are gone, so until they are read again
   * an image's config and layers are not asked for; volumemgr says "restarted" (which lets the
   * downloader and the verifier delete what is not asked for) only once this holds. */
  settled: boolean;
}

function mergeWant(into: BlobWant | undefined, w: BlobWant): BlobWant {
  if (!into) return w;
  return {
    ...into,
    size: into.size || w.size,
    // no limit if any tree sets none, else the largest
    maxSizeBytes:
      into.maxSizeBytes === 0 || w.maxSizeBytes === 0 ? 0 : Math.max(into.maxSizeBytes, w.maxSizeBytes),
    contentTrees: [...into.contentTrees, ...w.contentTrees.filter((t) => !into.contentTrees.includes(t))],
    epoch: [into.epoch, w.epoch].sort().join(","),
  };
}

export function reconcile(w: World): Plan {
  const plan: Plan = {
    contentTrees: new Map(),
    volumes: new Map(),
    volumeRefs: new Map(),
    blobs: new Map(),
    attempts: new Map(),
    actions: [],
    settled: false,
  };

  if (w.engineError !== undefined) {
    // Say why nothing moves, on every volume an app waits for; decide nothing else.
    for (const [key, ref] of w.volumeRefs) {
      const prev = w.prev.volumeRefs.get(key);
      const error = makeError(`cannot read the Docker engine: ${w.engineError}`, {
        retryCondition: "retrying until the engine answers",
        source: { type: "DockerEngine", id: "engine" },
        now: new Date(w.now),
      });
      plan.volumeRefs.set(key, {
        volumeId: ref.volumeId,
        generation: ref.generation,
        localGeneration: prev?.localGeneration ?? 0,
        state: prev?.state ?? "INITIAL",
        progress: prev?.progress ?? 0,
        readOnly: prev?.readOnly ?? false,
        error: stableError(prev?.error, error) as ErrorInfo,
      });
    }
    return plan;
  }

  // Reference counting: VolumeRefConfigs -> volumes -> content trees.
  const wantedTrees = new Set<string>();
  for (const ref of w.volumeRefs.values()) {
    const v = w.volumes.get(`${ref.volumeId}#${ref.generation}`);
    if (v?.origin === "download" && v.contentTreeId) wantedTrees.add(v.contentTreeId);
  }
  for (const id of w.treeRefs ?? []) wantedTrees.add(id);

  // Content trees, step 1: the blobs each needs.
  const trees = new Map<string, { config: ContentTreeConfig; tag: string; blobs: TreeBlobs }>();
  const wants = new Map<string, BlobWant>();
  for (const id of wantedTrees) {
    const config = w.contentTrees.get(id);
    if (!config) continue;
    const tag = contentTreeTag(config);
    const blobs = contentTreeBlobs(config, {
      datastore: w.datastores.get(config.datastoreId),
      datastoresSynced: w.synced.datastores,
      resolve: w.resolve.get(id),
      manifests: w.manifests,
      imageId: w.images.get(tag),
    });
    trees.set(id, { config, tag, blobs });
    for (const want of blobs.wants) wants.set(want.sha256, mergeWant(wants.get(want.sha256), want));
  }

  // Blobs. A blob first seen in this run is asked for only once the downloader's and the verifier's
  // statuses are known: after a restart of volumemgr, its retry must continue the one the downloader
  // is at (a different retry would make the downloader start over and delete its .part).
  const blobFactsKnown = w.synced.blobStatuses ?? true;
  for (const want of wants.values()) {
    const firstSight = !w.attempts.has(want.sha256);
    const u = updateBlob(want, w.prev.blobs.get(want.sha256), {
      downloader: w.downloader.get(want.sha256),
      verifier: w.verifier.get(want.sha256),
      attempts: w.attempts.get(want.sha256),
      verifyConfig: w.prev.verifyConfigs.get(want.sha256),
      now: new Date(w.now),
    });
    plan.blobs.set(want.sha256, u.status);
    if (firstSight && !blobFactsKnown) continue; // shown, but nothing asked or remembered yet
    plan.attempts.set(want.sha256, u.attempts);
    plan.actions.push(...u.actions);
  }

  // Content trees, step 2: status and load.
  for (const [id, t] of trees) {
    const u = updateContentTree(t.config, w.prev.contentTrees.get(id), {
      plan: t.blobs,
      blobs: plan.blobs,
      manifests: w.manifests,
      manifestOps: (sha) => w.ops.get(opKey.manifest(sha)),
      imageId: w.images.get(t.tag),
      load: w.ops.get(opKey.load(t.tag)),
      tag: t.tag,
      ref: imageRef(w.root, t.tag),
      now: w.now,
    });
    plan.contentTrees.set(id, u.status);
    plan.actions.push(...u.actions);
  }

  // Volumes.
  const wantedVolumes = new Set<string>();
  for (const [key, ref] of w.volumeRefs) {
    const config = w.volumes.get(key);
    const u = updateVolume(
      ref,
      { volume: w.prev.volumes.get(key), ref: w.prev.volumeRefs.get(key) },
      {
        root: w.root,
        config,
        configsSynced: w.synced.volumes,
        tree: config?.contentTreeId ? plan.contentTrees.get(config.contentTreeId) : undefined,
        treesSynced: w.synced.contentTrees,
        dockerVolumes: w.dockerVolumes,
        createOp: (name) => w.ops.get(opKey.create(name)),
        now: w.now,
      },
    );
    plan.volumeRefs.set(key, u.ref);
    if (u.volume) plan.volumes.set(key, u.volume);
    plan.actions.push(...u.actions);
    if (config?.origin === "blank")
      wantedVolumes.add(dockerVolumeName(w.root, config.id, config.generation, ref.localGeneration));
  }

  plan.settled = ![...plan.blobs.values()].some((b) => {
    if ((b.kind !== "manifest" && b.kind !== "index") || b.state !== "VERIFIED" || w.manifests.has(b.sha256))
      return false;
    const op = w.ops.get(opKey.manifest(b.sha256));
    return op === undefined || op.running; // a read that failed is retried later: not waited for
  });

  if (w.gcAllowed)
    plan.actions.push(...collectGarbage(w, wantedVolumes, new Set([...trees.values()].map((t) => t.tag))));
  return plan;
}

/** Docker objects of this node that nothing references. Only called once the owners' tables are
 * complete, so a restart never deletes what is still in use; the engine itself refuses to remove
 * what a container still uses, and that removal is tried again later. */
export function collectGarbage(
  w: World,
  wantedVolumes: ReadonlySet<string>,
  wantedTags: ReadonlySet<string>,
): Action[] {
  const actions: Action[] = [];
  for (const name of w.dockerVolumes) {
    if (wantedVolumes.has(name)) continue;
    if (canStart(w.ops.get(opKey.removeVolume(name)), w.now)) actions.push({ kind: "removeVolume", name });
  }
  for (const tag of w.images.keys()) {
    if (wantedTags.has(tag)) continue;
    if (canStart(w.ops.get(opKey.removeImage(tag)), w.now))
      actions.push({ kind: "removeImage", tag, ref: imageRef(w.root, tag) });
  }
  return actions;
}
